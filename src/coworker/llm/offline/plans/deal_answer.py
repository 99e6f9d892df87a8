"""The answer to "how much is the new deal worth?": every value in it read, or kept as words
the card asks about. "18.5k, prospecting, should close end of jan" gives the amount, the stage
and the close date; a part of the answer no value accounts for ("and loop in his boss") is
never dropped: the deal is shown with it and asked about before it is opened.
"""

from __future__ import annotations

import re

from coworker.llm.offline import replies, vocab
from coworker.llm.offline.engine import Reply, Stop
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.intents.deal_opening import close_said, money_in
from coworker.llm.offline.resolve import Ctx, ask_text
from coworker.llm.offline.vocab import COMMON_WORDS, OPEN_STAGES

# An answer that says there is no amount yet ("tbd", "not sure yet").
_NO_AMOUNT = re.compile(
    r"^(?:no(?:ne)?|n/?a|tbd|tbc|unknown|not (?:sure|known)|(?:i )?(?:don'?t|do not) know|"
    r"dunno|no (?:idea|amount|value)|skip|leave it|leave (?:it )?blank|(?:not )?yet)\b",
    re.I,
)
_STAGE_CHOICES = ", ".join(replies.STAGE_NAMES.get(s, s) for s in OPEN_STAGES)
# Words around a deal's values that say nothing more ("worth", "stage", "probably").
_ANSWER_WORDS = frozenset(
    "worth value valued stage prob probably expected est estimated roughly approx ish "
    "currently".split()
)


def amount_asked(ctx: Ctx, intent: Intent, who: str) -> Intent:
    """The deal's values with what the person gave when asked: a deal opened with no value,
    or with a number guessed from "closing in 2 wks", puts a wrong figure in the pipeline;
    so the amount is asked for, with the stage if it was not said either. The answer's close
    date is read as the request's would be, and its words left over are kept as unread."""
    stage = (
        "" if intent.slots.get("stage") else ", and which stage is it in (" + _STAGE_CHOICES + ")"
    )
    answer = ask_text(
        ctx,
        "deal:value",
        f"How much is the new deal for **{who}** worth{stage}? (e.g. “18.5k”; say “no amount” "
        "to open it without one.) Nothing is created until then.",
    )
    amount = money_in(answer)
    spans: list[tuple[int, int]] = []
    said_stage = vocab.first_value(vocab.STAGE_PATTERNS, answer.lower())
    if said_stage is not None:
        spans.append(said_stage[1].span())
        if not intent.slots.get("stage"):
            intent = intent.but(stage=said_stage[0])
    if amount is not None:
        spans.append((amount.start, amount.end))
        intent = intent.but(
            value=amount.value,
            value_raw=answer[amount.start : amount.end],
            currency=amount.currency,
        )
    elif not _NO_AMOUNT.match(answer.strip()):
        raise Stop(
            Reply(
                f"I didn't open the deal: I couldn't read an amount in “{answer.strip()}”. "
                f"Say it again with the amount, e.g. “new deal for {who}, 18.5k, prospecting”."
            )
        )
    close = close_said(answer, ctx.clock.now)
    if close is not None and not intent.slots.get("close_words"):
        spans.append(close.span)
        intent = intent.but(
            close=close.close,
            close_raw=close.raw,
            close_words=close.words,
            close_unsure=close.unsure,
        )
    left = _left_over(answer, spans) if amount is not None else ""
    return intent.but(unread_words=left) if left else intent


def _left_over(text: str, spans: list[tuple[int, int]]) -> str:
    """The words of `text` outside `spans` that say something, as written from the first of
    them to the last ("and loop in his boss" -> "loop in his boss")."""
    kept = list(text)
    for start, end in spans:
        kept[start:end] = [" "] * (end - start)
    said = [
        m
        for m in re.finditer(r"[a-z][\w'-]*", "".join(kept), re.I)
        if m[0].lower() not in COMMON_WORDS and m[0].lower() not in _ANSWER_WORDS
    ]
    return text[said[0].start() : said[-1].end()] if said else ""
