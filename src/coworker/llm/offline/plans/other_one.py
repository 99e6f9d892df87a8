"""“No, the other chris” said after a question, not after a change: the same lead shown again
is the wrong one, so the other lead of that name is shown instead (their record, where the
number or email asked for is). Nothing is written: a read corrected stays a read.
"""

from __future__ import annotations

import re

from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.plans.leads import details
from coworker.llm.offline.plans.redoing import lead_meant
from coworker.llm.offline.resolve import Ctx

_OTHER = re.compile(r"^(?:the\s+)?other\s+(?P<name>.+?)(?:\s+one)?$", re.I)


def is_other(meant: object) -> bool:
    """Is `meant` "the other <name>" (the one not in view)?"""
    return isinstance(meant, str) and _OTHER.match(meant.strip()) is not None


def other_lead(ctx: Ctx, meant: str) -> Plan:
    """The lead called like the one in view but not them ("the other chris"), shown; asked
    when several others fit, said when there is none."""
    m = _OTHER.match(meant.strip())
    shown = ctx.memory.lead
    if m is None or shown is None:
        return Reply(f"Which lead do you mean by “{meant}”? Tell me their full name.")
    lead = yield from lead_meant(ctx, f"other {m['name']}", str(shown.get("id")))
    if str(lead.get("id")) == str(shown.get("id")):
        return Reply(
            f"**{shown.get('name')}** is the only lead I found called “{m['name']}”. "
            "Tell me their full name or company if you meant someone else."
        )
    return (yield from details(ctx, lead))
