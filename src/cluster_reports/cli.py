"""The command line: validate, schema, render. Errors name file, field and reason, never a traceback."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cluster_reports import __version__, render, resources, storage
from cluster_reports.documents import registry
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io, programmes, publication, untranslated
from cluster_reports.inputs.schema import PARTS, ClusterParams, Library, Publication
from cluster_reports.review.outcome import CONFLICT
from cluster_reports.review.report import review_summary

app = typer.Typer(
    help="Documents of the SME cluster-development method for Indonesian sentra, "
    "in Word and HTML, in Bahasa Indonesia and English.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEFAULT_PARAMS = Path("params/clusters")

TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", help="Your own template library (a copy made by `init --templates`); "
                 "default: the shipped one, or $CLUSTER_REPORTS_TEMPLATES"),
]
ProgrammesOption = Annotated[
    Path | None,
    typer.Option("--programmes", help="Programme library for the plans; default: the programmes/ folder "
                 "nearest above each params file, else the shipped one (or $CLUSTER_REPORTS_PROGRAMMES)"),
]
HistoryOption = Annotated[
    int | None,
    typer.Option("--history", min=0, help="Previous versions of a reviewed Word file kept in history/ "
                 "beside it, per document (default 10, or $CLUSTER_REPORTS_HISTORY; 0 keeps all)"),
]


def _keep_history(history: int | None) -> None:
    """The retention rule reaches the writers (a batch's workers too) through the environment."""
    if history is not None:
        os.environ["CLUSTER_REPORTS_HISTORY"] = str(history)


def _library(what, given: Path | None) -> Path | None:
    """A library folder chosen by option or environment, or exit 2 saying why it cannot be used."""
    try:
        return what(given)
    except resources.ResourceError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _clear_ends(command):
    """A full disk, a read-only file system, a permission refused or Ctrl-C ends the command with one
    line saying what to do, not a traceback; any other error (a bug) still shows its traceback."""

    @functools.wraps(command)
    def guarded(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OSError, sqlite3.DatabaseError) as exc:
            out_dir = kwargs.get("out_dir")
            line = storage.ending(exc, out_dir.resolve() if out_dir else None)
            if line is None:
                raise
            err.print(f"[red]error[/red] {escape(line)}")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:  # Ctrl-C: every write is atomic, nothing is half-written
            err.print("[red]interrupted[/red]: finished documents are kept; run the same command to do "
                      "the rest")
            raise typer.Exit(130) from None

    return guarded


def _lock_output(ctx: typer.Context, out_dir: Path) -> None:
    """Hold OUT's lock until the command ends: a render writing into a folder a batch (or another
    render) writes would race it for the same files, and a batch's start-up sweep would remove this
    render's temporary files. A run holding it already makes this one exit 2, saying who it is."""
    from cluster_reports.batch import lock

    try:
        ctx.with_resource(lock.hold(out_dir.resolve(), "render", out))
    except lock.LockHeld as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _split(values: list[str]) -> list[str]:
    """Accept both `--lang id,en` and `--lang id --lang en`."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _report(problems: list[params_io.Problem]) -> None:
    # One broken library file is a problem of every cluster whose plan uses it: say it once.
    for p in dict.fromkeys(problems):
        label = {"note": "[yellow]note[/yellow]", "warning": "[yellow]warning[/yellow]"}.get(
            p.severity, "[red]error[/red]")
        err.print(f"{label} {escape(str(p))}")


def _errors(problems: list[params_io.Problem]) -> list[params_io.Problem]:
    """What makes a file invalid: not the notes, nor the warnings (texts given in one language)."""
    return [p for p in problems if p.severity == "error"]


def _count_by_file(problems: list[params_io.Problem]) -> None:
    """How many problems each file has, in the order they were listed (notes and warnings are not
    counted), and how many texts are left to translate."""
    counts: dict[str, int] = {}
    for p in dict.fromkeys(problems):
        if p.severity == "error":
            counts[p.file] = counts.get(p.file, 0) + 1
    if counts:
        out.print("problems per file:")
    for file, count in counts.items():
        out.print(f"  {escape(file)}: {count} {'problem' if count == 1 else 'problems'}")
    left = untranslated.to_translate(problems)
    if left:
        out.print(f"{untranslated.summary(left)} (texts given in one language only)")


def _resolve(targets: list[str], params_root: Path) -> tuple[list[Path], list[params_io.Problem]]:
    """Paths as given; a bare cluster id is looked up below the params root."""
    paths, problems = [], []
    for target in targets:
        path = Path(target)
        if path.exists() or "/" in target or target.endswith(params_io.PARAMS_SUFFIXES):
            paths.append(path)
            continue
        try:
            paths.append(params_io.find_by_id(target, params_root))
        except params_io.ParamsError as exc:
            problems.extend(exc.problems)
    return paths, problems


@app.command()
@_clear_ends
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Params files or folders of them")],
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Check params files as render reads them: each cluster file with every sidecar beside it (a
    named sidecar is checked with its cluster), its firm CSV and the programmes it draws from the
    library. List every problem as file, field, reason; exit 0 only if all are valid."""
    library = _library(resources.programmes, programmes_dir)
    loaded, problems = params_io.load_many(paths, library)
    for folder in {library or programmes.find_folder(p.resolve()) for p in paths} - {None}:
        try:
            programmes.load(folder)
        except params_io.ParamsError as exc:
            problems += exc.problems
    _report(problems)
    _count_by_file(problems)
    clusters = len(dict.fromkeys(p for p in params_io.discover(paths) if os.path.lexists(p)))
    out.print(f"{clusters} {'cluster' if clusters == 1 else 'clusters'}: {len(loaded)} valid, "
              f"{clusters - len(loaded)} invalid")
    raise typer.Exit(1 if _errors(problems) else 0)


@app.command()
def schema(
    kind: Annotated[
        str,
        typer.Option("--kind", help="Which file: cluster, strategy, plan, monitoring, overrides, library "
                     "or publication"),
    ] = "cluster",
) -> None:
    """Print the JSON Schema of a params file (for editors' YAML completion)."""
    models = {"cluster": ClusterParams, **PARTS, "library": Library, "publication": Publication}
    model = models.get(kind)
    if model is None:
        err.print(f"[red]error[/red] --kind: unknown {escape(repr(kind))} (choose from {', '.join(models)})")
        raise typer.Exit(2)
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"cluster-reports {kind} file"
    print(json.dumps(document, indent=2, ensure_ascii=False))


@app.command("render")
@_clear_ends
def render_command(
    ctx: typer.Context,
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Params files, folders, or cluster ids. None: the general editions "
            "(the facilitator guideline for no particular cluster)",
            show_default=False,
        ),
    ] = None,
    doc: Annotated[
        list[str],
        typer.Option(
            "--doc",
            help="Documents: profile,strategy,action-plan,monitoring,guideline; roll-ups over the clusters "
            "rendered: province-summary,national-summary",
        ),
    ] = ["profile"],  # noqa: B006
    lang: Annotated[list[str], typer.Option("--lang", help="Languages: id,en")] = ["id,en"],  # noqa: B006
    fmt: Annotated[list[str], typer.Option("--format", help="Formats: docx,html")] = ["docx,html"],  # noqa: B006
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder")] = Path("outputs"),
    params_root: Annotated[
        Path, typer.Option("--params-root", help="Where cluster ids and group peers are looked up")
    ] = DEFAULT_PARAMS,
    templates_dir: TemplatesOption = None,
    programmes_dir: ProgrammesOption = None,
    page_numbers: Annotated[
        bool,
        typer.Option("--page-numbers", help="Write the page numbers of the Word contents lists as "
                     "LibreOffice lays the pages out, so that they show in LibreOffice and its PDFs "
                     "(Word updates them itself); needs LibreOffice and pdftotext"),
    ] = False,
    history: HistoryOption = None,
) -> None:
    """Render documents to OUT/<province>/<cluster-id>/<doc>.<lang>.<docx|html>.

    A document a cluster has no data for (no plan for the action plan) is reported as not
    available and skipped; it does not fail the run.
    """
    kinds, langs, formats = _split(doc), _split(lang), _split(fmt)
    _keep_history(history)
    choice_problems = render.check_choices(kinds, langs, formats)
    if not targets:
        choice_problems += [
            f"--doc {kind}: has no general edition; name the clusters to render it for"
            for kind in kinds
            if kind in registry.ROLLUPS or (kind in registry.KINDS and not registry.KINDS[kind].general)
        ]
    if choice_problems:
        for message in choice_problems:
            err.print(f"[red]error[/red] {escape(message)}")
        raise typer.Exit(2)
    if page_numbers and "docx" in formats:
        from cluster_reports.writers.docx import toc_pages

        missing = toc_pages.missing_tools()
        if missing:
            err.print(f"[red]error[/red] --page-numbers needs {escape(' and '.join(missing))}")
            raise typer.Exit(2)
    templates = _library(resources.templates, templates_dir)
    library = _library(resources.programmes, programmes_dir)
    _lock_output(ctx, out_dir)
    failed = False
    outcomes: list[render.Outcome] = []
    if not targets:
        defaults = _project_publication([], params_root)
        outcomes.append(render.render_general(kinds, langs, formats, out_dir, templates, defaults))
        failed = not _show(outcomes[-1])
    paths, problems = _resolve(targets or [], params_root)
    loaded, load_problems = params_io.load_many(paths, library) if paths else ([], [])
    problems += load_problems
    # A text in one language only is said once per cluster, as a count: the document still renders.
    _report([p for p in problems if p.severity != untranslated.WARNING])
    peers = _peers(loaded, params_root, library)
    failed |= bool(_errors(problems))
    cluster_kinds = [k for k in kinds if k in registry.KINDS]
    summaries = []
    for item in loaded:
        files_of = {str(item.path), *(str(params_io.sidecar_path(item.path, part)) for part in item.parts)}
        left = untranslated.to_translate(p for p in load_problems if p.file in files_of)
        if left:
            out.print(f"[yellow]warning:[/yellow] {escape(item.params.id)}: {untranslated.summary(left)}; "
                      "the documents show them in the other language, marked as not yet translated")
        outcome = render.render_cluster(item, cluster_kinds, langs, formats, out_dir, peers, templates)
        outcomes.append(outcome)
        failed |= not _show(outcome)
        if outcome.error is None:
            summaries.append(summary.summarise(item))
    if any(k in registry.ROLLUPS for k in kinds):
        # Roll-ups cover the clusters of this run: name a folder of them all for a full picture.
        defaults = _project_publication([item.path for item in loaded], params_root)
        rollup_library = library or programmes.find_folder(params_root)
        for outcome in render.render_rollups(kinds, summaries, langs, formats, out_dir, templates,
                                             defaults, rollup_library):
            outcomes.append(outcome)
            failed |= not _show(outcome)
    if page_numbers:
        failed |= not _number_contents([p for o in outcomes for p in o.written if p.suffix == ".docx"])
    if any(o.written for o in outcomes) or (out_dir / "index.html").exists():
        _write_index(out_dir, templates, langs, formats, peers)  # invalid input writes nothing
    raise typer.Exit(1 if failed else 0)


