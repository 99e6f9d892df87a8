"""Listing leads: by name, company, email, phone or status ("any new leads at Acme?", "who
is jane@acme.com?"). The other listings are `lists.py`.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import (
    I,
    Intent,
    make_intent,
)
from coworker.llm.offline.intents.groups import LEAD_NOUNS, MINE, TAG_WORD, TEAM
from coworker.llm.offline.intents.lead_field_names import FIELDS, named
from coworker.llm.offline.intents.lists import (
    TAGGED,
    query_text,
    tag_asked,
)
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import (
    LeadRef,
    email_in,
    lead_ref,
    phone_in,
)
from coworker.llm.offline.text import Utterance

# "leads at acme i haven't contacted": nobody has reached them, so they are still new.
UNTOUCHED = re.compile(
    r"\s*\b(?:that|who|which)?\s*(?:(?:i|we)\s+(?:have\s+not|haven'?t|havent|hv\s*n'?t|hvnt|"
    r"never|did\s*n'?t|didnt)|(?:haven'?t|havent|didn'?t|didnt)\s+(?:i|we)|(?:have|did)\s+"
    r"(?:i|we)\s+(?:not|never))\s+(?:yet\s+|ever\s+)?(?:contacted|contact|called|call|reached|"
    r"reach(?:ed)? out to|emailed|email|talked to|spoken to|spoke to|touched)(?:\s+yet)?\b",
    I,
)
# "acme leads that aren't customers yet": every status but that one.
NOT_STATUS = re.compile(
    r"\s*\b(?:that|who|which)?\s*(?:are\s+not|aren'?t|arent|is\s+not|isn'?t|not)\s+(?:yet\s+)?"
    r"(?:a\s+)?(?P<s>customers?|clients?|qualified|contacted)(?:\s+yet)?\b",
    I,
)


# "who's the vp of engineering at initech", "cfo at acme?": a person found by their title.
ROLE_AT = re.compile(
    r"^(?:(?:who'?s|whos|who is)\s+)?(?:the\s+|our\s+)?(?P<role>(?:vp|svp|evp|cfo|ceo|cto|coo|"
    r"cmo|head|director|chief|manager|vice president)\b[\w&.' -]*?)\s+(?:(?:over|out|up|down)\s+)?"
    r"(?:at|@|in|for|from)\s+(?:the\s+)?"
    r"(?P<co>[\w&.' -]+?)\s*\??$",
    I,
)


_LEAD_WORDS = re.compile(rf"\b{LEAD_NOUNS}\b|\b(?:who|whos|who'?s|anyone|anybody)\b", I)
# "who else at initech besides chris", "acme leads, not counting sam's": a list but one
# person, or but a teammate's leads (said with their name and an apostrophe).
BESIDES = re.compile(
    r"\s*,?\s*\b(?:besides|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from|"
    r"not\s+counting|not\s+including|excluding|excl\.?|minus|without|leaving\s+out|but\s+not|"
    r"but)\s+(?P<who>(?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,2}?)"
    r"(?:\s+(?:ones|leads|contacts|people|ppl|too))?\s*[?.!]*$",
    I,
)
# Said around the list and nothing about it: "who else", "still new".
_ELSE = re.compile(r"\b(?:else|other|others|still)\b", I)


# The words that say a status ("still status new"), which name no lead to search for.
_STATUS_WORDS = re.compile(
    r"\b(?:new|fresh|contacted|qualified|unqualified|disqualified|customers?|clients?|reached|"
    r"won|converted|signed|paying|still|status|yet)\b",
    I,
)


def leads_request(u: Utterance, cmd: str) -> Intent | None:
    """Leads by name, company or status; whose they are and their tag narrow the list."""
    besides = BESIDES.search(cmd)
    if besides and besides.start() > 0:
        but = _leads_but(u, cmd[: besides.start()], besides["who"])
        if but is not None:
            return but
    return _leads_request_of(u, cmd)


def _leads_but(u: Utterance, rest: str, who: str) -> Intent | None:
    """The list the rest of the words ask for, less one person ("besides chris": `without`)
    or less a teammate's leads ("not counting sam's": only the person's own, `mine`)."""
    rest = normalise(_ELSE.sub(" ", rest)).text
    rest = re.sub(r"\s+", " ", rest).strip(" ,-")
    inner = _leads_request_of(u, rest)
    if inner is None or inner.kind not in ("find_leads", "list_leads"):
        return None
    if inner.slots.get("role") or (inner.slots.get("details") and not inner.slots.get("query")):
        return None
    ref = inner.slots.get("ref")
    if ref is not None and (ref.pronoun or ref.is_email or ref.is_phone):
        return None
    kept = inner.but("list_leads", details=None, field=None, count=None)
    who = who.strip()
    teammate = re.fullmatch(r"(?:the\s+)?(?P<n>[a-z]+)(?:'s|’s|s')", who, I)
    if teammate and teammate["n"].lower() not in ("my", "mine", "ours"):
        return kept.but(mine=True, not_whose=who)
    said = re.sub(r"^(?:the|any|not|those|ones)\s+|\s+ones$", "", who.lower())
    status = vocab.first_value(vocab.STATUS_PATTERNS, said)
    if status and re.fullmatch(r"[a-z]+", said):  # "except the qualified ones": a status
        return kept.but(status=None, exclude=status[0])
    if not named(who) or status:
        return None  # "without an email": not a person
    return kept.but(without=who)


