"""A lead's name said wrong in the CRM and put right: "fix typo: its kenji grey not gray",
"kenji gray is spelled kenji grey", "typo in amelia's last name, it's okafur". The old spelling
must be the lead's name (checked by the plan), so nothing is renamed on a guess.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import similarity

# A lead's name said wrong in the CRM: "fix typo: its kenji grey not gray", "kenji gray is
# spelled kenji grey", "typo in amelia's last name, it's okafur", "its abby not abigail".
_NAME_WORDS = r"[a-z][\w'’.-]*(?:\s+[a-z][\w'’.-]*){0,2}"
_TYPO_HEAD = re.compile(
    r"^(?:(?:small|quick|pls|please)\s+)*(?:fix\s+(?:a\s+|the\s+)?(?:typo|spelling)|typo|"
    r"spelling(?:\s+(?:fix|error|mistake))?|misspel(?:led|t)|name fix|wrong spelling)"
    r"(?:\s+(?:in|on|for)\s+(?:the\s+)?(?:name|crm))?\s*[:,-]*\s*",
    I,
)
_NAME_FIXES = (
    # "its kenji grey not gray", "it's abby, not abigail kowalski"
    re.compile(
        rf"^(?:it'?s|its|it is|that'?s|thats|should be|spelled)\s+(?P<new>{_NAME_WORDS})\s*,?\s+"
        rf"(?:not|instead of)\s+(?P<old>{_NAME_WORDS})$",
        I,
    ),
    # "kenji gray is spelled kenji grey", "kenji gray -> kenji grey", "isabella bryant should
    # be isabella bryan"
    re.compile(
        rf"^(?P<old>{_NAME_WORDS})(?:'s name)?\s+(?:is (?:actually )?spelled|is spelt|should be "
        rf"spelled|should be|->|=>|→|is actually)\s+(?P<new>{_NAME_WORDS})$",
        I,
    ),
    # "typo in amelia okafor's last name, it's okafur", "zoe's first name is actually zoey"
    re.compile(
        rf"^(?:(?:in|on)\s+)?(?P<ref>{_NAME_WORDS}?)(?:'s|’s|s')?\s+(?P<part>first|last|sur)\s*"
        r"name\s*(?:[,:-]+\s*)?(?:it'?s|its|it is|is|should be|=|->)?\s*(?:actually\s+|really\s+|"
        r"spelled\s+)?(?P<new>[a-z][\w'’.-]*)$",
        I,
    ),
)


def name_fix_request(cmd: str) -> Intent | None:
    """A misspelt name corrected: the lead the old spelling names, and the new spelling.
    The plan checks the old words are the lead's name before anything is written."""
    text = _TYPO_HEAD.sub("", cmd.strip().rstrip(".!"), count=1)
    typo = text != cmd.strip().rstrip(".!")
    for index, pattern in enumerate(_NAME_FIXES):
        m = pattern.match(text)
        if m is None:
            continue
        new = m["new"].split()
        if index == 2:
            part = "last" if m["part"].lower() in ("last", "sur") else "first"
            old_words = re.sub(r"(?:'s|’s|s')$", "", m["ref"]).split()
            changes = {"name": m["new"]}
        else:
            old_words = m["old"].split()
            if not _all_names([*new, *old_words]):
                return None
            if index == 1 and not (typo or _alike(old_words, new)):
                return None  # "tom should be cto": not a spelling
            part = None
            if len(new) > len(old_words):  # "kenji grey not gray": the lead is "kenji gray"
                old_words = _swapped(new, old_words)
            changes = {"name": " ".join(_swapped(old_words, new))}
        ref = lead_ref(" ".join(old_words))
        if ref.empty or ref.pronoun or not named(" ".join(old_words)):
            return None
        return make_intent(
            "update_lead", ref=ref, changes=changes, renamed=" ".join(old_words), name_part=part
        )
    return None


def _all_names(words: list[str]) -> bool:
    return all(named(w) and not re.search(r"\d", w) for w in words)


def _alike(old: list[str], new: list[str]) -> bool:
    """Two spellings of one name: as many words, each the same or much like its counterpart
    ("bryant", "bryan"), never a short word for another ("tom", "cto")."""
    return len(old) == len(new) and all(
        a.lower() == b.lower() or (min(len(a), len(b)) >= 4 and similarity(a, b) >= 0.7)
        for a, b in zip(old, new, strict=True)
    )


def _swapped(into: list[str], words: list[str]) -> list[str]:
    """`into` with each of `words` put in place of the word of `into` most like it:
    (["abigail", "kowalski"], ["abby"]) -> ["abby", "kowalski"]."""
    out = list(into)
    if len(words) >= len(into):
        return list(words)
    for word in words:
        at = max(range(len(into)), key=lambda i: similarity(into[i], word))
        out[at] = word
    return out
