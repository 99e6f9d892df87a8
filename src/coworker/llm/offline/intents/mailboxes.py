"""The person's own mailboxes as a sentence names them ("from my outlook acct", "via
gmail", "my other mailbox"), and the request to send a waiting email from another one. The
email readers look for these phrases before and around the body; keeping the vocabulary here
keeps it one list for every reader and for the plans that name a mailbox.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.text import Utterance

# The person's own mailboxes, by the words a sentence names them with: a provider, an
# address, or a role ("my other mailbox"). The slot keeps the provider ("outlook"), the
# address, the role ("other", "default") or the person's own word ("yahoo").
MAILBOX_PROVIDERS = {
    "gmail": "gmail",
    "g-mail": "gmail",
    "google": "gmail",
    "gsuite": "gmail",
    "outlook": "outlook",
    "office": "outlook",
    "office365": "outlook",
    "office 365": "outlook",
    "o365": "outlook",
    "microsoft": "outlook",
    "exchange": "outlook",
    "hotmail": "outlook",
    "smtp": "smtp",
}
MAILBOX_ROLES = {
    **dict.fromkeys("other second secondary alt alternate 2nd".split(), "other"),
    **dict.fromkeys("default main primary usual normal regular".split(), "default"),
}
_ACCOUNT = r"(?:acct|account|mailbox|inbox|address|addr|e-?mail(?: account| address)?)"
_PROVIDER = "|".join(sorted(map(re.escape, MAILBOX_PROVIDERS), key=len, reverse=True))
_ROLE = "|".join(sorted(MAILBOX_ROLES, key=len, reverse=True))
_KIND = r"(?:(?:work|personal|business|company|sales)\s+)?"  # "my work gmail"
_BOX = (
    rf"(?:(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?:\s+{_ACCOUNT})?|"
    rf"(?:(?:my|the|our)\s+)?{_KIND}(?P<provider>{_PROVIDER})(?:\s+{_ACCOUNT}|\s+one)?|"
    rf"(?:(?:my|the|our)\s+)?(?P<role>{_ROLE})(?:\s+one|\s+{_ACCOUNT})|"
    rf"my\s+{_KIND}(?P<word>[\w-]+)\s+{_ACCOUNT})\b"
)
_VIA = (
    r"(?:\bsend(?:ing)?\s+(?:it\s+|this\s+|them\s+)?)?"
    r"\b(?:from|via|using|use|through|(?P<loose>with|on))\s+"
)
_AFTER_BOX = r"(?:\s+(?:this time|instead|for this(?: one)?|pls|please|plz))*"
# "from my outlook acct", "using alex@…", "via gmail", "send it from the other one"
MAILBOX_PHRASE = re.compile(_VIA + _BOX + _AFTER_BOX, I)
# "email jane re pricing (outlook): …"
_PAREN_BOX = re.compile(rf"\(\s*(?:(?:from|via|using)\s+)?{_BOX}\s*\)", I)
# After "with"/"on" a mailbox ends the phrase ("on outlook: …"); "on the google doc" is a topic.
_LOOSE_END = re.compile(r"\s*(?:[,:;.)!?-]|$)|\s+(?:and|to|then|pls|please|plz)\b", I)


def _mailbox_phrases(cmd: str) -> list[re.Match[str]]:
    """Where `cmd` names a mailbox, in order (`MAILBOX_PHRASE`, `_PAREN_BOX`)."""
    found = [
        m for m in MAILBOX_PHRASE.finditer(cmd) if not m["loose"] or _LOOSE_END.match(cmd, m.end())
    ]
    return sorted([*found, *_PAREN_BOX.finditer(cmd)], key=lambda m: m.start())


# The same named first, before the request: "gmail acct pls, email chris …", "use X to email"
_LEADING_BOX = re.compile(
    rf"^(?:{_VIA})?{_BOX}{_AFTER_BOX}(?:\s*[,;:-]+|\s+(?:and|to|then|&)\b)?\s*"
    r"(?P<rest>(?:pls\s+|please\s+|plz\s+|now\s+|can you\s+|could you\s+)*"
    r"(?:e-?mail|mail|send|shoot|drop|fire off|write|compose|draft|reply|respond|give|let|"
    r"tell|inform|notify|ping|message|contact|reach out|update)\b.*)$",
    I | re.S,
)
# The body has begun: after a colon, a dash, a quote, "saying" or "body".
_BODY_BEGUN = re.compile(r"(?:[:\"]|\s-+|\bsaying|\bbody)\s*$", I)
# Words after which "from outlook" is a topic, not the mailbox: "re switching from outlook"
_TOPIC_BEFORE = re.compile(
    r"\b(?:mov\w*|switch\w*|migrat\w*|transition\w*|chang\w*|port\w*|coming|away|off|"
    r"leav\w*|import\w*|export\w*|sync\w*)\s*$",
    I,
)


def _mailbox_of(m: re.Match[str]) -> str:
    if m["address"]:
        return m["address"].lower()
    if m["provider"]:
        return MAILBOX_PROVIDERS[re.sub(r"\s+", " ", m["provider"].lower())]
    if m["role"]:
        return MAILBOX_ROLES[m["role"].lower()]
    return str(m["word"]).lower()


# "actually send it from outlook", "use gmail instead", "switch it to my other acct": the
# mailbox of the email waiting on its card, changed. Said with a word of change, so a bare
# "gmail" or "use gmail", the answer to "which mailbox?", stays an answer.
_SWITCH_SIGNAL = re.compile(
    r"\b(?:actually|actualy|instead|rather|switch|swap|change|send (?:it|that|this|the e-?mail)|"
    r"(?:it|that) should (?:go|come)|meant)\b",
    I,
)
_SWITCH_FILLER = re.compile(
    r"\b(?:actually|actualy|no|nah|nope|wait|oh|sorry|oops|hmm|ok|okay|pls|please|plz|instead|"
    r"rather|send|it|that|this|the|e-?mail|one|use|switch|swap|change|to|make|from|via|using|"
    r"through|can|could|would|you|u|mailbox|account|acct|inbox|go|with|on|my|but|then|and|"
    r"lets|let's|i|meant|should|come|out|of|over|sorry)\b|[,.!?;:'()-]",
    I,
)
_ANY_BOX = re.compile(_BOX, I)


def switch_mailbox_request(u: Utterance, cmd: str) -> Intent | None:
    """The mailbox a waiting email should go from instead, or None; the word of change may
    be one the normalised text dropped ("actually, …")."""
    box = _ANY_BOX.search(cmd)
    if box is None or not (_SWITCH_SIGNAL.search(cmd) or _SWITCH_SIGNAL.search(u.text)):
        return None
    if _SWITCH_FILLER.sub(" ", cmd[: box.start()] + " " + cmd[box.end() :]).split():
        return None  # more than a mailbox: a request of its own
    return make_intent("switch_mailbox", mailbox=_mailbox_of(box))
