"""Lead changes: create from a sentence, status, delete. Tags are `tags.py`; a lead's
field changes are `lead_updates.py`, questions about them `lead_questions.py`, and details
or a bare name `lead_fields.py`.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    TASK_WORDS,
    I,
    Intent,
    Slots,
    make_intent,
)
from coworker.llm.offline.intents.groups import cut_exception, read_group
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.intents.lead_news import (
    ARROW_STATUS,
    by_company,
    then_mark,
    without_news_opening,
)
from coworker.llm.offline.intents.lead_telling import said_source, untold
from coworker.llm.offline.slots import (
    LeadRef,
    email_in,
    lead_ref,
    phone_in,
)
from coworker.llm.offline.text import Utterance, titled


def has_title_words(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:ceo|cto|cfo|coo|cmo|cio|ciso|cro|cso|cpo|cdo|vp|svp|evp|avp|gm|head|director|"
            r"manager|founder|supervisor|architect|controller|counsel|"
            r"co-founder|"
            r"owner|president|lead|engineer|buyer|partner|chief|officer|analyst|consultant|"
            r"specialist|coordinator|administrator|executive|assistant|procurement|purchasing)\b",
            text,
            I,
        )
    )


def create_lead_request(u: Utterance, cmd: str) -> Intent | None:
    if re.match(r"^(?:new|fresh|recent|latest)\s+(?:leads|contacts|prospects)\b", cmd, I):
        return None
    m = re.match(
        r"^(?:create|add|new|make|enter|save|put in|register|set up|capture|log|insert|record)\s+"
        r"(?:a\s+|an\s+)?(?:new\s+)?(?:lead|contact|prospect|person|customer|client)s?\b"
        r"(?:\s+(?:for|called|named|with the name))?\s*[:\-,]?\s*(?P<x>.*)$",
        cmd,
        I | re.S,
    )
    if not m:
        m = re.match(
            r"^(?:new|another)\s+(?:lead|contact|prospect)\s*[:\-,]?\s*(?P<x>.*)$", cmd, I | re.S
        )
    if not m:
        m = re.match(
            r"^add\s+(?P<x>.+?)\s+(?:as\s+(?:a\s+)?(?:new\s+)?(?:lead|contact|prospect))"
            r"(?P<y>.*)$",
            cmd,
            I | re.S,
        )
        if m:
            return lead_fields(m["x"] + (", " + m["y"] if m["y"].strip() else ""))
    if not m:
        m = re.match(
            r"^(?:put|add|enter|save|get|log|stick)\s+(?P<x>.+?)\s+(?:in|into|to|on)\s+(?:the\s+)?"
            r"(?:crm|dialsheet|system|database|leads|lead list|contacts)$",
            cmd,
            I | re.S,
        )
    if not m:
        return _listed_person(cmd)
    return lead_fields(m["x"])


# "add marta kovacs - ops director @ lakeside, marta@lakeside.example, 555 301 2284": a
# person's name, then their details; no "lead" said, so what was read is shown and asked
# unless the address carries the name (plans/lead_edits.create_lead).
_LISTED_PERSON = re.compile(
    r"^(?:add|new|create|save)(?:\s*:\s*|\s+)(?P<n>[a-z][\w.-]*(?:\s+[a-z][\w.-]*){1,2})\s*"
    r"(?:[,:(–]|\s-+)\s*(?P<rest>\S.*)$",
    I | re.S,
)


def _listed_person(cmd: str) -> Intent | None:
    """A new lead given as a name and details, when the details hold an address or a number
    and a title or a company; never one named by a field ("add tom's email - …")."""
    m = _LISTED_PERSON.match(cmd.strip())
    if not m or not named(m["n"]) or not (email_in(m["rest"]) or phone_in(m["rest"])):
        return None
    if not (has_title_words(m["rest"]) or re.search(r"(?:\s@\s|\bat\s)", m["rest"], I)):
        return None
    rest = re.sub(r"\s*[()]\s*", ", ", m["rest"]).strip(" ,")  # "(cfo @ nordlicht) lena@…"
    found = lead_fields(f"{m['n']}, {rest}")
    if (found.slots.get("name") or "").lower() != " ".join(m["n"].split()).lower():
        return None  # the details were not read apart from the name
    found.slots["implied"] = True
    address = (email_in(m["rest"]) or "").split("@")[0].lower()
    # "marta.kovacs@…" for Marta Kovacs: the address confirms whom the details are about
    found.slots["address_names"] = any(len(w) > 2 and w in address for w in m["n"].lower().split())
    return found


def lead_fields(text: str) -> Intent:  # noqa: C901 - one branch per field wording
    slots = Slots()
    text = untold(text)
    paren = re.match(r"^(?P<n>[^()]+?)\s*\((?P<inner>[^)]*)\)(?P<rest>.*)$", text, re.S)
    if paren:
        text = f"{paren['n']}, {paren['inner']}{paren['rest']}"
    email = email_in(text)
    if email:
        slots["email"] = email
        text = re.sub(
            rf"(?:(?:e-?mail|email address)\s*(?:is|:|=)?\s*)?{re.escape(email)}",
            " ",
            text,
            flags=I,
        )
    phone = phone_in(text)
    if phone:
        slots["phone"] = phone[0]
        text = text[: phone[1]] + " " + text[phone[2] :]
        text = re.sub(
            r"\b(?:phone|number|cell|mobile|tel)(?:\s+(?:number|no\.?))?\s*(?:is|:|=)?\s*(?=[,;]|$)",
            " ",
            text,
            flags=I,
        )
    status = None
    sm = re.search(
        r"\b(?:as|status(?:\s+is)?|status:)\s+(?:a\s+)?(new|contacted|qualified|unqualified|"
        r"customer)\b",
        text,
        I,
    )
    if sm:
        status = sm[1].lower()
        text = text[: sm.start()] + text[sm.end() :]
    source, text = said_source(text)
    segments = [
        s.strip(" .")
        for s in re.split(r"\s*[,;\n]\s*|\s+-\s+|\s+\band\b\s+(?=[a-z ]*:)", text)
        if s.strip(" .")
    ]
    name = title = company = None
    for segment in segments:
        low = segment.lower()
        kv = re.match(
            r"^(name|company|title|job title|role|position|org|organi[sz]ation|employer)"
            r"(?:\s*(?::|=|\bis\b)\s*|\s+)(.+)$",
            segment,
            I,
        )
        if kv:
            key, value = kv[1].lower(), kv[2].strip()
            if key == "name":
                name = value
            elif key in ("company", "org", "organisation", "organization", "employer"):
                company = value
            else:
                title = value
            continue
        # "head of ops at lakeside": the company after the last "at", before any "of"
        m = re.match(r"^(?:(?P<pre>.+)\s+)?(?:works at|works for|at|@)\s+(?P<co>.+)$", segment, I)
        m = m or re.match(
            r"^(?:(?P<pre>.+?)\s+)?(?:from|with|of)\s+(?P<co>.+)$",
            segment,
            I,
        )
        if m and not company:
            pre = (m["pre"] or "").strip()
            company = m["co"].strip()
            if pre:
                tm = re.match(
                    r"^(?P<n>.+?)\s*(?:,|\(|\bthe\b|\ba\b|\ban\b|\bis\b|\bwho is\b)\s*(?P<t>.*)$",
                    pre,
                    I,
                )
                if has_title_words(pre) and tm and tm["n"] and not has_title_words(tm["n"]):
                    name = name or tm["n"].strip()
                    title = title or tm["t"].strip(" )") or None
                elif has_title_words(pre) and name:
                    title = title or re.sub(r"^(?:the|a|an|is|who is)\s+", "", pre, flags=I)
                elif not name:
                    name = pre
                else:
                    title = title or pre
            continue
        if has_title_words(segment) and (name or len(segment.split()) <= 4):
            if name is None and not has_title_words(segment.split()[0]):
                parts = re.split(r"\s+(?:is|the|a|an)\s+", segment, maxsplit=1)
                if len(parts) == 2:
                    name, title = parts[0], parts[1]
                    continue
            title = title or re.sub(r"^(?:the|a|an|is|who is|title)\s+", "", segment, flags=I)
            continue
        if name is None:
            name = segment
        elif company is None and low not in ("lead", "contact"):
            company = segment
    if name:
        name = re.sub(r"^(?:called|named|name|for|is)\s+", "", name, flags=I).strip(" :\"'")
        name = re.sub(
            r"(?:\s+(?:with|and|whose|who|email|phone|number|at|from|the|a|an))+$",
            "",
            name,
            flags=I,
        ).strip()
        name = " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in name.split())
    if company:
        company = re.sub(r"^(?:the\s+)", "", company.strip(" .\"'"), flags=I)
        company = titled(company)
    if title:
        title = title.strip(" .()\"'")
        title = titled(title) if title else None
    return make_intent(
        "create_lead",
        name=name or None,
        email=slots.get("email"),
        phone=slots.get("phone"),
        company=company or None,
        title=title or None,
        status=status,
        source=source,
    )


_ASKS_CHANGE = re.compile(r"^(?:mark|set|change|update|move|make|flag|switch)\s", I)
_WHY = re.compile(
    r"\s*[,;-]\s*(?:(?:she|he|they|we|it)(?:'s|'re|s|re)?|since|because|bc|cuz|as)\s.*$", I
)
STATUS_VALUE = r"(?:a |an )?(?P<st>[\w' -]{2,30}?)"

# A time said after a value (a status, a company), which is not part of it: "as of monday",
# "since last week", "last week", "today".
WHEN_WORD = (
    r"(?:today|tonight|yesterday|now|recently|earlier|this (?:morning|afternoon|evening|week|"
    r"month)|last (?:week|wk|month|night|\w+day)|(?:on |this |last )?(?:mon|tues?|wed(?:nes)?|"
    r"thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|\d{1,2}/\d{1,2}|(?:a|an|one|two|three|\d+)\s+"
    r"(?:days?|weeks?|wks?|months?)\s+ago)"
)
WHEN_ASIDE = re.compile(
    rf"(?:\s*,?\s+(?:as of|since|effective(?:\s+as of)?|starting(?:\s+from)?)\s+[\w/ ]{{2,25}}|"
    rf"\s+{WHEN_WORD})\s*$",
    I,
)


def status_request(u: Utterance, cmd: str) -> Intent | None:
    cmd = without_news_opening(cmd)  # "fyi hannah is qualified now": the same news
    cmd = WHEN_ASIDE.sub("", cmd).strip() or cmd  # "contacted as of today": the status
    cmd, excluded = cut_exception(cmd)  # "… except luis": only a group leaves anyone out
    if _ASKS_CHANGE.match(cmd):  # "mark hannah as a customer, she signed": the reason goes
        cmd = _WHY.sub("", cmd)
    marked = then_mark(cmd, lambda head: _status_ref(u, head))
    if marked is not None:  # "freya signed!! mark her as a customer": her, as asked
        return make_intent("update_status", ref=marked[0], status=marked[1])
    bare = re.match(rf"^(?:mark|set|flag|make|switch)\s+(?:as|to)\s+{STATUS_VALUE}$", cmd, I)
    asked = vocab.status_in(bare["st"]) if bare and len(bare["st"].split()) <= 2 else None
    if asked is not None:  # "mark as customer": the lead in context
        return make_intent("update_status", ref=LeadRef(pronoun=True), status=asked)
    patterns = (
        rf"^(?:change|update|set)\s+(?:the\s+)?status\s+(?:of|for|on)\s+(?P<ref>.+?)\s+(?:to|"
        rf"as)\s+{STATUS_VALUE}$",
        rf"^(?:mark|set|change|update|move|make|flag|switch|put|turn|convert|label|bump|flip|push|"
        rf"get|downgrade|upgrade|promote|demote)\s+(?P<ref>.+?)(?:'s|s')?(?:\s+status)?\s+(?:as|"
        rf"to|into|=|"
        rf"status to|to status|status as|back to)\s+{STATUS_VALUE}(?:\s+(?:status|lead|stage))?$",
        rf"^(?P<ref>.+?)(?:'s status)?\s+(?:is|'s|has become|became|is now|just became|has been|"
        rf"got|just got|should be|needs to be|status is|"
        rf"status:)\s+(?:now\s+)?{STATUS_VALUE}(?:\s+now)?$",
        r"^(?P<verb>qualify|disqualify|dq|unqualify)\s+(?P<ref>.+)$",
        r"^(?!(?:mark|set|change|update|move|make|flag)\s)(?P<ref>.+?)\s+(?:converted|signed|"
        r"signed up|closed|is closed)$",
        r"^(?:mark|set|flag|make)\s+(?P<ref>.+?)\s+(?:a\s+|an\s+)?(?P<st>new|contacted|qualified|"
        r"unqualified|disqualified|customer)$",
        r"^(?P<ref>[^:,-]+?)\s*(?:-+|:|,)\s*(?:please\s+)?(?:mark(?:ed)?|set|change|move|update|"
        r"status)?"
        r"\s*(?:it\s+|them\s+)?(?:as|to|:)?\s*(?:a\s+|an\s+)?(?P<st>new|contacted|qualified|"
        r"unqualified|"
        r"disqualified|customer)$",
        r"^(?P<st>new|contacted|qualified|unqualified|disqualified|customer)\s*(?:-+|"
        r":)\s*(?P<ref>.+)$",
        ARROW_STATUS.pattern,  # "hannah watson -> qualified"
    )
    unknown: re.Match[str] | None = None
    for i, pattern in enumerate(patterns):
        m = re.match(pattern, cmd, I)
        if not m:
            continue
        groups = m.groupdict()
        status: str | None
        if i == 3:
            status = "qualified" if m["verb"].lower() == "qualify" else "unqualified"
        elif i == 4:
            status = "customer"
        else:
            value = (groups.get("st") or "").lower()
            status = vocab.status_in(value)
            if status is None or len(value.split()) > 3:
                unknown = unknown or (m if i < 2 else None)
                continue
            if i == 2 and not _only_status(value):
                continue  # "tom is with a customer", "jane is working on it": not a status
        ref_text = re.sub(
            r"\s+from\s+(?:new|contacted|qualified|unqualified|customer)$", "", m["ref"], flags=I
        )
        if re.search(rf"\b{DEAL_WORDS}\b", ref_text, I):
            return None
        bulk = bool(re.match(r"^(?:all|every|everyone|everybody)\b", ref_text, I))
        bulk = bulk or bool(_MY_GROUP.match(ref_text))  # "my acme leads that are still new"
        group = _bulk_group(m["ref"]) if bulk else None
        if group is not None:  # "mark all my new acme leads as contacted": every filter
            group["excluded"] = excluded
            return make_intent("bulk_status", **group).but(mark_as=status, who=m["ref"])
        if excluded:
            return None  # "except" with no group to leave anyone out of
        if bulk:
            ref_text = re.sub(
                r"^(?:all(?: of)?|every|everyone|everybody)\s+(?:the\s+)?(?:leads?\s+|"
                r"contacts?\s+)?(?:at|from|in)?\s*",
                "",
                ref_text,
                flags=I,
            )
            ref_text = re.sub(r"\s+(?:leads?|contacts?|people)$", "", ref_text, flags=I)
        ref = by_company(lead_ref(ref_text))  # "the acme guy": a lead at Acme, asked which
        return make_intent("update_status", ref=ref, status=status, bulk=bulk or None)
    return _unknown_status(cmd, unknown)


_MY_GROUP = re.compile(
    r"^(?:my|our)\s+(?:[\w-]+\s+){0,3}(?:leads|contacts|prospects|people|ppl|folks)\b", I
)


def _only_status(value: str) -> bool:
    """ "a customer now", "officially qualified": a status and nothing else said with it."""
    rest = re.sub(
        r"\b(?:now|officially|finally|already|again|too|a|an|the|lead|status|btw|fyi|lol)\b",
        " ",
        value,
        flags=I,
    )
    rest = " ".join(rest.split())
    hit = vocab.first_value(vocab.STATUS_PATTERNS, rest)
    return hit is not None and hit[1].group(0) == rest


def _status_ref(u: Utterance, said: str) -> LeadRef | None:
    found = status_request(u, said)
    return found.slots.get("ref") if found is not None and found.kind == "update_status" else None


def _bulk_group(ref: str) -> Slots | None:
    """The group of a bulk change, read by the bulk reader ("… from new" is its status)."""
    return read_group(re.sub(r"\s+from\s+(?=\w+$)", " that are ", ref.strip(), flags=I))


# What a lead's other fields are called: "set jane's title to vp sales" is not a status.
_FIELD_WORDS = re.compile(
    r"\b(?:title|role|position|job|phone|cell|mobile|number|email|e-mail|company|employer|"
    r"name|address|addr|source|owner|website|linkedin|notes?|tasks?|tags?|labels?)\b",
    I,
)


def _unknown_status(cmd: str, m: re.Match[str] | None) -> Intent | None:
    """ "mark jane as hot lead status": a status the CRM doesn't have. Said with the word
    "status", or as "mark X as <a word or two>", it is asked about, never guessed or tagged."""
    if m is None:
        return None
    words = m["st"].strip(" .!?")
    ref = re.sub(r"(?:'s|s')$", "", m["ref"].strip())
    if (
        _FIELD_WORDS.search(ref)
        or re.search(r"\d|@", words)
        or re.search(rf"\b{DEAL_WORDS}\b|\b{TASK_WORDS}\b", ref, I)
    ):
        return None
    said_status = re.search(r"\bstatus\b", cmd, I)
    marked = re.match(r"^(?:mark|flag)\s", cmd, I) and len(words.split()) <= 2
    if not (said_status or marked):
        return None
    return make_intent("unknown_status", ref=lead_ref(ref), words=words)
