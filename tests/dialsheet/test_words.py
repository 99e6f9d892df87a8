"""Words, not codes (#19 item 4): every code the contract declares has a word a person
reads, a code the contract gains tomorrow gets a sensible one, and the places a person
reads them (summaries, cards, the offline model's replies) say the word."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from coworker.agent.cards import card_of
from coworker.dialsheet.contract import Contract, load_contract
from coworker.dialsheet.profiles import ToolProfile
from coworker.dialsheet.words import coded_fields, enum_codes, inline, word, words_of
from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Clock
from coworker.summary.gather import Activity, DealItem, LeadItem, StageTotal, SummaryData
from coworker.summary.render import render_offline


def test_every_code_in_the_contract_has_a_word() -> None:
    words = words_of(load_contract())
    assert {"closed_won", "cold_call"} - set(words) == {"cold_call"}  # sources are free text
    for code, said in words.items():
        assert "_" not in said and said[0].isupper(), (code, said)
    assert word("closed_won") == "Closed won" and inline("closed_won") == "closed won"
    assert word("cold_call") == "Cold call" and word("callback") == "Call back"
    assert word("no_answer") == "No answer" and inline("meeting_booked") == "meeting booked"
    assert inline("linkedin") == "LinkedIn", "a name keeps its capitals inside a sentence"
    assert word("Trade show") == "Trade show", "text already in words is left alone"


def test_a_new_enum_value_gets_a_default_word() -> None:
    document = copy.deepcopy(dict(load_contract().document))
    document["components"]["schemas"]["OpportunityStage"]["enum"].append("verbal_commit")
    assert words_of(Contract(document))["verbal_commit"] == "Verbal commit"
    assert word("verbal_commit") == "Verbal commit", "even one the packaged contract lacks"


def test_the_offline_model_reads_the_same_table() -> None:
    assert replies.STAGE_NAMES == {code: inline(code) for code in enum_codes("OpportunityStage")}
    assert replies.OUTCOME_NAMES["no_answer"] == "no answer"
    lead = {"name": "Jane Smith", "status": "unqualified", "source": "cold_call"}
    assert "Unqualified" in replies.lead_line(lead)
    clock = Clock(datetime(2026, 3, 4, 16, 6, tzinfo=ZoneInfo("UTC")), ZoneInfo("UTC"))
    details = replies.lead_details(lead, clock)
    assert "Source: Cold call" in details and "Status: Unqualified" in details


def test_a_card_shows_a_code_as_its_word() -> None:
    assert {"stage", "outcome", "status", "source"} <= coded_fields()
    card = card_of(
        ToolProfile(), {"stage": "closed_won", "name": "closed_won deal"}, {"deal": "Initech"}
    )
    shown = {field.key: field.value for field in card}
    assert shown["stage"] == "Closed won"
    assert shown["name"] == "closed_won deal", "only coded fields are translated"


def test_the_summary_says_words_never_codes() -> None:
    now = datetime(2026, 3, 4, 8, 30, tzinfo=UTC)
    data = SummaryData(
        person="Alex Rivera",
        timezone="UTC",
        local_date=date(2026, 3, 4),
        generated_at=now,
        since=now,
        stale_days=14,
        due_today=(),
        overdue=(),
        new_leads=(LeadItem("l1", "Tom Becker", "Initech", "new", "cold_call", now),),
        stale_deals=(DealItem("d1", "Initech renewal", "closed_won", 1000.0, "USD", "l1", None),),
        pipeline=(StageTotal("closed_won", 1, 1000.0), StageTotal("negotiation", 2, 5.0)),
        calls=Activity(1, ("outbound call, no answer",)),
        emails=Activity(0, ()),
        sms=Activity(0, ()),
    )
    text = render_offline(data)
    assert "(via cold call)" in text and "| Closed won | 1 |" in text
    assert "Initech renewal**: Closed won" in text
    for code in ("cold_call", "closed_won", "no_answer"):
        assert code not in text
    as_json = str(data.as_json())
    assert "closed_won" not in as_json and "cold_call" not in as_json, "the model reads words"
