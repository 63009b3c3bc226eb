"""The frame of a question (where the answer is to come from) is left out of one of the dense side's
two embeddings (retrieval/frames.py). Pure, apart from the last test (a stand-in embedding model)."""

from __future__ import annotations

import pytest

from assistant.retrieval.frames import strip_frame


@pytest.mark.parametrize(("question", "expected"), [
    ("According to Patricia Hewitt, which sectors do ICSs bring together?", "which sectors do ICSs bring together?"),
    ("Under the IFR policy, what is the deadline for asking for a review?", "what is the deadline for asking for a review?"),
    ("Who makes up the IFR Screening Groups, according to the IFR policy and the group's terms of reference?",
     "Who makes up the IFR Screening Groups?"),
])
def test_the_frame_naming_the_source_is_taken_off(question: str, expected: str) -> None:
    assert strip_frame(question) == expected


@pytest.mark.parametrize("question", [
    "In 2019, what price limit per 100 needles did NHS England set?",  # a date is what is asked, not a source
    "What should we advise a patient whose insulin leaks from a shorter needle?",  # no frame
    "According to the plan, why?",  # too little left
    "Which plans must ICBs publish under the framework?",  # "under" not as a leading frame
    "What does the neighbourhood health guidance say about GP appointments?",  # the document it names is kept
])
def test_a_question_without_a_frame_is_left_whole(question: str) -> None:
    assert strip_frame(question) == question


class _Model:
    """Embeds a text with its frame as [1, 0] and any other as [0, 1]: enough to see which texts were averaged."""

    def get_query_embedding(self, text: str) -> list[float]:
        return [1.0, 0.0] if text.startswith("According") else [0.0, 1.0]


def test_the_dense_vector_is_the_mean_of_the_question_and_its_unframed_form() -> None:
    from assistant.retrieval.hybrid import HybridRetriever

    retriever = HybridRetriever.__new__(HybridRetriever)
    object.__setattr__(retriever, "embed_model", _Model())
    object.__setattr__(retriever, "dense_query", lambda query: query)  # no abbreviations
    assert retriever.dense_vector("According to the IFR policy, who sits on the panel?") == [0.5, 0.5]
    assert retriever.dense_vector("Who sits on the IFR panel?") == [0.0, 1.0]
