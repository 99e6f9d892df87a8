"""Outbound requests: email and SMS (recipient, subject and body from the sentence), said
outright ("email jane …"), through a channel ("let jane know by text …") or reported as
received. The wording of the message is read in `composing`, the mailbox in `mailboxes`;
this module decides what is being sent, to whom, and keeps the values as written.
"""

from __future__ import annotations

import re
from typing import Literal

from coworker.llm.offline.intents.common import I, Intent, make_intent, strip_preamble
from coworker.llm.offline.intents.composing import (
    BODY_CONNECTOR,
    EXPLICIT_BODY,
    EXPLICIT_SUBJECT,
    SUBJECT_START,
    TRAILING_SUBJECT,
    as_written,
    body_text,
    name_and_topic,
    recipient,
    split_ref,
    subject_from_body,
    subject_text,
    topic_of,
)
from coworker.llm.offline.intents.lead_news import by_company
from coworker.llm.offline.intents.mailboxes import (
    _BODY_BEGUN,
    _BOX,
    _LEADING_BOX,
    _TOPIC_BEFORE,
    _mailbox_of,
    _mailbox_phrases,
)
from coworker.llm.offline.phones import find_phones
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

VIA_CHANNEL = re.compile(
    r"^(?:let|tell|inform|notify|remind|ask|ping|message|contact|reach out to|update|hit|"
    r"reply to|respond to|get back to|answer)\s+"
    r"(?P<who>.+?)\s+(?:know\s+|up\s+|back\s+)?(?:by|via|over|on|through|with|in)\s+(?:an?\s+)?"
    r"(?P<ch>text(?: message)?|sms|email|e-mail|mail|message)\b\s*(?P<conn>that|saying|:|-|to say|"
    r",)?"
    r"\s*(?P<body>.*)$",
    I | re.S,
)


def _via_channel(cmd: str) -> Intent | None:
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


_VERBATIM_SLOTS: tuple[Literal["body", "message", "to_email", "mailbox"], ...] = (
    "body",
    "message",
    "to_email",
    "mailbox",
)


def _verbatim(u: Utterance, found: Intent) -> Intent:
    """The values the person wrote, as written (`as_written`); a person named by their
    company only, as that company (`lead_news.by_company`)."""
    slots = found.slots.copy()
    ref = slots.get("ref")
    if ref is not None:
        slots["ref"] = by_company(ref)
    body = slots.get("body")
    derived = body is not None and slots.get("subject") == subject_from_body(body)
    for key in _VERBATIM_SLOTS:
        value = slots.get(key)
        if value is not None and u.text.rfind(value) >= 0:
            slots[key] = as_written(u, value)
    body = slots.get("body")
    if derived and body is not None:
        slots["subject"] = subject_from_body(body)
    mailbox = slots.get("mailbox")
    if mailbox is not None and "@" in mailbox:
        slots["mailbox"] = mailbox.lower()
    return Intent(found.kind, slots)


def via_channel_request(u: Utterance, cmd: str) -> Intent | None:
    """ "let Jane know via text that I'm late", and the mailbox of an email named before
    its words ("from outlook let jane know by email that …", "… by email from outlook
    that …")."""
    lead = _LEADING_BOX.match(cmd)
    if lead:
        found = _via_channel(strip_preamble(lead["rest"]))
        if found is not None and found.kind == "send_email":
            return _verbatim(u, found.but(mailbox=_mailbox_of(lead)))
    found = _via_channel(cmd)
    said = VIA_CHANNEL.match(cmd)
    if found is None or said is None or found.kind != "send_email":
        return None if found is None else _verbatim(u, found)
    for m in _mailbox_phrases(cmd):
        if m.start() > said.start("body") or (said["conn"] and m.start() == said.start("body")):
            break  # in the words to send: the message, never the mailbox
        without = _via_channel(re.sub(r"\s+([:,.;])", r"\1", cmd[: m.start()] + cmd[m.end() :]))
        if without is not None:
            return _verbatim(u, without.but(mailbox=_mailbox_of(m)))
    return _verbatim(u, found)


# A message the person got, not one to send: "text from jane: can we move to thursday?",
# "got an email from marcus - pls send the redlines".
_RECEIVED = re.compile(
    r"^(?:(?:i\s+)?(?:just\s+)?(?:got|received|have|had)\s+(?:a|an|this|the)?\s*)?"
    r"(?:new\s+)?(?P<ch>texts?|txts?|sms|e-?mails?|mails?|messages?|msgs?|dms?|voicemails?|vms?)"
    r"\s+(?:back\s+)?from\s+(?P<who>.+?)\s*(?::|\s-+\s|,?\s+(?:saying|that says|asking))\s*"
    r"(?P<said>\S.*)$",
    I | re.S,
)


