"""Changing a lead's field: "set Jane's title to CFO", "janes new email is x", "tom becker
is cto now, update his title", "jane moved companies", "daniel's contacted now".

The value is the person's own words up to where their next clause starts, without chatter
("lol") or a hedge ("i think"); a hedged or merely stated change is shown and asked before
it is written. Kept apart from the questions (`lead_questions.py`), which only read.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    TASK_WORDS,
    I,
    Intent,
    make_intent,
)
from coworker.llm.offline.intents.field_pairs import second_field
from coworker.llm.offline.intents.lead_field_names import FIELD, FIELDS, named
from coworker.llm.offline.intents.lead_jobs import (
    NOT_AN_EMPLOYER,
    company_and_aside,
    known_aside,
)
from coworker.llm.offline.intents.lead_news import (
    GIVEN_VALUES,
    HEARSAY,
    NEWS_TITLES,
    NEWS_UPDATES,
    by_company,
    status_stated,
    without_news_opening,
)
from coworker.llm.offline.intents.leads import (
    WHEN_WORD,
    has_title_words,
    status_request,
)
from coworker.llm.offline.intents.name_fixes import name_fix_request
from coworker.llm.offline.phones import find_phones, storable
from coworker.llm.offline.slots import LeadRef, email_in, lead_ref, phone_in
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.vocab import STATUS_PATTERNS, first_value, stage_named

# Where a value ends and the next clause begins: "Hooli, please update her company".
_CLAUSE = re.compile(
    r"\s*[,;]\s*(?:please|pls|plz|can you|could you|can u|and|so|thanks|thx|update|change|"
    r"set|fix|put|she|he|they|it|its|it's|we|i|cuz|because|since|bc|just|finally|btw|fyi|"
    r"per|as per|according to|acc to|based on|from (?:her|his|their|the)|saw (?:it )?on|via)\b|"
    r"\s+(?:per|as per|according to)\s+(?:her|his|their|the|linkedin|email|sig)\b|"
    r"\s+(?:please|pls|plz)\b|\s*[.!?]\s+",
    I,
)


_POSS = r"(?:'s|’s|s'|')"
_OWN = r"(?:his|her|their|the)"
_THEN_UPDATE = (
    r"\s*[,;.]?\s*(?:so\s+|pls\s+|please\s+|(?:can|could|would|pls) (?:you|u)\s+(?:pls\s+)?)?"
    rf"(?:update|change|set|fix|put)\s+(?:that\s+(?:in|on)\s+)?(?:{_OWN}\s+{FIELD}|it|that)"
    r"(?:\s+(?:in the crm|in crm|pls|please|thanks|thx|too))*"
)
# Each: the sentence, the field it changes when it names none, whether the change is only
# implied (a statement of fact, not a request: it is shown and asked before it is written).
_UPDATES: tuple[tuple[re.Pattern[str], str | None, bool], ...] = (
    # "update luis ortega's # to 555-777-1212", "change toms title to cto"
    (
        re.compile(
            rf"^(?:change|update|set|fix|correct|edit|replace|make|mark|put|switch|swap)\s+"
            rf"(?P<ref>.+?){_POSS}?\s+"
            rf"(?:new\s+)?{FIELD}\s+(?:to|as|=|:|with|into|->|-+|–)\s+(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
    (
        re.compile(
            rf"^(?:change|update|set|fix|correct|edit)\s+(?:the\s+)?{FIELD}\s+(?:of|for|on)\s+"
            rf"(?P<ref>.+?)\s+(?:to|as|=|:|->)\s+(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
    # "janes new email is jane.smith@acme.io", "tom's title is cto now", "luis new cell 555…"
    (
        re.compile(
            rf"^(?P<ref>.+?){_POSS}?\s+(?P<new>new\s+|correct\s+|actual\s+|updated\s+|real\s+)?"
            rf"{FIELD}\s*(?P<sep>is|=|:|-|->|s|'s)?\s+(?:now\s+|actually\s+|changed to\s+)?"
            rf"(?P<value>.+?)(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
    (
        re.compile(
            rf"^(?P<ref>.+?)\s+has\s+a\s+new\s+{FIELD}\s*(?:[:\-,]|is)?\s*(?P<value>.+)$", I
        ),
        None,
        False,
    ),
    (
        re.compile(
            rf"^(?:new|updated|correct)\s+{FIELD}\s+for\s+(?P<ref>.+?)\s*(?:[:\-,]|\bis\b)\s*"
            rf"(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
    # "new # for noah gonzalez 555 310 7788": a number or an address needs no "is" before it
    (
        re.compile(
            rf"^(?:new|updated|correct)\s+{FIELD}\s+for\s+(?P<ref>.+?)\s+"
            r"(?P<value>[\w.+-]+@[\w.-]+|\+?\(?\d[\d ().-]{6,}\d)(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
    # "# for amelia okafor changed: 555 867 5309", "email for tom is now tb@x.io"
    (
        re.compile(
            rf"^{FIELD}\s+(?:for|of)\s+(?P<ref>.+?)\s+(?:has\s+)?(?:changed|is now|changed to|"
            r"now)\s*(?:to\s+)?[:\-,]?\s*(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
    # "tom becker is cto now, update his title"
    (
        re.compile(
            rf"^(?P<ref>.+?)\s+(?:is|'s|s)\s+(?:now\s+)?(?:(?:the|a|an|our|their)\s+)?"
            rf"(?:new\s+)?(?P<value>.+?)(?:\s+now)?{_THEN_UPDATE}$",
            I,
        ),
        None,
        False,
    ),
    # "update tom's title, he's cto now"
    (
        re.compile(
            rf"^(?:update|change|fix|set)\s+(?P<ref>.+?){_POSS}?\s+{FIELD}\s*[,;:-]\s*"
            rf"(?:(?:he|she|they)(?:'s|s| is| are|'re)|it'?s|its)\s+(?:now\s+)?"
            rf"(?:(?:the|a|an)\s+)?(?P<value>.+?)(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
    # "jane got promoted to vp of sales, update her title"
    (
        re.compile(
            r"^(?P<ref>.+?)\s+(?:got|was|has been|just got|'s been)\s+promoted\s+to\s+"
            rf"(?:(?:the|a|an)\s+)?(?P<value>.+?)(?:\s+now)?{_THEN_UPDATE}$",
            I,
        ),
        "title",
        False,
    ),
    # "jane got promoted to vp of sales": a statement, shown and asked first
    (
        re.compile(
            r"^(?P<ref>.+?)\s+(?:got|was|has been|just got|'s been)\s+promoted\s+to\s+"
            r"(?:(?:the|a|an)\s+)?(?P<value>.+?)(?:\s+now)?$",
            I,
        ),
        "title",
        True,
    ),
    # "luis is the new ops director", "mei is cto now": a title word, shown and asked first
    (
        re.compile(
            r"^(?P<ref>.+?)\s+(?:is|'s|s)\s+(?:(?P<now>now)\s+)?(?:(?:the|a|an|our|their)\s+)?"
            r"(?:(?P<new>new)\s+)?(?P<value>.+?)(?:\s+(?P<now2>now))?$",
            I,
        ),
        "title",
        True,
    ),
    (
        re.compile(
            r"^(?P<ref>.+?)\s+(?:(?:now works|works now|has moved|moved|switched|has joined|joined|"
            r"is now|went|has gone|moved over|jumped ship)\s+(?:at|for|to|with|over to)|"
            r"(?:has\s+|just\s+)?joined)\s+(?P<value>.+)$",
            I,
        ),
        "company",
        False,
    ),
    # "kenji gray left virtucon, he's at pied piper now", "abigail left virtucon for initech",
    # "noah's not at riverbend anymore - he's with hooli": the old company, then the new one
    (
        re.compile(
            r"^(?P<ref>.+?)(?:'s|’s|\s+is|\s+has)?\s+(?:just\s+)?(?:left|quit|no\s+longer\s+"
            r"(?:at|with|works?\s+(?:at|for))|not\s+(?:at|with)|isn'?t\s+(?:at|with))\s+"
            r"(?P<old>.+?)(?:\s+any\s?more)?(?:\s+for\s+|(?:\s*[,;.]\s*|\s+-+\s+|"
            r"\s+(?:and|but)\s+)(?:and\s+)?(?:(?:she|he|they)(?:'s|’s|s|\s+is|'re|\s+are)\s+"
            r"(?:now\s+)?(?:at|with|over at|working (?:at|for))|(?:she|he|they)\s+(?:now\s+)?"
            r"(?:works?|went|moved|switched|joined)(?:\s+(?:at|for|to|over to|with))?|"
            r"(?:is\s+)?now\s+(?:at|with|works? (?:at|for)|working (?:at|for)|over at)|joined|"
            r"went to|moved to|moved over to|switched to|is at|now)\s+)(?P<value>.+)$",
            I,
        ),
        "company",
        False,
    ),
)
_MOVED_TAIL = re.compile(
    r"\s+(?:moved|left|switched|changed (?:jobs|companies)|(?:got|was) promoted)[\s,;:-]*$", I
)
# What a person says about a value rather than the value: "janes title is wrong".
_JUDGEMENT = re.compile(
    r"^(?:(?:still|probably|maybe|prob|def|definitely|totally|completely|kinda|a bit|so|too|"
    r"not|no longer)\s+)*(?:wrong|weird|off|outdated|out of date|old|missing|blank|empty|"
    r"incorrect|right|correct|fine|ok|okay|good|bad|different|the same|same|stale|unknown|"
    r"null|none|n/a|tbd|changed|broken|bouncing|dead|invalid|fake|a typo|typo'?d|misspel(?:led|t)|"
    r"spelled wrong|spelt wrong|there|set|up to date|current|accurate|valid|legit|real)"
    r"(?:\s+(?:now|again|in the crm|in crm|i think|lol|btw))*[?!.]*$",
    I,
)
# "jane moved companies", "tom changed jobs", "priya left acme": a new company, not said.
_MOVED = re.compile(
    r"^(?P<ref>.+?)\s+(?:has\s+|just\s+)?(?:moved|changed|switched|left|quit)\s+"
    r"(?:(?:companies|company|jobs|job|employers?)|(?:(?:her|his|their)\s+(?:company|job|"
    r"employer))|(?:to\s+(?:a\s+)?(?:new|another|different)\s+(?:company|job|employer)))"
    r"(?:\s+(?:now|recently|last week|lately))?$|"
    r"^(?P<ref2>.+?)\s+(?:is\s+)?no\s+longer\s+(?:at|with)\s+.+$|"
    r"^(?P<ref3>.+?)\s+(?:has\s+)?(?:left|quit)\s+[\w&.' -]+$",
    I,
)


def update_fields_request(u: Utterance, cmd: str) -> Intent | None:
    """ "set Jane's title to CFO", "janes new email is x", "luis new cell 555-777-1212",
    "tom becker is cto now, update his title", "jane moved companies" (which company: asked).
    The value is the person's own words; only the field they named changes."""
    renamed = name_fix_request(cmd)
    if renamed is not None:
        return renamed
    cmd = without_news_opening(cmd)  # "fyi nora left initech": the news is the same
    for pattern, fixed, implied in GIVEN_VALUES + _UPDATES + NEWS_UPDATES:
        m = pattern.match(cmd)
        if not m:
            continue
        said_field = m.groupdict().get("field")
        if fixed is None and said_field is None and not has_title_words(m["value"]):
            continue  # "jane is out sick, update that": no field named, no title said
        field_name = fixed or FIELDS[said_field.lower() if said_field else "title"]
        ref_text = m["ref"].strip()
        if fixed == "company" and (len(ref_text.split()) > 4 or re.search(r"\d", m["value"])):
            continue  # "the demo moved to 4pm" is not a lead changing company
        left = m.groupdict().get("old")
        if fixed == "company" and any(
            NOT_AN_EMPLOYER.match(w) or re.fullmatch(WHEN_WORD, w, I) or stage_named(w)
            for w in (left or "", m["value"])
            if w
        ):
            continue  # "tom went to lunch", "moved to tuesday", "moved to negotiation": no job
        said, second, second_said = second_field(m["value"], field_name if said_field else None)
        if field_name == "company":  # "pied piper, same role": the company, not the aside
            said, aside = company_and_aside(said)
            implied = implied or not known_aside(aside)
        value = _value(field_name, said)
        if value is None or (pattern in NEWS_TITLES and not has_title_words(value)):
            continue  # "tom got promoted, he's thrilled": no title said
        groups = m.groupdict()
        if "now2" in groups and not (
            (groups["now"] or groups["now2"] or groups["new"]) and has_title_words(value)
        ):
            continue  # "jane is busy", "tom is the one who called": not a new title
        if "now2" in groups or pattern in NEWS_TITLES:
            implied = False  # "she's the CRO now", "tom is now vp sales": the title, as news
        marked = m.groupdict().get("new") or m.groupdict().get("sep")
        if "sep" in m.groupdict() and not marked and field_name not in ("email", "phone"):
            continue  # "jane title sounds off": only an address or a number reads as a value
        if field_name not in ("email", "phone") and (
            _JUDGEMENT.match(value) or re.match(r"still\b", value, I)
        ):
            continue  # "janes title is wrong", "still cfo": about the value, not a new one
        # "jane's company is hiring": a statement that may not be a value; shown, then asked
        implied = implied or bool(re.fullmatch(r"[a-z]+(?:ing|ed|ly)", value))
        implied = implied or _hedged(m["value"])  # "office mgr i think?": asked, not written
        implied = implied or bool(HEARSAY.match(cmd))  # "i think tom got promoted, he's cto"
        ref_text = _MOVED_TAIL.sub("", ref_text)  # "mei hayes moved, company is pied piper"
        ref_text = re.sub(r"^(?:pls\s+|please\s+)?(?:fix|correct)\s+", "", ref_text, flags=I)
        ref_text = re.sub(r"\s*(?:[,;:]|\s-+)\s*(?:his|her|their)$", "", ref_text, flags=I)
        if re.search(rf"\b{DEAL_WORDS}\b|\b{TASK_WORDS}\b", ref_text, I):
            return None
        ref = by_company(lead_ref(ref_text))  # "the acme guy's title": a lead at Acme
        possessive = re.search(rf"{_POSS}$", ref_text)
        if ref.empty or not (possessive or ref.pronoun or named(ref.text or ref.describe())):
            continue  # "the new email is ..." names no one
        if left and not ref.pronoun and not ref.company:  # "luis left initech": that luis
            ref = LeadRef(ref.text, company=left.strip())
        more = _value(second, second_said) if second and second_said else None
        return make_intent(
            "update_lead",
            ref=ref,
            changes={**said_changes(field_name, value), **({second: more} if second else {})},
            implied=implied or None,
            left=groups.get("old"),  # "not at virtucon anymore": the company, not the lead
        )
    moved = _MOVED.match(cmd)
    if moved:
        who = moved["ref"] or moved["ref2"] or moved["ref3"]
        ref = lead_ref(who)
        if not ref.empty and (ref.pronoun or named(ref.text)):
            return make_intent("update_lead", ref=ref, changes={"company": None})
    return None


