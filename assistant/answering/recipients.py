"""Questions that ask who receives care ("Who should be offered X?"): a group of people, not a name (pure).

"Who is the Deputy Chair?" is answered by a name ("Jane Smith"), so a "who" question is typed as asking for
one (``answer_kinds``). A guideline's "Who should be offered an SGLT2 inhibitor?", "Who is eligible for the
vaccine?" asks for the people a recommendation covers ("adults with type 2 diabetes whose ACR is over
30 mg/mmol"), which no capitalised name says; typing it as a name refused every answer. The verbs are the
small, general set by which guidance says that a person receives a treatment, a test or a service, and they
count only after a present or modal "be" ("should be offered", "is eligible"), never "who has given".

Example::

    >>> bool(re.search(r"\\bwho\\b" + NOT_RECIPIENTS, "Who should be offered a statin?", re.I))
    False
    >>> bool(re.search(r"\\bwho\\b" + NOT_RECIPIENTS, "Who should approve the request?", re.I))
    True
    >>> bool(re.search(r"\\bwho\\b" + NOT_RECIPIENTS, "Who is this guideline for?", re.I))
    False
"""

from __future__ import annotations

import re

_BE = r"(?:(?:should|must|can|could|may|might|will|would|shall|is|are)\s+(?:not\s+)?(?:be\s+|only\s+be\s+)?)"
_RECEIVES = (r"(?:offered|given|prescribed|treated|referred|eligible|entitled|screened|tested|vaccinated|immunised"
             r"|suitable|considered\s+for|started\s+on)")

# "Who is it for?", "Who does this policy apply to?": the audience a document or service is for, a group as well
_AUDIENCE = r"(?![^?]*\b(?:for|apply|applies|aimed\s+at|relevant\s+to|cover|covers)(?:\s+to)?\s*\?)"

# Appended to the "who" pattern of ``answer_kinds.ANSWER_TYPES``: "who" followed by a receiving verb is no "who".
NOT_RECIPIENTS = rf"(?!\s+{_BE}{_RECEIVES}\b){_AUDIENCE}"


def asks_for_recipients(question: str) -> bool:
    """``question`` asks who receives something ("Who should be offered X?", "Who is eligible for Y?")."""
    return bool(re.search(rf"\bwho\s+{_BE}{_RECEIVES}\b", question, re.I))