def received_request(u: Utterance, cmd: str) -> Intent | None:
    """A message the person received, reported: it is never sent back on a guess; the plan
    says who it is from and offers a reply ("email from gmail to marcus" is a mailbox)."""
    m = _RECEIVED.match(cmd)
    if not m or re.match(rf"{_BOX}(?:\s|$)", m["who"].strip(), I):
        return None
    email = bool(re.match(r"e-?mail|mail", m["ch"], I))
    return make_intent(
        "send_email" if email else "send_sms",
        ref=lead_ref(m["who"]),
        received=as_written(u, m["said"].strip()) or m["said"].strip(),
    )


# "email for chris at umbrella", "email of tom becker?": the address asked for, not an email
# to write (nothing is said to send, nor what about).
_ADDRESS_ASKED = re.compile(
    r"^e-?mail\s+(?:for|of)\s+(?!(?:me|us)\b)[\w.' -]+?(?:\s+(?:pls|please|plz|rn|thx))*\s*\??$",
    I,
)


def email_request(u: Utterance, cmd: str) -> Intent | None:
    """An email, and the mailbox to send it from when the person named one: first ("from
    gmail email marcus …"), or anywhere before the body ("email jane from my outlook acct
    re: …"). Words in the body are the message, never the mailbox: a phrase counts only
    when taking it out leaves the body as it was."""
    if _ADDRESS_ASKED.match(cmd.strip()) and not re.search(r"\b(?:re|about|saying)\b", cmd, I):
        return None  # a question: the field readers answer it
    lead = _LEADING_BOX.match(cmd)
    if lead and not (lead["loose"] and re.match(r"\w", cmd[lead.start("rest") - 1 :])):
        found = _email(strip_preamble(lead["rest"]))
        if found is not None:
            return _verbatim(u, found.but(mailbox=_mailbox_of(lead)))
    found = _email(cmd)
    if found is None and _mailbox_phrases(cmd):  # "send jane a quick thanks from outlook, …"
        cmd = _THANKS.sub(r"\g<0> email", cmd, count=1)
        found = _email(cmd)
    if found is None:
        return None
    said = cmd.rfind(found.slots.get("body") or "\0")
    for m in _mailbox_phrases(cmd):
        if said >= 0 and (m.start() > said or _BODY_BEGUN.search(cmd[: m.start()])):
            break  # in the words to send ("email jane: from outlook, the numbers …")
        if _TOPIC_BEFORE.search(cmd[: m.start()]):
            continue
        without = _email(re.sub(r"\s+([:,.;])", r"\1", cmd[: m.start()] + " " + cmd[m.end() :]))
        if without is None:
            continue
        body = without.slots.get("body")
        if body is None or body == found.slots.get("body") or cmd.find(body, m.end()) >= 0:
            return _verbatim(u, without.but(mailbox=_mailbox_of(m)))
    return _verbatim(u, found)


# A thank-you with no channel said: an email when a mailbox of the person's is named with it
_THANKS = re.compile(
    r"^(?:send|shoot|drop|fire off)\s+.{1,60}?\s+an?\s+(?:quick\s+|short\s+|brief\s+)?"
    r"(?:thanks|thank[- ]you(?:\s+note)?)\b",
    I,
)


def _email(cmd: str) -> Intent | None:
    """An email request as written, its mailbox left to `email_request`."""
    m = re.match(
        r"^(?:(?:send|shoot|drop|fire off|write|compose|draft|prepare|prep)\s+(?:out\s+)?"
        r"(?:an?\s+)?(?:quick\s+|short\s+|brief\s+|follow up\s+)?(?:email|mail|e-mail)\b"
        r"(?:\s+(?:over\s+|across\s+)?to\b)?|(?:email|mail)(?:\s+to\b)?(?=\s)|"
        r"(?:send|shoot|drop|fire off)\s+(?:an?\s+)?(?:quick\s+|short\s+)?note\s+to\b|"
        r"(?:write|reply|respond)\s+(?:back\s+)?to\b|send(?=\s+(?:her|him|them)\s*:))"
        r"\s*(?P<rest>.*)$",
        cmd,
        I | re.S,
    )
    rest: str | None = None
    ref_text: str | None = None
    kind: str | None = None
    if m:
        rest = m["rest"]
        if re.match(r"^(?:history|accounts?|address(?:es)?|list|log|settings)\b", rest, I):
            return None
    else:
        m = re.match(
            r"^(?:send|shoot|drop|fire off|write|give)\s+(?P<who>.+?)\s+(?:(?:an?\s+)?(?:quick\s+|"
            r"short\s+|brief\s+|follow up\s+)?(?:email|mail|e-mail|line)|"
            # "send luis a quick welcome email (…)": what kind of email, after its article
            r"an?\s+(?:quick\s+|short\s+|brief\s+)?(?P<kind>(?:[\w-]+\s+){1,2}?)(?:email|e-mail)|"
            r"an?\s+(?:quick\s+|short\s+)?note)\b\s*(?P<rest>.*)$",
            cmd,
            I | re.S,
        )
        # "drop a note on jane" is a note in the CRM: no one is named before "a note"
        if not m or len(m["who"]) > 60 or re.match(r"(?:an?|the|my)\b", m["who"], I):
            return None
        ref_text, rest = m["who"], m["rest"]
        said = _IN_BRACKETS.fullmatch(rest.strip())
        rest = f": {said[1]}" if said else rest  # "… welcome email (thanks for signing up)"
        kind = m["kind"]
    assert rest is not None
    said_subject = TRAILING_SUBJECT.search(rest)
    if said_subject is not None and EXPLICIT_BODY.search(rest, said_subject.start()):
        said_subject = None  # "subject lunch, say are u free thurs?": the words follow it
    if said_subject is not None:  # "… the 40 seat breakdown w subject 'Acme volume pricing'"
        rest = rest[: said_subject.start()]
    subject: str | None = subject_text(kind) if kind else None  # "a welcome email": Welcome
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
            ref_text, topic = name_and_topic(ref_text) if connector.strip() else (ref_text, None)
            if topic is not None and connector != "about" and after.strip():
                subject = subject_text(topic)  # "email jane the pricing: 40 seats at $45"
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
    if said_subject is not None:  # the subject as said; what it came after is the body
        body = body or _said_after(ref_text or "", rest) or None
        subject = next(g for g in said_subject.groups() if g).strip()[:300]
    ref = lead_ref(recipient(ref_text or ""))
    body = body.lstrip(" ,;") if body is not None else None  # "… from outlook, thanks for …"
    if body is not None and (not body.strip(" .") or _FILLER.fullmatch(body)):
        body = None  # "email him again": nothing said yet to send
    if body and not subject:
        subject = subject_from_body(body)
    to_email = ref.text if ref.is_email else None
    return make_intent("send_email", ref=ref, to_email=to_email, subject=subject, body=body)


