"""The words of a message: where the recipient ends and the body begins, the subject, and
the body as it is sent (the person's own words, or reported speech turned to direct). Both the
email and text readers, and the bulk and note readers, split a sentence the same way, so the
wording lives here, apart from the readers that decide what is being sent.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from coworker.llm.offline.intents.common import I
from coworker.llm.offline.slots import email_in, name_prefix
from coworker.llm.offline.text import Utterance, capitalise, sentence

BODY_CONNECTOR = re.compile(
    r"\s*:\s*|\s+-+\s+|\s*\.\s+|,?\s+(?:saying|that says|which says|to say|(?:and|n|&) say|"
    r"(?:and|n|&) tell (?:her|him|them)|and let (?:her|him|them) know|"
    r"letting (?:her|him|them) know|"
    r"telling (?:her|him|them)|to tell (?:her|him|them)|and ask(?: (?:her|him|them))?|"
    r"asking(?: (?:her|him|them))?|with (?:the )?(?:message|body|text)|message|body|"
    r"with|that)\b\s*(?:that\s+)?(?::\s*)?|,\s+",
    I,
)


SUBJECT_START = re.compile(
    r"^(?:about|abt|regarding|re|on the subject of|on|concerning|with (?:the )?subject(?: line)?|"
    r"subject(?: line)?|titled|for)\b\s*:?\s*",
    I,
)


EXPLICIT_SUBJECT = re.compile(
    r"\bsubject(?: line)?\s*(?:[:=]|is|of)?\s*(?:\"([^\"]+)\"|'([^']+)'|(.+?))"
    r"(?=\s*(?:[,;.]?\s*\b(?:and\s+)?(?:the\s+|a\s+)?(?:body|message|text|saying|content)\b|"
    r"[,;]\s*(?:and\s+)?say\b|$))",
    I,
)


# A subject said last, apart from the words: "… w/ subject 'Acme volume pricing'",
# "…, subject: Q1 pricing", "… with subject line Updated pricing"
TRAILING_SUBJECT = re.compile(
    r"(?:[\s,;]*\b(?:with|w/?)\s+(?:the\s+|a\s+)?|\s*[,;]\s*(?:and\s+)?)subject(?:\s+line)?"
    r"\s*(?:[:=-]|\bis\b|\bas\b)?\s*(?:\"([^\"]+)\"|'([^']+)'|“([^”]+)”|([^\"'“\s][^\"“:,]*?))"
    r"\s*[.!]?$",
    I,
)


EXPLICIT_BODY = re.compile(
    r"(?:\b(?:body|message|text|content)|(?<=,)\s*(?:and\s+)?say(?:ing)?)\b\s*(?:[:=]|is|of|saying)?"
    r"\s*(?:\"([^\"]+)\"|(.+))$",
    I | re.S,
)


def swap_person(text: str) -> str:
    """Reported speech to direct: "she got the deck" -> "you got the deck"."""
    swaps = (
        (r"\b(?:she|he|they) (?:is|are)\b", "you are"),
        (r"\b(?:she|he|they)'s\b", "you're"),
        (r"\b(?:she|he)'ll\b", "you'll"),
        (r"\bthey'll\b", "you'll"),
        (r"\b(?:she|he) (?:was)\b", "you were"),
        (r"\b(?:she|he) has\b", "you have"),
        (r"\b(?:she|he|they)\b", "you"),
        (r"\b(?:his|their)\b", "your"),
        (r"\bhim\b", "you"),
        (r"\bthem\b", "you"),
        (r"\bdoes\b(?= you)", "do"),
    )
    for pattern, repl in swaps:
        text = re.sub(pattern, repl, text, flags=I)
    return text


def body_text(connector: str, rest: str) -> str:
    rest = rest.strip().strip('"').strip()
    if re.search(r"ask", connector, I):
        asked = swap_person(rest)  # "ask her if she's free" -> "… if you're free?"
        rest = swap_person(re.sub(r"^(?:if|whether)\s+", "", rest, flags=I))
        body = capitalise(rest.rstrip(".?! "))
        if not re.match(
            r"^(?:are|is|can|could|do|did|will|would|have|has|when|what|where|"
            r"how|who|why|should)\b",
            body,
            I,
        ):
            return f"Could you let me know {asked.rstrip('.?! ')}?"
        return body + "?"
    if re.search(r"tell|let|know", connector, I):
        rest = swap_person(rest)  # composed for the recipient: a sentence of ours
        return sentence(rest) if "\n" not in rest else capitalise(rest)
    return rest  # the person's own words, exactly as written ("hi jane", "Best, Alex")


def subject_from_body(body: str) -> str:
    first = re.split(r"(?<=[.!?])\s+|\n", body.strip(), maxsplit=1)[0]
    first = re.sub(r"^(?:hi|hello|hey|dear)\b[^,]*,\s*", "", first, flags=I)
    words = first.strip(" .!?").split()
    if not words:
        return "A quick note"
    subject = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    return capitalise(subject)


def subject_text(text: str) -> str:
    text = text.strip().strip("\"'").strip(" ,.")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=I)
    return capitalise(text)[:300]


# What a message is about, said instead of the message: "about the demo", "re pricing".
_ABOUT = re.compile(r"^(?:about|abt|regarding|reg|re|concerning|on the subject of)\b\s*", I)
# A noun phrase said where a message would be ("the new pricing", "our q3 numbers"): a topic
# unless a verb makes it a sentence ("the new pricing is live").
_NOUN_PHRASE = re.compile(r"^(?:the|our|my|your|this|that|these|those|an?)\s+\S", I)
_SENTENCE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|will|won'?t|can|can'?t|could|should|would|shall|has|"
    r"have|had|does|did|do|don'?t|isn'?t|aren'?t|wasn'?t|got|get|moved|changed|went|looks?|"
    r"works?|needs?|starts?|ends?|landed|arrived|signed|sent|ready|done|live|attached|coming|"
    r"going|pushed|approved|confirmed|here|thanks|thx|pls|please)\b|'s\b|'re\b|'ll\b|[?!]",
    I,
)


def topic_of(said: str) -> str | None:
    """The topic when the words after the recipient name what to write about rather than the
    message ("text dana the new pricing", "about the demo"): a topic is never sent as the
    text, the person is asked what it should say. None when the words are the message."""
    text = said.strip()
    about = _ABOUT.match(text)
    if about:
        return text[about.end() :].strip() or None
    if _NOUN_PHRASE.match(text) and len(text.split()) <= 6 and not _SENTENCE_VERB.search(text):
        return text
    return None


# Words around the recipient that rule someone out or point past them: "lucas at tidewater
# - not lucas bell, the other one", "lucas, not clark - the one at tidewater". The names ruled
# out are read from the whole message when the lead is resolved (`names.negated_names`).
_RULED_OUT = re.compile(
    r"[\s,;.:-]*\b(?:but |and |though )?not\s+[^,;.]+?(?=\s*(?:[,;.]|\s-+\s|$))|"
    r"[\s,;.:-]*\bthe other (?:one|guy|lady|person)\b|[\s,;.:-]*\bthe one(?=\s+(?:at|from|@)\s)",
    I,
)


# Said after the name, about the asking or the number on file: "text dana for me: …",
# "text dana on her cell: …" (a number typed after it is kept: `sending._number_in_ref`).
_AFTER_NAME = re.compile(
    r"(?:\s+(?:for me|for us|pls|please|plz|real quick|quickly|quick|asap|rn|right now|"
    r"(?:on|at|to) (?:her|his|their) (?:cell|mobile|phone|cell phone|number|cell number)))+$",
    I,
)


def recipient(said: str) -> str:
    """The words that name the recipient, without the ones that rule someone else out."""
    text = _AFTER_NAME.sub("", _RULED_OUT.sub(" ", said))
    return re.sub(r"\s+", " ", text).strip(" ,;.:-")


# A message that opens with a greeting: the name ends before it ("text dana whitfield hi
# dana, following up"), whatever the commas after it.
_GREETING = re.compile(
    r"\s+(?=(?:hi|hey|hello|hiya|yo|howdy|good (?:morning|afternoon|evening)|morning|"
    r"thanks|thank you|thx)\b)",
    I,
)


# What is being sent, named right after the recipient: "email jane the pricing: …", "text
# luis ortega the address: …", "email tom becker our new rates - …". No one's name holds a
# "the" or an "our", so the name stops before it; a pointer such as "the one at acme", a
# role ("the vp of sales") or a place after the name ("jane at the acme office") is no topic.
_TOPIC_AFTER_NAME = re.compile(
    r"^(?P<name>(?!(?:the|our|my|your|this|that|these|those|an?)\b)[\w.'-]+(?:\s+[\w.'-]+){0,2}?)"
    r"\s+(?P<topic>(?:the|our|my|your|this|these|those|an?)\s+(?!one\b|other\b)\S.*)$",
    I,
)
_NOT_A_NAME = re.compile(
    r"\b(?:at|from|of|in|on|to|for|with|and|or|n|&|@|and|all|every|each|everyone|me|us|him|"
    r"her|them)\b",
    I,
)


def name_and_topic(who: str) -> tuple[str, str | None]:
    """The recipient's name, and what is being sent when it is named after it ("jane the
    pricing": "jane", "the pricing"); (who, None) when the words are all the recipient's."""
    m = _TOPIC_AFTER_NAME.match(who.strip())
    if m is None or _NOT_A_NAME.search(m["name"]) or ROLE_WORDS.search(m["topic"]):
        return who, None
    return m["name"], m["topic"]