# Chatter after a value: "pied piper now lol", "cro haha finally", "labs (they rebranded)".
_CHATTER = re.compile(
    r"(?:\s*\([^()]*\)|\s+(?:now|lol|lmao|haha+|hehe|finally|btw|fyi|yay|woo+|nice|thx|"
    r"thanks|ty|pls|plz|pretty sure)|\s*[!:;)(🎉👍🙌]+)+$",
    I,
)
# A value the person is not sure of: it is shown and asked, never written at once.
_HEDGE = re.compile(
    r"\s*(?:\?+|\b(?:i think|i guess|i believe|maybe|probably|prob|possibly|perhaps|not sure|"
    r"apparently|iirc|afaik|if i remember right|can (?:you|u) double check|double check)\b)",
    I,
)


# "vp sales at dunder mifflin": a title, then the company it is at.
_TITLE_AT = re.compile(r"^(?P<title>.+?)\s+(?:at|@|with|over at|for)\s+(?P<company>\S.*)$", I)


def said_changes(field_name: str, value: str) -> dict[str, str | None]:
    """The fields a value changes, as written (mg5-company-as-typed, mg5-title-new-not-old);
    "vp sales at hooli" changes both, and "over there" is no part of a title."""
    if field_name != "title":
        return {field_name: value}
    value = re.sub(r"\s+(?:over\s+)?there$", "", value, flags=I)
    at = _TITLE_AT.match(value)
    if at and has_title_words(at["title"]) and not has_title_words(at["company"]):
        return {"title": at["title"], "company": at["company"]}
    return {"title": value}


