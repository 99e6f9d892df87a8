"""Shorthand read as words, with the person's own text always one step away (issue #16)."""

from __future__ import annotations

import pytest

from coworker.llm.offline.shorthand import normalise

# (what the person wrote, how the interpreter reads it)
READINGS = [
    ("fu w/ jane re: pricing tmrw pls", "follow up with jane about pricing tomorrow please"),
    ("f/u w/o the deck", "follow up without the deck"),
    ("can u emial Jane Smith", "can you email Jane Smith"),
    ("pls txt bob", "please text bob"),
    ("mtg w/ acme acct nxt wk", "meeting with acme account next week"),
    ("update the opp", "update the deal"),
    ("show my opps", "show my deals"),
    ("close 2 wks out", "close 2 weeks out"),
    ("call her rn", "call her right now"),
    ("thx, lmk", "thanks, let me know"),
    ("ur vm was full", "your voicemail was full"),
    ("b4 the mtg", "before the meeting"),
    ("fu tues", "follow up tuesday"),
    ("remnd me thurs", "remind me thursday"),
    ("craete a taks for dana", "create a task for dana"),
    ("shedule a meeting", "schedule a meeting"),
    ("whats on my plate 2day", "whats on my plate today"),
    ("log a note abt the convo", "log a note about the conversation"),
    ("ppl at initech", "people at initech"),
    ("the 18.5k opp", "the 18.5k deal"),
    ("send  the   deck", "send the deck"),
    ("it\u2019s \u201cdone\u201d", 'it\'s "done"'),
    ("call \uff11\uff12\uff13", "call 123"),  # full-width digits
    ("sat down w/ sam", "sat down with sam"),  # "sat" is a word too: kept
    ("contract renewal", "contract renewal"),  # a real word near "contact": kept
    ("the talks went well", "the talks went well"),  # not "tasks"
    ("U of M account", "U of M account"),  # capital U is a letter, not "you"
    ("RE: pricing", "about pricing"),  # with its colon, it is the subject-line "re:"
    ("RE pricing", "RE pricing"),  # "RE" alone in capitals may be a name
    ("re pricing", "about pricing"),
    ("Email Tmrw", "Email tomorrow"),
    ("plz add 5 ppl", "please add 5 people"),
    ("approx 20 custs", "approximately 20 customers"),
    ("re-send the deck to u", "re-send the deck to you"),  # hyphenated words stay whole
    ("jane@acme.com re pricing", "jane@acme.com about pricing"),
    ("email u@tasks.io thx.", "email u@tasks.io thanks."),  # addresses stay whole
]


@pytest.mark.parametrize(("written", "read"), READINGS)
def test_readings(written: str, read: str) -> None:
    assert normalise(written).text == read


@pytest.mark.parametrize(("written", "read"), READINGS)
def test_every_change_maps_back_to_the_original(written: str, read: str) -> None:
    n = normalise(written)
    assert n.original == written
    for change in n.changes:
        assert written[change.start : change.end] == change.original
        assert n.text[change.norm_start : change.norm_end] == change.replacement
        assert n.original_text(change.norm_start, change.norm_end) == change.original
    assert n.original_text(0, len(n.text)) == written


def test_values_are_cut_from_the_original() -> None:
    n = normalise("fu w/ jane re: pricing tmrw pls")
    start = n.text.index("jane")
    end = n.text.index(" tomorrow")
    assert n.original_text(start, end) == "jane re: pricing"
    # A span that starts or ends inside an expansion takes the whole original token.
    inside = n.text.index("low up")
    assert n.to_original(inside, inside + 3) == (0, 2)
    assert n.original_text(n.text.index("about"), len(n.text)) == "re: pricing tmrw pls"


def test_a_title_keeps_the_persons_words() -> None:
    n = normalise("Pinecrest prop out by end of nxt wk")
    assert n.text == "Pinecrest proposal out by end of next week"
    end = n.text.index(" by end")
    assert n.original_text(0, end) == "Pinecrest prop out"


def test_unchanged_text_maps_one_to_one() -> None:
    n = normalise("call jane smith about the renewal")
    assert n.changes == ()
    assert n.to_original(5, 15) == (5, 15)
    assert n.low == n.text
