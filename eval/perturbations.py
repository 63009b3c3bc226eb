"""Does the faithfulness checker catch a changed number, date, name or negation? A set built from the corpus.

    python eval/perturbations.py [--questions eval/questions.jsonl] [--corpus DIR ...] [--seed 0]

Two sources of faithful answers, each checked against a passage of the corpus:

- **paraphrase**: the reference answers of ``eval/questions.jsonl`` (written by people, in their own
  words), against the stretch of the document around their evidence quote(s);
- **quote**: sentences of the corpus holding a figure, date, name or auxiliary verb, against the
  sentence and its neighbours.

Each faithful answer is then perturbed once per applicable kind: **number** (one digit of a figure
changed), **date** (a year moved by 1-3, or a month swapped), **name** (a capitalised name replaced by
one from another document) and **negation** ("will" -> "will not", or a "not" removed). Reports the
false-alarm rate (faithful answers flagged) and the detection rate per kind; writes
``eval/reports/perturbations-<timestamp>.json`` (with every pair, for inspection).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.verification import FaithfulnessChecker  # noqa: E402
from assistant.evaluation.questions import load_questions, normalise  # noqa: E402
from assistant.ingest.chunking import split_sentences  # noqa: E402
from assistant.ingest.loaders import load_paths  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
FIGURE = re.compile(r"(?<![\w.,/-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w/])")
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
NAME = re.compile(r"(?<=[a-z,(] )[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\b")  # mid-sentence: not a capitalised opener
AUX = re.compile(r"\b(will|should|must|can|is|are|was|were|would|could|may|has|have)\b(?!\s+not\b)")
NOT = re.compile(r"\s+not\b")


def perturb_number(text: str, rng: random.Random) -> str | None:
    """Change one digit of a figure that is not a year (pure given ``rng``)."""
    spots = [m for m in FIGURE.finditer(text) if not YEAR.fullmatch(m.group(0))]
    if not spots:
        return None
    m = rng.choice(spots)
    digits = [i for i, ch in enumerate(m.group(0)) if ch.isdigit()]
    i = digits[-1] if len(digits) > 1 else digits[0]
    old = m.group(0)[i]
    new = rng.choice([d for d in "123456789" if d != old])
    changed = m.group(0)[:i] + new + m.group(0)[i + 1:]
    return text[: m.start()] + changed + text[m.end():]


def perturb_date(text: str, rng: random.Random) -> str | None:
    """Move one year by 1-3, or swap one month name for another (pure given ``rng``)."""
    years = list(YEAR.finditer(text))
    months = list(MONTH.finditer(text))
    if months and (not years or rng.random() < 0.5):
        m = rng.choice(months)
        new = rng.choice([x for x in MONTHS if x != m.group(1)])
        return text[: m.start()] + new + text[m.end():]
    if years:
        m = rng.choice(years)
        new = str(int(m.group(0)) + rng.choice([-3, -2, -1, 1, 2, 3]))
        return text[: m.start()] + new + text[m.end():]
    return None


def perturb_name(text: str, pool: list[str], context: str, rng: random.Random) -> str | None:
    """Replace a multi-word capitalised name with one the context never mentions (pure given ``rng``)."""
    spots = [m for m in NAME.finditer(text) if not MONTH.search(m.group(0))]
    candidates = [n for n in pool if n.lower() not in context.lower()]
    if not spots or not candidates:
        return None
    m = rng.choice(spots)
    return text[: m.start()] + rng.choice(candidates) + text[m.end():]


def perturb_negation(text: str, rng: random.Random) -> str | None:
    """Insert "not" after an auxiliary verb, or remove an existing "not" (pure given ``rng``)."""
    nots = list(NOT.finditer(text))
    if nots and rng.random() < 0.3:
        m = rng.choice(nots)
        return text[: m.start()] + text[m.end():]
    aux = list(AUX.finditer(text))
    if not aux:
        return None
    m = rng.choice(aux)
    return text[: m.end()] + " not" + text[m.end():]


def document_sentences(corpus: list[str]) -> dict[str, list[str]]:
    """Each document's sentences, whitespace-collapsed, by file name."""
    out = {}
    for doc in load_paths(corpus).documents:
        text = doc.text
        out[doc.metadata["source"]] = [" ".join(text[a:b].split()) for a, b in split_sentences(text)]
    return out


def window_around(sentences: list[str], evidence: str, before: int = 4, after: int = 6) -> str | None:
    """The sentences around where ``evidence`` starts (None if it cannot be found)."""
    head = normalise(evidence)[:60]
    for i in range(len(sentences)):
        if head and head in normalise(" ".join(sentences[i:i + 4])):
            return " ".join(sentences[max(0, i - before): i + after + 1])
    return None


def build_set(questions_path: str, corpus: list[str], seed: int, quotes: int) -> list[dict]:
    rng = random.Random(seed)
    docs = document_sentences(corpus)
    pool = sorted({m.group(0) for sents in docs.values() for s in sents for m in NAME.finditer(s)
                   if not MONTH.search(m.group(0))})
    items: list[dict] = []
    for q in load_questions(questions_path):
        if not q.answerable:
            continue
        parts = [window_around(docs.get(src, []), ev) for src, ev in q.evidence_items]
        if any(p is None for p in parts):
            continue
        items.append({"source": "paraphrase", "id": q.id, "context": "\n\n".join(p for p in parts if p), "answer": q.answer})
    candidates = [(name, i) for name, sents in docs.items() for i, s in enumerate(sents)
                  if 12 <= len(s.split()) <= 45 and (FIGURE.search(s) or MONTH.search(s) or NAME.search(s[1:]) or AUX.search(s))]
    for name, i in rng.sample(candidates, min(quotes, len(candidates))):
        sents = docs[name]
        items.append({"source": "quote", "id": f"{name}#{i}", "context": " ".join(sents[max(0, i - 2): i + 3]), "answer": sents[i]})
    pairs = []
    for item in items:
        pairs.append({**item, "kind": "original", "faithful": True})
        variants = {
            "number": perturb_number(item["answer"], rng),
            "date": perturb_date(item["answer"], rng),
            "name": perturb_name(item["answer"], pool, item["context"], rng),
            "negation": perturb_negation(item["answer"], rng),
        }
        for kind, text in variants.items():
            if text and text != item["answer"]:
                pairs.append({**item, "kind": kind, "faithful": False, "answer": text, "original": item["answer"]})
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--corpus", nargs="+", default=[str(ROOT / "corpus"), str(ROOT.parent / "shared" / "corpus-nhs")])
    parser.add_argument("--quotes", type=int, default=150, help="corpus sentences to use as faithful quotes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports"))
    args = parser.parse_args()
    started = time.perf_counter()
    pairs = build_set(args.questions, args.corpus, args.seed, args.quotes)
    checker = FaithfulnessChecker()
    for p in pairs:
        result = checker.check(p["answer"], p["context"])
        p["flagged"] = not result.supported
        p["score"] = result.score
        p["reasons"] = [r for c in result.unsupported for r in c.reasons]
    seconds = time.perf_counter() - started

    table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: {"n": 0, "flagged": 0}))
    for p in pairs:
        for source in (p["source"], "all"):
            cell = table[source][p["kind"]]
            cell["n"] += 1
            cell["flagged"] += int(p["flagged"])
    kinds = ["original", "number", "date", "name", "negation"]
    lines = [f"{len(pairs)} answers ({sum(p['kind'] == 'original' for p in pairs)} faithful) checked in {seconds:.0f}s", "",
             "| source | false alarms (faithful flagged) | number detected | date detected | name detected | negation detected |",
             "|---|---|---|---|---|---|"]
    for source in ("paraphrase", "quote", "all"):
        cells = []
        for kind in kinds:
            c = table[source][kind]
            rate = c["flagged"] / c["n"] if c["n"] else None
            cells.append("n/a" if rate is None else f"{rate:.2f} ({c['flagged']}/{c['n']})")
        lines.append(f"| {source} | " + " | ".join(cells) + " |")
    perturbed = [p for p in pairs if p["kind"] != "original"]
    detected = sum(p["flagged"] for p in perturbed) / len(perturbed) if perturbed else 0.0
    originals = [p for p in pairs if p["kind"] == "original"]
    false_alarm = sum(p["flagged"] for p in originals) / len(originals) if originals else 0.0
    lines.append(f"\noverall: detection rate {detected:.3f} on {len(perturbed)} perturbed answers; "
                 f"false-alarm rate {false_alarm:.3f} on {len(originals)} faithful answers")
    print("\n".join(lines))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = out / f"perturbations-{time.strftime('%Y%m%d-%H%M%S')}.json"
    report.write_text(json.dumps({"seed": args.seed, "corpus": args.corpus, "seconds": seconds, "detection_rate": detected,
                                  "false_alarm_rate": false_alarm, "table": {s: dict(v) for s, v in table.items()},
                                  # contexts are left out (rebuilt from the corpus by --seed) to keep the file small
                                  "pairs": [{k: v for k, v in p.items() if k != "context"} for p in pairs]},
                                 indent=1, ensure_ascii=False))
    print(f"written: {report.relative_to(ROOT) if report.is_relative_to(ROOT) else report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
