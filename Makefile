# The two commands of the README: `make run` and `make test`.
# Both set up everything first (system libraries for Qt, .venv, the package with its test extras).
VENV   := .venv
STAMP  := $(VENV)/.installed
SAMPLE := resources/sample_leads.csv
MODEL  := resources/models/b2b_saas.json

.PHONY: run test bench bench-quick screens setup clean

$(STAMP): pyproject.toml installer/bootstrap.sh
	bash installer/bootstrap.sh $(VENV)
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	LEADBENCH_NEEDS_DISPLAY=1 bash installer/bootstrap.sh --gui-libs-only
	$(VENV)/bin/leadbench gui $(SAMPLE) --model $(MODEL)

test: $(STAMP)
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python -m bench

bench-quick: $(STAMP)
	$(VENV)/bin/python -m bench --quick

# every tab and dialog on the sample and X Education, light and dark, 1280x800 and 1920x1080
screens: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m tools.screens --out docs/screens

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
