"""What a "what does X say about Y?" question is about (Y) and who it asks (X) (pure).

Every sentence about the Hewitt Review shares its name, so scored on the whole question they all look
alike; the topic ("national targets") is what tells the answering sentence from the others, and the speaker
must be found in the sentence's own document (``answerability.constrained``).

Example::

    >>> topic_terms("What did the Hewitt Review say about national targets?")
    ['nation', 'target']
    >>> sorted(speaker_terms("What did the Hewitt Review say about national targets?"))
    ['hewitt', 'review']
"""

from __future__ import annotations

import re

from assistant.answering.constraints import asking_part
from assistant.text.terms import terms, without_future_going

# "What did <the Hewitt Review> say about <national targets>?": who speaks is met by the passage (its title,
# publisher, the name in its text); what a sentence must be about is the topic.
_SAYS_ABOUT = re.compile(
    r"\b(?:say|says|said|state|states|stated|recommend|recommends|recommended|propose|proposes|proposed|note|notes|noted|"
    r"mention|mentions|mentioned|set\s+out|sets\s+out|tell\s+us|have\s+to\s+say)\s+"
    r"(?:about|on|regarding|concerning|in\s+relation\s+to|with\s+regard\s+to)\s+(.+?)\s*\??\s*$", re.I)


def speaker_terms(question: str) -> set[str]:
    """The terms of who speaks in a "what does X say about Y?" question (X), or none (pure)."""
    part = asking_part(question)
    found = _SAYS_ABOUT.search(part)
    return set(terms(part[:found.start()])) if found else set()


def topic_terms(question: str) -> list[str]:
    """The terms of what a "what does X say about Y?" question asks about (Y), or all its terms (pure)."""
    found = _SAYS_ABOUT.search(asking_part(question))
    topic = terms(found.group(1)) if found else []
    return topic or terms(without_future_going(question))
