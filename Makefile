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
# With LibreOffice and pdftotext on the machine (`make test` installs them), the Word files' contents
# lists get their page numbers as LibreOffice lays the pages out.
PAGE_NUMBERS := $(if $(and $(shell command -v soffice 2>/dev/null),$(shell command -v pdftotext 2>/dev/null)),--page-numbers,)

## Render every document of every sample cluster (those it has data for) in both languages and
## formats into $(OUT)/, and the general edition of the facilitator guideline into $(OUT)/general/.
demo: setup
	$(VENV)/bin/cluster-reports validate params/clusters
	$(VENV)/bin/cluster-reports render params/clusters --doc $(DOCS) --lang id,en --format docx,html --out $(OUT) $(PAGE_NUMBERS)
	$(VENV)/bin/cluster-reports render --doc guideline --lang id,en --format docx,html --out $(OUT) $(PAGE_NUMBERS)

## Real-client tests need LibreOffice, Chromium, poppler and Java: installed from Debian's packages.
system-deps:
	bash .ci/system-deps

## On every core (pytest-xdist); --dist loadfile keeps a test module on one worker, so a module's
## expensive fixture (a render, a LibreOffice session, a built wheel) is built once, not per worker.
## pytest exits non-zero on a failure, and with 5 when no tests ran.
test: system-deps setup lint
	$(VENV)/bin/pytest -q --durations=15 -n auto --dist loadfile

## ruff, and the import contracts of pyproject.toml (layers point down, no circles).
lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(OUT)/*/ build dist
