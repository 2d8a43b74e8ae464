# The two commands of the README, `make run` and `make test`, and `make serve` for production.
# Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The browser tests drive this Chromium (Playwright cannot download its own here).
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve test lint

# The schema comes from the migrations, applied once here, before any server starts.
run: $(VENV)/.runtime
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/flask --app webapp run --port 5000

# gunicorn with several workers (gunicorn.conf.py): http://127.0.0.1:8000 by default.
serve: $(VENV)/.runtime
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py

test: $(VENV)/.dev $(CHROMIUM)
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -n auto

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
