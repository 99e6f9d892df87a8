"""What the person asks of the words of a text or email waiting on its card, said in a
message instead of pressing Edit: words added ("actually also add that the onboarding fee is
waived if she signs this month", "also say sorry about that"), a word swapped ("change office
to cafe"), or a rewrite the offline model can't do ("make it shorter", "more casual").

The first two give the new words, proposed again on a new card that replaces the open one,
so the person approves what they last saw and asked for. A rewrite not made is said plainly:
the card is unchanged, and approving it sends the words it shows. Read only while a send
waits (the interpreter asks), so "add that to her notes" with nothing waiting is a note.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.engine import Call

_SENDS = ("send_email", "send_sms")
_LEAD_IN = (
    r"^(?:(?:actually|oh|ok|okay|wait|sorry|oops|and|also|plus|pls|please|can (?:you|u)|"
    r"could (?:you|u))[\s,.!-]+)*"
)
# "also add that …", "add: …", "mention that …", "also say …", "tell her too that …", "ps …"
_ADD = re.compile(
    _LEAD_IN + r"(?:(?:add|include|mention|say|write)(?:\s+(?:in\s+)?that\b|\s*:)|"
    r"tell (?:her|him|them)(?:\s+(?:also|too))?(?:\s+that\b)?|p\.?s\.?\s*:?)\s*(?P<words>\S.*)$",
    re.I | re.S,
)
# "also add …", "also say …" with no "that": the words after it are added too (not "also
# mention the pricing": a topic, a rewrite)
_ALSO = re.compile(
    r"^(?:(?:actually|oh|ok|okay|and|pls|please)[\s,.!-]+)*(?:also|and)\s+(?:add|say)\s+"
    r"(?P<words>\S.*)$",
    re.I | re.S,
)
# Another request, not words: "also add a task to call her", "add that to her notes"
_NOT_WORDS = re.compile(
    r"^(?:a|an|another|new|the)\s+(?:task|note|tag|reminder|deal|opp|lead|contact|follow[- ]?up|"
    r"call)\b|\bto (?:her|his|their|the|my) (?:notes?|record|file|profile|tasks?)\b|^(?:her|him|"
    r"them) (?:to|as|on)\b",
    re.I,
)
# "change office to cafe", "replace office with cafe", "swap 3 for 4"
_SWAP = re.compile(
    _LEAD_IN + r"(?:change|replace|swap)\s+(?:the\s+word\s+)?[\"“']?(?P<old>[^\"”']+?)[\"”']?\s+"
    r"(?:to|with|for|->|→)\s+[\"“']?(?P<new>[^\"”']+?)[\"”']?[\s.!]*$",
    re.I,
)
# A rewrite asked for that only a person (or Claude) can do
_REWRITE = re.compile(
    _LEAD_IN
    + r"(?:(?:make|keep) (?:it|that|the (?:text|message|msg|email))\s+(?:a (?:bit|little|lot)"
    r"\s+)?(?:shorter|longer|more \w+|less \w+|nicer|friendlier|warmer|punchier|simpler|clearer|"
    r"(?:more |less )?(?:formal|casual|polite|professional))|shorten|lengthen|reword|rephrase|"
    r"tweak|soften|clean up|fix (?:the )?(?:wording|tone|grammar|typos?)|"
    r"(?:remove|drop|cut|take out|delete) (?:the|that) (?:\w+\s+){0,4}(?:part|bit|line|sentence)"
    r"|(?:can|could) (?:you|u) (?:make|write) it better|"
    # "mention the pricing": a topic to write up, not words to add
    r"(?:also\s+|and\s+)?(?:mention|include|bring up|talk about)\s+(?!that\b))",
    re.I,
)


def _words_of(pending: Call) -> tuple[str, str]:
    key = "body_text" if pending.name == "send_email" else "message"
    return key, str(pending.input.get(key) or "")


def added_words(pending: Call | None, said: str) -> str | None:
    """The words the person asked to add to the waiting message, in the recipient's second
    person ("if she signs" -> "if you sign"), or None."""
    if pending is None or pending.name not in _SENDS:
        return None
    text = said.strip()
    m = _ADD.match(text) or _ALSO.match(text)
    if m is None:
        return None
    words = m["words"].strip().strip('"“”').strip()
    if len(words.split()) < 2 or _NOT_WORDS.search(words):
        return None
    return to_recipient(words)


def with_added(pending: Call, added: str) -> str:
    """The waiting message's words with `added` after them: a sentence more for a text, a
    paragraph more for an email (before its sign-off, when it has one)."""
    _, words = _words_of(pending)
    said = words.rstrip()
    if said[:1].isupper():
        added = added[:1].upper() + added[1:]
    if pending.name == "send_sms":
        return f"{said}{'' if said[-1:] in '.!?' else '.'} {added}".strip()
    paragraphs = said.split("\n\n")
    sentence = added if added[-1:] in ".!?" else f"{added}."
    if len(paragraphs) > 1 and _SIGN_OFF.match(paragraphs[-1]):
        return "\n\n".join([*paragraphs[:-1], sentence, paragraphs[-1]])
    return f"{said}\n\n{sentence}"


_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|best|cheers|regards|kind regards|best regards|talk soon|speak soon|"
    r"all the best|warmly|sincerely)\b[^\n]*(?:\n[^\n]{1,40}){0,2}$",
    re.I,
)


def swapped(pending: Call | None, said: str) -> str | None:
    """The waiting message's words with one word or phrase swapped ("change office to cafe"),
    when the old words are there exactly once; None otherwise (never guessed)."""
    if pending is None or pending.name not in _SENDS:
        return None
    m = _SWAP.match(said.strip())
    if m is None:
        return None
    old, new = m["old"].strip(), m["new"].strip()
    if vocab.status_in(new) or vocab.stage_in(new) or re.fullmatch(r"(?:it|that|this)", old, re.I):
        return None  # "change jane to qualified": a status, not the message's words
    _, words = _words_of(pending)
    found = list(re.finditer(rf"(?<!\w){re.escape(old)}(?!\w)", words, re.I))
    if len(found) != 1:
        return None
    return words[: found[0].start()] + new + words[found[0].end() :]


def rewrite_asked(pending: Call | None, said: str) -> bool:
    """Does the person ask for a rewrite of the waiting message ("make it shorter")?"""
    return pending is not None and pending.name in _SENDS and bool(_REWRITE.match(said.strip()))


# The recipient spoken of in the third person, spoken to: "she signs" -> "you sign"
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't",
          "isn't": "aren't", "wasn't": "weren't", "hasn't": "haven't"}  # fmt: skip
_SUBJECT = re.compile(r"\b(?:she|he)\s+(?P<verb>[a-z']+)", re.I)
_OBJECT = re.compile(
    r"\bher\b(?=\s*(?:$|[.,!?;]|(?:the|a|an|to|by|on|in|at|when|if|and|that|this|know|"
    r"back|asap|today|tomorrow|tmrw)\b))|\bhim\b",
    re.I,
)


def _agree(verb: str) -> str:
    low = verb.lower()
    if low in _AGREE:
        return _AGREE[low]
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if re.search(r"(?:sh|ch|x|ss|o)es$", low):
        return verb[:-2]
    if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        return verb[:-1]
    return verb  # "can", "will", "signed": the same for "you"


def to_recipient(words: str) -> str:
    """`words` said of the recipient ("the fee is waived if she signs this month"), said to
    them ("… if you sign this month"). Only she/he/her/him/his: "they" may be the company."""
    text = re.sub(r"\b(?:she|he)['’]?s\b", "you're", words, flags=re.I)
    text = _SUBJECT.sub(lambda m: f"you {_agree(m['verb'])}", text)
    text = _OBJECT.sub("you", text)
    return re.sub(r"\b(?:her|his)\b", "your", text, flags=re.I)
