"""Messages about the conversation itself: empty, junk, foreign, help, greetings, "yes"/"no",
the day's overview, and what the offline model cannot do.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import KEYWORDS, Utterance

FOREIGN = frozenset(
    """
hola quiero por favor para con los las una mis tareas mostrar muestrame enviar correo
necesito llamar buenos dias gracias donde esta cuales bonjour merci je veux les des mes
taches envoyer avec pour est une aujourd'hui hui rendez quoi hallo bitte ich mochte meine
aufgaben zeige mir und der die das mit fur heute kunden ola obrigado minhas tarefas voce
ciao grazie mie voglio mostra oggi compiti naam hoe wat dank
""".split()
)


GREET_WORDS = frozenset(
    """
hi hello hey yo morning good afternoon evening thanks thank you thx ty cheers great
cool nice awesome perfect bye goodbye see ya later there coworker sup hiya howdy
appreciate it much so very lovely brilliant excellent night how are doing whats
what's up all for the help that's thats helpful wonderful amazing super
""".split()
)


YES_WORDS = frozenset(
    """
yes yeah yep yup sure ok okay go ahead do it send approve approved confirm confirmed
correct right sounds good that works fine please absolutely definitely y k looks
lgtm ship proceed
""".split()
)


NO_WORDS = frozenset(
    """
