"""A wrong tag corrected right after it was put on (or taken off) a lead: "tag kenji gray
enterprise" then "undo that, should've been smb" / "sorry i meant renewal not smb".

Apart from `plans.corrections.undo`, whose "i meant X" moves the same change to another
record: here X is a value (a tag the org has), so the same lead keeps the change with the
right tag in place of the wrong one. The tag must be one the CRM lists (never made up), and
the lead's tags before the change come from the CRM read then, so every value written is read.
"""

from __future__ import annotations

from collections.abc import Generator

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Reply, one
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.memory import LastWrite
from coworker.llm.offline.plans.lead_lists import which_tag
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, write


def is_tag_change(change: LastWrite) -> bool:
    """Did `change` only set a lead's tags (a tag put on or taken off)?"""
    return change.tool == "update_lead" and set(change.input) == {"lead_id", "tags"}


def _tag_words(words: str) -> str | None:
    """ "smb", "the renewal tag", "#hot": the words that could name a tag, or None."""
    bare = words.strip().strip("\"'“”#").lower()
    for noise in ("the ", "a ", "an "):
        bare = bare.removeprefix(noise)
    for noise in (" tag", " label", " instead", " one"):
        bare = bare.removesuffix(noise)
    return bare if bare and len(bare.split()) == 1 else None


def retag(
    ctx: Ctx, change: LastWrite, meant: str, wrong: str, *, sure: bool
) -> Generator[Batch, list[Result], Reply | None]:
    """The tag change `change` made again with the tag `meant` in place of the wrong one.
    `meant` naming no tag of the org (a tag not made, or another lead: the lead's whole tag
    list would be copied onto theirs), nothing is written and the reply says what to say."""
    name = str(change.before.get("name") or "the lead")
    listed: Result = yield from one("list_tags")
    if listed.is_error:
        return Reply(replies.failure(listed))
    names = [str(t.get("name")) for t in listed.items("tags") if t.get("name")]
    asked = _tag_words(meant)
    tag = which_tag(asked, names) if asked else None
    if tag is None and (named(meant) or asked is None):
        # "wrong naomi. i meant naomi okafor", "not him, the cfo at acme": a lead (a tag is
        # one word), moved like any change
        return None
    if tag is None:
        return Reply(
            f"I left the tags of **{name}** as they are: “{meant}” isn't one of your tags "
            f"({', '.join(names) or 'none yet'}). Say “untag {name} …” or “tag … as …” "
            "in full."
        )
    before = [str(t) for t in change.before.get("tags") or []]
    after = [str(t) for t in change.input.get("tags") or []]
    added = [t for t in after if t not in before]
    removed = [t for t in before if t not in after]
    said_wrong = which_tag(_tag_words(wrong) or "", names) if wrong else None
    if said_wrong is not None and said_wrong not in added + removed:
        return None
    if added:  # put on: the wrong tag off again, the meant one on
        tags = [*before, tag] if tag not in before else before
        old, verb = added[0], "tagged"
    elif removed:  # taken off: the wrong one back, the meant one off
        tags = [t for t in before if t != tag]
        old, verb = removed[0], "untagged"
    else:
        return None
    shown = ", ".join(tags) or "none"
    plan = WritePlan(
        "update_lead",
        {"lead_id": change.input["lead_id"]},
        (Written("tags", tags, "tags", shown, "words", sure, raw=meant),),
        f"Tags of **{name}** (“{tag}” in place of “{old}”)",
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Fixed: **{name}** is now {verb} “{tag}” instead of “{old}”. Tags now: {shown}.")
