"""Answering: cited answers from retrieved passages.

- ``extractive``: the offline default, quoting the sentences that answer;
- ``generative`` with ``llm``: an LLM writes the answer, every sentence verified before it is shown;
- ``verification``: the claim checker both depend on (is this sentence supported by that passage?);
- ``constraints``: what a question turns on (``unmet_constraints``: does this sentence meet it?), with
  ``answer_kinds`` (what kind of thing it asks for), ``asked_type``, ``ranking``, ``consequences``, ``asked_periods``,
  ``sibling_kinds`` (another kind of the asked thing; word sets in ``modifiers``), ``populations``, ``medicines``, ``recipients``, ``asking_who``; ``roles``: a
  figure or name of the kind asked, in the role asked (a share is no sum of funding, a post no holder);
  ``spans``: the clause of a sentence that answers, and the words to show in bold;
- ``reading``: the retrieved passages in reading order (those the answerer can quote from first);
- ``citations``: numbering and rendering ``[n]``; ``conversation``: follow-ups made stand-alone;
- ``base``: the ``Answerer`` protocol and refusals.
"""

from assistant.answering.base import Answerer, refusal

__all__ = ["Answerer", "refusal"]