no nope nah cancel dont don't stop never mind nevermind abort wait hold on n not
skip forget it scratch that do send
""".split()
)


def meta_request(u: Utterance, cmd: str) -> Intent | None:
    raw = u.raw
    if not raw.strip():
        return make_intent("empty")
    if not re.search(r"[^\W\d_]", raw):
        return make_intent("noise")
    letters = [ch for ch in raw[:2000] if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    if letters and latin / len(letters) < 0.5:
        return make_intent("foreign")
    foreign = sum(1 for w in u.words[:60] if w in FOREIGN)
    english = sum(1 for w in u.words[:60] if w in KEYWORDS or w in vocab.COMMON_WORDS)
    if foreign >= 2 and foreign > english:
        return make_intent("foreign")
    if len(raw) > 3000 and not re.match(
        r"^\W*(?:email|e-mail|text|sms|note|log|add a note|remind|create|send)\b", cmd, I
    ):
        return make_intent("too_long")
    low = cmd.lower()
    words = re.findall(r"[a-z0-9']+", low)  # "15k" is an amount, not "k" (okay)
    if re.fullmatch(
        r"(?:help|help me|\?+|what can (?:you|u|i) (?:do|ask|say|help with)(?: for me| here|"
        r" offline)?|"
        r"what do you do|what (?:else )?can you help (?:me )?with|how do(?:es)? (?:this|it|"
        r"you) work|"
        r"how do i use (?:this|you|it)|commands|menu|options|what are you|who are you|"
        r"what are your (?:capabilities|features|commands)|capabilities|features|"
        r"(?:getting|get) started|usage|instructions|examples?|what should i (?:ask|say|type)|"
        r"what can i ask(?: you)?|what do you understand|what works offline|"
        r"how does offline mode work|"
        r"are you (?:an? )?(?:ai|bot|claude|llm)|is this claude|what model (?:is this|are you)|"
        r"what are you (?:able to do|capable of|good for|for)|what can this (?:do|thing do)|"
        r"what do you know how to do|how can you help(?: me)?|what (?:commands|"
        r"things) can i (?:use|say))",
        low,
    ) or low in ("h", "halp", "hlep", "helpp", "assist", "assistance"):
        return make_intent("help")
    greet_words = GREET_WORDS
    if words and len(words) <= 7 and all(w in greet_words for w in words):
        thanks = bool({"thanks", "thank", "thx", "ty", "cheers", "appreciate"} & set(words))
        bye = bool({"bye", "goodbye", "later", "night"} & set(words))
        return make_intent("greet", thanks=thanks, bye=bye)
    yes = YES_WORDS
    no = NO_WORDS
    if words and len(words) <= 5:
        if words[0] in (
            "no",
            "nope",
            "nah",
            "cancel",
            "dont",
            "don't",
            "stop",
            "never",
            "nevermind",
            "abort",
            "wait",
            "hold",
            "n",
            "skip",
            "forget",
            "scratch",
        ):
            if all(w in no for w in words):
                return make_intent("confirm", yes=False)
        elif all(w in yes for w in words):
            return make_intent("confirm", yes=True)
    return None


OVERVIEW = re.compile(
    r"(?:what'?s|what is|whats) (?:on )?(?:my|the) (?:plate|agenda|schedule|day|docket|calendar|"
    r"list) ?(?:today|for today|this morning)?$|"
    r"what(?:'s| is)? (?:on|in) (?:store|deck) (?:for )?today|"
    r"what (?:do|have) (?:i|we) (?:got|have|got going on|have going on|have on|got on|"
    r"have planned|got planned)"
    r"(?: for)? today|"
    r"^(?:my|the) day$|plan (?:for )?(?:my|the) day|daily (?:summary|briefing|overview|digest|"
    r"recap)|"
    r"(?:summary|overview|rundown|run-down|recap) (?:of|for) (?:my |the )?(?:day|today)|"
    r"^(?:overview|briefing|summary|my summary|daily|agenda|dashboard|status report|today)$|"
    r"what should i (?:focus on|work on|do|prioriti[sz]e)(?: first)? today|"
    r"what do i (?:need|have) to (?:focus on|work on|do|prioriti[sz]e)(?: first)? today|"
    r"what should i (?:focus on|work on|prioriti[sz]e)|where (?:do|should) i start|"
    r"what'?s (?:up|happening|going on|new)(?: for me)? today|"
    r"^what'?s (?:up|happening|going on|new)(?: for me)?$|"
    r"morning (?:summary|briefing|report|update)|today'?s (?:agenda|plan|summary|priorities|"
    r"overview)|"
    r"catch me up|what did i miss|start my day|give me (?:a |my )?(?:rundown|run-down|recap|"
    r"overview|"
    r"summary|briefing)|how(?:'s| is| does) my day(?: look(?:ing)?)?|"
    r"what does my day look like|what'?s my day look(?:ing)? like|"
    r"what(?:'s| is) (?:on )?(?:my )?(?:plate|agenda)|"
    r"what(?:'?ve|ve| have) (?:i|we) got(?: on| going on| planned)?(?: for)? today|"
    r"what(?:'?s|s| is) (?:my|the) day (?:like|looking like|look like)|"
    r"what(?:'?s|s| is) (?:on )?(?:for me|for us|in store)(?: for)? today",
    I,
)


def overview_request(cmd: str) -> Intent | None:
    """ "What's on my plate today" (a day ahead, "tomorrow", is a task list instead)."""
    if OVERVIEW.search(cmd) and not re.search(
        r"\b(?:tomorrow|tmrw|tmr|tmrow|2moro|2morrow)\b|\bnext (?:week|wk)\b", cmd, I
    ):
        return make_intent("overview")
    return None


_TRACKING = re.compile(
    r"\b(?:did|has|have)\b.*\b(?:open(?:ed)?|read|click(?:ed)?)\b.*\b(?:email|mail|message|"
    r"link)\b",
    I,
)


def tracking_request(cmd: str) -> Intent | None:
    """ "Did Jane open my email?": the API keeps no opens or clicks; said so, not guessed."""
    return make_intent("unsupported", topic="tracking") if _TRACKING.search(cmd) else None


UNSUPPORTED_VERBS = re.compile(
    r"^(?:re-?assign|assign|transfer|hand over|handover|merge|dedupe|de-duplicate|import|upload|"
    r"export|download|undo|revert|restore|unsend|recall|forecast|translate|summari[sz]e|"
    r"analy[sz]e|write me|write a (?:poem|story|blog|post|song)|compose a|tell me a joke|"
    r"predict|generate a report|build a report|make a (?:chart|report|graph)|unsubscribe|"
    r"opt (?:out|in)|unenroll|un-enroll)\b",
    I,
)


SEQUENCE = r"(?:sequences?|cadences?|campaigns?|drips?|nurture)\b"
# "create a new sequence called Q1 blitz, 4 steps": the API can enroll leads in a sequence
# but has no way to make one, so it is said plainly (never read as "list sequences").
_NEW_SEQUENCE = re.compile(
    r"^(?:(?:can|could) (?:you|u)\s+|pls\s+|please\s+)?(?:create|make|set\s*up|build|start|"
    r"spin up|draft|write|add)\s+(?:me\s+|us\s+)?(?:an?\s+|another\s+)?(?:new\s+)?"
    r"(?:(?:\d+|one|two|three|four|five|six|seven|eight)[- ]?(?:step|email|touch)\s+|email\s+|"
    r"outbound\s+|nurture\s+|drip\s+)*" + SEQUENCE + r"|^new\s+" + SEQUENCE,
    I,
)


# Placing a call is the dialer's, not the coworker's: "dial marcus for me rn", "place a call
# to dana", "get marcus on the phone", "ring luis asap". Read before the task rules, which
# would take "phone isabella right now" for a task due now; "call jane tmrw" stays a task
# (a call said with no "now" is read there, or by the lead reader's `dial_request`).
_NOW_WORDS = r"(?:now|rn|right now|right away|asap|immediately|for me|for us|pls|please|plz)"
_PLACE_CALL = re.compile(
    r"^(?:(?:dial|place a call to|make a call to|put (?:a )?call (?:in |through )?to|"
    r"patch me (?:in |through )?to|connect me (?:to|with))\s+(?P<r>.+?)|"
    r"get\s+(?P<g>.+?)\s+on the (?:phone|line)|"
    rf"(?:call|ring|phone|give)\s+(?P<c>.+?)(?:\s+a\s+(?:call|ring|buzz))?(?=(?:\s+{_NOW_WORDS})+$))"
    rf"(?:\s+{_NOW_WORDS})*$",
    I,
)


def place_call_request(u: Utterance, cmd: str) -> Intent | None:
    """A call to place now: said plainly that it can't be (the plan shows the number)."""
    m = _PLACE_CALL.match(cmd.strip(" .!?"))
    head = re.split(r"\s*[,;]\s*|\s+and\s+", cmd.strip(" .!?"), maxsplit=1)[0]
    if m is None and head != cmd.strip(" .!?") and re.search(rf"\s{_NOW_WORDS}$", head, I):
        m = _PLACE_CALL.match(head)  # "call luis for me rn, put him on speaker": the dialer's
    if m is None:
        return None
    who = (m["r"] or m["g"] or m["c"] or "").strip()
    if not who or re.match(r"^(?:me|us|my|an?|the)\b", who, I):
        return None  # "call me an uber": an errand, read by `unsupported_verb_request`
    return make_intent("call_lead", ref=lead_ref(who))


