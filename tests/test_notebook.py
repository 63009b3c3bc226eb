"""notebooks/evaluate.ipynb runs top to bottom in a real kernel (the venv's own ipykernel)."""

from __future__ import annotations

import nbformat
from conftest import REPO_ROOT
from nbclient import NotebookClient

NOTEBOOK = REPO_ROOT / "notebooks" / "evaluate.ipynb"


def test_evaluate_notebook_runs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # kernel "python3" is ipykernel's built-in spec: it starts this interpreter, so a fresh venv needs no install step.
    NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(REPO_ROOT)}}).execute()
    outputs = {i: "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in c.get("outputs", []))
               for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    text = "\n".join(outputs.values())
    assert "4 questions (4 asked" in text
    assert "number 2024 is not in the evidence" in text or "date 2024 is not in the evidence" in text
    assert "not scored: the answer has no claims to check" in text
    assert "| overall.hit_at_k |" in text
    assert "report.html" in text and "results.jsonl" in text
