"""The words of a question naming its documents' owner (answering/owners.py), on made-up documents."""

from assistant.answering.owners import owner_words
from assistant.retrieval.naming import DocName

BOARD = "NHS Northshire and Southby Integrated Care Board"
DOCS = [
    DocName("c.docx", "NHS Northshire and Southby ICB constitution", "c.docx", BOARD),
    DocName("n.pdf", "Prescribing of widgets", "n.pdf", BOARD),
    DocName("p.md", "Planning guidance", "p.md", "NHS England"),
    DocName("q.md", "Oversight manual", "q.md", "NHS England"),
    DocName("r.md", "Productivity paper", "r.md", "NHS England"),
    DocName("h.md", "Ten year plan", "h.md", "DHSC / HM Government"),
]


def test_the_owner_is_put_as_it_and_its_words_dropped() -> None:
    found = owner_words("When was NHS Northshire and Southby Integrated Care Board established?", DOCS)
    assert found is not None
    assert found.question == "When was it established?"
    assert {"northshir", "southbi", "nhs", "integr", "care", "board"} == found.terms


def test_an_acronym_and_a_possessive_end_the_name() -> None:
    found = owner_words("Who chairs Northshire and Southby ICB's board meetings?", DOCS)
    assert found is not None and found.question == "Who chairs its board meetings?"


def test_an_owner_of_too_many_documents_names_none() -> None:
    assert owner_words("What does NHS England say about widgets?", DOCS) is None


def test_another_body_names_no_owner() -> None:
    assert owner_words("Where does NHS Westland and Eastby ICB publish its papers?", DOCS) is None
    # the owner's place names within a longer name: another body
    assert owner_words("What does the Northshire and Southby Joint Prescribing Group do?", DOCS) is None


def test_a_lower_case_word_or_another_form_is_no_name() -> None:
    assert owner_words("What does the government say about widgets?", DOCS) is None
    assert owner_words("What are the Governing rules on widgets?", DOCS) is None


def test_the_answerer_scores_sentences_without_the_owner_name() -> None:
    """The sentence giving the name no longer outscores the one answering (lexical side; a stub embedding)."""
    import numpy as np

    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.results import Passage
    from assistant.text.terms import TermStats

    class Flat:  # every text the same vector: only the shared words tell sentences apart
        def get_query_embedding(self, text: str) -> list[float]:
            return [1.0, 0.0]

        def get_text_embedding_batch(self, texts: list[str], **_: object) -> list[list[float]]:
            return [[1.0, 0.0] for _ in texts]

    text = ("The name of this board is NHS Northshire and Southby Integrated Care Board. "
            "The board was established on 1 July 2022 by order.")
    passage = Passage(text=text, source="c.docx", title="NHS Northshire and Southby ICB constitution", score=1.0,
                      publisher=BOARD)
    stats = TermStats.from_texts([text])
    picked = ExtractiveAnswerer(Flat()).select(  # type: ignore[arg-type]
        "When was NHS Northshire and Southby Integrated Care Board established?", [passage], stats, np.array([1.0, 0.0]))
    assert picked is not None
    scored, chosen, _ = picked
    assert "established" in scored[chosen[0]].text, (scored, chosen)


def test_a_name_followed_by_a_document_word_names_the_document() -> None:
    # naming.py reads that document first; the owner's words stay in the question
    assert owner_words("When did the Northshire and Southby ICB constitution take effect?", DOCS) is None
