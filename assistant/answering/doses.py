"""Dose questions ("What dose of X is used?", "What is the dosage of Y?"): answered by an amount of a medicine (pure).

Guidelines and appraisals state a dose in a table cell or a label row ("Dosage in the marketing
authorisation | 300 mg by intravenous infusion ..."), which shares few words with the question, while
prose nearby uses "dose" or "dosage" without an amount ("choose the least expensive, taking into account
dosages and price per dose"). Typing the question makes a sentence holding an amount with a unit of
medicine count as holding the answer. The units are the ordinary ones of UK prescribing.

Example::

    >>> bool(ASKS_DOSE.search("What dose of dapagliflozin is used for kidney protection?"))
    True
    >>> bool(HOLDS_DOSE.search("10 mg once daily"))
    True
"""

from __future__ import annotations

import re

ASKS_DOSE = re.compile(
    r"\b(?:what|which)\s+(?:(?:is|are|was|were|should\s+be)\s+)?(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:doses?|dosages?|dosing)\b",
    re.IGNORECASE)  # ("How much insulin ...?" is typed as a figure first, which an amount also holds)
HOLDS_DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|micrograms?|microgram|g|ml|mL|units?|IU|mmol|nanograms?|tablets?|capsules?|puffs?|drops?)"
    r"(?:/(?:kg|m2|day|dose|hour|h))?\b", re.IGNORECASE)