# "great now send that to everyone on the list": the last message again, to people unnamed
_RESEND = re.compile(
    r"^(?:(?:great|ok|okay|cool|nice|perfect|awesome|thanks|ty|now|and|also|then)[\s,!.]+)*"
    r"(?:(?:pls|please|can (?:you|u))\s+)?(?:send|forward|fwd|email|text|blast)\s+(?:that|it|this|"
    r"the same(?:\s+(?:one|message|email|text|thing))?)\s+(?:out\s+)?to\s+(?:every\w*|all|the)\b",
    I,
)


def unsupported_verb_request(u: Utterance, cmd: str) -> Intent | None:
    if _RESEND.match(cmd):
        return make_intent("unsupported", topic="resend")
    if UNSUPPORTED_VERBS.match(cmd):
        return unsupported_topic(u, cmd)
    if re.search(
        rf"\b(?:take|remove|pull|drop|get)\b.+\b(?:out of|off|from)\b.*\b{SEQUENCE}", cmd, I
    ):
        return make_intent("unsupported", topic="unenroll")
    if _NEW_SEQUENCE.match(cmd):
        return make_intent("unsupported", topic="new_sequence")
    if OUTSIDE.search(_before_payload(cmd)) and not INSIDE.match(cmd):
        named = unsupported_topic(u, cmd)  # "book a zoom": the calendar's own answer
        calendar = named.slots.get("topic") == "calendar" and _CALENDAR.search(cmd)
        return named if calendar else named.but(topic="outside")  # "book a hotel": outside
    return None


