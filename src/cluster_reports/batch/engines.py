"""Engines: how a batch task turns one cluster's params into its documents.

``direct`` composes and writes in the calling process (a warm Dask worker); ``papermill`` executes
the document kind's notebook with its parameters and keeps the executed notebook beside the
documents as the audit trail, with an HTML copy of it for reviewers who have no Jupyter. Both end
in the same code (compose + writers), so the documents' text is the same. Either way a failure is
reported per document, never raised: the batch goes on.
"""

from __future__ import annotations

import copy
import html
import re
import time
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cluster_reports import render, resources, storage
from cluster_reports.atomic import write_atomic, write_text_atomic
from cluster_reports.batch.manifest import FAILED, RENDERED, UNAVAILABLE
from cluster_reports.compose import composer
from cluster_reports.documents import i18n, registry
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams

NAMES = ("direct", "papermill")


@dataclass(frozen=True)
class Job:
    """One document kind in one language, in the formats asked for."""

    kind: str
    lang: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class DocResult:
    kind: str
    lang: str
    fmt: str
    path: Path | None
    status: str
    duration: float
    error: str | None = None
    warnings: tuple[str, ...] = ()  # a written document's: reviewed wording quoting old figures


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _unavailable(loaded: LoadedParams, job: Job) -> list[DocResult] | None:
    reason = registry.unavailable_reason(loaded, job.kind)
    if reason is None:
        return None
    return [DocResult(job.kind, job.lang, fmt, None, UNAVAILABLE, 0.0, reason) for fmt in job.formats]


def render_direct(
    loaded: LoadedParams, jobs: list[Job], out: Path, peers: list[ClusterSummary], templates: Path
) -> list[DocResult]:
    """Compose each (kind, language) once and write it in each format; a failure stays with its document."""
    results: list[DocResult] = []
    for job in jobs:
        skipped = _unavailable(loaded, job)
        if skipped:
            results += skipped
            continue
        start = time.perf_counter()
        try:
            doc = composer.compose(loaded, job.kind, job.lang, peers, templates)
        except Exception as exc:  # noqa: BLE001 - a template or data error fails this document only
            results += [
                DocResult(job.kind, job.lang, f, None, FAILED, 0.0, _message(exc)) for f in job.formats
            ]
            continue
        compose_time = (time.perf_counter() - start) / len(job.formats)
        for fmt in job.formats:
            path = render.output_path(out, loaded.params, job.kind, job.lang, fmt)
            start = time.perf_counter()
            try:
                render.write(doc, path, fmt, templates)
            except Exception as exc:  # noqa: BLE001
                storage.stop_on(exc, out)  # a full or read-only disk ends the batch, not this document
                results.append(DocResult(job.kind, job.lang, fmt, None, FAILED, 0.0, _message(exc)))
                continue
            results.append(
                DocResult(job.kind, job.lang, fmt, path, RENDERED, compose_time + time.perf_counter() - start,
                          warnings=tuple(stale.message() for stale in doc.stale))
            )
    return results


def notebook_path(out: Path, loaded: LoadedParams, kind: str) -> Path:
    """The executed notebook, beside the cluster's documents: OUT/<province>/<id>/<kind>.ipynb."""
    return render.output_path(out, loaded.params, kind, "x", "x").with_name(f"{kind}.ipynb")


def notebook_html_path(executed: Path) -> Path:
    """The executed notebook's HTML copy beside it: <kind>.notebook.html.

    Not ``<kind>.html``, nbconvert's name, which reads as the document itself; and "notebook" sits
    where a document has its language, which no language code can be, so the copy is never taken for
    one of the documents ``<kind>.<lang>.html``. It also keeps a plain name where a file manager
    hides extensions (``profile.notebook``, not ``profile.ipynb``, the notebook's own name).
    """
    return executed.with_name(f"{executed.stem}.notebook.html")


@dataclass(frozen=True)
class Page:
    """What the HTML copy of an executed notebook says of itself: its language and title."""

    lang: str
    title: str