def _leads_request_of(u: Utterance, cmd: str) -> Intent | None:
    tag = tag_asked(cmd)
    if tag is None:
        kind = TAG_WORD.search(cmd)
        if kind:
            tag, cmd = kind["tag"], cmd[: kind.start()] + cmd[kind.end() :]
    team = TEAM.search(cmd)
    mine = MINE.search(cmd) if not team else None
    if not (tag or team or mine):
        return _unowned_request(u, cmd)
    rest = TAGGED.sub(" ", cmd, count=1) if tag else cmd
    rest = (TEAM if team else MINE).sub(" ", rest) if (team or mine) else rest
    # Read with shorthand expanded ("hooli ppl"): a list of leads only reads.
    rest = normalise(re.sub(r"\s+", " ", rest).strip(" ,?.!")).text
    inner = _unowned_request(u, rest) if query_text(rest) else None
    if team and not tag:
        return inner
    if inner is not None and inner.kind != "find_leads":
        return inner
    if inner is not None and (inner.slots.get("details") or inner.slots.get("role")):
        ref = inner.slots.get("ref")
        if mine or (ref is not None and ref.pronoun):
            return inner  # one person ("my lead jane smith"): whose is beside the point
        inner = None  # "acme tagged hot": the words name where to look
    if inner is None and not tag and not _LEAD_WORDS.search(cmd):
        return None  # "is that one mine": not a list of leads
    listed = make_intent("list_leads") if inner is None else inner.but("list_leads")
    listed = listed.but(details=None, field=None, role=None, mine=True if mine else None, tag=tag)
    if inner is None and query_text(rest):
        where = lead_ref(query_text(rest))
        listed = listed.but(ref=where, query=where.text)
    return listed


def _unowned_request(u: Utterance, cmd: str) -> Intent | None:
    role = ROLE_AT.match(cmd.strip())
    if role:
        company = lead_ref(role["co"])
        return make_intent("find_leads", ref=company, query=company.text, role=role["role"])
    untouched = UNTOUCHED.search(cmd)
    negated = NOT_STATUS.search(cmd) if not untouched else None
    if not untouched and not negated:
        return _leads_request(u, cmd)
    intent = _leads_request(u, (UNTOUCHED if untouched else NOT_STATUS).sub("", cmd, count=1))
    if intent is None or intent.kind != "find_leads":
        return intent
    if untouched:
        return intent.but("find_leads", status="new")
    assert negated is not None
    excluded = negated["s"].lower().rstrip("s").replace("client", "customer")
    return intent.but("find_leads", status=None, exclude=excluded)


