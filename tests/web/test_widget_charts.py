"""The pipeline and activity answers drawn as charts in the widget (#18 item 3).

Real app on its embedded defaults (the offline model, the sandbox CRM), real Chromium:
"how's my pipeline?" and "what did I do yesterday?" each show an inline SVG chart with one
bar per stage (per side) or per kind whose numbers are the CRM's, read here straight from
the sandbox API, and a hidden table with the same numbers for screen readers. Each state
is saved as a desktop and a mobile screenshot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from tests.support.servers import run_asgi_server
from tests.web.conftest import Screenshots
from tests.web.test_widget_browser import ALEX_KEY, open_chat, send

from coworker.config import Settings
from coworker.dialsheet.words import word
from coworker.server import create_app
from coworker.tools.derived.figures import KIND_WORDS, money

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:
    pytest.skip("playwright is not installed: browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser


class Offline:
    def __init__(self, url: str) -> None:
        self.url = url

    def crm(self, path: str, **params: Any) -> Any:
        answer = httpx.get(
            f"{self.url}/sandbox/api/v1{path}",
            params=params,
            headers={"Authorization": f"Bearer {ALEX_KEY}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def every(self, path: str, key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = self.crm(path, page=page, limit=100)[key]
            items += batch
            if len(batch) < 100:
                return items
            page += 1


@pytest.fixture
def coworker(tmp_path: Path) -> Iterator[Offline]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
    )
    with run_asgi_server(create_app(settings)) as url:
        yield Offline(url)


def by_stage(deals: list[dict[str, Any]]) -> dict[str, tuple[int, float]]:
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for deal in deals:
        totals[word(deal["stage"])][0] += 1
        totals[word(deal["stage"])][1] += float(deal.get("value") or 0)
    return {stage: (int(count), value) for stage, (count, value) in totals.items()}


def bars(chart: Locator, whose: str) -> dict[str, tuple[int, float]]:
    found: dict[str, tuple[int, float]] = chart.locator("svg").evaluate(
        """(svg, whose) => Object.fromEntries([...svg.querySelectorAll('g.bar-group')].map((g) => {
            const bar = g.querySelector(`rect.bar[data-whose="${whose}"]`);
            return [g.dataset.label, [Number(bar.dataset.count), Number(bar.dataset.value || 0)]];
        }))""",
        whose,
    )
    return {label: (int(count), float(value)) for label, (count, value) in found.items()}


def hidden_table(chart: Locator) -> list[list[str]]:
    rows: list[list[str]] = chart.locator("table.chart-table tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.children].map((c) => c.textContent))"
    )
    return rows


def test_my_pipeline_is_a_chart_with_the_crms_numbers(
    page: Page, coworker: Offline, screenshots: Screenshots
) -> None:
    deals = coworker.every("/opportunities", "opportunities")
    me = coworker.crm("/tasks", page=1, limit=1)["tasks"][0]["owner_id"]
    mine, team = by_stage([d for d in deals if d["owner_id"] == me]), by_stage(deals)
    assert mine != team  # the demo data has teammates' deals: the two sides differ

    panel = open_chat(page, coworker)
    send(panel, "how's my pipeline?")
    chart = panel.locator("figure.chart[data-report='pipeline']")
    expect(chart).to_have_count(1)
    expect(panel.locator(".typing")).to_have_count(0)

    svg = chart.locator("svg")
    title = "Pipeline by stage: yours and the team's"
    expect(chart.get_by_role("img", name=title)).to_be_visible()  # as a screen reader finds it
    expect(chart.get_by_role("table", name=title)).to_have_count(1)  # the text alternative
    expect(svg.locator("title")).to_have_text("Pipeline by stage: yours and the team's")
    assert "Prospecting:" in (svg.locator("desc").text_content() or "")
    assert chart.locator("g.bar-group").count() == len(team)  # one group per stage
    assert bars(chart, "yours") == {stage: mine.get(stage, (0, 0.0)) for stage in team}
    assert bars(chart, "team") == team

    table = hidden_table(chart)
    expect(chart.locator("table.chart-table")).to_have_class("sr-only chart-table")
    expected = [
        [stage, str(mine.get(stage, (0, 0.0))[0]), money(mine.get(stage, (0, 0.0))[1], "USD")]
        + [str(count), money(value, "USD")]
        for stage, (count, value) in team.items()
    ]
    assert sorted(table) == sorted(expected)
    screenshots.both(page, "pipeline-chart")

    # A reload shows the conversation with its chart, drawn from the stored tool result.
    panel = open_chat(page, coworker)  # the page loaded afresh
    chart = panel.locator("figure.chart[data-report='pipeline']")
    expect(chart).to_have_count(1)
    assert bars(chart, "team") == team


def test_yesterdays_activity_is_a_chart_with_one_bar_per_kind(
    page: Page, coworker: Offline, screenshots: Screenshots
) -> None:
    panel = open_chat(page, coworker)
    zone = ZoneInfo(httpx.get(f"{coworker.url}/api/widget", timeout=10).json()["timezone"])
    today = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = today - timedelta(days=1), today

    def yesterday(items: list[dict[str, Any]], field: str) -> int:
        return sum(1 for i in items if start <= datetime.fromisoformat(i[field]) < end)

    emails = yesterday(coworker.every("/emails", "emails"), "sent_at")
    texts = yesterday(coworker.every("/sms", "sms"), "sent_at")

    send(panel, "what did I do yesterday?")
    chart = panel.locator("figure.chart[data-report='activity']")
    expect(chart).to_have_count(1)
    expect(panel.locator(".typing")).to_have_count(0)
    day = start.date().isoformat()
    expect(chart.locator("svg title")).to_have_text(f"Your activity, yesterday ({day})")
    shown = bars(chart, "yours")
    assert list(shown) == list(KIND_WORDS.values())  # one bar per kind, in order
    assert shown["Emails"][0] == emails and shown["SMS"][0] == texts
    table = {row[0]: row[1] for row in hidden_table(chart)}
    assert table == {label: str(count) for label, (count, _) in shown.items()}
    # The reply's words and the chart agree.
    reply = panel.locator(".msg.assistant .md").last.inner_text()
    assert f"{shown['Calls'][0]} calls" in reply
    screenshots.both(page, "activity-chart")