def _write_index(out_dir: Path, templates: Path, langs: list[str], formats: list[str],
                 clusters: list[summary.ClusterSummary]) -> None:
    """The list of the output folder's documents (OUT/index.html), which the HTML pages link back to:
    written when HTML pages were, refreshed otherwise; a batch's folder keeps the batch's own."""
    from cluster_reports.batch import index_page

    names = {item.id: f"{item.name_en} / {item.name_id}" for item in clusters}
    index = index_page.write_folder(out_dir, templates, langs[0], names, only_refresh="html" not in formats)
    if index is not None:
        out.print(f"index: {escape(str(index))}")


def _number_contents(paths: list[Path]) -> bool:
    """Write the contents lists' page numbers into the .docx files written; True when it worked."""
    if not paths:
        return True
    from cluster_reports.writers.docx import toc_pages

    try:
        problems = toc_pages.number_contents(paths)
    except toc_pages.PageNumberError as exc:
        err.print(f"[red]error[/red] page numbers of the contents: {escape(str(exc))}")
        return False
    for problem in problems:
        err.print(f"[yellow]warning[/yellow] {escape(problem)}")
    out.print(f"page numbers of the contents written into {len(paths) - len(problems)} "
              f"of {len(paths)} Word files")
    return True


def _project_publication(paths: list[Path], params_root: Path) -> Publication | None:
    """The covers' defaults for documents of no one cluster (roll-ups, general editions): the
    publication.yaml the clusters rendered share, else the one above the params root."""
    found = {publication.find_file(path) for path in paths}
    shared = found.pop() if len(found) == 1 else None
    try:
        defaults = publication.load(shared) if shared else publication.for_params(params_root)
    except params_io.ParamsError as exc:
        _report(exc.problems)
        raise typer.Exit(1) from None
    return defaults.publication if defaults else None


