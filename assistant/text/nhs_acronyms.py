"""The NHS's standard acronyms, for documents that spell a term out without defining its acronym (pure).

A question says "ICBs" or "a GP"; a NICE appraisal says "integrated care boards", an NHS England SOP "general
practitioners", and neither defines the acronym (``terms.acronyms`` reads only the definitions a text makes:
"integrated care boards (ICBs)"). Without the long form, the name "ICBs" was unmet by the very sentence that
answers. These are the acronyms used across NHS England, DHSC and NICE documents with one meaning each.

Example::

    >>> standard_long_form("ICBs")
    ('integr', 'care', 'board')
"""

from __future__ import annotations

from functools import cache

from assistant.text.terms import terms

STANDARD: dict[str, str] = {
    "icb": "integrated care board",
    "ics": "integrated care system",
    "icp": "integrated care partnership",
    "gp": "general practitioner",
    "ccg": "clinical commissioning group",
    "pcn": "primary care network",
    "cqc": "Care Quality Commission",
    "dhsc": "Department of Health and Social Care",
    "nice": "National Institute for Health and Care Excellence",
    "mhra": "Medicines and Healthcare products Regulatory Agency",
    "mdt": "multidisciplinary team",
    "dtc": "drugs and therapeutics committee",
    "bnf": "British National Formulary",
    "phb": "personal health budget",
    "ifr": "individual funding request",
    "chc": "continuing healthcare",
    "send": "special educational needs and disabilities",
    "cyp": "children and young people",
    "vcse": "voluntary community and social enterprise",
    "uec": "urgent and emergency care",
    "rtt": "referral to treatment",
    "qaly": "quality-adjusted life year",
    "sop": "standard operating procedure",
}


@cache
def standard_long_form(acronym: str) -> tuple[str, ...]:
    """The stems of ``acronym``'s standard long form ("ICBs" and "ICB" alike), or () when it is none of ``STANDARD`` (pure).
    Only an acronym written in capitals counts ("SEND", not "send")."""
    if not acronym[:1].isupper() or not acronym.rstrip("s").isupper():
        return ()
    long = STANDARD.get(acronym.lower()) or STANDARD.get(acronym.lower()[:-1] if acronym.endswith("s") else "")
    return tuple(terms(long)) if long else ()