def _said_after(ref_text: str, rest: str) -> str:
    """The words after the recipient ("her the 40 seat breakdown": "the 40 seat breakdown"),
    verbatim: an email's body when its subject was said apart."""
    head = rest.strip()
    if ref_text and head.lower().startswith(ref_text.strip().lower()):
        head = head[len(ref_text.strip()) :]
    return head.strip(" ,:;-")


def sms_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:(?:send|shoot|drop|fire off)\s+(?:an?\s+)?(?:quick\s+|short\s+)?"
        r"(?:text(?: message)?|sms|message|msg)\s+(?:over\s+|back\s+)?(?:to\s+)?|"
        r"(?:text|sms|txt|message|msg)(?:\s+back)?(?:\s+to)?\s+)(?P<rest>.*)$",
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
        if connector.strip() and connector != "about" and after.strip():
            ref_text = name_and_topic(ref_text)[0]  # "text luis the address: 500 market st"
    else:
        lead_in = BODY_CONNECTOR.match(" " + rest) if rest else None
        connector, after = (
            ("", rest) if not lead_in else (lead_in.group(0), (" " + rest)[lead_in.end() :])
        )
    topic = None
    if connector in ("", "about"):
        # "text dana the new pricing", "about the demo": what to write about, not the text;
        # "re pricing: new sheet attached" says the text after its colon.
        topic = topic_of(after or "")
        said = re.split(r"\s*:\s*|\s+-+\s+", topic or "", maxsplit=1)
        if len(said) == 2 and said[1].strip():
            topic, connector, after = None, ":", said[1]
        elif topic:
            after = ""
    message = after.strip().strip('"').strip() if after else ""
    if connector and re.search(r"tell|let|know|ask", connector, I):
        message = body_text(connector, message)
    if _FILLER.fullmatch(message):
        message = ""  # "text her too": nothing said yet to send
    ref_text, phone = _number_in_ref(recipient(ref_text or ""))
    found = make_intent(
        "send_sms", ref=lead_ref(ref_text), message=message or None, phone=phone, topic=topic
    )
    return _verbatim(u, found)


# Words the person wrote in brackets after the kind of email: the email's words.
_IN_BRACKETS = re.compile(r"\((.+)\)[.!]*", re.S)

# Words that are not a message on their own: "text her too", "email him again".
_FILLER = re.compile(
    r"\s*(?:too|also|as well|again|back|now|asap|later|today|tonight|tmrw|tomorrow|then|"
    r"real quick|quick)?[.!?]*\s*",
    I,
)


def _number_in_ref(who: str) -> tuple[str, str | None]:
    """ "jane at 555-999-0000", "jane on her cell 555…": the name, and the number the person
    typed, which the plan holds against the number on file (a text goes only there)."""
    found = find_phones(who)
    if not found:
        return who, None
    number = found[0]
    name = re.sub(
        r"(?:\s+(?:at|on|to|via|@)\b)?(?:\s+(?:her|his|their|the)\b)?"
        r"(?:\s+(?:cell|mobile|phone|number|#|cell phone|work phone|work cell))?\s*$",
        "",
        who[: number.start].rstrip(" ,(-"),
        flags=I,
    )
    return (name.strip() or number.text.strip("()")), number.text.strip("()")
