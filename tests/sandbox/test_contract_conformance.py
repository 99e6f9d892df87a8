"""Schemathesis runs the sandbox against openapi.yaml: no 5xx, every response conforms.

Each operation is its own test item; positive and negative cases are generated from the
contract and sent in-process with an authorised demo user's key.
"""

from __future__ import annotations

from collections import Counter

import schemathesis
from schemathesis import GenerationMode

from coworker.dialsheet.contract import contract_path
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.seed import DEMO_USERS

EXAMPLES: Counter[str] = Counter()

schema = schemathesis.openapi.from_path(contract_path())
schema.app = create_sandbox_app()
schema.config.update(headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"})
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=40,
    deterministic=True,
    database="none",
)


@schema.parametrize()
def test_sandbox_conforms_to_the_contract(case: schemathesis.Case) -> None:
    EXAMPLES[case.meta.generation.mode.value if case.meta else "unknown"] += 1
    case.call_and_validate()


def test_zz_every_operation_was_exercised() -> None:
    """Runs after the generated tests (file order) and reports how many examples ran."""
    total = sum(EXAMPLES.values())
    print(f"\nschemathesis examples run: {total} ({dict(EXAMPLES)})")
    assert total >= 24 * 20, EXAMPLES
    assert EXAMPLES["positive"] and EXAMPLES["negative"]
