"""Every intent the offline model knows has its plan, and a reader that reaches it.

An intent whose plan was forgotten used to become "unsupported" silently; an intent kind
with a typo used to do the same. Now the kinds are one `Literal` (mypy checks every reader),
`Intent` refuses any other kind, and each kind's row in `capabilities.CAPABILITIES` carries
a request a person would write for it, which must classify to that kind.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.capabilities import BY_KIND, CAPABILITIES, Capability
from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.common import INTENT_KINDS, Intent
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_every_intent_kind_has_exactly_one_capability() -> None:
    kinds = [c.kind for c in CAPABILITIES]
    assert len(kinds) == len(set(kinds)), "a kind is declared twice"
    assert set(kinds) == INTENT_KINDS
    assert set(BY_KIND) == INTENT_KINDS


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.kind)
def test_each_example_reaches_its_kind(capability: Capability) -> None:
    assert classify(Utterance.of(capability.example), NOW).kind == capability.kind


def test_an_unknown_kind_is_refused_not_left_to_fall_through() -> None:
    with pytest.raises(ValueError, match="unknown intent kind"):
        Intent("send_fax")  # type: ignore[arg-type]
