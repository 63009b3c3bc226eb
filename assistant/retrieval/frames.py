"""A question's frame: the words that name where the answer is to come from rather than what it is about.

"According to Patricia Hewitt, which sectors do ICSs bring together?", "Under the IFR policy, what is
the deadline for...?", "..., according to the IFR policy and the Screening Group's terms of
reference?". The passage holding the answer rarely
repeats the frame (a policy does not name itself in every sentence), so the frame pulls the question's
embedding towards that source's other passages. ``strip_frame`` gives the question without it; the
dense side searches with the mean of both embeddings (``HybridRetriever.dense_vector``), so a question
naming a document still leans towards it. The keyword side is unchanged (the chunks carry their
document's title, and BM25 weighs a named document's rare words as it should). "What does X say about
Y?" is left whole: taking X off lost the document it names (a passage of another document came into the
top five on questions written for it), and none of the development questions has that form.

Example::

    >>> strip_frame("According to the IFR policy, who sits on the panel?")
    'who sits on the panel?'
"""

from __future__ import annotations

import re

# A leading "According to X," / "Under the X,"; X is up to 80 characters without a comma. Not "In X,": "In 2019, ..." is what is asked.
_LEADING = re.compile(r"^\s*(?:according\s+to|under)\s+(?:the\s+)?[^,?]{3,80},\s*", re.I)
# A trailing ", according to X?" / ", as set out in X?".
_TRAILING = re.compile(r",\s*(?:according\s+to|as\s+set\s+out\s+in)\s+[^,?]{3,80}(?=\?\s*$)", re.I)
MIN_WORDS = 3  # what is left must still be a question ("what is it?" is not)


def strip_frame(question: str) -> str:
    """``question`` without its frame, or ``question`` itself when it has none or too little is left (pure)."""
    stripped = _TRAILING.sub("", _LEADING.sub("", question)).strip()
    if stripped == question.strip() or len(re.findall(r"\w+", stripped)) < MIN_WORDS:
        return question
    return stripped