def _leads_request(u: Utterance, cmd: str) -> Intent | None:  # noqa: C901
    low = cmd.lower()
    count = bool(re.search(r"\bhow many\b|\bnumber of\b|\bcount\b|\btotal\b", low))
    field_q = None
    fm = re.search(
        r"\b(?P<f>email address|email|phone number|phone|number|mobile|cell|title|job title|"
        r"role|company)\b",
        low,
    )
    status = None
    status_hit = vocab.first_value(vocab.STATUS_PATTERNS, low)
    if status_hit and re.search(
        r"\b(?:leads?|contacts?|prospects?|people|customers?|clients?|"
        r"ones|anyone|who|status)\b",
        low,
    ):
        status = status_hit[0]
        if status == "customer" and not re.search(
            r"\bcustomers?\b|\bclients?\b|\bwon\b|\bconverted\b|\bpaying\b|\bsigned\b", low
        ):
            status = None
        if status == "contacted" and not re.search(
            r"\bcontacted\b|\breached\b|\bin touch\b|\bworking\b", low
        ):
            status = None
        if status == "new" and not re.search(
            r"\bnew\b|\bfresh\b|\buntouched\b|\buncontacted\b", low
        ):
            status = None
        if status == "new" and re.search(
            r"\b(?:since|today|yesterday|this week|recent|latest|newest)\b", low
        ):
            status = "new"
    phone = phone_in(cmd)
    email = email_in(cmd)
    query: str | None = None
    details = False
    m = re.match(
        r"^(?:(?:(?:a|the|quick|full|short)\s+)*(?:rundown|run-down|lowdown)\s+(?:on|for|of|about)|"
        r"(?:give me|show me|get me|get|pull up|what are|send me)\s+(?:the\s+|"
        r"all\s+the\s+)?(?:full\s+)?"
        r"(?:details|info|information|profile|record|rundown|lowdown|file|summary)\s+(?:on|for|of|"
        r"about)|"
        r"where do (?:i|we) stand (?:with|on)|what'?s the (?:status|story|deal|situation) (?:with|"
        r"on|for)|"
        r"tell me (?:about|more about)|what about|how about|and|who is|who'?s|"
        r"(?:any\s+)?(?:updates?|news|the latest|latest) (?:on|about|from|with|w/?)|"
        r"what'?s new (?:with|w/?|on)|"
        r"what do (?:we|i) (?:know|have) (?:about|on)|"
        r"details (?:on|for|of|about)|info (?:on|for|about)|information (?:on|about)|pull up|open|"
        r"bring up|show me|show|get|give me|what'?s (?:going on|happening|new|up|the latest|"
        r"the story|the status) "
        r"(?:with|w/?|on)|how(?:'s| is) (?:it going with )?|status (?:of|on|for)|everything (?:on|"
        r"about)|"
        r"any(?:thing)? (?:on|about|new (?:on|with|w/?|from))|anything (?:happening|going on) "
        r"(?:with|w/?)|look up|lookup|find|search for|search|look for|"
        r"where (?:are|is) (?:we|things) (?:with|on)|update on|remind me who|who was|do we have|"
        r"do i have|is there|are there|check on|check)\s+(?P<r>.+)$",
        cmd,
        I,
    )
    if fm and re.search(
        r"\b(?:what'?s|what is|what are|whats|give me|get|need|find|look up|"
        r"show|do we have|do you have)\b",
        low,
    ):
        field_q = FIELDS.get(fm["f"], None) if fm["f"] not in ("number",) else "phone"
        if fm["f"] == "company" and re.search(
            r"\bat (?:the )?company\b|\bwhich company\b|\bwhat company\b", low
        ):
            field_q = "company"
    if email:
        query, field_q = email, None
    elif phone:
        query = phone[0]
    elif field_q:
        fr = re.search(rf"(?P<r>[\w' -]+?)(?:'s|s')\s+(?:\w+\s+)?{fm['f'] if fm else ''}", cmd, I)
        if fr:
            query = lead_ref(
                re.sub(
                    r"^(?:what'?s|what is|whats|give me|get|need|find|show|show me)\s+",
                    "",
                    fr["r"],
                    flags=I,
                )
            ).text
        else:
            fr = re.search(
                rf"{fm['f'] if fm else ''}\s+(?:address\s+|number\s+)?(?:for|of|on)\s+(?P<r>.+)$",
                cmd,
                I,
            )
            query = lead_ref(fr["r"]).text if fr else None
        details = True
    elif m:
        r = m["r"]
        at = re.search(
            r"\b(?:at|from|in|with|working at|who work at|that work at)\s+(?P<co>.+?)"
            r"(?=\s+(?:that|who|which|and|with|whose)\b|$)",
            r,
            I,
        )
        lead_words = re.search(
            r"\b(?:leads?|contacts?|prospects?|people|anyone|anybody|everyone|"
            r"customers?|clients?)\b",
            r,
            I,
        )
        if lead_words and at:
            query = lead_ref(at["co"]).text
        else:
            query = query_text(r) if lead_words or status else lead_ref(r).text
            if status and query:
                query = _STATUS_WORDS.sub("", query).strip() or None
        details = not lead_words and not status and not count
    else:
        at = re.search(
            r"\b(?:at|from|in|with|working at|who work at|that work at)\s+(?P<co>[\w&.' -]+?)"
            r"(?=\s+(?:that|who|which|and|with|whose)\b|$)",
            cmd,
            I,
        )
        lead_words = re.search(
            r"\b(?:leads?|contacts?|prospects?|people|anyone|anybody|someone|somebody|"
            r"everyone|customers?|clients?|who)\b",
            low,
        )
        if at and lead_words:
            query = lead_ref(at["co"]).text
        elif lead_words or status:
            rest = query_text(cmd)
            if status:
                rest = _STATUS_WORDS.sub("", rest).strip()
            rest = re.sub(
                r"\b(?:since|today|yesterday|this|week|recent|recently|latest|newest|last|"
                r"added|created|came|in|got|we|did)\b",
                "",
                rest,
                flags=I,
            ).strip()
            query = rest or None
        else:
            return None
    if query is not None:
        query = query.strip(" ?.!'\"")
        if query.lower() in ("", "me", "everyone", "all", "them", "my leads", "leads"):
            query = None
    if (
        query is None
        and status is None
        and not re.search(
            r"\b(?:leads?|contacts?|prospects?|people|"
            r"customers?|clients?)\b",
            low,
        )
    ):
        if m and lead_ref(m["r"]).pronoun:
            return make_intent("find_leads", ref=LeadRef(pronoun=True), details=True, field=field_q)
        return None
    ref = lead_ref(query) if query else None
    if ref and ref.pronoun:
        return make_intent("find_leads", ref=ref, details=True, field=field_q)
    return make_intent(
        "find_leads",
        ref=ref,
        query=query,
        status=status,
        details=details or None,
        field=field_q,
        count=count or None,
    )
