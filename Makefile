# The README's two commands: `make demo` (set up, render the shipped sample) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= outputs
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint system-deps clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,notebook]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP)

DOCS := profile,strategy,action-plan,monitoring,guideline

## Render every document of every sample cluster (those it has data for) in both languages and
## formats into $(OUT)/, and the general edition of the facilitator guideline into $(OUT)/general/.
demo: setup
	$(VENV)/bin/cluster-reports validate params/clusters
	$(VENV)/bin/cluster-reports render params/clusters --doc $(DOCS) --lang id,en --format docx,html --out $(OUT)
	$(VENV)/bin/cluster-reports render --doc guideline --lang id,en --format docx,html --out $(OUT)

## Real-client tests need LibreOffice, Chromium, poppler and Java: installed from Debian's packages.
system-deps:
	bash .ci/system-deps

test: system-deps setup lint
	$(VENV)/bin/pytest -q

## ruff, and the import contracts of pyproject.toml (layers point down, no circles).
lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(OUT)/*/ build dist
