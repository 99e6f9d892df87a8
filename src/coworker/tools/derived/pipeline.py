"""pipeline_report: deals by stage with counts and values, the person's against the team's,
and the deals slipping (open, with their expected close date passed).

Two calls at most for ~200 deals, plus one to learn who the person is: the deal list is
organisation-wide, each deal has its owner, so both sides come from one read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coworker.dialsheet.words import word
from coworker.tools.derived.items import DealItem, deal_item, stage_rank, whose_label
from coworker.tools.derived.reader import Moment, Reader, my_user_id

MAX_PAGES = 3
SLIPPING_SHOWN = 10


@dataclass(frozen=True, slots=True)
class StageTotal:
    stage: str
    count: int
    value: float


@dataclass(frozen=True, slots=True)
class PipelineReport:
    whose: str  # "mine" or "team": whose the slipping list and the headline are
    me: str | None  # the person's CRM user id, None when it cannot be learnt
    currency: str
    mine: tuple[StageTotal, ...]
    team: tuple[StageTotal, ...]
    slipping: tuple[DealItem, ...]
    complete: bool

    def open_value(self, side: tuple[StageTotal, ...]) -> float:
        return sum(s.value for s in side if s.stage not in ("closed_won", "closed_lost"))

    def as_json(self, moment: Moment) -> dict[str, Any]:
        def stages(side: tuple[StageTotal, ...]) -> list[dict[str, Any]]:
            return [
                {"stage": word(s.stage), "deals": s.count, "value": round(s.value, 2)} for s in side
            ]

        result: dict[str, Any] = {
            "report": "pipeline",
            "whose": "yours" if self.whose == "mine" else "the team's (everyone, you included)",
            "currency": self.currency,
            "yours": {
                "by_stage": stages(self.mine),
                "open_deals": sum(s.count for s in self.mine if s.stage not in _CLOSED),
                "open_value": round(self.open_value(self.mine), 2),
            },
            "team": {
                "by_stage": stages(self.team),
                "open_deals": sum(s.count for s in self.team if s.stage not in _CLOSED),
                "open_value": round(self.open_value(self.team), 2),
            },
            "slipping_deals": [
                {
                    "deal_id": d.id,
                    "name": d.name,
                    "stage": word(d.stage),
                    "value": d.value,
                    "currency": d.currency,
                    "expected_close": d.expected_close.isoformat() if d.expected_close else None,
                    "days_overdue": (moment.today - d.expected_close).days
                    if d.expected_close
                    else None,
                    "owner": whose_label(d.owner_id, self.me),
                }
                for d in self.slipping[:SLIPPING_SHOWN]
            ],
            "slipping_total": len(self.slipping),
            "slipping_means": "open deals whose expected close date has passed",
        }
        if self.me is None:
            result["note"] = (
                "Could not tell which deals are the person's (they have no task to learn "
                "their CRM user from), so 'yours' shows the whole team's."
            )
        if not self.complete:
            result["note_more"] = "More deals exist than were read; figures cover the newest."
        return result


_CLOSED = ("closed_won", "closed_lost")


def _totals(deals: list[DealItem]) -> tuple[StageTotal, ...]:
    totals: dict[str, tuple[int, float]] = {}
    for deal in deals:
        count, value = totals.get(deal.stage, (0, 0.0))
        totals[deal.stage] = (count + 1, value + deal.value)
    return tuple(StageTotal(stage, *totals[stage]) for stage in sorted(totals, key=stage_rank))


async def pipeline_report(reader: Reader, moment: Moment, *, whose: str = "mine") -> PipelineReport:
    walked = await reader.walk("list_opportunities", "opportunities", {}, max_pages=MAX_PAGES)
    me = await my_user_id(reader)
    deals = [deal_item(raw) for raw in walked.items]
    mine = [d for d in deals if me is None or d.owner_id == me]
    chosen = mine if whose == "mine" else deals
    slipping = sorted(
        (
            d
            for d in chosen
            if d.open and d.expected_close is not None and d.expected_close < moment.today
        ),
        key=lambda d: (-d.value, d.name),
    )
    currencies = {d.currency for d in deals} or {"USD"}
    return PipelineReport(
        whose=whose,
        me=me,
        currency=currencies.pop() if len(currencies) == 1 else "mixed",
        mine=_totals(mine),
        team=_totals(deals),
        slipping=tuple(slipping),
        complete=walked.complete,
    )
