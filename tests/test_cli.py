"""The command line, run as users run it: a real process, real index. Mistakes exit 2 with one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_DOCS, NEWS

EXE = str(Path(sys.executable).with_name("ics-assistant"))


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}
    full_env.update(env or {})
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "index"
    done = run("ingest", str(CORPUS), "--index", str(path))
    assert done.returncode == 0, done.stderr
    assert f"{CORPUS_DOCS} added" in done.stdout and str(path) in done.stdout
    return path


def test_ingest_twice_adds_nothing_and_json_summary(index: Path) -> None:
    again = run("ingest", str(CORPUS), "--index", str(index), "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["chunks_added"] == 0 and len(summary["unchanged"]) == CORPUS_DOCS


def test_ask_prints_cited_answer_and_json(index: Path) -> None:
    done = run("ask", "Who was asked to lead the independent review of integrated care systems?", "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert "Patricia Hewitt" in done.stdout and "[1]" in done.stdout and NEWS in done.stdout
    first = next(line for line in done.stdout.splitlines() if line.startswith("[1] "))
    assert re.fullmatch(r'\[1\] .+ \(\d{3}_\w+\.txt(, .+)?\): ".+"', first), first  # Citation.line, the one format
    as_json = run("ask", "What is the publication reference of NHS England's letter on the Hewitt Review?", "--json", "--top-k", "4", "--index", str(index))
    data = json.loads(as_json.stdout)
    assert "PR00557" in data["text"] and data["refused"] is False and len(data["passages"]) == 4


def test_status_and_env_index_dir(index: Path) -> None:
    done = run("status", env={"ICS_INDEX_DIR": str(index)})
    assert done.returncode == 0, done.stderr
    assert f"documents: {CORPUS_DOCS}" in done.stdout and str(index) in done.stdout
    data = json.loads(run("status", "--json", "--index", str(index)).stdout)
    assert data["documents"] == CORPUS_DOCS and data["chunks"] > 5


def test_options_before_the_command_are_kept(index: Path, tmp_path: Path) -> None:
    """`--index DIR status` and `status --index DIR` are the same; argparse used to reset the first to the default,
    so `--index DIR ingest ...` wrote to ./index without a word."""
    before = run("--index", str(index), "status", "--json", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["documents"] == CORPUS_DOCS
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("args", [
    ("ask",),
    ("ask", "   ", "--index", "{index}"),
    ("ask", "targets", "--top-k", "0", "--index", "{index}"),
    ("ask", "targets", "--since", "yesterday", "--index", "{index}"),
    ("ask", "targets", "--index", "{missing}"),
    ("status", "--index", "{missing}"),
    ("ingest", "/no/such/dir", "--index", "{missing}"),
    ("frobnicate",),
])
def test_user_mistakes_exit_2_with_one_line(index: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    filled = [a.format(index=index, missing=tmp_path / "missing") for a in args]
    done = run(*filled)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ics-assistant: error:"), done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "missing").exists(), "a mistake must not create an index"


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    done = run("status", env={"ICS_CHROMA_HOST": "127.0.0.1", "ICS_CHROMA_PORT": "9"})
    assert done.returncode == 2
    assert "cannot reach the Chroma server at http://127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr
