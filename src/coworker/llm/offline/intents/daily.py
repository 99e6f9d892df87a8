"""The questions a rep asks every day: "who should I call next?", "what did I do yesterday?".

They are answered from CRM data (tasks, sent history, logged activity), never by looking
up a lead called "should call next"; `plans/daily.py` answers them through the derived read
tools (`next_best_actions`, `prep_brief`, `activity_report`, `pipeline_report`). They are
read with the person's shorthand expanded ("who do i call rn", "prep for marcus mtg"):
every one of them only reads.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import DEAL_WORDS, I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import lead_ref

# When "now" is said: "who do i call rn", "who's next this morning".
_NOW = (
    r"(?:\s+(?:next|now|right now|first|first thing|today|up next|this morning|this afternoon|"
    r"then|at the moment|atm|in the morning))*"
)
_CALL = (
    r"(?:call|calling|ring|ringing|phone|dial|dialing|dialling|contact|reach out to|"
    r"follow up with|following up with|chase|ping|hit up|get back to)"
)
NEXT_CALLS = re.compile(
    r"^(?:so\s+|ok\s+|okay\s+)?(?:who|whom)\s+(?:should|shd|shld|do|shall|must|can|could|"
    r"would you have)\s+(?:i|we)\s+(?:really\s+)?(?:need\s+to\s+|have\s+to\s+|got\s+to\s+)?"
    rf"(?:be\s+)?{_CALL}" + _NOW + r"$|"
    r"^(?:is\s+there\s+|are\s+there\s+)?(?:any(?:one|body|1)?|some(?:one|body))\s+(?:that\s+|who\s+)?"
    rf"(?:i|we)\s+(?:should|shd|need to|have to|must|ought to)\s+{_CALL}" + _NOW + r"$|"
    r"^(?:who'?s|who is|whos)\s+(?:next|up next|up|on deck)(?:\s+(?:to|on)\s+(?:call|(?:my|the) "
    r"(?:call )?list))?" + _NOW + r"$|"
    r"^who\s+(?:needs|need)\s+(?:a\s+)?(?:call|calling|follow up|chasing)" + _NOW + r"$|"
    r"^(?:next best actions?|next calls?|who to call|(?:my\s+)?call list(?: for today)?|"
    r"what(?:'s| is) next|whats next|what should i do next)" + _NOW + r"$",
    I,
)
# "what's most urgent", "whats the priority today": asked alone or after "who do i call first".
URGENT = re.compile(
    r"^(?:so\s+|ok\s+|and\s+)?(?:what'?s|whats|what is|who'?s|whos|who is)\s+(?:the\s+)?"
    r"(?:most\s+|top\s+|biggest\s+)?(?:urgent|pressing|important|priority|priorities|"
    r"top priority)(?:\s+(?:one|thing|things))?" + _NOW + r"$",
    I,
)
_WHEN = r"(?P<{}>yesterday|today|this week|last week|my week|the week|my day)"
# "what'd i get done yesterday", "what have i gotten through this week".
_DONE = (
    r"(?:do|done|get done|got done|gotten done|work on|worked on|accomplish|accomplished|achieve|"
    r"achieved|get (?:thru|through)|got (?:thru|through)|gotten (?:thru|through)|finish|finished|"
    r"knock out|knocked out|complete|completed|get to|got to)"
)
DID = re.compile(
    r"^what\s*(?:did|'d|d|have|'ve|ve|had)\s+(?:i|we)\s+(?:actually\s+|even\s+)?"
    + _DONE
    + r"\s+"
    + _WHEN.format("when")
    + r"$|"
    r"^(?:what\s+)?(?:i|we)\s+did\s+" + _WHEN.format("when4") + r"$|"
    r"^(?:my\s+)?(?:activity|recap|summary|numbers|stats)\s+(?:for|of|from)\s+"
    + _WHEN.format("when2")
    + r"$|"
    r"^(?:recap|summari[sz]e|review)\s+(?:my\s+)?" + _WHEN.format("when3") + r"$|"
    r"^(?:my\s+)?"
    + _WHEN.format("when5")
    + r"(?:'?s)?\s+(?:activity|recap|summary|numbers|stats)$|"
    r"^how\s*(?:did|'d|d)\s+(?:i|we)\s+do\s+" + _WHEN.format("when6") + r"$|"
    r"^(?:my|our)\s+(?:activity|numbers|stats)\s+" + _WHEN.format("when7") + r"$",
    I,
)
# "prep for marcus mtg", "brief me on chris johnson before my call", "get me ready for jane".
PREP = re.compile(
    r"^(?:(?:pls|please)\s+)?(?:prep|prepare|brief|ready)\s+(?:me\s+)?(?:up\s+)?(?:for|on|about)\s+"
    r"(?P<name>.+)$|"
    r"^(?:get\s+me\s+ready|give\s+me\s+(?:a\s+)?(?:brief|briefing|prep)|(?:call|meeting)\s+prep|"
    r"prep\s+brief|briefing)\s+(?:for|on|about)\s+(?P<name2>.+)$|"
    r"^what\s+(?:should|shd|do)\s+i\s+(?:know|need to know)\s+(?:before|for)\s+(?:my\s+|the\s+)?"
    r"(?:call|calling|meeting|mtg|chat)\s+(?:with|w)?\s*(?P<name3>.+)$|"
    r"^(?:what|anything)\s+(?:should|shd|do)\s+i\s+(?:know|need to know)\s+(?:about|on|re)\s+"
    r"(?P<name4>.+?)\s+(?:before|for|ahead of)\s+(?:my|the|our)\s+\w+.*$|"
    r"^(?:(?:call|meeting|mtg)\s+prep|prep\s+(?:(?:my|the)\s+)?(?:call|meeting|mtg))\s+(?:for\s+|on\s+|"
    r"with\s+|w/?\s+)?(?P<name5>.+)$|"
    r"^i\s+(?:have|got|ve got|'ve got)\s+(?:a|my|the)\s+(?:call|meeting|mtg|demo|chat)\s+"
    r"(?:with|w/?)\s+(?P<name6>.+?)\s*[,.;-]?\s*(?:anything|what(?:'s| is)?|prep me|brief me|"
    r"pls|please|what do i)\b.*$",
    I,
)
_MEETING = r"(?:call|calls|meeting|meetings|mtg|chat|demo|convo|conversation|catch ?up|sync)"
# What is said around the name: "my call with jane", "marcus meeting", "chris before my call
# tomorrow at 10".
_PREP_HEAD = re.compile(rf"^(?:(?:my|the|our|a|this)\s+)?(?:{_MEETING}\s+(?:with|w/?|to)\s+)?", I)
_PREP_TAIL = re.compile(
    rf"(?:'s)?(?:\s+(?:deal|account|opp|opportunity))?"
    rf"(?:\s+(?:before|for|ahead of|prior to)\s+(?:my|the|our|this|a)\s+{_MEETING}|\s+{_MEETING})?"
    r"(?:\s+(?:today|tomorrow|tonight|later|soon|now|right now|next|this (?:morning|afternoon|"
    r"evening)|(?:at|@|in)\s+\S+(?:\s*(?:mins?|minutes|hours?|hrs?|am|pm))?))*$",
    I,
)
PIPELINE = re.compile(
    r"^(?:how'?s|how is|how does)\s+(?P<whose>my|our|the team'?s|the)\s+pipeline"
    r"(?:\s+(?:look|looking|doing))?(?:\s+(?:today|now|rn|right now))?$|"
    r"^(?:show\s+(?:me\s+)?)?(?P<whose2>my|our|the team'?s|the)\s+pipeline(?:\s+report)?$|"
    r"^how\s+much(?:'s|\s+is)?\s+in\s+(?P<whose3>my|our|the team'?s|the)\s+pipeline"
    r"(?:\s+(?:today|now|rn|right now))?$",
    I,
)


# "is jane smith qualified yet or still new", "dana whitfield contacted or qualified?": a
# question with two statuses to choose from asks what the status is, and changes nothing.
_A_STATUS = "|".join(words for words, _ in (*vocab.STATUS_WORDS, *vocab.STAGE_WORDS))
_STILL = r"(?:\s+(?:yet|still|now|by now|already|at this point))*"
EITHER_STATUS = re.compile(
    rf"^(?:is|are|r|has|have|was|were)?\s*(?P<name>[\w.'-]+(?:\s+[\w.'-]+){{0,3}}?)\s*[:,]?\s+"
    rf"(?:(?:is|'s)\s+)?(?:still\s+|already\s+|become\s+|gotten\s+|got\s+|been\s+)?"
    rf"(?:an?\s+)?(?P<a>{_A_STATUS}){_STILL}\s*,?\s+or\s+(?:is\s+(?:she|he|it|they)\s+|"
    rf"are\s+they\s+|(?:she|he|they)(?:'s|s|'re)?\s+|(?:has|have|did)\s+(?:she|he|it|they)\s+"
    rf"(?:been\s+|gotten\s+|got\s+|get\s+|become\s+)?)?(?:still\s+|already\s+)?(?:an?\s+)?"
    rf"(?P<b>{_A_STATUS}){_STILL}$",
    I,
)


# "new leads since yday", "what leads came in today", "anyone new this wk": leads by when
# they were added (the search has no date filter: `plans/daily.recent_leads` reads it).
_ADDED = (
    r"(?:came in|come in|coming in|were added|got added|added|created|arrived|landed|showed up)"
)
RECENT_LEADS = re.compile(
    r"^(?:(?:any|show(?:\s+me)?|list|get|give me|what|which|who|how many)\s+)?"
    r"(?:(?:are|r|were)\s+)?(?:the\s+|my\s+|our\s+)?"
    r"(?:(?:new|fresh|latest|newest|recent)\s+(?:leads?|contacts?|ppl|people|ones)|leads?|"
    r"contacts?|(?:any|some)(?:one|body)\s+new|(?:any|some)\s+new\s+(?:ones|leads)|"
    rf"(?:who|anyone|anybody)(?=\s+{_ADDED}))"
    rf"(?:\s+(?:have|has|that|which|who))?(?:\s+been)?(?:\s+{_ADDED})?(?:\s+(?:in|for))?\s+"
    r"(?P<when>since\s+yesterday|since\s+(?:this\s+)?(?:monday|the\s+start\s+of\s+the\s+week)|"
    r"yesterday|today|so far today|this\s+morning|this\s+week|so far this week|"
    r"(?:in\s+)?the\s+(?:last|past)\s+(?P<n>\d+|two|three|few)\s+days|last\s+24\s+hours|"
    r"(?:in\s+)?the\s+(?:last|past)\s+(?:day|24\s+hours|week))$",
    I,
)


def prep_name(text: str) -> str:
    """Who a prep request is about, without the meeting words around the name."""
    name = _PREP_HEAD.sub("", text.strip())
    return _PREP_TAIL.sub("", name).strip(" ,.")


# "whose lead is tom becker", "remind me whose lead tom is", "is dana mine", "who owns priya".
_OWNED = r"(?:lead|contact|account|prospect)"
_MINE = r"(?:mine|one of mine|my (?:lead|contact|account|one)|yours|ours)"
_THEIRS = r"(?:[a-z]+(?:'s|’s|s'|s)|a teammate'?s|some(?:one|body) else'?s|the team'?s)"
OWNER = re.compile(
    rf"^(?:remind me\s+|do you know\s+)?whose\s+{_OWNED}\s+is\s+(?P<n>.+)$|"
    rf"^(?:remind me\s+|do you know\s+)?whose\s+{_OWNED}\s+(?P<n2>.+?)\s+is$|"
    r"^(?:remind me\s+)?who\s+owns\s+(?P<n3>.+)$|"
    r"^(?:who'?s|whos|who is)\s+(?:the\s+)?owner\s+(?:of|for|on)\s+(?P<n4>.+)$|"
    # "who's chris parker's owner", "whos chris parkers owner": the possessive, marked or
    # not (the search tries "chris parker" when "chris parkers" finds no one)
    r"^(?:who'?s|whos|who is)\s+(?P<n5>.+?)(?:'s|’s|')?\s+owner$|"
    r"^(?:is|are)\s+(?P<n6>(?:(?!\s+or\s).)+?)\s+(?:mine|one of mine|one of my (?:leads|contacts)|"
    r"my (?:lead|contact)|owned by me|assigned to me)$|"
    r"^do\s+i\s+own\s+(?P<n7>.+)$|"
    # "is tom becker mine or sams", "is jane sam's or mine", "dana - mine or sams?", "does
    # marcus belong to me or sam", "who has priya, me or sam": the person names the choice.
    rf"^(?:is|are)\s+(?P<n8>.+?)\s+(?:{_MINE}|{_THEIRS})\s+or\s+(?:is\s+(?:he|she|it|they)\s+|"
    rf"are\s+they\s+)?(?:{_MINE}|{_THEIRS})$|"
    rf"^(?P<n9>.+?)\s*(?:[-–—:,?]\s*)+(?:is\s+(?:he|she|it|that|this)\s+)?(?:{_MINE}|{_THEIRS})\s+or\s+"
    rf"(?:{_MINE}|{_THEIRS})$|"
    r"^(?:does|do|is)\s+(?P<n10>.+?)\s+(?:belong|belongs)\s+to\s+(?:me|us|\w+)(?:\s+or\s+(?:me|us|\w+))?$|"
    r"^(?:who\s+has|who'?s\s+got|whos\s+got|who\s+has\s+got|who\s+owns|whose\s+is)\s+(?P<n11>.+?)"
    r"\s*[,:-]?\s+(?:me|mine|you|sam|\w+'?s?)\s+or\s+(?:me|mine|\w+'?s?)$|"
    # "tom becker - is he mine?"
    rf"^(?P<n13>.+?)\s*[-–—:,]\s*(?:is\s+(?:he|she|it|that|this)\s+|are\s+they\s+)?{_MINE}$|"
    # "is nora murphy sam's?": a teammate's, named with the apostrophe.
    r"^(?:is|are)\s+(?P<n12>\w[\w.-]*(?:\s+\w[\w.-]*)?)\s+(?!(?:mine|yours)\b)[a-z]+(?:'s|’s|s')$",
    I,
)
# Asked in looser words, so only about a name or a company: "who's on the acme account",
# "who has initech", "who handles acme", "who's got tom becker" (never "who has a meeting").
LOOSE_OWNER = re.compile(
    r"^(?:remind me\s+|do you know\s+)?(?:who'?s|whos|who is|who'?re)\s+(?:on|working|covering|"
    r"running|handling|managing)\s+(?:the\s+)?(?P<n>.+?)(?:\s+(?:account|acct|accounts))?$|"
    r"^(?:remind me\s+|do you know\s+)?(?:who\s+(?:has|handles|covers|runs|manages|"
    r"ownes|own)|who'?s\s+got|whos\s+got|who\s+has\s+got)\s+(?:the\s+)?(?P<n2>.+?)"
    r"(?:\s+(?:account|acct|accounts))?$",
    I,
)
# Not a name after "who has": a role somewhere ("who runs ops at acme") or something done
# ("who has replied", "who has signed").
_NOT_OWNED = re.compile(
    r"\s(?:at|from|in|for|with|on)\s|^(?:replied|responded|answered|emailed|called|texted|"
    r"signed|booked|converted|closed|opened|clicked|bounced|unsubscribed|paid|churned|been)\b",
    I,
)
_ASKED_WHOSE = re.compile(r"^(?:whose|who'?s|who\s+has|who\s+owns)\s+(?:is\s+)?(?:the\s+)?", I)
_OWNER_TAIL = re.compile(
    rf"\s+(?:{_OWNED}|(?:at|from)\s+.+)$|"
    r"\s*,?\s*(?:mine|me|you|yours|\w+'?s)\s+or\s+(?:mine|me|\w+'?s)\s*\??$",  # ", mine or sam's?"
    I,
)
# Not a person: "brief me on my pipeline", "prep me for the day".
_NOT_A_LEAD = re.compile(r"(?:pipeline|day|week|today|tomorrow|tasks?|deals?|calls?|meetings?)", I)


def _either_request(text: str) -> Intent | None:
    """ "is jane qualified or still new": her status; "is the acme deal won or lost": the deal."""
    either = EITHER_STATUS.match(text)
    if either is None:
        return None
    a, b = either["a"].lower(), either["b"].lower()
    name = either["name"].strip(" -:,")
    deal = re.fullmatch(rf"(?:the\s+)?(?P<d>.+?)\s+{DEAL_WORDS}", name, I)
    if deal:
        if vocab.stage_in(a) is None or vocab.stage_in(a) == vocab.stage_in(b):
            return None
        return make_intent("list_deals", ref=lead_ref(deal["d"]))
    status = vocab.status_in(a)
    if status is None or vocab.status_in(b) is None or status == vocab.status_in(b):
        return None
    who = lead_ref(re.sub(r"^the\s+", "", name, flags=I))
    if who.pronoun:
        return make_intent("find_leads", ref=who, details=True, field="status")
    if _NOT_A_LEAD.fullmatch(who.text):
        return None
    return make_intent("find_leads", ref=who, query=who.text, details=True, field="status")


def _since_days(when: str) -> str:
    """The window as the plan reads it: "today", "yesterday" (that day alone), "since
    yesterday", "week" (since Monday) or "days:N" (the last N days, today included)."""
    if when in ("today", "so far today", "this morning"):
        return "today"
    if when == "yesterday":
        return "yesterday"
    if re.search(r"since\s+yesterday|last\s+24|past\s+24|(?:last|past)\s+day$", when):
        return "since yesterday"
    days = re.search(r"(?:last|past)\s+(?P<n>\d+|two|three|few)\s+days", when)
    if days:
        n = days["n"]
        return f"days:{int(n) if n.isdigit() else vocab.NUMBER_WORDS.get(n, 3)}"
    if re.search(r"(?:last|past)\s+week", when):
        return "days:7"
    return "week"


# "what's sam working on", "what is alex up to these days": a teammate's (or the person's
# own) open deals; the deal listing tells which, since the CRM names leads, not users.
WORKING_ON = re.compile(
    r"^(?:what'?s|whats|what is|what has|what'?ve)\s+(?P<who>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+"
    r"(?:been\s+|got\s+)?(?:working on|up to|busy with|focused on|focusing on|chasing|"
    r"sitting on)(?:\s+(?:rn|right now|now|atm|these days|this week|today|lately))?$",
    I,
)
_NOT_SOMEONE = re.compile(
    r"(?:i|we|you|u|they|he|she|it|everyone|everybody|the team|team|my team|someone|anyone)", I
)


def _next_calls(text: str) -> bool:
    """ "who shld i call first today, whats most urgent": each part asks who comes first."""
    parts = [p for p in re.split(r"\s*[,;?]\s*|\s+[-+]\s+", text) if p.strip()]
    return bool(parts) and all(NEXT_CALLS.match(p) or URGENT.match(p) for p in parts)


def daily_request(cmd: str) -> Intent | None:
    text = normalise(cmd.strip()).text.rstrip("?!. ")
    working = WORKING_ON.match(text)
    if working and not _NOT_SOMEONE.fullmatch(working["who"]):
        who = working["who"]
        return make_intent("list_deals", ref=lead_ref(who), whose=who)
    prep = PREP.match(text)
    if prep:
        name = prep_name(next(g for g in prep.groups() if g))
        if name and not _NOT_A_LEAD.fullmatch(name):
            return make_intent("prep_brief", name=name)
    owner = OWNER.match(text)
    if owner:
        said = next(g for g in owner.groups() if g)
        name = re.sub(r"^(?:the|that)\s+", "", _OWNER_TAIL.sub("", said), flags=I).strip(" ,")
        name = _ASKED_WHOSE.sub("", name)  # "whose is tom becker, mine or sams"
        many = re.search(r"\b(?:any|all|leads|contacts|people|ppl|deals?|opps?)\b", name, I)
        if name and not many and not _NOT_A_LEAD.fullmatch(name):
            return make_intent("lead_owner", ref=lead_ref(name))
    loose = LOOSE_OWNER.match(text)
    if loose and not _NOT_OWNED.search(loose["n"] or loose["n2"]):
        name = (loose["n"] or loose["n2"]).strip(" ,")
        if named(name) and not _NOT_A_LEAD.fullmatch(name):
            return make_intent("lead_owner", ref=lead_ref(name))
    either = _either_request(text)
    if either is not None:
        return either
    recent = RECENT_LEADS.match(text)
    if recent and (
        re.search(r"\b(?:new|fresh|latest|newest|recent)\b", text, I) or re.search(_ADDED, text, I)
    ):
        count = True if re.match(r"how many\b", text, I) else None
        return make_intent("recent_leads", since=_since_days(recent["when"].lower()), count=count)
    pipeline = PIPELINE.match(text)
    if pipeline:
        whose = (pipeline["whose"] or pipeline["whose2"] or pipeline["whose3"]).lower()
        return make_intent("pipeline_report", whose="team" if whose != "my" else "mine")
    if _next_calls(text):
        return make_intent("next_calls")
    did = DID.match(text)
    if did:
        when = next(g for g in did.groups() if g).lower()
        when = {"my week": "this week", "the week": "this week", "my day": "today"}.get(when, when)
        return make_intent("activity_report", when=when)
    return None