# What makes an errand the calendar's: a meeting or an invite, not "book a" (a hotel, a cab).
_CALENDAR = re.compile(r"\b(?:calendar|meetings?|invites?|zoom|teams|google meet|gmeet)\b", I)


def _before_payload(cmd: str) -> str:
    """The request without the text it dictates ("text jane: saw ur post on linkedin" is a
    text, whatever its words name) and without where the person read something ("set her
    title to coo, per her linkedin" is a change of title)."""
    head = re.split(r"[:\"“]|\s(?:saying|telling)\s", cmd, maxsplit=1)[0]
    return _SOURCE.sub(" ", head)


_SOURCE = re.compile(
    r"\b(?:per|according to|from|based on|says|said|saw (?:it )?on|it says on)\s+(?:(?:her|his|"
    r"their|the|my|a)\s+)?(?:linkedin|twitter|facebook|instagram|website|site|email sig\w*)\b",
    re.I,
)


# Errands outside the CRM ("book me a flight", "order lunch", "book a meeting room"): they
# change nothing, whatever else the sentence holds (a date, a name), unless the person asks
# for a task or a note about them ("remind me to book the flight").
OUTSIDE = re.compile(
    r"\b(?:book|reserve|get|find|buy|order|grab|arrange|rent|call)\s+(?:me\s+|us\s+)?(?:an?\s+|"
    r"the\s+|some\s+|my\s+)?(?:flights?|plane tickets?|train tickets?|hotels?|hotel rooms?|"
    r"airbnb|trains?|cabs?|taxis?|ubers?|lyfts?|rental cars?|a car to|lunch|dinner|breakfast|"
    r"coffee|pizza|meeting rooms?|conference rooms?|table(?:\s+(?:for|at))?|reservations?|"
    r"restaurant|(?:concert |game |movie |event )?tickets?|haircut|massage|"
    r"doctor'?s appointment)\b|"
    r"\bflights? (?:to|from)\b|\bteam (?:lunch|dinner|breakfast)\b|"
    r"\border\s+(?:\w+\s+){0,2}(?:food|lunch|dinner|thai|sushi|pizza|tacos|burgers|chinese|indian|"
    r"catering|takeout|take-out|delivery)\b|"
    r"\b(?:set up|schedule|book|arrange|send|start|host|open)\s+(?:me\s+)?(?:a |an )?(?:zoom|teams "
    r"(?:call|meeting)|google meet|gmeet|webex|hangout)s?\b|"
    r"\b(?:calendar|meeting|zoom|teams|google meet)\s+invites?\b|"
    r"\b(?:aisle|window) seat\b|\bwhat time is it\b|"
    # other networks and apps the coworker has no way into
    r"\b(?:linkedin|twitter|facebook|instagram|whatsapp|telegram|wechat|tiktok|docusign|"
    r"venmo|paypal)\b|\bconnect(?:ion)? requests?\b|\b(?:google|outlook|my) calendar\b|"
    r"\b(?:fax|print out|print off)\b|\bset (?:an? |my )?alarm\b|\bexpense reports?\b|"
    r"\b(?:send|order|get)\s+(?:\w+\s+){0,2}(?:flowers|a gift|gift cards?|swag)\b|"
    # approvals, money and documents the CRM has no part in
    r"\bapprove\s+(?:an?\s+|the\s+|this\s+|my\s+)?(?:\d+\s*%\s*)?(?:discount|price|pricing|"
    r"exception|contract|budget|expense)|\b(?:issue|process|give)\s+(?:an?\s+|the\s+)?refund\b|"
    r"\b(?:create|generate|issue|raise|cut)\s+(?:an?\s+|the\s+)?(?:invoice|po|purchase order)\b|"
    r"\bcharge\s+(?:their|his|her|the)\s+(?:card|account)\b|"
    # other tools and channels: chat channels, personal contacts and calendars, the web
    r"(?:^|\s)#[a-z][\w-]+|\bpost\s+(?:it\s+|this\s+|that\s+)?(?:in|on|to)\s+(?:the\s+)?"
    r"(?:#|slack|teams|channel)|\b(?:google|gmail|phone|iphone|outlook)\s+contacts\b|"
    r"\bgoogle\s+(?!docs?\b|sheets?\b|drive\b|slides?\b|meet\b|calendar\b|contacts\b|forms?\b)|"
    r"\b(?:search the web for|search online for|look online for)\b|"
    r"\b(?:10-k|10k (?:filing|report)|annual report|earnings call|press release)\b|"
    r"\b(?:cancel|move|reschedule)\s+my\s+(?:\w+\s+){0,2}(?:dentist|doctor|haircut|"
    r"appt|appointment|flight|hotel)\b",
    I,
)
INSIDE = re.compile(
    r"^(?:remind|add (?:a )?(?:task|note|reminder)|create (?:a )?(?:task|note|reminder)|"
    r"new (?:task|note|reminder)|(?:a )?task|note|log|todo|to do|set (?:a )?reminder)\b",
    I,
)


