"""The one reading of a report's JSON into rows (`tools/derived/figures.py`), which Slack and
the terminal draw and the widget mirrors: every activity kind has its word, a pipeline
without the person's CRM user is the team's alone, and anything else draws nothing."""

from __future__ import annotations

import json

from coworker.tools.derived.activity import KINDS
from coworker.tools.derived.figures import KIND_WORDS, figure_of, money, table_of

PIPELINE = {
    "report": "pipeline",
    "currency": "USD",
    "yours": {"by_stage": [{"stage": "Proposal", "deals": 1, "value": 500.0}]},
    "team": {
        "by_stage": [
            {"stage": "Proposal", "deals": 2, "value": 1500.0},
            {"stage": "Closed won", "deals": 1, "value": 99.5},
        ]
    },
}


def test_every_activity_kind_has_its_word() -> None:
    assert list(KIND_WORDS) == list(KINDS)


def test_a_pipeline_reads_both_sides_with_zeroes_where_one_has_none() -> None:
    figure = figure_of(json.dumps(PIPELINE))
    assert figure is not None and figure.sides == ("yours", "team")
    assert table_of(figure) == (
        ["Stage", "Yours: deals", "Yours: value", "Team: deals", "Team: value"],
        [["Proposal", "1", "$500", "2", "$1,500"], ["Closed won", "0", "$0", "1", "$99.50"]],
    )


def test_without_the_persons_crm_user_the_pipeline_is_the_teams_alone() -> None:
    figure = figure_of({**PIPELINE, "note": "Could not tell which deals are the person's"})
    assert figure is not None and figure.sides == ("team",)
    assert figure.title == "The team's pipeline by stage"
    assert table_of(figure)[0] == ["Stage", "Team: deals", "Team: value"]


def test_a_teams_activity_says_whose_it_is() -> None:
    report = {
        "report": "activity",
        "period": "last_week",
        "from": "2026-11-23",
        "to": "2026-11-29",
        "whose": "the team's (everyone, you included)",
        "counts": dict.fromkeys(KINDS, 3),
        "yours_only": "emails, sms, tasks_done and tasks_created are yours only",
    }
    figure = figure_of(report)
    assert figure is not None
    assert figure.title == "The team's activity, last week (2026-11-23 to 2026-11-29)"
    assert table_of(figure)[0] == ["Activity", "Team"] and figure.note


def test_anything_else_draws_nothing() -> None:
    for output in ("not json", "[]", {"report": "prep_brief"}, {"report": "pipeline"}, None):
        assert figure_of(output) is None


def test_money_reads_as_a_person_writes_it() -> None:
    assert money(2113750, "USD") == "$2,113,750"
    assert money(10.5, "EUR") == "€10.50"
    assert money(7, "CHF") == "7 CHF"
    assert money(7, "mixed") == "7"


def test_a_range_is_titled_by_its_days() -> None:
    report = {"report": "activity", "period": "range", "from": "2026-11-02", "to": "2026-11-04"}
    figure = figure_of({**report, "whose": "yours", "counts": dict.fromkeys(KINDS, 0)})
    assert figure is not None and figure.title == "Your activity, 2026-11-02 to 2026-11-04"