# Words that make "the …" after a name a description of the person, not a topic.
ROLE_WORDS = re.compile(
    r"^(?:the|a|an)\s+(?:\w+\s+)?(?:one|guy|lady|person|contact|rep|vp|ceo|cfo|cto|coo|"
    r"founder|owner|manager|director|head)\b",
    I,
)


def split_ref(rest: str) -> tuple[str, str, str]:
    """`rest` as (who, connector, what follows); a name is split off when no connector."""
    q = re.search(r"\s*[\"\u201c](?P<body>[^\"\u201d]+)[\"\u201d]\s*$", rest) or re.search(
        r"(?<=\s)[\'\u2018](?P<body>\S[^\u2019]*?)[\'\u2019]\s*$", rest
    )  # "sms dana 'Hi Dana, the quote is in'": single quotes, opened after a space
    if q and q.start() > 0:
        head = rest[: q.start()]
        conn = re.search(r"\s+(?:saying|that says|to say|:|-)\s*$|\s*[:,-]\s*$", head, I)
        who = head[: conn.start()] if conn else head
        if not re.search(r"\s(?:about|regarding|re)\s", " " + who + " ", I):
            return who, ":", q["body"]
    m = BODY_CONNECTOR.search(rest)
    about = re.search(r"\s+(?:about|abt|regarding|re|concerning|on the subject of)\b", rest, I)
    if about and (m is None or about.start() < m.start()):
        return rest[: about.start()], "about", rest[about.start() :].strip()
    hello = _GREETING.search(rest)
    if hello and hello.start() > 0 and (m is None or hello.start() < m.start()):
        return rest[: hello.start()], "", rest[hello.end() :]  # "dana whitfield hi dana, …"
    if m and m.start() > 0:
        return rest[: m.start()], m.group(0), rest[m.end() :]
    email = email_in(rest)
    if email and rest.lower().startswith(email.lower()):
        return email, "", rest[len(email) :].strip()
    name, after = name_prefix(rest)
    if re.fullmatch(
        r"(?:today|tomorrow|tonight|later|now|asap|this (?:morning|afternoon|evening)|"
        r"next week|on \w+day|\w+day)[.!?]*",
        after.strip(),
        I,
    ):
        after = ""  # "email Jane tomorrow": sends can't be scheduled; ask what it should say
    return name, "", after


