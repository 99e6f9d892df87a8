"""Risk per tool and which risks wait for a person's approval.

Risk is derived from the contract, not written per tool: GET reads, DELETE destroys, and an
operation whose profile says so (`x-coworker: {risk: outbound}`: it reaches a person outside
the company) is outbound. By default outbound
and destructive calls wait for approval; the set can grow (say, to every write), and can only
shrink below that default with an explicit, named setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from coworker.dialsheet.contract import Operation, load_contract
from coworker.errors import ConfigError


class Risk(StrEnum):
    READ = "read"
    WRITE = "write"
    OUTBOUND = "outbound"
    DESTRUCTIVE = "destructive"


DEFAULT_CONFIRM = frozenset({Risk.OUTBOUND, Risk.DESTRUCTIVE})

# A derived tool (tools/derived/) only reads: it computes an answer from list calls and never
# changes or sends anything, so it runs at once, like a GET.
DERIVED_RISK = Risk.READ


# How far each risk is from "runs at once"; outbound and destructive both wait.
_RANK = {Risk.READ: 0, Risk.WRITE: 1, Risk.OUTBOUND: 2, Risk.DESTRUCTIVE: 2}


def _method_risk(operation: Operation) -> Risk:
    if operation.method == "GET":
        return Risk.READ
    if operation.method == "DELETE":
        return Risk.DESTRUCTIVE
    return Risk.WRITE


@cache
def _packaged_risks() -> dict[str, Risk]:
    """The risks the packaged contract declares, by operation id."""
    return {
        op_id: Risk(op.profile.risk)
        for op_id, op in load_contract().operations.items()
        if op.profile.risk is not None
    }


def risk_of(operation: Operation) -> Risk:
    """The contract may add risk, never remove it: a floor stands under every declaration.

    The floor is the HTTP method's risk and, for an operation the packaged contract knows,
    what the packaged contract declares. So a CRM's own OpenAPI file without `x-coworker`
    (DIALSHEET_CONTRACT) still keeps `send_sms` outbound, and a profile that says a DELETE is
    a mere write is refused at start-up instead of deleting without a card.
    """
    floor = _packaged_risks().get(operation.operation_id) or _method_risk(operation)
    if _RANK[_method_risk(operation)] > _RANK[floor]:
        floor = _method_risk(operation)
    declared = operation.profile.risk
    if declared is None:
        return floor
    risk = Risk(declared)
    if _RANK[risk] < _RANK[floor]:
        raise ConfigError(
            f"{operation.operation_id}: x-coworker risk '{risk}' is below '{floor}'; a "
            "contract may add risk to an operation, never remove it"
        )
    return risk


@dataclass(frozen=True)
class ConfirmationPolicy:
    confirm: frozenset[Risk] = DEFAULT_CONFIRM

    @classmethod
    def from_names(
        cls, names: Iterable[str], *, allow_below_default: bool = False
    ) -> ConfirmationPolicy:
        try:
            risks = frozenset(Risk(name.strip().lower()) for name in names if name.strip())
        except ValueError as exc:
            raise ConfigError(f"unknown risk in COWORKER_CONFIRM: {exc}") from exc
        missing = DEFAULT_CONFIRM - risks
        if missing and not allow_below_default:
            raise ConfigError(
                "COWORKER_CONFIRM leaves out "
                + ", ".join(sorted(missing))
                + "; sends and deletes without approval need COWORKER_ALLOW_UNCONFIRMED=1"
            )
        return cls(risks)

    def needs_confirmation(self, risk: Risk) -> bool:
        return risk in self.confirm
