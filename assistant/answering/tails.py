"""When the best quote's paragraph should not go on (``context.continuation``): it already holds the quantity
asked for, the next sentence is only the start of one its chunk's end cut off (this module), or the next
sentence only points elsewhere (``pointers.points_elsewhere``).

The paragraph continuation quotes the sentences after the best one when they still relate to the question
("If leakage occurs, ... reviewed. The individual should count slowly to 10 seconds ..."). Two kinds of tail
it added were measured as noise on the fresh and tune answers:

- a question asking for a quantity by its measure noun ("Which pen needle *length* ...", "What is the
  *frequency* of ...", "What *cost limit* ...", "What is the *term of office* ...") whose best sentence states
  a number: the answer is given, and the next sentence is about something else ("Meetings will have adequate
  breaks.", "Using needles of a shorter length helps to prevent ..."); ``answer_kind`` types "how often" and
  "how long", but not these;
- a sentence that only points to another part of a document ("The Terms of reference ... are in Appendix six",
  "... is set out at paragraph 3.16", "Please read this manual alongside that annex"): where to read more is
  not the answer's detail;
- a sentence its chunk's end cut off ("The Care Act 2014" of "The Care Act 2014 requires local authorities to
  ..."): its support is that of a fragment, so says nothing of the sentence; the quote would be completed from the
  next chunk unjudged.

Example::

    >>> asks_quantity("What is the frequency of the IFR Panel meetings?")
    True
    >>> states_quantity("The IFR Panel will normally be held three times a month.")
    True
    >>> cut_short("The Care Act 2014", "  ")
    True
"""

from __future__ import annotations

import re

from assistant.text.sentences import clean_sentence

# the measure noun a "what / which" question asks for, within its first few words ("What is the maximum term of
# office", "Which pen needle length"); an auxiliary before it makes it a verb ("What does the policy limit")
_AUX = r"(?:does|do|did|should|must|will|can|may|could|would|has|have|had|is|are|was|were)"
_ASKS_QUANTITY = re.compile(
    rf"^\W*(?:what|which)(?:\s+(?:is|are|was|were))?(?:\s+the)?(?:\s+(?!{_AUX}\b)[\w’'/-]+){{0,3}}?\s+"
    r"(?:length|frequency|limit|cost|price|rate|percentage|proportion|number|size|amount|duration|period|age"
    r"|deadline|threshold|ratio|dose|term(?=\s+of\s+(?:office|appointment)))s?\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d(?:\s*[/-]\s*\d{2,4})?\b")  # "in 2019", "2025/26": a date, not the quantity
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")  # "41. IFR Panel meetings ...": the paragraph's number
_QUANTITY = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|half|double"
    r"|daily|weekly|monthly|quarterly|annually|yearly)\b",
    re.I,
)
def asks_quantity(question: str) -> bool:
    """The question asks "what / which <measure noun>" (length, frequency, limit, cost, rate, term of office ...) (pure)."""
    return bool(_ASKS_QUANTITY.match(question))


def states_quantity(sentence: str) -> bool:
    """The sentence states a number or a frequency (digits, number words, "twice", "monthly"); a year, a
    financial year or the paragraph's own number does not count (pure)."""
    text = _YEAR.sub(" ", _PARAGRAPH_NUMBER.sub("", clean_sentence(sentence)))
    return bool(_QUANTITY.search(text))


_ENDS_SENTENCE = re.compile(r"[.!?;:][\"'’”)\]]*$")


def cut_short(sentence: str, rest_of_passage: str) -> bool:
    """``sentence`` is cut off by its passage's end: nothing but space follows it in the passage (``rest_of_passage``)
    and it does not end as a sentence does (pure). A list item without a full stop ("... and patient messaging")
    followed by a line break and more text is not cut off."""
    return not rest_of_passage.strip() and not _ENDS_SENTENCE.search(sentence.rstrip())
