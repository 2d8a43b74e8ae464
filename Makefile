# The two commands of the README, `make run` and `make test`, `make serve` for production and
# `make bench` for its figures. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The browser tests drive this Chromium (Playwright cannot download its own here).
CHROMIUM ?= /usr/bin/chromium
# The benchmark's load generator (Debian's wrk); its smoke test runs in the suite.
WRK := /usr/bin/wrk
# Python caches each compiled module (and pytest each test module with its asserts rewritten)
# in __pycache__. Where the environment turns that off, every test process, server worker and
# command compiles everything again, about 4 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run serve test lint bench

# The schema comes from the migrations, applied once here, before any server starts.
run: $(VENV)/.runtime
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/flask --app webapp run --port 5000

# gunicorn with several workers (gunicorn.conf.py): http://127.0.0.1:8000 by default.
serve: $(VENV)/.runtime
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py

# One test process per core; one that runs out of tests takes some from the other
# (--dist worksteal): a browser test takes seconds, most others milliseconds.
test: $(VENV)/.dev $(CHROMIUM) $(WRK)
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -n auto --dist worksteal

# make serve's server under load (benchmarks/serving.py): a table, and instance/benchmark.json.
# Options go in BENCH_ARGS, e.g. BENCH_ARGS="--database-url postgresql://localhost/scratch".
bench: $(VENV)/.dev $(CHROMIUM) $(WRK)
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m benchmarks.serving $(BENCH_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(VENV)/.runtime: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y --no-install-recommends chromium; \
	else \
		echo "The browser tests need Debian's Chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

$(WRK):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y --no-install-recommends wrk; \
	else \
		echo "The benchmark needs wrk: sudo apt-get install wrk" >&2; exit 1; \
	fi
