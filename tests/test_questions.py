"""Tests for the evaluation question set (eval/questions.jsonl) and its loader."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.questions import (
    QUESTION_TYPES,
    Question,
    QuestionSetError,
    contains_evidence,
    lint,
    load_questions,
    normalise,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_PATH = REPO_ROOT / "eval" / "questions.jsonl"
SHARED = REPO_ROOT.parent / "shared"
SOURCE_DIRS = (SHARED / "seeds", SHARED / "corpus-nhs")

NEWS_ARTICLE = "000_e80050a0a2aa5b66.txt"
LETTER = "004_a28fd0cbddd6702a.txt"
SEEDS = (NEWS_ARTICLE, LETTER)
CORPUS_DOCS = (
    "dhsc_10_year_health_plan_executive_summary.md",
    "nhse_2025_26_priorities_and_operational_planning_guidance.md",
    "nhse_medium_term_planning_framework_2026_27_to_2028_29.md",
    "nhse_neighbourhood_health_guidelines_2025_26.md",
    "nhse_oversight_framework_2025_26_methodology_manual.md",
    "nhse_planning_framework_for_the_nhs_in_england_v1.md",
    "nhse_productivity_update.md",
)
# Web-page furniture in the news article: the image caption on the first line
# and everything from the magazine blurb onwards. Never valid evidence.
NEWS_CAPTION = "Female doctor in a team meeting"
NEWS_FURNITURE_MARKER = "National Health Executive, Jan/Feb, Cover"

VALID_RECORD: dict[str, Any] = {
    "id": "x001",
    "question": "Who was asked to lead the review?",
    "answer": "Patricia Hewitt.",
    "must_include": ["Patricia Hewitt"],
    "source_file": NEWS_ARTICLE,
    "evidence": "he had asked Patricia Hewitt",
    "type": "factoid",
    "split": "dev",
}


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(QUESTIONS_PATH)


def _require_shared() -> None:
    if not all(d.is_dir() for d in SOURCE_DIRS):
        pytest.skip(
            f"source documents not found under {SHARED} (need seeds/ and corpus-nhs/); "
            "evidence checks need the shared document folder next to the repository"
        )


def _source_text(name: str) -> str:
    for directory in SOURCE_DIRS:
        path = directory / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise AssertionError(f"source file {name!r} is in neither {SOURCE_DIRS[0]} nor {SOURCE_DIRS[1]}")


def _news_body(text: str) -> str:
    """The news article without its caption line and trailing web-page furniture."""
    assert NEWS_FURNITURE_MARKER in text, "furniture marker missing from the news article"
    body = text.split(NEWS_FURNITURE_MARKER, 1)[0]
    first_line, _, rest = body.partition("\n")
    assert first_line.strip() == NEWS_CAPTION, "unexpected first line in the news article"
    return rest


def _evidence_items(questions: list[Question]) -> list[tuple[str, str, str]]:
    return [(q.id, name or "", ev) for q in questions for name, ev in q.evidence_items]


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- #
# the shipped question set
# --------------------------------------------------------------------------- #


def test_question_set_size_and_types(questions: list[Question]) -> None:
    assert len(questions) >= 80
    types = Counter(q.type for q in questions)
    assert set(types) == set(QUESTION_TYPES) - {"table"}, f"missing types: {set(QUESTION_TYPES) - set(types)}"
    assert types["unanswerable"] >= 0.10 * len(questions)
    assert len({q.id for q in questions}) == len(questions)


def test_type_mix_is_close_to_target(questions: list[Question]) -> None:
    share = {t: n / len(questions) for t, n in Counter(q.type for q in questions).items()}
    targets = {"factoid": 0.30, "list": 0.15, "paraphrase": 0.20, "multi_hop": 0.15}
    for qtype, target in targets.items():
        assert abs(share[qtype] - target) <= 0.07, f"{qtype}: {share[qtype]:.0%} vs target {target:.0%}"


def test_required_questions_present(questions: list[Question]) -> None:
    by_id = {q.id: q for q in questions}
    q1, q2, q3 = by_id["q001"], by_id["q002"], by_id["q003"]
    assert q1.question == "Who was asked to lead the independent review of integrated care systems?"
    assert q1.must_include == ("Patricia Hewitt",) and q1.source_file == NEWS_ARTICLE
    assert q2.question == "What is the publication reference of NHS England's letter on the Hewitt Review?"
    assert q2.must_include == ("PR00557",) and q2.source_file == LETTER
    assert q3.type == "unanswerable" and "hewitt" in q3.question.lower()


def test_splits_are_balanced_across_types(questions: list[Question]) -> None:
    splits = Counter(q.split for q in questions)
    assert 0.4 <= splits["test"] / len(questions) <= 0.6, splits
    for qtype in set(QUESTION_TYPES) - {"table"}:
        per_split = Counter(q.split for q in questions if q.type == qtype)
        assert per_split["dev"] > 0 and per_split["test"] > 0, f"{qtype} not in both splits"
        assert abs(per_split["dev"] - per_split["test"]) <= 1, f"{qtype}: {dict(per_split)}"


def test_every_document_is_covered(questions: list[Question]) -> None:
    cited = Counter(name for q in questions for name in {n for n, _ in q.evidence_items})
    assert sum(cited[name] for name in SEEDS) >= 8, cited
    for name in CORPUS_DOCS:
        assert cited[name] >= 6, f"{name} cited by only {cited[name]} questions"
    unknown = set(cited) - set(SEEDS) - set(CORPUS_DOCS)
    assert not unknown, f"questions cite unknown documents: {unknown}"


def test_multi_hop_questions_have_two_passages(questions: list[Question]) -> None:
    for q in questions:
        if q.type == "multi_hop":
            assert len(q.evidence_items) == 2, q.id
            assert normalise(q.evidence or "") != normalise(q.evidence_2 or ""), q.id


def test_unanswerable_questions_have_no_evidence(questions: list[Question]) -> None:
    for q in questions:
        assert q.answerable == (q.type != "unanswerable")
        if not q.answerable:
            assert q.evidence_items == () and q.must_include == (), q.id


def test_must_include_is_backed_by_evidence(questions: list[Question]) -> None:
    for q in questions:
        passages = normalise(" || ".join(ev for _, ev in q.evidence_items))
        for item in q.must_include:
            assert normalise(item) in passages, f"{q.id}: {item!r} not in its evidence"


def test_reference_answers_contain_must_include(questions: list[Question]) -> None:
    for q in questions:
        for item in q.must_include:
            assert normalise(item) in normalise(q.answer or ""), f"{q.id}: {item!r} not in reference answer"


def test_evidence_is_found_in_its_source(questions: list[Question]) -> None:
    _require_shared()
    missing = [
        f"{qid}: {name}: {ev!r}"
        for qid, name, ev in _evidence_items(questions)
        if not contains_evidence(_source_text(name), ev)
    ]
    assert not missing, "evidence not found verbatim:\n" + "\n".join(missing)


def test_evidence_lies_within_one_paragraph(questions: list[Question]) -> None:
    _require_shared()
    bad = []
    for qid, name, ev in _evidence_items(questions):
        paragraphs = re.split(r"\n[ \t\u00a0]*\n", _source_text(name))
        if not any(contains_evidence(p, ev) for p in paragraphs):
            bad.append(f"{qid}: {name}: {ev!r}")
    assert not bad, "evidence spans a paragraph break:\n" + "\n".join(bad)


def test_news_evidence_avoids_web_page_furniture(questions: list[Question]) -> None:
    _require_shared()
    body = _news_body(_source_text(NEWS_ARTICLE))
    bad = [
        f"{qid}: {ev!r}"
        for qid, name, ev in _evidence_items(questions)
        if name == NEWS_ARTICLE and not contains_evidence(body, ev)
    ]
    assert not bad, "news-article evidence outside the article body:\n" + "\n".join(bad)


def test_file_round_trips_through_to_dict(questions: list[Question], tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "copy.jsonl", [q.to_dict() for q in questions])
    assert load_questions(path) == questions


# --------------------------------------------------------------------------- #
# normalise / contains_evidence
# --------------------------------------------------------------------------- #


def test_normalise_handles_conversion_artefacts() -> None:
    assert normalise("  **Bold**  text\n\nwith\tgaps ") == "bold text with gaps"
    assert normalise(r"Agenda item: 5 \(public session\)") == "agenda item: 5 (public session)"
    assert normalise("Tony Blair’s ‘one team’ “quote” – and — dash") == (
        "tony blair's 'one team' \"quote\" - and - dash"
    )
    # PDF damage is preserved, not repaired
    assert normalise("wil") == "wil"


def test_contains_evidence() -> None:
    passage = "**Step 3** It is critical that organisations \\(ICBs\\) operate within their al ocations."
    assert contains_evidence(passage, "organisations (ICBs) operate   within their AL OCATIONS")
    # the loaders now put back the "ll" such text dropped: a quote in either form finds the other
    assert contains_evidence(passage, "operate within their allocations")
    assert not contains_evidence(passage, "operate within their locations")
    assert not contains_evidence(passage, "  ** ")


# --------------------------------------------------------------------------- #
# loader validation
# --------------------------------------------------------------------------- #


def test_loader_accepts_valid_file(tmp_path: Path) -> None:
    unanswerable = dict(
        VALID_RECORD, id="x002", type="unanswerable", must_include=[], source_file=None, evidence=None, split="test"
    )
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(VALID_RECORD) + "\n\n" + json.dumps(unanswerable) + "\n", encoding="utf-8")
    loaded = load_questions(path)
    assert [q.id for q in loaded] == ["x001", "x002"]
    assert loaded[0].answerable and not loaded[1].answerable
    assert loaded[0].to_dict()["must_include"] == ["Patricia Hewitt"]


@pytest.mark.parametrize(
    ("second_record", "problem"),
    [
        ({k: v for k, v in VALID_RECORD.items() if k != "question"} | {"id": "x002"}, "missing 'question'"),
        (dict(VALID_RECORD), "duplicate id 'x001'"),
        (dict(VALID_RECORD, id="x002", type="unanswerable", must_include=[]), "unanswerable questions must have no evidence"),
        (dict(VALID_RECORD, id="x002", must_include="Patricia Hewitt"), "'must_include' must be a list"),
        (dict(VALID_RECORD, id="x002", source_file="seeds/" + NEWS_ARTICLE), "without a directory"),
        (dict(VALID_RECORD, id="x002", page=0), "'page' must be a page number"),
        (dict(VALID_RECORD, id="x002", page_2=3), "'page_2' needs 'source_file_2'"),
        (dict(VALID_RECORD, id="x002", question=["a list"]), "'question' must be a string"),
    ],
)
def test_loader_rejects_malformed_line(tmp_path: Path, second_record: dict[str, Any], problem: str) -> None:
    path = _write_jsonl(tmp_path / "bad.jsonl", [VALID_RECORD, second_record])
    with pytest.raises(QuestionSetError) as excinfo:
        load_questions(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}:2: "), message
    assert problem in message
    assert "\n" not in message


def test_loader_rejects_invalid_json_and_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text(json.dumps(VALID_RECORD) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"broken\.jsonl:2: invalid JSON"):
        load_questions(bad)

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="no questions found"):
        load_questions(empty)

    with pytest.raises(QuestionSetError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


def test_question_set_error_is_value_error() -> None:
    assert issubclass(QuestionSetError, ValueError)


def test_our_question_files_follow_the_writing_rules() -> None:
    for path in sorted((REPO_ROOT / "eval").glob("questions*.jsonl")):
        problems = [f"{q.id}: {p}" for q in load_questions(path) for p in lint(q)]
        assert not problems, f"{path.name}: " + "; ".join(problems)


# --------------------------------------------------------------------------- #
# question files written elsewhere
# --------------------------------------------------------------------------- #


def test_loader_keeps_unknown_fields_and_types_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    records = [
        dict(VALID_RECORD, absence_note="n/a", absent_terms=["x"], tags=["hewitt"]),
        dict(VALID_RECORD, id="x002", type="table", tags=[]),
        dict(VALID_RECORD, id="x003", page=3, source_file="a.pdf", near_file=None, period="2026/27"),
    ]
    path = _write_jsonl(tmp_path / "theirs.jsonl", records)
    with caplog.at_level("WARNING"):
        loaded = load_questions(path)
    assert loaded[0].extra == {"absence_note": "n/a", "absent_terms": ["x"], "tags": ["hewitt"]}
    assert loaded[1].type == "table" and loaded[2].page == 3 and loaded[2].period == "2026/27"
    assert loaded[0].to_dict()["absence_note"] == "n/a"  # written back as it came
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "absence_note (1), absent_terms (1), tags (2)" in warnings[0]
    other = _write_jsonl(tmp_path / "other.jsonl", [dict(VALID_RECORD, type="trivia")])
    assert load_questions(other)[0].type == "trivia"  # unknown types are kept too (and reported by lint)
    assert lint(load_questions(other)[0]) == ["type 'trivia' is not one of factoid, list, table, paraphrase, multi_hop, unanswerable"]


def test_loader_reads_llama_index_and_ragas_field_names(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "golden.jsonl", [
        {"id": 0, "query": "What is Solana?", "reference_answer": "A blockchain.", "reference_contexts": ["..."]},
        {"user_input": "What is PoH?", "reference": "Proof of History."},
    ])
    first, second = load_questions(path)
    assert (first.id, first.question, first.answer) == ("0", "What is Solana?", "A blockchain.")
    assert first.extra == {"reference_contexts": ["..."]} and first.type == "unspecified" and first.answerable
    assert (second.id, second.question, second.answer) == ("golden:2", "What is PoH?", "Proof of History.")
    assert first.quotes == () and first.must_include == ()


def test_dev_files_load_and_carry_pages() -> None:
    real = load_questions(REPO_ROOT / "eval" / "questions-realdocs.jsonl")
    current = load_questions(REPO_ROOT / "eval" / "questions-current.jsonl")
    assert all(not q.extra for q in real + current)  # every field of the dev files is known now
    r002 = next(q for q in real if q.id == "r002")
    assert [(e.source_file, e.page) for e in r002.quotes] == [("Prescribing-of-Insulin-Needles.pdf", 2)] * 2
    assert {q.type for q in real} >= {"table", "unanswerable"} and all(q.period for q in current)
    assert all(q.near_file for q in real if not q.answerable)


def test_evidence_is_matched_as_a_reader_sees_it() -> None:
    rendered = "It is critical that organisations (ICBs) operate within their efficient allocations."
    assert contains_evidence(rendered, r"organisations \(ICBs\) operate within their **efficient** allocations")
    assert contains_evidence(rendered, "organisations (ICBs) operate within their __efficient__ allocations")
    assert contains_evidence("their eﬃcient al\u00adlocations", "their efficient allocations")  # ligature, soft hyphen
    assert contains_evidence("Partner member | Amended from two to one | 19.09.25", "Partner member Amended from two to one")
    assert normalise("snake_case and \\_escaped\\_") == "snake_case and _escaped_"
    assert not contains_evidence(rendered, "organisations (ICBs) operate within their allocations")
