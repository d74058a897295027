# The README's two set-up commands are `make run` and `make test`; everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app consult
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format translations lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: $(STAMP)
	@$(BIN)/pybabel compile -d translations >/dev/null
	@scripts/ensure-pdf-support
	$(FLASK) db upgrade
	$(FLASK) consult demo --if-empty
	@echo
	@echo "  consult is running at http://127.0.0.1:5000/"
	@echo "  Demo staff logins (sign in at http://127.0.0.1:5000/de/staff/login):"
	@echo "    moderator       moderation@kreis.example   demo-moderation-2026"
	@echo "    administration  verwaltung@kreis.example   demo-verwaltung-2026"
	@echo "  Demo organisation member (sign in at http://127.0.0.1:5000/de/members/login):"
	@echo "    migrationsdienst@verband.example   demo-organisation-2026"
	@echo "  An anonymous participant's private link (what a participant sees):"
	@echo "    http://127.0.0.1:5000/de/my/demo-Xq7vR2mK9pL4sT8wZ3nB6cF1"
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/pybabel compile -d translations >/dev/null
	@scripts/ensure-pdf-support
	@scripts/ensure-browser
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract the messages and merge them into every catalog (then translate the new entries).
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project consult --copyright-holder "consult contributors" -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations
	$(BIN)/python scripts/fill-source-catalog translations/en/LC_MESSAGES/messages.po

# Regenerate the pinned versions on purpose (never by accident).
lock:
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url --no-emit-find-links \
	  --output-file constraints.txt pyproject.toml

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
