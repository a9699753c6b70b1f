# Two entry points a new machine needs: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test browser bench demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Debrief needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py --browser.gatherUsageStats false $(ARGS)

test: $(STAMP) browser
	$(PY) -m pytest $(ARGS)

# Browser tests drive Debian's chromium (never a downloaded browser). Installed here when we can.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; \
	fi
	@[ -x /usr/bin/chromium ] || echo "No /usr/bin/chromium: browser tests will be skipped (sudo apt-get install chromium)."

bench: $(STAMP)
	$(PY) -m bench

demo: $(STAMP)
	$(VENV)/bin/debrief demo

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