def _show(outcome: render.Outcome) -> bool:
    """Print what a render wrote, skipped and failed; True when it did not fail."""
    for path in outcome.written:
        out.print(f"wrote {escape(str(path))}")
    for reason in outcome.unavailable:
        out.print(f"[yellow]not available:[/yellow] {escape(reason)}")
    for stale in outcome.stale:
        out.print(f"[yellow]warning:[/yellow] {escape(outcome.cluster_id)}: {escape(stale.message())}")
    for review in outcome.reviews:
        if not review.conflicts:
            out.print(f"[yellow]reviewed:[/yellow] {escape(str(review.path))}: "
                      f"{escape(review_summary(review))}; report {escape(str(review.report))}")
    if outcome.error:
        # A reviewer's edits meeting new data is a conflict in that report, not an error in the params.
        lines = outcome.error.splitlines()
        for line in (line for line in lines if line.startswith(CONFLICT)):
            err.print(f"[red]conflict[/red]{escape(line.removeprefix('conflict'))}")
        rest = "\n".join(line for line in lines if not line.startswith(CONFLICT))
        if rest:
            where = outcome.source or outcome.cluster_id
            err.print(f"[red]error[/red] {escape(f'{where}: (render): {rest}')}")
    return outcome.error is None


def _peers(loaded: list[params_io.LoadedParams], params_root: Path,
           library: Path | None) -> list[summary.ClusterSummary]:
    """Clusters to rank against in the selection table: the params root's, plus those rendered."""
    peers = {item.params.id: item for item in loaded}
    if params_root.is_dir():
        others, _ = params_io.load_many([params_root], library)
        for item in others:
            peers.setdefault(item.params.id, item)
    return [summary.summarise(item) for item in peers.values()]


