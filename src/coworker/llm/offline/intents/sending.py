"""Outbound requests: email and SMS (recipient, subject and body from the sentence) and
enrolling in a sequence.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import SEQ_WORDS, I, Intent, make_intent
from coworker.llm.offline.slots import (
    email_in,
    lead_ref,
    name_prefix,
)
from coworker.llm.offline.text import Utterance, capitalise, sentence

BODY_CONNECTOR = re.compile(
    r"\s*:\s*|\s+-+\s+|\s*\.\s+|,?\s+(?:saying|that says|which says|to say|and say|and "
    r"tell (?:her|him|them)|and let (?:her|him|them) know|letting (?:her|him|them) know|"
    r"telling (?:her|him|them)|to tell (?:her|him|them)|and ask(?: (?:her|him|them))?|"
    r"asking(?: (?:her|him|them))?|with (?:the )?(?:message|body|text)|message|body|"
    r"with|that)\b\s*(?:that\s+)?(?::\s*)?|,\s+",
    I,
)


SUBJECT_START = re.compile(
    r"^(?:about|regarding|re|on the subject of|on|concerning|with (?:the )?subject(?: line)?|"
    r"subject(?: line)?|titled|for)\b\s*:?\s*",
    I,
)


EXPLICIT_SUBJECT = re.compile(
    r"\bsubject(?: line)?\s*(?:[:=]|is|of)?\s*(?:\"([^\"]+)\"|'([^']+)'|(.+?))"
    r"(?=\s*(?:[,;.]?\s*\b(?:and\s+)?(?:the\s+|a\s+)?(?:body|message|text|saying|content)\b|$))",
    I,
)


EXPLICIT_BODY = re.compile(
    r"\b(?:body|message|text|content)\s*(?:[:=]|is|of|saying)?\s*(?:\"([^\"]+)\"|(.+))$", I | re.S
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
        rest = re.sub(r"^(?:if|whether)\s+", "", rest, flags=I)
        rest = swap_person(rest)
        body = capitalise(rest.rstrip(".?! "))
        if not re.match(
            r"^(?:are|is|can|could|do|did|will|would|have|has|when|what|where|"
            r"how|who|why|should)\b",
            body,
            I,
        ):
            return f"Could you let me know {rest.rstrip('.?! ')}?"
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


def split_ref(rest: str) -> tuple[str, str, str]:
    """`rest` as (who, connector, what follows); a name is split off when no connector."""
    q = re.search(r"\s*[\"\u201c](?P<body>[^\"\u201d]+)[\"\u201d]\s*$", rest)
    if q and q.start() > 0:
        head = rest[: q.start()]
        conn = re.search(r"\s+(?:saying|that says|to say|:|-)\s*$|\s*[:,-]\s*$", head, I)
        who = head[: conn.start()] if conn else head
        if not re.search(r"\s(?:about|regarding|re)\s", " " + who + " ", I):
            return who, ":", q["body"]
    m = BODY_CONNECTOR.search(rest)
    about = re.search(r"\s+(?:about|regarding|re|concerning|on the subject of)\b", rest, I)
    if about and (m is None or about.start() < m.start()):
        return rest[: about.start()], "about", rest[about.start() :].strip()
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


VIA_CHANNEL = re.compile(
    r"^(?:let|tell|inform|notify|remind|ask|ping|message|contact|reach out to|update)\s+"
    r"(?P<who>.+?)\s+(?:know\s+)?(?:by|via|over|on|through|with|in)\s+(?:an?\s+)?"
    r"(?P<ch>text(?: message)?|sms|email|e-mail|mail|message)\b\s*(?P<conn>that|saying|:|-|to say|"
    r",)?"
    r"\s*(?P<body>.*)$",
    I | re.S,
)


def via_channel_request(u: Utterance, cmd: str) -> Intent | None:
    """ "let Jane know via text that I'm late", "notify Jane by email that it's paid"."""
    m = VIA_CHANNEL.match(cmd)
    if not m:
        return None
    ref = lead_ref(m["who"])
    verb = cmd.split()[0].lower()
    body_raw = m["body"].strip()
    body = None
    if body_raw:
        connector = (
            f"tell her {m['conn'] or ''}"
            if verb in ("let", "tell", "inform", "notify")
            else (m["conn"] or "")
        )
        body = body_text(connector, body_raw) if verb != "ask" else body_text("ask", body_raw)
    if m["ch"].lower() in ("email", "e-mail", "mail"):
        subject = subject_from_body(body) if body else None
        return make_intent(
            "send_email",
            ref=ref,
            subject=subject,
            body=body,
            to_email=ref.text if ref.is_email else None,
        )
    return make_intent(
        "send_sms",
        ref=ref,
        message=body.rstrip(".") if body and body.count(".") == 1 and body.endswith(".") else body,
    )


def email_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:(?:send|shoot|drop|fire off|write|compose|draft|prepare|prep)\s+(?:out\s+)?"
        r"(?:an?\s+)?(?:quick\s+|short\s+|brief\s+|follow up\s+)?(?:email|mail|e-mail)\b"
        r"(?:\s+(?:over\s+|across\s+)?to\b)?|(?:email|mail)(?:\s+to\b)?(?=\s)|"
        r"(?:write|reply|respond)\s+(?:back\s+)?to\b)"
        r"\s*(?P<rest>.*)$",
        cmd,
        I | re.S,
    )
    rest: str | None = None
    ref_text: str | None = None
    if m:
        rest = m["rest"]
        if re.match(r"^(?:history|accounts?|address(?:es)?|list|log|settings)\b", rest, I):
            return None
    else:
        m = re.match(
            r"^(?:send|shoot|drop|fire off|write|give)\s+(?P<who>.+?)\s+(?:an?\s+)?(?:quick\s+|"
            r"short\s+|brief\s+|follow up\s+)?(?:email|mail|e-mail|line)\b\s*(?P<rest>.*)$",
            cmd,
            I | re.S,
        )
        if not m or len(m["who"]) > 60:
            return None
        ref_text, rest = m["who"], m["rest"]
    assert rest is not None
    subject: str | None = None
    body: str | None = None
    explicit_subject = EXPLICIT_SUBJECT.search(rest)
    explicit_body = EXPLICIT_BODY.search(rest)
    if explicit_subject and explicit_body and explicit_body.start() > explicit_subject.start():
        # "subject: quick q": the person's subject, exactly as written
        subject = next(g for g in explicit_subject.groups() if g).strip().strip("\"'").strip(" ,")
        body = (explicit_body[1] or explicit_body[2] or "").strip()
        if ref_text is None:
            ref_text = re.sub(
                r"(?:\s+(?:with|and|the|a|using))+\s*$",
                "",
                rest[: explicit_subject.start()],
                flags=I,
            )
    else:
        if ref_text is None:
            ref_text, connector, after = split_ref(rest)
        else:
            connector, after = "", rest
            lead_in = BODY_CONNECTOR.match(" " + rest) if rest else None
            about = SUBJECT_START.match(rest)
            if about:
                connector, after = "about", rest
            elif lead_in:
                connector, after = lead_in.group(0), (" " + rest)[lead_in.end() :]
        if connector == "about" or SUBJECT_START.match(after or ""):
            after = SUBJECT_START.sub("", after.strip(), count=1)
            split = BODY_CONNECTOR.search(after)
            if split:
                subject = subject_text(after[: split.start()])
                body = body_text(split.group(0), after[split.end() :]) or None
            else:
                subject = subject_text(after)
        elif after and after.strip():
            if connector.strip() or not re.match(r"^(?:the|a|an|our|my|your)\b", after.strip(), I):
                body = body_text(connector, after)
            else:
                subject = subject_text(after)
    ref = lead_ref(ref_text or "")
    if body is not None and not body.strip(" ."):
        body = None
    if body and not subject:
        subject = subject_from_body(body)
    mailbox = None
    mb = re.search(
        r"\bfrom (?:my )?(?P<box>[\w.+-]+@[\w.-]+|\w+)"
        r"(?: (?:mailbox|address|account|acct|inbox|email))?\s*$",
        ref_text or "",
        I,
    )
    if mb:
        mailbox = mb["box"]
        ref = lead_ref((ref_text or "")[: mb.start()])
    to_email = ref.text if ref.is_email else None
    return make_intent(
        "send_email", ref=ref, to_email=to_email, subject=subject, body=body, mailbox=mailbox
    )


def sms_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:(?:send|shoot|drop|fire off)\s+(?:an?\s+)?(?:quick\s+|short\s+)?"
        r"(?:text(?: message)?|sms|message|msg)\s+(?:to\s+)?|(?:text|sms|txt|message|msg)"
        r"(?:\s+to)?\s+)(?P<rest>.*)$",
        cmd,
        I | re.S,
    )
    ref_text: str | None = None
    if m:
        rest = m["rest"]
        if re.match(r"^(?:history|log|messages)\b", rest, I):
            return None
    else:
        m = re.match(
            r"^(?:send|shoot|drop|fire off|give)\s+(?P<who>.+?)\s+(?:an?\s+)?(?:quick\s+|short\s+)?"
            r"(?:text(?: message)?|sms|message|msg)\b\s*(?P<rest>.*)$",
            cmd,
            I | re.S,
        )
        if not m or len(m["who"]) > 60:
            return None
        ref_text, rest = m["who"], m["rest"]
    if ref_text is None:
        ref_text, connector, after = split_ref(rest)
        if connector == "about":
            after = re.sub(r"^(?:about|regarding|re)\s+", "", after, flags=I)
            connector = ""
    else:
        lead_in = BODY_CONNECTOR.match(" " + rest) if rest else None
        connector, after = (
            ("", rest) if not lead_in else (lead_in.group(0), (" " + rest)[lead_in.end() :])
        )
    message = after.strip().strip('"').strip() if after else ""
    if connector and re.search(r"tell|let|know|ask", connector, I):
        message = body_text(connector, message)
    return make_intent("send_sms", ref=lead_ref(ref_text or ""), message=message or None)


def enroll_request(u: Utterance, cmd: str) -> Intent | None:
    seq_word = re.search(rf"\b{SEQ_WORDS}\b|\bnurture\b|re-?engagement|post-?demo", cmd, I)
    m = re.match(
        r"^(?:enroll|enrol|subscribe|sign up|register|sign)\s+(?P<ref>.+?)\s+(?:up\s+)?"
        r"(?:in|into|on|to|for|onto)\s+(?P<seq>.+)$",
        cmd,
        I,
    )
    if not m and seq_word:
        m = re.match(
            r"^(?:add|put|start|drop|place|move|push|get|stick|throw|include|"
            r"kick off)\s+(?P<ref>.+?)"
            r"\s+(?:in|into|on|to|onto|through|in to)\s+(?P<seq>.+)$",
            cmd,
            I,
        )
        if not m:
            m2 = re.match(
                r"^(?:start|kick off|begin|launch|run|trigger)\s+(?:the\s+)?(?P<seq>.+?)\s+"
                r"(?:for|on|with)\s+(?P<ref>.+)$",
                cmd,
                I,
            )
            if m2:
                return make_intent(
                    "enroll", ref=lead_ref(m2["ref"]), sequence=sequence_query(m2["seq"])
                )
    if not m:
        return None
    return make_intent("enroll", ref=lead_ref(m["ref"]), sequence=sequence_query(m["seq"]))


def sequence_query(text: str) -> str:
    text = re.sub(rf"\b(?:the|a|an|our|my){{1}}\b|\b{SEQ_WORDS}\b", " ", text, flags=I)
    return re.sub(r"\s+", " ", text).strip(" .,'\"")
