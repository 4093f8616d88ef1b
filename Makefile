# From a fresh clone: `make demo` and `make test` each set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Written by scripts/system-deps once Apertium, Chromium and WordNet are all here: a second make
# skips the check. Without them (no root, no apt-get) the script prints the install line each time.
SYSTEM_STAMP := $(VENV)/.system-deps-stamp
SHARED ?= ../shared

.PHONY: setup system-deps test demo lint bench bench-langid eval eval-frank screenshots clean \
	judge-data train-judge

# System packages (Apertium and its pairs, Chromium, WordNet): the same script as .ci/run.
$(SYSTEM_STAMP): scripts/system-deps
	scripts/system-deps --stamp $(SYSTEM_STAMP)

system-deps: $(SYSTEM_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	# torch first, pinned: the CPU build on local disk; an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	# cluster: Ray, for the ray engine's tests (tests/test_engines.py; ~30 s to install).
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev,cluster]"
	touch $(STAMP)

setup: $(SYSTEM_STAMP) $(STAMP)

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check drift tests benchmarks
	$(BIN)/mypy

demo: setup
	mkdir -p reports
	$(BIN)/drift audit examples/harbour-strike --reference examples/harbour-strike/reference.md \
		--html reports/demo.html --json reports/demo.json || test $$? -le 3
	@echo "HTML report: reports/demo.html"

bench-langid: setup
	$(BIN)/python benchmarks/bench_langid.py

# Performance benchmarks (< 10 min): reports/bench.md and reports/bench-scaling.png. The langid
# benchmark (6-10 min) stays separate: `make bench-langid`.
bench: setup
	mkdir -p reports
	$(BIN)/python benchmarks/run_all.py --out reports

# Full-page screenshots of the HTML report (desktop and phone) into reports/screenshots/.
screenshots: setup
	$(BIN)/pytest -q tests/test_browser.py -k screenshot

eval: setup
	$(BIN)/python benchmarks/eval_devset.py --shared $(SHARED)

# The learned judge's training corpus (data/judge/, git-ignored): synthetic drift pairs from
# ../shared/external training text, the project's training stories, invented passages and the
# written minimal-pair groups of training/written.
judge-data: setup
	$(BIN)/python -m drift.judge.corpus --shared $(SHARED) --out data/judge

# Train the judge on this machine's CPU into JUDGE_OUT (build/judge): a fine-tuning, at most 50
# minutes on 2 cores, of the GPU-trained judge of commit JUDGE_BASE (restored from git history;
# it was trained from all-MiniLM-L6-v2 by scripts/judge-gpu-final) on the written minimal pairs
# and in-style pairs, with a replay of the other sources. It prints its held-out figure beside
# the committed judge's: replace models/judge only when the card's figures improve.
JUDGE_OUT ?= build/judge
JUDGE_BASE ?= 92ff1df
train-judge: setup
	test -s data/judge/train.jsonl || $(MAKE) judge-data
	mkdir -p build/judge-base
	git show $(JUDGE_BASE):models/judge/model.safetensors > build/judge-base/model.safetensors
	$(BIN)/python -m drift.judge.train --data data/judge --out $(JUDGE_OUT) \
		--resume build/judge-base --epochs 1 --max-minutes 50 --batch-size 32 --lr 3e-5 \
		--max-length 192 --seed 13 --threads 2 --select-every 150 \
		--cap synth:5000,leipzig:1000,newstest:400,frank:500,mt:1000 \
		--dev-pairs data/judge/dev-pairs.jsonl --heldout-pairs data/judge/heldout-pairs.jsonl

eval-frank: setup
	$(BIN)/python benchmarks/eval_frank.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
