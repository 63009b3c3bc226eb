"""Copies of one chunk text are retrieved once (``retrieval.hybrid.distinct``).

Real parts: Chroma, the real embedding model and the real ingestion of a seed article filed in two
folders (as a shared drive often holds one file twice), the second copy re-saved with a line more
(byte-identical copies are indexed once, ``ingest/copies.py``; these differ, so both are indexed and
share their chunk texts). No stand-ins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS
from llama_index.core.schema import NodeWithScore, TextNode

from assistant import Assistant
from assistant.retrieval.hybrid import distinct

ARTICLE = "000_e80050a0a2aa5b66.txt"


def _hit(text: str, date_ord: int, score: float, node_id: str) -> NodeWithScore:
    return NodeWithScore(node=TextNode(id_=node_id, text=text, metadata={"date_ord": date_ord}), score=score)


def test_copies_are_kept_once_at_the_first_rank_and_the_newest_copy_is_the_one_kept() -> None:
    hits = [_hit("The rate is 45p.", 20230401, 0.9, "old"), _hit("Other  text.", 0, 0.8, "x"),
            _hit("The rate is\n45p.", 20240401, 0.9, "new"), _hit("Other text.", 0, 0.7, "y")]
    kept = distinct(hits)
    assert [h.node.node_id for h in kept] == ["new", "x"]  # the 2024 copy, at the first copy's rank and score
    assert [h.score for h in kept] == [0.9, 0.8]
    assert distinct([]) == []


def test_one_file_in_two_folders_fills_the_top_k_with_distinct_passages(tmp_path: Path) -> None:
    for folder in ("team-a", "team-b"):
        (tmp_path / folder).mkdir()
        shutil.copy(CORPUS / ARTICLE, tmp_path / folder / ARTICLE)
    resaved = tmp_path / "team-b" / ARTICLE
    resaved.write_text(resaved.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assistant = Assistant(index_dir=tmp_path / "index")
    summary = assistant.ingest([tmp_path / "team-a", tmp_path / "team-b"])
    assert summary.ok and len(summary.added) == 2 and not summary.copies
    passages = assistant.retrieve("Who was asked to lead the independent review of integrated care systems?", top_k=5)
    texts = [" ".join(p.text.split()) for p in passages]
    assert len(passages) == 5 and len(set(texts)) == 5
    assert {Path(p.path).parent.name for p in passages} <= {"team-a", "team-b"}
