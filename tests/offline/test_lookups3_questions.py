"""Questions a rep asks that carry the words of a change or a send: "should i mark hugo as
customer?", "did i already email gabriel the pricing?", "is tom mine or sam's?". Each is read
as the question it is, with whom and what it asks about, and never as the change; the change
itself, said as a request, is still read as one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.offline.readings import question as read


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("does priya shah have an email?", "find_leads", {"who": "priya shah", "field": "email"}),
        ("what email do we have on file for mason torres", "find_leads", {"field": "email"}),
        ("do we have a # for mason torres?", "find_leads", {"field": "phone"}),
        ("is tom becker mine or sams?", "lead_owner", {"who": "tom becker"}),
        ("is jane smith sam's or mine", "lead_owner", {"who": "jane smith"}),
        ("dana whitfield - mine or sams?", "lead_owner", {"who": "dana whitfield"}),
        ("what'd i get done yesterday?", "activity_report", {"when": "yesterday"}),
        ("recap of my week", "activity_report", {"when": "this week"}),
        ("should i mark hugo hayes as customer?", "find_leads", {"field": "status"}),
        ("should dana whitfield be marked qualified", "find_leads", {"field": "status"}),
        ("what did i last email marcus about", "list_sent", {"who": "marcus", "latest": True}),
        (
            "did i already email gabriel allen the pricing?",
            "list_sent",
            {"who": "gabriel allen", "already": True, "topic": "pricing"},
        ),
        (
            "did we send the pricing to gabriel allen already",
            "list_sent",
            {"who": "gabriel allen", "topic": "pricing"},
        ),
        ("who else do we know at initech besides chris", "list_leads", {"without": "chris"}),
        (
            "which acme leads are still new, not counting sam's",
            "list_leads",
            {"query": "acme", "status": "new", "mine": True},
        ),
        ("anyone at acme except the new ones", "list_leads", {"exclude": "new"}),
        (
            "lucas coleman - whats his title again, and which co is he at",
            "find_leads",
            {"who": "lucas coleman", "fields": ("title", "company")},
        ),
        ("whats janes number + latest note", "find_leads", {"details": True}),
        ("janes notes", "list_notes", {"who": "janes"}),
    ],
)
def test_a_question_is_read_as_the_question(text: str, kind: str, expected: dict[str, Any]) -> None:
    found, slots = read(text)
    assert found == kind, (text, found, slots)
    assert {k: slots.get(k) for k in expected} == expected, (text, slots)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mark hugo hayes as customer", "update_status"),
        ("email gabriel allen the pricing", "send_email"),
        ("latest notes", "list_notes"),
    ],
)
def test_the_change_itself_is_still_a_change(text: str, kind: str) -> None:
    found, slots = read(text)
    assert found == kind, (text, found, slots)
    assert "who" not in slots or text != "latest notes"
