# The README's commands. Everything they need is installed here, from the package
# registries, so a fresh machine with Python 3.11+ and make is enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Debian packages the test suite needs: Chromium for the browser tests, a CJK font for it.
SYSTEM_PACKAGES ?= chromium fonts-wqy-microhei

.PHONY: demo test bench lint serve clean system-deps translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per extras set, rebuilt when the package metadata changes.
$(VENV)/.app: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.app

system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

demo: $(VENV)/.app
	$(BIN)/evalapp init-db
	$(BIN)/evalapp demo
	$(BIN)/evalapp serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

# After changing interface strings: extract, merge into the catalogues, translate the new
# entries in evalapp/translations/*/LC_MESSAGES/messages.po, then compile.
translations: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o evalapp/translations/messages.pot .
	$(BIN)/pybabel update -i evalapp/translations/messages.pot -d evalapp/translations \
		--no-fuzzy-matching
	$(BIN)/pybabel compile -d evalapp/translations --statistics
