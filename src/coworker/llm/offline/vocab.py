"""The words a sales team uses for the CRM's fixed values, and the words that are never names.

Statuses, deal stages, call outcomes and priorities are enums in the contract; people say
them a dozen ways ("DQ'd", "went with a competitor", "left a VM"). Keeping every synonym in
one table makes the interpreter's vocabulary easy to review and to extend.
"""

from __future__ import annotations

import re

STATUSES = ("new", "contacted", "qualified", "unqualified", "customer")
STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
OUTCOMES = (
    "interested",
    "not_interested",
    "callback",
    "no_answer",
    "voicemail",
    "meeting_booked",
    "wrong_number",
)

# Lead status words, longest phrases first where one contains another.
STATUS_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"not qualified|unqualified|disqualified|disqualify|dq'?d|dq|not a fit|bad fit|junk",
        "unqualified",
    ),
    (r"qualified|qualify|sql|mql|sales ready|sales-ready", "qualified"),
    (r"contacted|reached out|reached|in touch|touched|working", "contacted"),
    (r"customers?|client|clients|closed|won|converted|paying|signed", "customer"),
    (r"new|fresh|untouched|uncontacted", "new"),
)

STAGE_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"closed[ -]?won|won|win|signed|closed the deal|close it|closed it|closed|booked",
        "closed_won",
    ),
    (r"closed[ -]?lost|lost|dead|lose|killed|went with (?:a |another )?competitor", "closed_lost"),
    (r"negotiation|negotiating|negotiate|contract stage|contracting|redlines?", "negotiation"),
    (r"proposal|proposals|quote|quoted|proposal sent|pricing sent", "proposal"),
    (r"qualification|qualifying|discovery", "qualification"),
    (r"prospecting|prospect|prospects|early stage|early", "prospecting"),
)

# Call outcomes as people report them; the first matching row wins, so negations come first.
OUTCOME_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"wrong (?:number|no|#)|bad (?:number|#)|"
        r"(?:number|#|phone|cell) (?:is |was |'s )?(?:wrong|dead|disconnected|"
        r"not (?:hers|his|theirs|valid|in service))|disconnected|not (?:her|his|their) number|"
        r"no longer (?:at|with) (?:the|that) (?:number|company)",
        "wrong_number",
    ),
    (
        r"not interested|no interest|isn'?t interested|wasn'?t interested|aren'?t interested|"
        r"not keen|uninterested|(?:said|says) no\b|not a fit|turned (?:us|me) down|declined|"
        r"passed on it|not (?:buying|looking)|don'?t call|do not call|no budget|"
        r"happy with (?:their|the) (?:current )?vendor|"
        r"(?:went|go) with (?:a |another )?competitor|"
        r"(?:going|gone|goin) (?:with|w/?) (?:a |another )?competitor|"
        r"(?:picked|chose|signed with) (?:a |another )?competitor|"
        r"doesn'?t want|does not want|don'?t want|not moving forward",
        "not_interested",
    ),
    (
        r"meeting (?:is )?(?:booked|set|scheduled|confirmed)|booked (?:a |the |in a )?"
        r"(?:[\w-]+ ){0,2}?(?:meeting|mtg|demo|call|appointment|kickoff|kick-off|onsite|"
        r"follow[- ]?up)|(?:set|scheduled|set up|arranged|agreed (?:to|on))"
        r" (?:up )?(?:a |the )?(?:meeting|demo|call|appointment)|demo (?:is )?(?:booked|"
        r"scheduled|set)|agreed to meet|"
        # "booked him for a demo next tues", "got her on the calendar for friday"
        r"(?:booked|scheduled|set up|locked in|put) (?:him|her|them) (?:in )?(?:for|on) "
        r"(?:a |an |the )?(?:[\w-]+ )?(?:meeting|mtg|demo|call|appointment|kickoff|kick-off|"
        r"onsite|walkthrough)|"
        r"got (?:him|her|them) (?:on|onto) (?:the |my |our )?(?:calendar|cal)\b",
        "meeting_booked",
    ),
    (
        r"voice ?mail|\bl?vm\b|left (?:a |her a |him a |them a )?(?:message|msg)|answering machine|"
        r"went to (?:voicemail|vm|messages)",
        "voicemail",
    ),
    (
        r"no answer|didn'?t (?:answer|pick up|pickup)|did not (?:answer|pick up)|no pick ?up|"
        r"(?:nobody|no one|no-one) (?:answered|picked up)|not answering|wasn'?t answering|"
        r"unanswered|rang out|rang and rang|no reply|no response|couldn'?t reach|could not reach|"
        r"didn'?t get through|not picking up|straight to nothing|missed (?:me|my call)",
        "no_answer",
    ),
    (
        r"call (?:her |him |them |me |us )?back|callback|call-back|ring (?:her |him |them |me )?"
        r"back|call again|try again|try (?:her |him |them )?(?:again|later|next week)|"
        r"reconnect|follow up (?:next|later|in)|busy|bad time|asked (?:me|us) to call|"
        r"get back to (?:me|us)|touch base (?:next|later|again)|call next week|"
        r"not (?:a good|the right) time|pick (?:it|this|things) (?:back )?up (?:again )?"
        r"(?:after|in|next)|circle back (?:after|in|next)|revisit (?:it |this )?(?:after|in|next)|"
        # "wants to regroup after their board mtg": talk again later, at a time they name
        r"(?:regroup|reconvene|re-?engage|talk again|speak again|chat again) (?:after|in|next|once|"
        r"when|later|in the new year)",
        "callback",
    ),
    (
        r"interested|keen|excited|loves? it|loved|liked|likes|into it|wants? (?:a |the )?"
        r"(?:demo|pricing|quote|proposal|trial|pilot|deck|case study|more info|info|to buy|"
        r"to move (?:forward|fwd|ahead)|to sign|to talk|to meet)|ready to (?:buy|sign)|"
        r"(?:she|he|they)(?:'ll| will| would|'d) sign\b(?! nothing| no\b)|"  # "she'll sign if …"
        r"(?:move|moving) (?:forward|fwd|ahead)|"
        r"positive|promising|on board|hot lead|(?:great|good) (?:call|convo|chat)|went well|"
        r"(?:he'?s|she'?s|they'?re|theyre|hes|shes|we'?re) (?:all |totally )?in for\b|"
        r"(?:he'?s|she'?s|they'?re|theyre|hes|shes) (?:all )?in\b(?=\s*(?:[,.!;]|$))|"
        # "he's in on the 50 seats", "ready to go, just needs the contract in hand"
        r"(?:he'?s|she'?s|they'?re|theyre|hes|shes) (?:all )?in on\b|ready to go\b|"
        r"(?:just )?needs? (?:the |a )?(?:contract|paperwork|order form|agreement)"
        r"(?: in hand| sent| over| to sign)|"
        # "pilot is a go", "wants the paperwork sent over": a yes, said as reps say it
        r"(?:pilot|deal|it|we|that|project|rollout)(?:'s|s| is| are) (?:a )?go\b|we'?re a go\b|"
        r"green ?light|wants? (?:the |us to send (?:the |over )?)?(?:\d+[- ]seat )?(?:paperwork|"
        r"order form)|wants? (?:the )?(?:contract|agreement) sent",
        "interested",
    ),
)

