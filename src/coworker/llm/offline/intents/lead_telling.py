"""A new lead's details as people tell them, not as a form would list them.

Dictated: "her name is amara okafor thats o k a f o r shes the operations director at
kestrel aviation and her email is amara at kestrel aviation dot example". Told with where
they came from: "found him on linkedin". `lead_fields` reads a list of fields; this turns
the telling into that list first (the spelling out goes, "X at Y dot Z" becomes the address
it spells), and takes the source out, so neither ends up in a name, title or company.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I

_SPELLED = re.compile(
    r"[\s,]*\b(?:that'?s|thats|spelled|spelt|spelling)\s+(?:[a-z][\s-]+){2,}[a-z]\b(?![a-z])", I
)
# "amara at kestrel aviation dot example": only with "dot", so "jane at acme" stays a company
_SPOKEN_EMAIL = re.compile(
    r"\b(?P<user>[a-z0-9._-]+) at (?P<domain>(?:[a-z0-9-]+ ){0,3}?[a-z0-9-]+)"
    r" dot (?P<tld>[a-z]{2,12})(?: dot (?P<tld2>[a-z]{2,6}))?\b",
    I,
)
_THEIR = r"[\s,]*\b(?:and )?(?:her|his|their) "
_TOLD = (
    (re.compile(r"^(?:so\s+)?(?:her|his|their|the) name(?:'s| is)\s+", I), ""),
    (re.compile(rf"{_THEIR}e-?mail(?: address)?(?:'s| is)\b", I), ", email"),
    (re.compile(rf"{_THEIR}(?:phone|number|cell|mobile)(?: number)?(?:'s| is)\b", I), ", phone"),
    (re.compile(r"[\s,]*\b(?:and )?(?:she|he)(?:'s| is|s) (?:the |a |an )", I), ", "),
    (re.compile(r"[\s,]*\b(?:and )?(?:she|he) works (?=at |for )", I), ", works "),
)
# "from the booth: bettina vogt, coo @ …": where the person was met, said before the details;
# not a field (the source is said apart, "source = event"), and never the lead's name
_MET_WHERE = re.compile(
    r"^\s*(?:from|met (?:(?:him|her|them) )?at)\s+(?:the\s+|a\s+|our\s+)?[\w' -]{2,30}?\s*:\s*",
    I,
)
_SOURCE = re.compile(
    r"\b(?:source(?:\s+is|\s*[:=])?|lead source(?:\s+is|\s*[:=])?|via|came in (?:from|via)|"
    r"met (?:(?:him|her|them) )?(?:at|through)|"
    r"found (?:(?:him|her|them) )?(?:on|via|through|at))\s+"
    r"(?:the\s+|a\s+)?(?P<source>[\w -]{2,40}?)(?=[,;.]|$)",
    I,
)


def untold(text: str) -> str:
    """The details as a list of fields: a dictated telling rewritten, anything else as is."""
    text = _MET_WHERE.sub("", text)
    text = _SPELLED.sub("", text)
    text = _SPOKEN_EMAIL.sub(_address, text)
    for pattern, replacement in _TOLD:
        text = pattern.sub(replacement, text)
    return text


def _address(m: re.Match[str]) -> str:
    domain = m["domain"].replace(" ", "")
    tail = f".{m['tld2']}" if m["tld2"] else ""
    return f"{m['user']}@{domain}.{m['tld']}{tail}".lower()


def said_source(text: str) -> tuple[str | None, str]:
    """Where the lead came from, if said ("via a webinar", "found him on linkedin"), and the
    text without it."""
    m = _SOURCE.search(text)
    if m is None:
        return None, text
    return m["source"].strip(), text[: m.start()] + text[m.end() :]
