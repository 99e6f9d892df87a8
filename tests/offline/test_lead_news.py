"""News about a lead, passed on as reps pass it on (evals/offline_realistic/leads4.yaml has
the whole flows): a promotion with the title after it, "fyi" before a move, "X -> status",
"signed!! mark her as a customer", "the acme guy" (a lead at Acme, never one named "guy"),
and the questions and asides that must change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.intents import classify
from coworker.llm.offline.split import split_requests
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def read(text: str) -> tuple[str, str, str | None, dict[str, str | None] | None, str | None]:
    intent = classify(Utterance.of(text), NOW)
    ref = intent.slots.get("ref")
    return (
        intent.kind,
        ref.text.lower() if ref is not None else "",
        intent.slots.get("status"),
        intent.slots.get("changes"),
        ref.company if ref is not None else None,
    )


@pytest.mark.parametrize(
    ("text", "who", "changes"),
    [
        ("david lopez got promoted, hes coo now", "david lopez", {"title": "coo"}),
        (
            "nora murphy was promoted - she's head of ops now",
            "nora murphy",
            {"title": "head of ops"},
        ),
        ("gabriel allen just got promoted, now ceo", "gabriel allen", {"title": "ceo"}),
        ("fyi nora murphy left initech, shes at hooli now", "nora murphy", {"company": "hooli"}),
        ("nora murphy is at hooli now", "nora murphy", {"company": "hooli"}),
        ("heads up, emily russell moved to hooli", "emily russell", {"company": "hooli"}),
        (
            "daniel jackson at riverbend - his email is dj@riverbendfoods.example",
            "daniel jackson",
            {"email": "dj@riverbendfoods.example"},
        ),
    ],
)
def test_news_is_a_change_of_that_field(text: str, who: str, changes: dict[str, str]) -> None:
    kind, ref, _, found, _ = read(text)
    assert (kind, ref, found) == ("update_lead", who, changes)


@pytest.mark.parametrize(
    ("text", "who", "status"),
    [
        ("hannah watson -> qualified", "hannah watson", "qualified"),
        ("hannah watson → contacted", "hannah watson", "contacted"),
        ("isabella scott => customer", "isabella scott", "customer"),
        ("freya perez signed!! mark her as a customer", "freya perez", "customer"),
        ("david lopez closed! mark as customer", "david lopez", "customer"),
        ("mateo chen signed, mark him customer", "mateo chen", "customer"),
        ("mark the acme guy as qualified", "acme", "qualified"),
        ("set the initech person to contacted", "initech", "contacted"),
    ],
)
def test_a_status_said_as_news(text: str, who: str, status: str) -> None:
    kind, ref, found, _, _ = read(text)
    assert (kind, ref, found) == ("update_status", who, status)


@pytest.mark.parametrize(
    "text",
    [
        "what happens if hannah watson -> qualified?",
        "tom becker is with a customer",
        "jane is working on it",
        "tom becker went to lunch",
        "tom becker joined the call",
        "jane moved to tuesday",
        "david got promoted, hes thrilled",
        "marcus is with sam now",
        "is nora murphy at hooli now?",
        "did freya sign?",
    ],
)
def test_asides_and_questions_change_nothing(text: str) -> None:
    kind, *_ = read(text)
    assert kind not in ("update_lead", "update_status")


def test_add_it_after_a_field_is_the_same_request() -> None:
    said = "daniel jackson's email is dj@riverbendfoods.example, add it"
    assert split_requests(said) == ["daniel jackson's email is dj@riverbendfoods.example"]
    assert split_requests("freya perez signed!! mark her as a customer") == [
        "freya perez signed!! mark her as a customer"
    ]