@app.command()
@_clear_ends
def batch(
    params_dir: Annotated[Path, typer.Argument(help="Folder of params files (e.g. params/clusters)")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder (gets index.html and the manifest)")],
    doc: Annotated[
        list[str], typer.Option("--doc", help="Documents, cluster kinds and roll-ups")
    ] = ["profile,province-summary,national-summary"],  # noqa: B006
    lang: Annotated[list[str], typer.Option("--lang", help="Languages: id,en")] = ["id,en"],  # noqa: B006
    fmt: Annotated[list[str], typer.Option("--format", help="Formats: docx,html")] = ["docx,html"],  # noqa: B006
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes of the local Dask cluster")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786"),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="direct (in the worker) or papermill (notebooks)")
    ] = "direct",
    force: Annotated[bool, typer.Option("--force", help="Render all, even what is up to date")] = False,
    history: HistoryOption = None,
    templates_dir: TemplatesOption = None,
    programmes_dir: ProgrammesOption = None,
    notebooks_dir: Annotated[
        Path | None,
        typer.Option("--notebooks", help="Your own notebooks for --engine papermill (a copy made by "
                     "`init`); default: the shipped ones, or $CLUSTER_REPORTS_NOTEBOOKS"),
    ] = None,
) -> None:
    """Render every cluster of every province on Dask, with the roll-ups, an index page and a manifest.

    A re-run renders only what changed; a failed cluster is recorded and the rest goes on (exit 1).
    """
    from cluster_reports.batch import run as batch_module  # Dask is imported only for batches

    _keep_history(history)

    options = batch_module.BatchOptions(
        params_dir=params_dir, out=out_dir, kinds=_split(doc), langs=_split(lang), formats=_split(fmt),
        workers=workers, scheduler=scheduler, engine=engine, force=force,
        templates=_library(resources.templates, templates_dir),
        programmes=_library(resources.programmes, programmes_dir),
        notebooks=_library(resources.notebooks, notebooks_dir),
    )
    raise typer.Exit(batch_module.main(options, out, err))


@app.command()
def harvest(
    docx_files: Annotated[list[Path], typer.Argument(help="Reviewed Word reports (.docx)")],
    params_root: Annotated[
        Path, typer.Option("--params-root", help="Where the clusters' params files are looked up")
    ] = DEFAULT_PARAMS,
) -> None:
    """Take a reviewer's wording from Word reports into each cluster's overrides file.

    Blocks whose text differs from what was generated go to <cluster-id>.overrides.yaml beside the
    cluster's params; later renders use that wording in Word and HTML alike.
    """
    from cluster_reports.review import harvest as harvest_module

    raise typer.Exit(harvest_module.main(docx_files, params_root, out, err))