def notebook_page(loaded: LoadedParams, kind: str, lang: str, templates: Path) -> Page:
    """The copy takes the language of the tables and charts the notebook shows (its first language);
    its title names the document and the cluster. "notebook" is the same word in both languages (the
    index page's labels use it too), so it needs no label a user's template library may lack."""
    document = i18n.labels(templates, lang)(f"document.{kind}")
    return Page(lang, f"{document}: {loaded.params.name.get(lang)} (notebook)")


def render_papermill(
    loaded: LoadedParams, jobs: list[Job], out: Path, params_root: Path, templates: Path,
    notebooks: Path | None = None, programmes: Path | None = None,
) -> list[DocResult]:
    """Execute the notebook of each kind (``<notebooks>/<kind>.ipynb``) once, for the languages and
    formats asked for, on the templates and programme library the batch hashed."""
    notebooks = notebooks or resources.notebooks()
    results: list[DocResult] = []
    by_kind: dict[str, list[Job]] = {}
    for job in jobs:
        skipped = _unavailable(loaded, job)
        if skipped:
            results += skipped
        else:
            by_kind.setdefault(job.kind, []).append(job)
    for kind, kind_jobs in by_kind.items():
        langs = list(dict.fromkeys(j.lang for j in kind_jobs))
        formats = list(dict.fromkeys(f for j in kind_jobs for f in j.formats))
        executed = notebook_path(out, loaded, kind)
        source = notebooks / f"{kind}.ipynb"
        parameters = {
            "cluster": str(loaded.path.resolve()),
            "params_root": str(params_root.resolve()),
            "languages": langs,
            "formats": formats,
            "output_dir": str(out.resolve()),
            "templates": str(templates.resolve()),
            "programmes": str(programmes.resolve()) if programmes else None,
        }
        start = time.perf_counter()
        try:
            page = notebook_page(loaded, kind, langs[0], templates)
        except Exception as exc:  # noqa: BLE001 - a template library without the kind's label
            error = f"{source}: {_message(exc)}"
        else:
            error = execute_notebook(source, executed, parameters, page)
        duration = (time.perf_counter() - start) / sum(len(j.formats) for j in kind_jobs)
        for job in kind_jobs:
            for fmt in job.formats:
                path = render.output_path(out, loaded.params, kind, job.lang, fmt)
                if error is None and not path.is_file():
                    results.append(
                        DocResult(
                            kind,
                            job.lang,
                            fmt,
                            None,
                            FAILED,
                            duration,
                            f"{source} ran but did not write {path}",
                        )
                    )
                elif error is None:
                    results.append(DocResult(kind, job.lang, fmt, path, RENDERED, duration))
                else:
                    results.append(DocResult(kind, job.lang, fmt, None, FAILED, duration, error))
    return results


@cache
def this_python_kernel() -> type:
    """The kernel manager class for a kernel of the Python that runs the batch. Jupyter's "python3" is
    whichever kernel spec it finds first (one of another virtualenv, installed for the user or the
    system, would lack this package); with no kernel folders to search it is ipykernel's own, started
    with sys.executable. A class, not an instance: the notebook client then owns the kernel and shuts
    it down after each notebook."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[])

    return ThisPythonKernel


def execute_notebook(source: Path, executed: Path, parameters: dict, page: Page | None = None) -> str | None:
    """Run a notebook with papermill into ``executed`` (atomically), and with a ``page`` write its HTML
    copy beside it (``notebook_html_path``), a failed run's too; the error, or None."""
    import nbformat
    import papermill as pm

    failures: list[str] = []

    def execute(tmp: Path) -> None:
        try:
            with warnings.catch_warnings():
                # The temporary name ends in .part, not .ipynb: papermill warns, harmlessly.
                warnings.filterwarnings("ignore", "The specified file", UserWarning)
                pm.execute_notebook(
                    str(source),
                    str(tmp),
                    parameters=parameters,
                    # As Jupyter runs a notebook in its own folder: here the executed one's, so that
                    # its links to the documents beside it hold (the parameters are absolute paths).
                    cwd=str(executed.parent),
                    kernel_name="python3",
                    kernel_manager_class=this_python_kernel(),
                    progress_bar=False,
                    log_output=False,
                )
        except pm.PapermillExecutionError as exc:
            # Kept, not removed: the executed notebook shows the failing cell and its traceback.
            failures.append(failing_cell(exc, executed))

    try:
        write_atomic(executed, execute)
    except Exception as exc:  # noqa: BLE001 - no kernel, unreadable notebook: this kind fails
        storage.stop_on(exc, executed.parent)
        # Nothing was kept (an older run's notebook and copy stay as they were): no copy to make.
        return f"{source}: {_message(exc)}"
    if page is not None:
        page_path = notebook_html_path(executed)
        try:
            write_text_atomic(page_path, notebook_html(nbformat.read(executed, as_version=4), page))
        except Exception as exc:  # noqa: BLE001
            storage.stop_on(exc, executed.parent)
            # Part of the audit trail: without it the kind fails, and the next run makes it again.
            failures.append(f"{page_path.name}: could not be written: {_message(exc)}")
    return "\n".join(failures) if failures else None