def as_written(u: Utterance, piece: str) -> str:
    """`piece` of the analysed text as the person typed it: "txt me w/ the #" stays so in a
    message (the analysed text reads "text me with the #"), an address keeps "-mail", and
    "Hi Ingrid — per our call" keeps its dash and its curly quotes (the cleaned text the
    readers see has straight ones)."""
    at = u.text.rfind(piece) if piece else -1
    if at < 0:
        return piece
    end = at + len(piece)
    # To the end of what was read: to the end of what was written (past the analysed cap,
    # with the "?" a request's reading drops).
    whole = not u.text[end:].strip(" ?!.")
    start, stop = _mapped(u.text, u.raw, at, end, whole)
    if not u.written or u.written == u.raw:
        return u.raw[start:stop].strip()
    start, stop = _mapped(u.raw, u.written, start, stop, stop >= len(u.raw))
    return u.written[start:stop].strip()


def _mapped(source: str, target: str, start: int, end: int, to_end: bool) -> tuple[int, int]:
    """The span of `target` that `source[start:end]` was made from."""
    ops = (
        [("equal", 0, len(source), 0, len(target))]
        if source == target
        else SequenceMatcher(None, source, target, autojunk=False).get_opcodes()
    )

    def at(pos: int, *, left: bool) -> int:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal" and i1 <= pos <= i2:
                return j1 + pos - i1
            if i1 <= pos < i2 or (not left and pos == i2 and i2 > i1):
                return j1 if left else j2
        return len(target)

    return at(start, left=True), len(target) if to_end else at(end, left=False)