@app.command()
def release(
    target: Annotated[str, typer.Argument(help="The cluster: its id, or its params file")],
    doc: Annotated[str, typer.Option("--doc", help="The document: profile, strategy, action-plan, ...")],
    block: Annotated[
        list[str] | None, typer.Option("--block", help="Blocks to release (default: all the document's)")
    ] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Languages: id,en (default: both)")] = None,
    params_root: Annotated[
        Path, typer.Option("--params-root", help="Where the clusters' params files are looked up")
    ] = DEFAULT_PARAMS,
) -> None:
    """Return harvested blocks to the generated text: removes them from the overrides file.

    The next render writes those blocks from the data again, in Word and HTML alike.
    """
    from cluster_reports.review import release as release_module

    raise typer.Exit(release_module.main(target, doc, _split(block or []), _split(lang or []),
                                         params_root, out, err))


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the params files to")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many sentra")] = 9800,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same set")] = 1,
) -> None:
    """Write a synthetic national set of sentra, for scale tests and demonstrations only."""
    from cluster_reports.inputs import synth as synth_module

    raise typer.Exit(synth_module.main(n, seed, out_dir, out, err))


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Working folder to create (or an empty one)")],
    with_templates: Annotated[
        bool, typer.Option("--templates", help="Also copy the template library, to restyle or reword it")
    ] = False,
) -> None:
    """Start a working folder from the shipped library: the sample params and programme library
    (params/), the notebooks (notebooks/) and, with --templates, the template library (templates/).

    Nothing there is overwritten: a folder that already has any of these is refused.
    """
    # The shipped library itself, whatever $CLUSTER_REPORTS_* name for the runs.
    parts = {"params": resources.sample(), "notebooks": resources.shipped("notebooks")}
    if with_templates:
        parts["templates"] = resources.shipped("templates")
    taken = [name for name in parts if (folder / name).exists()]
    if folder.exists() and not folder.is_dir():
        taken = [str(folder)]
    if taken:
        err.print(f"[red]error[/red] {escape(str(folder))}: already has {escape(', '.join(taken))}; "
                  "nothing was written (choose another folder, or move them away)")
        raise typer.Exit(2)
    written = _copy_library(folder, parts)
    for path in written:
        out.print(f"wrote {escape(str(path))}")
    out.print(
        f"next: cd {escape(str(folder))} && cluster-reports validate params/clusters && "
        "cluster-reports render kebumen-roof-tile --out outputs"
        + (" --templates templates" if with_templates else "")
    )


# What a working copy of the shipped library leaves out: caches, and a reviewer's files that a source
# checkout may hold (the wheel excludes the same).
_NOT_SHIPPED = shutil.ignore_patterns("__pycache__", ".*", "*.overrides.yaml", "history")


