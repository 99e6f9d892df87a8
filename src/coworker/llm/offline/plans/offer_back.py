"""A correction of the last change that could not be read ("ugh no thats not what i meant",
"noo wrong thing entirely"): the change is never left silently. Right after it, the coworker
says it did not understand and offers to put that change back, shown and asked first ("Put
back **Jane Smith**: status new. Shall I?"); a "yes" runs exactly that. With no change just
made, it is any message not understood.
"""

from __future__ import annotations

from coworker.llm.offline.engine import Plan, Reply, Stop
from coworker.llm.offline.plans import talk
from coworker.llm.offline.plans.corrections import undo
from coworker.llm.offline.resolve import Ctx


def offer_back(ctx: Ctx) -> Plan:
    memory = ctx.memory
    if memory.last_write is None or memory.since_change != 0 or memory.later_write:
        return (yield from talk.unsupported(ctx))
    said = ctx.utterance.raw.strip()
    try:
        return (yield from undo(ctx))
    except Stop as stop:
        if stop.reply.question is None:
            raise
        raise Stop(
            Reply(
                f"I didn't understand “{said}”, so I haven't changed anything more. I can put "
                f"back my last change instead:\n\n{stop.reply.text}",
                stop.reply.question,
                stop.reply.status,
            )
        ) from None
