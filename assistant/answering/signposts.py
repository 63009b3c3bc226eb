"""Sentences that only announce what a document or section covers ("This section outlines how the IFR criteria
will be interpreted ...") (pure).

Such a signpost restates its section's topic in the question's own words, so it outscores the sentences after it
that say the thing (what makes a treatment experimental, where used needles go), yet it answers nothing but "what
does this section cover?". It stays quotable when it carries more than the topic:
- a question asks what a document is for, covers or sets out ("What is the pen needle guidance for?");
- it counts what it announces ("This appendix describes 6 core components", "a two-phase process");
- it ends in a colon: a lead-in that brings its list (``extractive.expand_lead_ins``);
- it holds the kind of thing asked for (``typed_candidates``: "... in 2025/26" for "which year"), judged by the caller.

Example::

    >>> announces_scope("31. This section outlines how the criteria will be applied where the treatment is unproven.")
    True
    >>> announces_scope("This appendix describes 6 core components of an effective service.")
    False
    >>> announces_scope("Screening, which this document outlines, will be done four times each week.")
    False
    >>> asks_scope("What is the insulin pen needle guidance for?")
    True
"""

from __future__ import annotations

import re

from assistant.text.sentences import clean_sentence

# the subject is the text itself, at the sentence's start (after a paragraph number or list marker)
_PART = (r"(?:section|sections|document|chapter|policy|guidance|guidelines?|paper|report|plan|procedure|framework"
         r"|handbook|appendix|annex|annexe|part|sop|protocol|strategy|letter|guide|manual|constitution|publication)")
_ANNOUNCE = (r"(?:outlines?|sets?\s+out|describes?|explains?|covers?|summari[sz]es?|details|presents?|introduces?"
             r"|aims?\s+to|is\s+intended|is\s+designed|gives\s+an\s+overview|provides?\s+(?:further\s+|additional\s+)?"
             r"(?:guidance|guidelines|information|an\s+overview|a\s+summary|details|advice))")
_SIGNPOST = re.compile(rf"^(?:this|the\s+present)\s+{_PART}\b(?:\s+(?:also|further|therefore|below|here))?\s+{_ANNOUNCE}\b",
                       re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[•▪◦–-]|\(?\d{1,2}(?:\.\d{1,3})*[.)]?|\(?[a-z]{1,2}\))\s+")
# a count of what is announced; a year ("2025", "2025/26") is not one
_COUNT = re.compile(r"(?<![\d/.])\d{1,3}(?![\d/])|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                    r"|twenty|thirty|forty|fifty|hundred)\b", re.IGNORECASE)
_ASKS_SCOPE = re.compile(
    r"\b(?:purpose|aims?|scope|about|cover|covers|covered|sets?\s+out|outlines?|describes?|explains?|intended|meant\s+to"
    r"|designed\s+to|for\s+whom)\b|\bfor\s*\?\s*$",
    re.IGNORECASE)


def announces_scope(sentence: str) -> bool:
    """``sentence`` (a marker allowed) only announces what its document or section covers, counting nothing and
    introducing no list."""
    text = _MARKER.sub("", clean_sentence(sentence)).strip()
    return bool(_SIGNPOST.match(text)) and not text.endswith(":") and not _COUNT.search(text)


def asks_scope(question: str) -> bool:
    """``question`` asks what a text is for, covers or sets out, which a signpost answers."""
    return bool(_ASKS_SCOPE.search(question))
