"""Sentences that only send the reader elsewhere ("For the reasons, see the rationale section on X.") (pure).

Guidelines close each group of recommendations with such a line, and policies say "For further detail,
see Appendix 3." They share the words of the question they sit under, so they score well, but they
answer nothing: the answer is what they point to, which retrieval finds on its own. They stay quotable
for a question that asks where something is ("Where can I find the form?", "Which section covers X?").

Example::

    >>> is_pointer("For a short explanation of why the committee made these recommendations, see the rationale.")
    True
    >>> is_pointer("Stop the medicine 3 days before surgery; see the table for doses.")
    False
    >>> points_elsewhere("A further provision relating to re-appointment is set out at paragraph 3.16")
    True
"""

from __future__ import annotations

import re

from assistant.text.sentences import clean_sentence

# The whole sentence is one directive: an optional "For ... ," / "To ... ," purpose, then see / refer to /
# return to / go to a part of a document (a small, general list: "see a GP", "refer to the panel" are actions,
# not pointers). Anything after a ";" or a second clause is content, so it is no pointer.
_PLACE = (r"(?:section|sections|appendix|appendices|annex|chapter|page|pages|table|figure|box|paragraph|rationale"
          r"|recommendations?|list|web\s*page|website|link|guidance|guideline|document|below|above|overleaf)")
_POINTER = re.compile(
    r"^(?:(?:for|to|in)\b[^.;:?!]{0,240}?,\s*)?(?:please\s+)?(?:see|refer\s+to|return\s+to|go\s+to)\b"
    rf"[^;:?!]*?\b{_PLACE}\b[^;:?!]*?\.?$",
    re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[•▪◦–-]|\(?\d{1,2}(?:\.\d{1,3})*[.)]?|\(?[a-z]{1,2}\))\s+")
_ASKS_WHERE = re.compile(r"^\W*where\b|\bwhich (?:section|appendix|annex|chapter|page|part|document|table)\b"
                         r"|\bwhere (?:can|could|do|does|should|would|is|are)\b", re.IGNORECASE)


def is_pointer(sentence: str) -> bool:
    """``sentence`` (a list marker allowed) only directs the reader to another place."""
    text = _MARKER.sub("", clean_sentence(sentence)).strip()
    return bool(_POINTER.match(text)) and len(text) <= 320


def asks_where(question: str) -> bool:
    """``question`` asks where something is said or found, which a pointer answers."""
    return bool(_ASKS_WHERE.search(question))


_PARENTHESIS = re.compile(r"\([^()]*\)")
# continuation: a part of a document, or reading another document beside this one ("read this manual alongside that annex")
_ELSEWHERE = re.compile(
    r"\b(?:appendix|appendices|annex|annexe)\b|\bparagraphs?\s+\d|\bread\b[^.]{0,40}?\b(?:alongside|in conjunction with)\b"
    r"|\bviewed on\b",
    re.I,
)


def points_elsewhere(sentence: str) -> bool:
    """Outside its brackets, the sentence names an appendix, annex or numbered paragraph, or asks to read another
    document alongside: it says where more is, not more (pure). "(also see ..., paragraphs 18-21)" in brackets is an
    aside to a sentence that says something itself."""
    return bool(_ELSEWHERE.search(_PARENTHESIS.sub(" ", clean_sentence(sentence))))