def _copy_library(folder: Path, parts: dict[str, Path]) -> list[Path]:
    """Copy each library folder into ``folder``: made beside it first, then moved in whole, so an
    interrupted copy leaves no half-filled folder."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".init-", dir=folder))
    try:
        for name, source in parts.items():
            shutil.copytree(source, staging / name, ignore=_NOT_SHIPPED)
        for name in parts:
            (staging / name).rename(folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in parts]


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


# --- workbooks: a cluster's params to Excel and back (issue 16) ----------------------------------

WORKBOOK_WORDS = {
    "problems": {"id": "{n} masalah; tidak ada berkas yang ditulis", "en": "{n} {problems}; no file written"},
    "written": {"id": "ditulis {path}", "en": "written {path}"},
    "replaced": {"id": "diganti {path}", "en": "replaced {path}"},
    "comments": {"id": "; komentarnya tidak dipertahankan", "en": "; its comments are not kept"},
    "unchanged": {"id": "tidak berubah {path}", "en": "unchanged {path}"},
    "kept": {"id": "dibiarkan {path}: buku kerja tidak memuat bagian {part}",
             "en": "kept {path}: the workbook has no {part}"},
}


def _workbook_lang(lang: str) -> str:
    if lang not in ("id", "en"):
        err.print(f"[red]error[/red] --lang: {escape(repr(lang))} is neither id nor en")
        raise typer.Exit(2)
    return lang


@app.command("workbook")
@_clear_ends
def workbook_command(
    out_file: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx)")],
    target: Annotated[str | None, typer.Argument(help="Cluster id or params file; none: an empty template",
                                                 show_default=False)] = None,
    province: Annotated[str | None, typer.Option("--province", help="Template: list only this province's "
                                                 "regencies and cities")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the sheet names: id or en (the headers "
                                      "are in both)")] = "id",
    params_root: Annotated[
        Path, typer.Option("--params-root", help="Where cluster ids are looked up")] = DEFAULT_PARAMS,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Write a cluster's params to one Excel workbook, or an empty template; `import` reads it back.

    The workbook holds the cluster file and every sidecar beside it (strategy, plan, monitoring)."""
    from cluster_reports.inputs import regions
    from cluster_reports.inputs.workbook import write

    lang = _workbook_lang(lang)
    if province is not None and regions.find_province(province) is None:
        err.print(f"[red]error[/red] --province: unknown province {escape(repr(province))}: not in the "
                  "official list")
        raise typer.Exit(2)
    parts: dict = {}
    if target is not None:
        paths, problems = _resolve([target], params_root)
        loaded = None
        if not problems:
            # A sidecar named stands for its cluster: the workbook holds the cluster with every part.
            loaded, problems = params_io.check_file(params_io.cluster_of(paths[0]),
                                                    _library(resources.programmes, programmes_dir))
        if loaded is None:
            _report(problems)
            _count_by_file(problems)
            raise typer.Exit(1)
        parts = write.parts_of(loaded)
    write.save(write.build(parts, lang, province), out_file)
    out.print(f"written {escape(str(out_file))}")


@app.command("import")
@_clear_ends
def import_command(
    workbook: Annotated[Path, typer.Argument(
        metavar="FILE", help="A workbook written by `workbook` (.xlsx), or the export of a survey from "
        "ODK Central or KoboToolbox (.csv or .xlsx, with XML values)")],
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="For a survey export: the cluster it goes into (id or params file)")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="For a survey export: firms or monitoring; default: told by its columns")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="For a workbook: params folder to write into (<province>/<id>.yaml below it); "
        "default: the params root, params/clusters")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the problem reports: id or en")] = "id",
    programmes_dir: ProgrammesOption = None,
    params_root: Annotated[
        Path, typer.Option("--params-root", help="Where cluster ids are looked up")] = DEFAULT_PARAMS,
) -> None:
    """Read a cluster's workbook, or a survey's export, into its params files.

    A workbook gives the cluster and its sidecars. A firm survey's export updates the cluster's firm
    table by firm id; a monitoring survey's export, the monitoring file's firm observations.
    Everything is checked first: a problem is named by sheet and cell (or row and column) and reason,
    and then nothing is written."""
    from cluster_reports.inputs.survey import importing as surveys
    from cluster_reports.inputs.workbook import importing, read

    if cluster is not None or kind is not None or surveys.is_survey_export(workbook):
        _import_survey(workbook, cluster, kind, lang, params_root)
        return
    lang = _workbook_lang(lang)
    words = {k: v[lang] for k, v in WORKBOOK_WORDS.items()}
    try:
        outcome = importing.check(workbook, out_dir or DEFAULT_PARAMS,
                                  _library(resources.programmes, programmes_dir), lang)
    except read.WorkbookError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if outcome.problems:
        _report(outcome.problems)
        n = len(outcome.problems)
        out.print(words["problems"].format(n=n, problems="problem" if n == 1 else "problems"))
        raise typer.Exit(1)
    importing.write(outcome)
    replaced = dict(outcome.replaced)
    for path in outcome.written:
        if path in replaced:
            out.print(words["replaced"].format(path=escape(str(path)))
                      + (words["comments"] if replaced[path] else ""))
        else:
            out.print(words["written"].format(path=escape(str(path))))
    for path in outcome.unchanged:
        out.print(words["unchanged"].format(path=escape(str(path))))
    for path, part in outcome.kept:
        out.print(words["kept"].format(path=escape(str(path)), part=part))


# --- new: start a cluster's params file (issue 16) ---


