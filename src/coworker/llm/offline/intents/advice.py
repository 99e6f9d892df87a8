"""Advice asked about a lead: "should i mark dana lost?", "should we give up on tom", "is
chris parker worth chasing still?". Offline there is no judgement to give, but the facts it
would rest on are in the CRM: the lead's record, its status and latest notes, shown. Read
before every rule that acts, since the words of the change are all there: a question is
never a write.

A deal asked about this way ("should i mark the bluth deal lost?") is the deal listing's
(`stage_lists`), and a lead status named outright ("should i mark hugo as customer?") the
field questions' (`lead_questions.should_request`).
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import DEAL_WORDS, I, Intent, make_intent
from coworker.llm.offline.intents.deal_dates import NAMED_DEAL
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

# What a rep might do to a lead they doubt.
_GIVE_UP = (
    r"(?:mark|move|set|put|flag|close(?:\s+out)?|write\s+off|give\s+up\s+on|drop|let\s+go\s+of|"
    r"kill|stop\s+(?:chasing|calling|emailing|pursuing|following\s+up\s+with)|"
    r"(?:keep|still\s+be)\s+(?:chasing|pursuing|calling|following\s+up\s+with)|chase|pursue|"
    r"bother\s+with|ditch|dump|bin|archive|disqualify|dq|walk\s+away\s+from|move\s+on\s+from)"
)
# What they would mark it: a lost cause, not a lead status the CRM has.
_OUTCOME = (
    r"(?:closed[\s-]*lost|lost|dead|gone|cold|closed|done|a\s+lost\s+cause|a\s+no|"
    r"not\s+interested|unqualified|disqualified|dq'?d|dead\s+in\s+the\s+water)"
)
_STILL = r"(?:\s+(?:yet|now|already|or\s+not|at\s+this\s+point|then|still|anymore|any\s+more))*"
_ASK = (
    r"^(?:(?:do\s+(?:you|u)\s+think\s+|would\s+it\s+make\s+sense\s+(?:if|that)\s+)?"
    r"(?:should|shall|shd|shld|do|would|could)\s+(?:i|we|u)\s+(?:just\s+|really\s+|still\s+|"
    r"finally\s+)*(?:go\s+ahead\s+and\s+)?|is\s+it\s+time\s+(?:to|that\s+(?:i|we))\s+|"
    r"(?:is\s+it\s+)?worth\s+(?:it\s+to\s+)?|time\s+to\s+)"
)
ADVICE = (
    re.compile(
        rf"{_ASK}{_GIVE_UP}\s+(?P<who>.+?)(?:\s+(?:as|to|into))?(?:\s+{_OUTCOME})?{_STILL}$",
        I,
    ),
    # "is tom becker worth chasing still?", "is dana a lost cause"
    re.compile(
        r"^(?:is|are)\s+(?P<who>.+?)\s+(?:still\s+|even\s+)?(?:worth\s+(?:chasing|pursuing|"
        r"calling|following\s+up(?:\s+with)?|it|the\s+effort|(?:our|my)\s+time)|"
        rf"a\s+lost\s+cause|a\s+dead\s+end){_STILL}$",
        I,
    ),
)
_TAIL = re.compile(r"[\s?!.]+$")


def advice_request(u: Utterance, cmd: str) -> Intent | None:
    """ "should i mark dana lost?": the lead's record (status, latest notes), nothing changed."""
    text = _TAIL.sub("", cmd.strip())
    for pattern in ADVICE:
        m = pattern.match(text)
        if m is None:
            continue
        who = re.sub(r"^(?:the|this|that)\s+(?=\w+\s+\w)", "", m["who"].strip(" ,"), flags=I)
        if re.search(rf"\b{DEAL_WORDS}\b", who, I) or NAMED_DEAL.match(who):
            return None  # a deal: the deal listing answers it
        ref = lead_ref(who)
        if not (ref.pronoun or named(ref.text)):
            return None
        return make_intent("find_leads", ref=ref, query=ref.text or None, details=True)
    return None