PRIORITY_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"high(?:est)? priority|(?:high|hi) prio?\b|priority high|top priority|\burgent(?:ly)?\b|"
        r"\basap\b|"
        r"\bimportant\b|\bcritical\b|p1\b|!!+|\bhigh\b",
        "high",
    ),
    (
        r"low(?:est)? priority|low prio?\b|priority low|no rush|not urgent|whenever|someday|"
        r"\blow\b|p3\b",
        "low",
    ),
    (
        r"medium priority|normal priority|med priority|priority medium|\bmedium\b|\bnormal\b|p2\b",
        "medium",
    ),
)

# Words that sort leads into kinds rather than name anyone ("hot leads", "my enterprise
# contacts"): before a word for leads they are read as a tag. The CRM's own tags decide
# (the plan checks `list_tags`); a word that is no tag there is said to be none.
TAG_LIKE = frozenset(
    "hot warm cold vip enterprise smb renewal renewals strategic partner referral webinar".split()
)

COLOURS = {
    "red": "#e4572e",
    "orange": "#ff7f0e",
    "yellow": "#f2c14e",
    "green": "#2ca02c",
    "blue": "#1f77b4",
    "purple": "#9467bd",
    "violet": "#9467bd",
    "pink": "#e377c2",
    "teal": "#17becf",
    "cyan": "#17becf",
    "brown": "#8c564b",
    "grey": "#7f7f7f",
    "gray": "#7f7f7f",
    "black": "#222222",
    "olive": "#bcbd22",
    "gold": "#d4a017",
}

CURRENCIES = {
    "$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "cad": "CAD",
    "aud": "AUD",
    "chf": "CHF",
    "jpy": "JPY",
    "¥": "JPY",
}