def _hedged(said: str) -> bool:
    return bool(_HEDGE.search(said))


def _value(field_name: str, said: str) -> str | None:
    """The value as the person wrote it, up to where their next clause starts, without the
    chatter after it ("lol", "(they rebranded)") or a hedge ("i think", "maybe?")."""
    value = _CLAUSE.split(said, maxsplit=1)[0]
    value = _HEDGE.split(value, maxsplit=1)[0]
    value = _CHATTER.sub("", value.strip())
    value = value.strip().strip("\"'").rstrip(".")
    if field_name in ("title", "company"):  # "ceo now not cfo": the new one, not the old
        value = re.sub(r"(?:\s+now)?,?\s+not\s+(?:the\s+|a\s+)?\S.*$", "", value, flags=I)
    if field_name == "email":
        return email_in(value)
    if field_name == "phone":  # libphonenumber reads "(555) 444-1200" whole, brackets and all
        phones = find_phones(value)
        if len(phones) == 1:
            return storable(phones[0].text)
        found = phone_in(value)
        return storable(found[0]) if found and not phones else None
    if not value or len(value.split()) > 8:
        return None
    return value


# "daniel's contacted now", "maya is unqualified, budget got cut": a status said about a
# person, with the "is" run into the name or a reason after a comma.
_STATUS_SAID = re.compile(
    r"^(?P<who>[a-z][\w.-]*(?:\s+[a-z][\w.-]*)?)(?:'s|’s|\s+is|\s+'s)\s+(?P<rest>[^,;]+?)"
    r"\s*(?:[,;]\s*(?:\w+\s+){0,8}\w+[.!]?)?$",
    I,
)


def said_status_request(u: Utterance, cmd: str) -> Intent | None:
    """The status reader on the person and the status alone, when that is what the words
    say; the reason after the comma is not part of it."""
    stated = status_stated(cmd)
    if stated is not None:
        found = status_request(u, f"{stated['who']} is {stated['st']}")
        return found if found is not None and found.kind == "update_status" else None
    m = _STATUS_SAID.match(cmd.strip())
    if not m:
        return None
    rest = re.sub(
        r"^(?:now\s+|an?\s+)+|(?:\s+(?:now|again|already|too))+$", "", m["rest"].strip(), flags=I
    )
    hit = first_value(STATUS_PATTERNS, rest.lower())
    if hit is None or hit[1].group(0).strip() != rest.lower():  # "tom is new here": no status
        return None
    found = status_request(u, f"{m['who']} is {m['rest'].strip()}")
    return found if found is not None and found.kind == "update_status" else None