UNSUPPORTED_TOPICS = (
    (
        r"\b(?:open(?:ed|s)?|read|click(?:ed|s)?)\b.*\b(?:email|mail|message|link)\b|\bopen rate",
        "tracking",
    ),
    (r"\b(?:unsubscribe|opt (?:out|in)|unenroll|un-enroll)\b", "unenroll"),
    (r"\b(?:calendar|meeting|invite|zoom|teams|book a|schedule)\b", "calendar"),
    (
        r"\b(?:report|forecast|export|csv|excel|spreadsheet|chart|graph|dashboard|analytics)\b",
        "report",
    ),
    (r"\b(?:assign|reassign|re-assign|owner|transfer|hand over|handoff)\b", "assign"),
    # "upload the call recording to our google drive": another app's files, not a lead import
    (
        r"\b(?:google drive|g ?drive|dropbox|onedrive|sharepoint|box folder|drive folder|"
        r"recordings?)\b",
        "outside",
    ),
    (r"\b(?:import|upload|bulk|merge|dedupe|duplicates?)\b", "bulk"),
    (r"\b(?:undo|revert|restore|unsend|recall)\b", "undo"),
    (
        r"\b(?:weather|joke|poem|story|news|sports|stock|recipe|translate|song|movie|lyrics)\b",
        "chat",
    ),
    (r"\b(?:linkedin|twitter|facebook|instagram|whatsapp|slack)\b", "social"),
    (
        r"\b(?:write|draft|compose|rewrite|improve|summari[sz]e|analy[sz]e|explain|why|should i|"
        r"advice|recommend|strategy|think)\b",
        "thinking",
    ),
)


def unsupported_topic(u: Utterance, cmd: str) -> Intent:
    low = cmd.lower()
    for pattern, topic in UNSUPPORTED_TOPICS:
        if re.search(pattern, low):
            return make_intent("unsupported", topic=topic)
    return make_intent("unsupported", topic="unknown")