# nbconvert's lab template without what it loads from the network: require.js, MathJax, Mermaid and
# the widget manager (these notebooks have no formulas, diagrams or widgets), so the page is complete
# offline and runs no script. A chart's drawing keeps the alternative text the documents give it.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}" \
alt="{{ ((output | get_metadata('alt', 'image/svg+xml')) or '') | escape_html }}">
</div>
{%- endblock data_svg %}
"""
_OFFLINE_NAME = "cluster-reports-notebook.html.j2"

# nbconvert's order, but the static drawing (SVG) before HTML: a chart's HTML output is Altair's script
# that loads Vega from the network, its SVG the same chart drawn (a table has only HTML). Scripts
# (JavaScript, widgets) and Mermaid are left out, so they show as their text.
_PRIORITY = [
    "image/svg+xml", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg", "text/plain",
]


# Papermill marks a failed run with two cells of its own (tagged), naming itself: the copy says it
# in the notebook's words, English / Indonesian as its headings are, keeping the link to the cell.
_ERROR_TAG = "papermill-error-cell-tag"
_ERROR_STYLE = 'style="color:#a00; font-size:1.5em;"'
_STOPPED_AT = (
    '<span {style}>The notebook stopped at <a href="#papermill-error-cell">In [{count}]</a> with an error'
    " / Notebook berhenti di In [{count}] karena terjadi kesalahan.</span>"
)
_STOPPED_HERE = (
    '<span id="papermill-error-cell" {style}>The notebook stopped here, at the error of the next cell'
    " / Notebook berhenti di sini, pada kesalahan di sel berikut:</span>"
)


def _error_cells_in_plain_words(notebook) -> None:
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or _ERROR_TAG not in cell.metadata.get("tags", []):
            continue
        if 'id="papermill-error-cell"' in cell.source:
            cell.source = _STOPPED_HERE.format(style=_ERROR_STYLE)
        else:
            found = re.search(r"In \[([^\]]*)\]", cell.source)
            count = html.escape(found.group(1)) if found else "?"
            cell.source = _STOPPED_AT.format(style=_ERROR_STYLE, count=count)


def notebook_html(notebook, page: Page) -> str:
    """The executed notebook as one HTML page that reads offline: its cells' code and outputs."""
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebook = copy.deepcopy(notebook)  # the copy's wording only: the notebook keeps papermill's cells
    _error_cells_in_plain_words(notebook)
    exporter = HTMLExporter(
        config=Config({"NbConvertBase": {"display_data_priority": _PRIORITY}}),
        extra_loaders=[jinja2.DictLoader({_OFFLINE_NAME: _OFFLINE_TEMPLATE})],
        template_file=_OFFLINE_NAME,
        language_code=page.lang,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": page.title}})
    return body


def failing_cell(exc, notebook: Path, max_lines: int = 6) -> str:
    """Which cell of which notebook failed, its source (first lines) and the error."""
    lines = (exc.source or "").strip().splitlines()
    shown = "\n".join(f"    {line}" for line in lines[:max_lines])
    if len(lines) > max_lines:
        shown += "\n    ..."
    number = f"cell {exc.cell_index + 1}" if getattr(exc, "cell_index", None) is not None else "a cell"
    if getattr(exc, "exec_count", None):
        number += f" [{exc.exec_count}]"
    return f"{notebook.name}: {number} failed: {exc.ename}: {exc.evalue}\n{shown}"
