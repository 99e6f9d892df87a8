"""Plans for the corrections `intents.fixing` reads: a word of the title just written said
wrong ("typo, 14 seats not 40"), and a deal's value and name corrected together ("make it
15k and call it Acme - office rollout").

The record is the one the coworker just wrote (from the conversation, never the words), and
every part the person corrected is written in one call, or none is: a correction applied
half would leave a value the person said was wrong.
"""

from __future__ import annotations

import re

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, text_confident, write


def correct_words(ctx: Ctx) -> Plan:
    """The title of the task (or the name of the deal) just written, with the old words the
    person named replaced by the new: only when the old words are in it exactly once."""
    new, old = str(ctx.intent.slots.get("text") or ""), str(ctx.intent.slots.get("words") or "")
    memory, last = ctx.memory, ctx.memory.last_write
    record, tool, key, field = None, "", "", ""
    if last is not None and last.tool in ("create_task", "update_task") and memory.task:
        if memory.last_task_written == str(memory.task.get("id")):
            record, tool, key, field = memory.task, "update_task", "task_id", "title"
    elif last is not None and last.tool.endswith("_opportunity") and memory.deal:
        record, tool, key, field = memory.deal, "update_opportunity", "opportunity_id", "name"
    if record is None:
        return Reply(
            f"I didn't understand what “{new}” should replace: I haven't just written a task "
            "or a deal with those words. Say the change in full, e.g. “rename the task to …”."
        )
    current = str(record.get(field) or "")
    fixed = replaced(current, old, new)
    label = "title" if field == "title" else "name"
    if fixed is None:
        return Reply(
            f"I didn't find “{old}” once in the {label} **{current}**, so I changed nothing. "
            f"Tell me the whole new {label}."
        )
    sure = ctx.memory.since_change == 0 and text_confident(fixed)
    written = Written(field, fixed, label, f"**{fixed}**", confident=sure, raw=new)
    plan = WritePlan(tool, {key: record["id"]}, (written,), f"**{current}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected: the {label} is now **{fixed}**.")


def replaced(text: str, old: str, new: str) -> str | None:
    """`text` with `old` (whole words, once) replaced by the part of `new` said in its place:
    ("Send priya the 40 seat quote", "40", "14 seats") -> "Send priya the 14 seat quote".
    The other words of `new` must already be in `text` ("seats" for "seat"); else None."""
    hits = list(re.finditer(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", text, re.I))
    if len(hits) != 1:
        return None
    hit, said, size = hits[0], new.split(), len(old.split())
    for start in range(max(1, len(said) - size + 1)):
        put = " ".join(said[start : start + size]) if len(said) > size else new
        others = said[:start] + said[start + size :] if len(said) > size else []
        fixed = text[: hit.start()] + put + text[hit.end() :]
        if all(_has_word(fixed, w) for w in others):
            return fixed
    return None


def _has_word(text: str, word: str) -> bool:
    """Is `word` (or a form of it: "seats" for "seat") a word of `text`?"""
    word = word.lower()
    for have in re.findall(r"[\w$%'-]+", text.lower()):
        if have == word or (
            min(len(have), len(word)) >= 3 and (have.startswith(word) or word.startswith(have))
        ):
            return True
    return False


def correct_value_and_name(ctx: Ctx) -> Plan:
    """The deal just written, with its new value and name, in one write (both or neither)."""
    last, deal = ctx.memory.last_write, ctx.memory.deal
    value, name = ctx.intent.slots.get("value"), str(ctx.intent.slots.get("name") or "")
    if last is None or not last.tool.endswith("_opportunity") or not deal or value is None:
        return Reply(
            f"Which deal should be worth that and called “{name}”? Say it in full, e.g. "
            "“change the Initech deal's value to 15k”."
        )
    shown = replies.money(value, deal.get("currency") or "USD")
    sure = ctx.memory.since_change == 0
    raw = str(ctx.intent.slots.get("value_raw") or "")
    values = (
        Written("value", value, "value", shown, confident=sure, raw=raw),
        Written("name", name, "name", f"**{name}**", confident=sure and text_confident(name)),
    )
    old = str(deal.get("name") or "the deal")
    plan = WritePlan("update_opportunity", {"opportunity_id": deal["id"]}, values, f"**{old}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected the deal: now **{name}**, value **{shown}**.")
