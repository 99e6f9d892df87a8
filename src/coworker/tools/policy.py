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

from coworker.dialsheet.contract import Operation
from coworker.errors import ConfigError


class Risk(StrEnum):
    READ = "read"
    WRITE = "write"
    OUTBOUND = "outbound"
    DESTRUCTIVE = "destructive"


DEFAULT_CONFIRM = frozenset({Risk.OUTBOUND, Risk.DESTRUCTIVE})


def risk_of(operation: Operation) -> Risk:
    if operation.profile.risk is not None:
        return Risk(operation.profile.risk)
    if operation.method == "GET":
        return Risk.READ
    if operation.method == "DELETE":
        return Risk.DESTRUCTIVE
    return Risk.WRITE


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
