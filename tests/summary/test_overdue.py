""" "Overdue" is due before now, in the person's timezone (#19 item 4).

A task due at 15:00 in New York is overdue at 16:06 New York time the same day, though it is
"today" there and already the next hour in UTC; one due at 17:00 is still due today. Both
the daily summary (`summary/gather.py`, from the sandbox CRM) and the offline model's task
lists say so.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from coworker.llm.offline.conversation import Clock
from coworker.llm.offline.replies import due_bucket
from coworker.summary.gather import gather
from coworker.summary.render import render_offline
from tests.summary.conftest import RuntimeFactory

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 4, 16, 6, tzinfo=NEW_YORK)  # 21:06 UTC


def at(hour: int, day: int = 4) -> str:
    return datetime(2026, 3, day, hour, 0, tzinfo=NEW_YORK).isoformat()


async def test_a_task_due_at_15_is_overdue_at_16_06_in_the_persons_timezone(
    make_runtime: RuntimeFactory,
) -> None:
    runtime = await make_runtime()
    crm = runtime.coworker.crm_for(await runtime.local_user())
    ids = {}
    for title, due in (
        ("Call Jane back (15:00)", at(15)),
        ("Send the Initech quote (17:00)", at(17)),
        ("Yesterday's follow-up", at(11, day=3)),
    ):
        created = await crm.call("create_task", {"title": title, "due_date": due})
        ids[title] = created["task"]["id"]

    data = await gather(crm, timezone="America/New_York", now=NOW, person="Alex")
    overdue = {t.id for t in data.overdue}
    due_today = {t.id for t in data.due_today}
    assert ids["Call Jane back (15:00)"] in overdue
    assert ids["Yesterday's follow-up"] in overdue
    assert ids["Send the Initech quote (17:00)"] in due_today
    assert not overdue & due_today

    text = render_offline(data)
    late = text[text.index("**Overdue**") : text.index("**Due today**")]
    assert "Call Jane back (15:00)" in late and "Send the Initech quote" not in late


def test_the_offline_model_says_overdue_from_the_same_moment() -> None:
    clock = Clock(NOW, NEW_YORK)
    assert due_bucket({"due_date": at(15)}, clock) == "overdue"
    assert due_bucket({"due_date": at(17)}, clock) == "today"
    assert due_bucket({"due_date": "2026-03-04T20:59:00Z"}, clock) == "overdue"  # 15:59 there
    assert due_bucket({"due_date": "2026-03-04T21:30:00Z"}, clock) == "today"  # 16:30 there
