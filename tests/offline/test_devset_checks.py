"""The dev set's looser checks (has_calls, no_calls, reply_any, case-wide calls, `{any}`,
`{exact}`, `@day:`) and the realistic runner's wrong writes, on hand-made observations."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from tests.offline.devset import (
    Case,
    Observed,
    check_case,
    check_turn,
    load_cases,
    value_matches,
)
from tests.offline.test_realistic import wrong_writes

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # a Sunday
JANE = "b553da99-b72f-5a69-92de-f2ed58d9f2ab"


def _cases(tmp_path: Path, text: str) -> list[Case]:
    path = tmp_path / "set.yaml"
    path.write_text(textwrap.dedent(text), "utf-8")
    return load_cases(path)


def test_loose_turn_checks(tmp_path: Path) -> None:
    [case] = _cases(
        tmp_path,
        """
        cases:
          - id: ask
            say: "new opp for jane 18.5k"
            no_calls: [writes]
            reply_any: ["18,500", "18.5k"]
        """,
    )
    [turn] = case.turns
    assert not turn.exact
    asked = Observed([("search_leads", {"search": "jane"})], "New deal: $18,500 - shall I?", [])
    assert check_turn(turn, asked, NOW) == []
    wrote = Observed([("create_opportunity", {"lead_id": JANE, "value": 2})], "Done.", [])
    assert check_turn(turn, wrote, NOW) == [
        f"create_opportunity called: {{'lead_id': '{JANE}', 'value': 2}}",
        "reply has none of ['18,500', '18.5k']",
    ]


def test_case_wide_calls_pass_at_once_or_after_yes(tmp_path: Path) -> None:
    [case] = _cases(
        tmp_path,
        """
        cases:
          - id: either
            turns: [{say: "new deal for jane 12k"}, {say: "yes"}]
            has_calls:
              - {tool: create_opportunity, args: {lead_id: $lead:jane-smith, value: 12000}}
        """,
    )
    assert [t.exact for t in case.turns] == [False, False]
    deal = ("create_opportunity", {"lead_id": JANE, "value": 12000.0})
    at_once = [Observed([deal], "Created.", []), Observed([], "Anything else?", [])]
    after_yes = [Observed([], "Shall I?", []), Observed([deal], "Created.", [])]
    for observed in (at_once, after_yes):
        assert check_case(case, observed, NOW) == []
        assert wrong_writes(case, observed, NOW) == []
    twice = [Observed([deal], "Created.", []), Observed([deal], "Created.", [])]
    assert check_case(case, twice, NOW) == []
    assert wrong_writes(case, twice, NOW) == [f"turn 2: create_opportunity {deal[1]}"]
    wrong = [Observed([("create_opportunity", {"lead_id": JANE, "value": 2})], "", []), at_once[1]]
    assert check_case(case, wrong, NOW)
    assert wrong_writes(case, wrong, NOW) == [
        f"turn 1: create_opportunity {{'lead_id': '{JANE}', 'value': 2}}"
    ]


def test_exact_turns_are_unchanged(tmp_path: Path) -> None:
    [case] = _cases(
        tmp_path,
        """
        cases:
          - id: exact
            say: "anyone at acme"
            calls: [{tool: search_leads, args: {search: acme}}]
        """,
    )
    [turn] = case.turns
    assert turn.exact
    extra = Observed([("search_leads", {"search": "acme"}), ("get_lead", {})], "", [])
    assert check_turn(turn, extra, NOW) == [
        "calls ['search_leads', 'get_lead'] != expected ['search_leads']"
    ]


def test_value_forms() -> None:
    assert value_matches({"exact": "hi jane"}, "hi jane", NOW)
    assert not value_matches({"exact": "hi jane"}, "Hi jane", NOW)
    assert value_matches({"any": ["voicemail", "no_answer"]}, "no_answer", NOW)
    assert value_matches("@day:+1d", "2026-12-07T17:30:00+00:00", NOW)
    assert value_matches("@day:+14d", "2026-12-20", NOW)
    assert not value_matches("@day:+1d", "2026-12-08T09:00:00+00:00", NOW)
    # On a Sunday, next week's Friday is the 11th, or the 18th for weeks starting on Sunday.
    assert value_matches("@day:next:fri", "2026-12-11T09:00:00+00:00", NOW)
    assert value_matches("@day:nextus:fri", "2026-12-18T09:00:00+00:00", NOW)