@app.command("new")
@_clear_ends
def new_command(
    cluster_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new cluster's id, e.g. kebumen-roof-tile")
    ],
    province: Annotated[str, typer.Option("--province", help="Province, as in the official list")],
    regency: Annotated[
        str, typer.Option("--regency", help="Regency or city of that province, as in the official list: "
                          "'Kabupaten Kebumen', 'Kota Tegal'")
    ],
    group: Annotated[
        str | None,
        typer.Option("--group", help="metal-machinery, export-oriented or rural-indigenous (required "
                     "unless --like gives the sample's)"),
    ] = None,
    like: Annotated[
        str | None,
        typer.Option("--like", help="Start from a sample cluster's content as a worked example "
                     "(every value marked illustrative)"),
    ] = None,
    parts: Annotated[
        list[str] | None,
        typer.Option("--with", help="Also start its sidecar files: strategy,plan,monitoring"),
    ] = None,
    params_dir: Annotated[
        Path, typer.Option("--params", help="The params folder (holding clusters/)")
    ] = Path("params"),
) -> None:
    """Start a cluster: write <params>/clusters/<province>/<ID>.yaml, valid, every value a marked
    starting value (illustrative in the documents) until the survey replaces it; with --with, its
    strategy, plan and monitoring files beside it. Nothing is overwritten."""
    from cluster_reports.inputs import new_cluster

    request = new_cluster.Request(cluster_id, province, regency, group, like, tuple(_split(parts or [])),
                                  params_dir)
    raise typer.Exit(new_cluster.main(request, out, err))


# --- field surveys: the XLSForms and the import of their exports (issue 16) ---


@app.command("survey-form")
@_clear_ends
def survey_form_command(
    kind: Annotated[str, typer.Argument(metavar="firms|monitoring", help="The firm survey or the monitoring "
                                        "survey")],
    out_file: Annotated[Path, typer.Option("--out", help="The XLSForm to write (.xlsx), to upload to "
                                           "KoboToolbox or ODK Central")],
) -> None:
    """Write a survey's XLSForm (labels and hints in Bahasa Indonesia and English) for ODK Collect or
    KoboToolbox; `import EXPORT --cluster ID` reads its exports back into the params files."""
    from cluster_reports.inputs.survey import forms

    if kind not in forms.KINDS:
        err.print(f"[red]error[/red] {escape(repr(kind))} is neither firms nor monitoring")
        raise typer.Exit(2)
    forms.write(kind, out_file)
    out.print(f"written {escape(str(out_file))}")


SURVEY_WORDS = {
    "problems": {"id": "{n} masalah; tidak ada berkas yang ditulis", "en": "{n} {problems}; nothing written"},
    "written": {"id": "ditulis {path}: {added} ditambahkan, {updated} diperbarui",
                "en": "written {path}: {added} added, {updated} updated"},
    "layout": {"id": "; komentarnya dipertahankan, tetapi tata letak sebagian baris berubah",
               "en": "; its comments are kept, but some lines are laid out anew"},
    "unchanged": {"id": "tidak berubah: berkas sudah memuat isian ekspor ini",
                  "en": "unchanged: the files already hold this export's answers"},
}


def _import_survey(export: Path, cluster: str | None, kind: str | None, lang: str,
                   params_root: Path) -> None:
    """A survey export into the cluster named: the firm table or the firm observations."""
    from cluster_reports.inputs.survey import importing

    lang = _workbook_lang(lang)
    if cluster is None:
        err.print(f"[red]error[/red] {escape(str(export))}: a survey export goes into a cluster: name it "
                  "with --cluster ID (or the cluster's params file)")
        raise typer.Exit(2)
    if kind is not None and kind not in ("firms", "monitoring"):
        err.print(f"[red]error[/red] --kind: {escape(repr(kind))} is neither firms nor monitoring")
        raise typer.Exit(2)
    paths, problems = _resolve([cluster], params_root)
    if problems:
        _report(problems)
        raise typer.Exit(1)
    outcome = importing.import_export(export, params_io.cluster_of(paths[0]), kind, lang)
    words = {k: v[lang] for k, v in SURVEY_WORDS.items()}
    if outcome.problems:
        _report(outcome.problems)
        n = len([p for p in outcome.problems if p.severity == "error"])
        out.print(words["problems"].format(n=n, problems="problem" if n == 1 else "problems"))
        raise typer.Exit(1)
    for path in outcome.written:
        said = words["written"].format(path=escape(str(path)), added=outcome.added, updated=outcome.updated)
        out.print(said + ("" if outcome.comments_kept else words["layout"]))
    if not outcome.written:
        out.print(words["unchanged"])


if __name__ == "__main__":
    app()
