"""Batch faithfulness scoring: ``{"context", "answer"}`` JSON lines in, one verdict per line out.

``ics-assistant faithfulness --input answers.jsonl`` runs this with the offline checker, or with the
LLM judge (``--judge llm``, ``assistant.evaluation.judge``), which is a checker too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from assistant.answering.verification import FaithfulnessChecker, FaithfulnessResult


def score_line(line: str, checker: FaithfulnessChecker) -> dict[str, Any]:
    """Verdict for one ``{"context": str | [str], "answer": str}`` JSON line; problems become ``error``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return FaithfulnessResult(None, False, error=f"invalid JSON: {exc.msg} (column {exc.colno})").to_dict()
    if not isinstance(record, dict):
        return FaithfulnessResult(None, False, error=f"expected a JSON object, got {type(record).__name__}").to_dict()
    context, answer = record.get("context"), record.get("answer")
    out: dict[str, Any] = {"id": record["id"]} if "id" in record else {}
    if not isinstance(answer, str):
        result = FaithfulnessResult(None, False, error="'answer' must be a string")
    elif not (isinstance(context, str) or (isinstance(context, list) and all(isinstance(c, str) for c in context))):
        result = FaithfulnessResult(None, False, error="'context' must be a string or a list of strings")
    else:
        try:
            result = checker.check(answer, context)
        except Exception as exc:  # one bad line must not end the batch
            result = FaithfulnessResult(None, False, error=f"{type(exc).__name__}: {exc}")
    out.update(result.to_dict())
    return out


def score_jsonl(source: Any, out: Any, checker: FaithfulnessChecker, progress: bool = False) -> dict[str, int]:
    """Score every non-blank line of the JSONL file ``source`` into the text stream ``out``.

    One output line per input line, in order; returns counts of supported / unsupported / unscored.
    """
    lines = [line for line in Path(source).read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {"lines": len(lines), "supported": 0, "unsupported": 0, "unscored": 0}
    iterator: Any = lines
    if progress:
        from tqdm import tqdm

        iterator = tqdm(lines, desc="faithfulness", unit="line", file=sys.stderr)
    for line in iterator:
        row = score_line(line, checker)
        counts["unscored" if row["score"] is None else "supported" if row["supported"] else "unsupported"] += 1
        out.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
    return counts
