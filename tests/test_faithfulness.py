"""The faithfulness checker (real embedding model) and the metrics that use it as a judge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback

from assistant.answering.verification import FaithfulnessChecker, FaithfulnessParams, figures, split_claims
from assistant.evaluation.faithfulness import score_line
from assistant.evaluation.judge import LLMFaithfulnessJudge, parse_judgement

EVIDENCE = [
    "Chancellor Jeremy Hunt announced that he had asked Patricia Hewitt to oversee an independent review "
    "into how ICSs can best succeed. The review will report by 15 March 2023. There are 42 integrated care "
    "boards in England, and the review will not set new national targets."
]


@pytest.fixture(scope="module")
def checker() -> FaithfulnessChecker:
    return FaithfulnessChecker()


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


def test_unscorable_answers_are_none_with_a_reason_never_nan(checker: FaithfulnessChecker) -> None:
    no_claims = checker.check(" [1] ", EVIDENCE)
    no_context = checker.check("There are 42 boards.", ["  "])
    assert no_claims.score is None and no_claims.error == "the answer has no claims to check"
    assert no_context.score is None and "no context" in (no_context.error or "")
    json.dumps(no_claims.to_dict(), allow_nan=False)


def test_claims_are_sentences_without_citation_markers() -> None:
    assert split_claims("First claim here [1]. Second one [2][3]. [4]") == ["First claim here.", "Second one."]
    assert split_claims("Extractive style. [1] Next sentence. [2]") == ["Extractive style.", "Next sentence."]


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


# -- the LLM judge --------------------------------------------------------------------------------
class CannedLLM(CustomLLM):
    """Replies with fixed texts in turn. A stand-in: no instruction-following LLM runs offline here
    (the judge's real-LLM path is the LLM backend's business); what is tested is reading replies."""

    replies: list[str] = []
    calls: int = 0

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="canned")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: object) -> CompletionResponse:
        reply = self.replies[min(self.calls, len(self.replies) - 1)]
        self.calls += 1
        return CompletionResponse(text=reply)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: object):  # noqa: ANN201
        yield self.complete(prompt)


def test_parse_judgement() -> None:
    assert parse_judgement('Sure:\n```json\n[{"n": 1, "supported": "yes"}, {"n": 2, "supported": false, "reason": "r"}]\n```', 2) == [
        (True, ""), (False, "r")]
    assert parse_judgement('[{"n": 1, "supported": true}]', 2) is None  # a claim left out
    assert parse_judgement("I think it is fine.", 1) is None


def test_llm_judge_reads_verdicts_and_falls_back_on_junk(checker: FaithfulnessChecker) -> None:
    good = LLMFaithfulnessJudge(CannedLLM(replies=['[{"n": 1, "supported": false, "reason": "wrong year"}]']))
    result = good.check("The review reports in 2031.", EVIDENCE)
    assert result.score == 0.0 and result.claims[0].reasons == ["wrong year"]
    junk = LLMFaithfulnessJudge(CannedLLM(replies=["{oops"]), retries=1)
    unscored = junk.check("The review reports in 2031.", EVIDENCE)
    assert unscored.score is None and "could not be read" in (unscored.error or "")
    fallback = LLMFaithfulnessJudge(CannedLLM(replies=["{oops"]), fallback=checker, retries=0)
    assert fallback.check("There are 42 integrated care boards in England.", EVIDENCE).score == 1.0