# Words that are never (part of) a person's or company's name in a request. Used to tell
# "text jane smith running late" (name: jane smith) from "text jane running late"; the
# interjections ("oh and put a task on me ...") are never a lead the next "her" stands for.
COMMON_WORDS = frozenset(
    """
a about above across actually add added after again against ago all almost already also
although always am an and another any anyone anything are aren around as ask asked asking at
away back bad be because been before being below between both but by call called calling calls
can cannot cant check come coming could couldnt day days deal deals did didnt do does doesnt
doing done dont down due during each early either else email emailed emails end enough even
ever every everything few find first follow for found from get gets getting give go going gone
good got great had has hasnt have havent having he her here hers herself him himself his how
however i if im in inform into is isnt it its itself ive just keep know last late later lead
leads least left less let lets like little log look lot made make many may maybe me meet
meeting message min mine minutes more most much must my myself need needs never new next no
nobody not note notes nothing now of off ok okay on once one only or other our ours out over
own please pls plz put quick quickly quite rather re really regarding running said same saw say
saying says see send sent set she should shouldnt since so some someone something soon still
such sure take talk talked task tasks tell text than thank thanks that thats the their theirs
them then there these they thing things think this those though through till to today told
tomorrow tonight too took try trying up update upon us use very via wait want wanted wants was
wasnt we week well went were what whats when where whether which while who whom whose why will
with within without wont would wouldnt yes yet you your yours yourself asap re fyi eta hey hi
hello running late minutes min mins hour hours ready around early on my way omw sorry stuck
traffic heads up reminder remind just confirm confirming meeting tomorrow call back about the
deck pricing proposal quote contract demo intro update status info information details number
phone address today tonight tomorrow monday tuesday wednesday thursday friday saturday sunday
morning afternoon evening noon be there soon running behind delayed here
twice thrice earlier
oh ohh ah ahh eh uh uhh um umm hmm hm oops whoops ugh argh welp btw lol haha yeah yep yup nah
nope cool alright anyway anyways
""".split()
)

# Words that make up task titles and deal names rather than names of people or companies:
# "done with the weekly pipeline review" mentions no lead to look up.
TASK_WORDS = frozenset(
    """
prepare prep weekly pipeline review update call script campaign clean duplicate duplicates
log expenses trade show refresh pricing one-pager pager plan next month's territory send
proposal demo check trial confirm meeting time case study renewal terms book onsite visit
security questionnaire intro share roi calculator contract contracts deck follow quote
invoice report slides agenda notes docs documents onboarding kickoff kick training sync
standup lunch coffee dinner draft sign nda order payment license licence upsell qbr budget
forecast target quota pilot seats plan plans page typo website site fix renew reply answer
question questions feedback survey reference references webinar event booth conference
presentation pitch discovery agreement legal po paperwork signature approval sow msa
brochure catalog catalogue sample samples shipment delivery install installation setup
kit gift card thank note memo list lists sheet spreadsheet crm data dashboard report
reports numbers figures email emails text texts call calls voicemail follow-up task tasks
reminder reminders todo lead leads deal deals opportunity opportunities account accounts
q1 q2 q3 q4 annual monthly quarterly daily team teams internal external client clients
customer customers partner partners vendor vendors board exec executive sponsor champion
""".split()
)

# Numbers in words, cardinal and ordinal, in one place: a due phrase's quantity ("in three
# days"), a list position ("the second one").
NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
    "10th": 10,
}


def _compile(rows: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"(?<![a-z])(?:{pattern})(?![a-z])"), value) for pattern, value in rows
    )


STATUS_PATTERNS = _compile(STATUS_WORDS)
STAGE_PATTERNS = _compile(STAGE_WORDS)
OUTCOME_PATTERNS = _compile(OUTCOME_WORDS)
PRIORITY_PATTERNS = _compile(PRIORITY_WORDS)


def first_value(
    patterns: tuple[tuple[re.Pattern[str], str], ...], text: str
) -> tuple[str, re.Match[str]] | None:
    """The first row (in table order) whose pattern occurs in `text`, with its match."""
    for pattern, value in patterns:
        found = pattern.search(text)
        if found:
            return value, found
    return None


def status_in(text: str) -> str | None:
    hit = first_value(STATUS_PATTERNS, text)
    return hit[0] if hit else None


def stage_in(text: str) -> str | None:
    hit = first_value(STAGE_PATTERNS, text)
    return hit[0] if hit else None


_STAGE_ONLY = re.compile(
    rf"^(?:the\s+|a\s+)?(?:{'|'.join(words for words, _ in STAGE_WORDS)})"
    r"(?:\s+(?:stage|phase|now|already|finally))*[.!]*$",
    re.I,
)


def stage_named(value: str) -> str | None:
    """The stage when `value` is only a stage word ("negotiation", "the proposal stage"): a
    deal's stage, never a company or a title, whatever phrase it followed."""
    return stage_in(value.lower()) if _STAGE_ONLY.match(value.strip()) else None


def outcome_in(text: str) -> str | None:
    hit = first_value(OUTCOME_PATTERNS, text)
    return hit[0] if hit else None


def priority_in(text: str) -> tuple[str, re.Match[str]] | None:
    return first_value(PRIORITY_PATTERNS, text)
