"""Reviewers' edits made in LibreOffice, the regeneration that follows, and what became of each edit.

Shared by ``bench/review_edits.py`` (all cases, a table and totals) and
``tests/review/test_review_libreoffice.py`` (the cases as tests). A ``Case`` is one reviewer's edit
of one document (``profile.en`` ...), made through ``uno_office.Office`` on a fresh copy of a
fresh render; ``Bench.run`` then regenerates it (a) from the same data and (b) from changed data (a
firm's and the cluster's workers), and ``classify`` reads the files to give each its fate:

- KEPT: the reviewer's text or formatting is in the regenerated file;
- CONFLICT: the file was left alone, and a ``.new.docx`` and a report were written;
- REPORTED: not carried, but the review report (or the console) names it;
- LOST: none of these;
- CORRUPTED: headings or tables duplicated or missing against a fresh render of the same data,
  generated text printed twice, or harvest of the reviewer's file takes text outside its blocks;
- QUIET / NOISY (a re-save without edits): counted as no edit, or reported as edits.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import docx
import yaml
from conftest import ROOT
from docx.oxml.ns import qn

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review.harvest import harvest
from cluster_reports.writers.docx.blocks import is_heading, paragraph_text

CLUSTER = "jawa-tengah/kebumen-roof-tile"
CLUSTER_ID = "kebumen-roof-tile"
KEPT, CONFLICT, REPORTED, LOST, CORRUPTED = "KEPT", "CONFLICT", "REPORTED", "LOST", "CORRUPTED"
QUIET, NOISY = "QUIET", "NOISY"
FAILED = "FAILED"  # the edit itself could not be made (a snippet not found): the case is wrong


@dataclass
class Case:
    name: str
    doc: str  # "profile.en": kind and language
    ops: list[dict]
    expect: list[dict]  # checks on the regenerated file (see ``_check``)
    then: list[dict] = field(default_factory=list)  # a second session (e.g. Accept All)
    save_as: str | None = None  # the reviewer's file name, when not the document's own
    issue: str = ""  # the case of issue 14 it stands for
    traces: list[str] = field(default_factory=list)  # what a report naming the edit would quote

    @property
    def kind(self) -> str:
        return self.doc.rsplit(".", 1)[0]

    @property
    def lang(self) -> str:
        return self.doc.rsplit(".", 1)[1]

    def markers(self) -> list[str]:
        return [c[k] for c in self.expect for k in ("has", "tracked", "cell", "heading") if k in c]


@dataclass
class Fate:
    verdict: str
    notes: list[str] = field(default_factory=list)


# --- reading a regenerated file -------------------------------------------------------------------


@dataclass
class Read:
    paragraphs: list[str]
    headings: list[str]
    cells: list[str]
    tables: int
    body: object
    comments: str
    rels: dict[str, str]


def read_docx(path: Path) -> Read:
    word = docx.Document(str(path))
    body = word.element.body
    paragraphs, headings, cells = [], [], []
    for p in body.iter(qn("w:p")):
        text = paragraph_text(p)
        paragraphs.append(text)
        if p.getparent() is body and is_heading(p):
            headings.append(text)
        if any(a.tag == qn("w:tc") for a in p.iterancestors()):
            cells.append(text)
    with zipfile.ZipFile(path) as z:
        comments = z.read("word/comments.xml").decode() if "word/comments.xml" in z.namelist() else ""
    rels = {rid: rel.target_ref for rid, rel in word.part.rels.items()}
    return Read(paragraphs, headings, cells, len(list(body.iter(qn("w:tbl")))), body, comments, rels)


_PROPS = {
    "bold": lambda r: _on(r, "w:b"),
    "italic": lambda r: _on(r, "w:i"),
    "underline": lambda r: (r.find(qn("w:u")) is not None
                            and r.find(qn("w:u")).get(qn("w:val")) not in ("none", None)),
    "highlight": lambda r: r.find(qn("w:highlight")) is not None or (
        r.find(qn("w:shd")) is not None and r.find(qn("w:shd")).get(qn("w:fill")) not in (None, "auto")),
    "colour": lambda r: r.find(qn("w:color")) is not None
    and (r.find(qn("w:color")).get(qn("w:val")) or "").upper() == "C00000",
}


def _on(rpr, tag: str) -> bool:
    el = rpr.find(qn(tag))
    return el is not None and el.get(qn("w:val")) not in ("0", "false")


def _formatted(body, word: str, prop: str) -> bool:
    """``word`` lies within consecutive runs that carry ``prop`` (bold, italic, ...)."""
    test = _PROPS[prop]
    for p in body.iter(qn("w:p")):
        if word not in paragraph_text(p):
            continue
        segments, current = [], ""
        for run in p.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if rpr is not None and test(rpr):
                current += text
            elif text:
                segments.append(current)
                current = ""
        segments.append(current)
        if any(word in s for s in segments):
            return True
    return False


def _linked(read: Read, word: str, url: str) -> bool:
    for link in read.body.iter(qn("w:hyperlink")):
        rid = link.get(qn("r:id"))
        text = "".join(t.text or "" for t in link.iter(qn("w:t")))
        if rid and url in read.rels.get(rid, "") and word in text:
            return True
    return False


def _tracked(body, marker: str) -> bool:
    return any(marker in "".join(t.text or "" for t in ins.iter(qn("w:t")))
               for ins in body.iter(qn("w:ins")))


def _index(paragraphs: list[str], snippet: str) -> list[int]:
    return [i for i, t in enumerate(paragraphs) if snippet in t]


def _check(read: Read, check: dict) -> str | None:
    """None if the check holds in the file, else what is missing."""
    paras = [t for t in read.paragraphs if t.strip()]
    if "has" in check:
        return None if _index(paras, check["has"]) else f"no text {check['has']!r}"
    if "absent" in check:
        return f"still there: {check['absent']!r}" if _index(paras, check["absent"]) else None
    if "format" in check:
        ok = _formatted(read.body, check["format"], check["prop"])
        return None if ok else f"{check['format']!r} not {check['prop']}"
    if "link" in check:
        return None if _linked(read, check["link"], check["url"]) else f"no link on {check['link']!r}"
    if "comment" in check:
        return None if check["comment"] in read.comments else f"no comment {check['comment']!r}"
    if "tracked" in check:
        ok = _tracked(read.body, check["tracked"])
        return None if ok else f"not a tracked insertion: {check['tracked']!r}"
    if "untracked" in check:
        return f"still tracked: {check['untracked']!r}" if _tracked(read.body, check["untracked"]) else None
    if "cell" in check:
        return None if _index(read.cells, check["cell"]) else f"no cell {check['cell']!r}"
    if "heading" in check:
        return None if _index(read.headings, check["heading"]) else f"no heading {check['heading']!r}"
    if "starts" in check:
        ok = any(t.startswith(check["starts"]) for t in paras)
        return None if ok else f"no paragraph starts {check['starts']!r}"
    if "joined" in check:
        a, b = check["joined"]
        return None if any(a in t and b in t for t in paras) else f"not one paragraph: {a!r} + {b!r}"
    if "after" in check:
        moved, anchor = check["after"]
        where, before = _index(paras, moved), _index(paras, anchor)
        if len(where) != 1 or where[0] - 1 not in before:
            return f"{moved!r} not once, right after {anchor!r} (at {where}, anchor at {before})"
        return None
    raise ValueError(f"unknown check {check}")


def structure_problems(read: Read, fresh: Read, case: Case) -> list[str]:
    """Headings or tables duplicated or missing, and generated paragraphs printed more often,
    against a fresh render of the same data (the reviewer's own headings and cells aside)."""
    problems = []
    markers = case.markers()
    ours = Counter(h for h in read.headings if not any(m in h for m in markers))
    theirs = Counter(fresh.headings)
    renamed = len(read.headings) - sum(ours.values())
    extra, missing = ours - theirs, theirs - ours
    if sum(missing.values()) > renamed or extra:
        problems.append(f"headings: {len(read.headings)} against {len(fresh.headings)} fresh"
                        + (f"; twice or more: {sorted(extra)[:3]}" if extra else "")
                        + (f"; missing: {sorted(missing)[:3]}" if sum(missing.values()) > renamed else ""))
    if read.tables != fresh.tables:
        problems.append(f"tables: {read.tables} against {fresh.tables} fresh")
    long = {t for t in fresh.paragraphs if len(t) >= 60 and not any(m in t for m in markers)}
    doubled = [t for t in long
               if sum(t in p for p in read.paragraphs) > sum(t in p for p in fresh.paragraphs)]
    if doubled:
        problems.append(f"{len(doubled)} generated paragraph(s) printed twice, e.g. {doubled[0][:70]!r}")
    return problems


def harvest_problems(reviewed: Path, params_root: Path, fresh: Read) -> list[str]:
    """Harvest the reviewer's file into a copy of the params; the paragraphs it took that are a
    heading or a table cell of the document (text outside the blocks)."""
    overrides = params_root / f"{CLUSTER}.overrides.yaml"
    overrides.unlink(missing_ok=True)
    try:
        harvest(reviewed, params_root)
    except Exception as exc:  # noqa: BLE001 - a refusal is not a corruption; note it
        return [f"(harvest refused: {str(exc)[:120]})"]
    if not overrides.exists():
        return []
    data = yaml.safe_load(overrides.read_text(encoding="utf-8"))
    overrides.unlink()
    outside = {t for t in [*fresh.headings, *fresh.cells] if len(t) >= 8}
    taken = [t for doc in data.get("documents", {}).values() for block in doc.values()
             for texts in block.values() for t in texts if t in outside]
    if taken:
        return [f"harvest took {len(taken)} heading/cell text(s) into blocks, e.g. {taken[0][:60]!r}"]
    return []


# --- running cases ---------------------------------------------------------------------------------


def _change_data(params: Path) -> None:
    path = params / "clusters" / f"{CLUSTER}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^workers: \d+$", "workers: 2500", text)
    firm = '{name: "Genteng Sokka Makmur", workers: '
    text = text.replace(firm + "62,", firm + "70,")
    path.write_text(text, encoding="utf-8")


class Bench:
    """Fresh renders of the sample cluster (unchanged and changed data) and the cases run on them."""

    def __init__(self, work: Path, office, kinds=("profile", "strategy", "action-plan"), langs=("en", "id")):
        self.work, self.office = Path(work), office
        self.params = {"same": self.work / "params-same", "changed": self.work / "params-changed"}
        for params in self.params.values():
            shutil.rmtree(params, ignore_errors=True)
            shutil.copytree(ROOT / "params", params)
        _change_data(self.params["changed"])
        self.harvest_params = self.work / "params-harvest"
        shutil.rmtree(self.harvest_params, ignore_errors=True)
        shutil.copytree(ROOT / "params", self.harvest_params)
        self.templates = resources.templates()
        self._peers = {}
        self.fresh = {}
        for data in self.params:
            out = self.work / f"fresh-{data}"
            shutil.rmtree(out, ignore_errors=True)
            outcome = self.render(data, list(kinds), list(langs), out)
            assert outcome.error is None, outcome.error
            self.fresh[data] = out / CLUSTER

    def render(self, data: str, kinds: list[str], langs: list[str], out: Path) -> render.Outcome:
        clusters = self.params[data] / "clusters"
        loaded = params_io.load_file(clusters / f"{CLUSTER}.yaml")
        if data not in self._peers:
            everyone, _ = params_io.load_many([clusters])
            self._peers[data] = [summary.summarise(item) for item in everyone]
        return render.render_cluster(loaded, kinds, langs, ["docx"], out, self._peers[data], self.templates)

    def edit(self, case: Case) -> Path:
        """A fresh copy of the document, edited as the case says; the folder it is in."""
        folder = self.work / "cases" / case.name / "reviewed" / CLUSTER
        shutil.rmtree(folder.parents[1], ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / f"{case.doc}.docx"
        shutil.copy2(self.fresh["same"] / path.name, path)
        target = folder / (case.save_as or path.name)
        self.office.edit(path, case.ops, save=target)
        if case.then:
            self.office.edit(target, case.then, save=target)
        return folder

    def regenerate(self, case: Case, reviewed: Path, data: str) -> tuple[Fate, render.Outcome | None]:
        out = self.work / "cases" / case.name / data
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(reviewed.parents[1], out)
        folder = out / CLUSTER
        path = folder / f"{case.doc}.docx"
        before = path.read_bytes()
        outcome = self.render(data, [case.kind], [case.lang], out)
        fresh = read_docx(self.fresh[data] / path.name)
        fate = classify(case, path, before, outcome, fresh)
        if data == "same":  # the reviewer's file is the same in both runs: harvest it once
            source = folder / (case.save_as or path.name)
            if source.suffix == ".docx" and source.exists():
                problems = harvest_problems(reviewed / source.name, self.harvest_params / "clusters",
                                            fresh)
                if any(not p.startswith("(") for p in problems):
                    fate = Fate(CORRUPTED, fate.notes + problems)
                else:
                    fate.notes += problems
        return fate, outcome

    def run(self, case: Case) -> dict[str, Fate]:
        try:
            reviewed = self.edit(case)
        except Exception as exc:  # noqa: BLE001 - the case itself is broken: say so, go on
            return {"same": Fate(FAILED, [str(exc)[:300]]), "changed": Fate(FAILED, [])}
        return {data: self.regenerate(case, reviewed, data)[0] for data in ("same", "changed")}


def classify(case: Case, path: Path, before: bytes, outcome: render.Outcome, fresh: Read) -> Fate:
    new = path.with_name(f"{path.stem}.new.docx")
    report = path.with_name(f"{path.stem}.review.md")
    report_text = report.read_text(encoding="utf-8") if report.exists() else ""
    console = "\n".join([outcome.error or "", *(repr(r) for r in outcome.reviews)])
    untouched = path.read_bytes() == before
    notes = []
    structure = []
    if not untouched:
        structure += structure_problems(read_docx(path), fresh, case)
    if new.exists():
        structure += [f".new.docx: {p}" for p in structure_problems(read_docx(new), fresh, case)]
    if structure:
        return Fate(CORRUPTED, structure)
    if not case.expect:  # a re-save without edits
        edits = [r for r in outcome.reviews if r.kept or r.conflicts or r.outside or r.annotated]
        return Fate(NOISY if edits or new.exists() else QUIET,
                    [f"reported as edits: {edits[0].outside[:2] or edits[0].kept}"] if edits else [])
    if untouched and new.exists():
        return Fate(CONFLICT if report_text else LOST,
                    [] if report_text else [".new.docx written but no report"])
    missing = [m for m in (_check(read_docx(path), c) for c in case.expect) if m]
    # A word generated in bold proves nothing about the reviewer's bold: the case is wrong.
    missing += [f"{c['format']!r} is {c['prop']} when generated" for c in case.expect
                if "format" in c and _check(fresh, c) is None]
    if not missing:
        return Fate(KEPT)
    notes += missing
    traces = [*case.traces, *case.markers(), *([case.save_as] if case.save_as else [])]
    named = [t for t in traces if t and (t in report_text or t in console)]
    # Edits the review records by kind rather than by text: comments outside the blocks (by the
    # heading they are under) and blocks whose formatting changed.
    edits = [e for r in outcome.reviews for e in r.outside]
    if any("comment" in c for c in case.expect) and report_text:
        named += [f"comments under {e.heading!r}" for e in edits
                  if e.what == "annotation" and "comment" in e.where]
    if any("format" in c for c in case.expect) and report_text:
        named += [f"formatting of {b!r}" for r in outcome.reviews for b in r.formatted]
    if named:
        return Fate(REPORTED, notes + [f"report names {named[0][:50]!r}"])
    return Fate(LOST, notes)


# --- the cases -------------------------------------------------------------------------------------

P, S, A, PI, AI = "profile.en", "strategy.en", "action-plan.en", "profile.id", "action-plan.id"
URL = "https://kebumen.go.id/sentra-genteng"


def _fmt(name, doc, op, word, issue="formatting only", **extra) -> Case:
    return Case(name, doc, [{"op": op, "find": word, **extra}], [{"format": word, "prop": op}]
                if op != "link" else [{"link": word, "url": extra["url"]}], issue=issue, traces=[word])


def _rewrite(name, doc, snippet, text, issue="rewrite") -> Case:
    return Case(name, doc, [{"op": "rewrite", "find": snippet, "text": text}], [{"has": text}], issue=issue)


def _replace(name, doc, snippet, text, issue="rewrite", heading=False) -> Case:
    op = {"op": "replace", "find": snippet, "with": text, **({"heading": True} if heading else {})}
    check = {"heading": text} if heading else {"has": text}
    return Case(name, doc, [op], [check], issue=issue, traces=[snippet])


def _add(name, doc, snippet, text, issue="add (Enter at a block's end)") -> Case:
    return Case(name, doc, [{"op": "type_after", "find": snippet, "text": text}], [{"has": text}],
                issue=issue)


CASES: list[Case] = [
    # Formatting only: the text is as generated, the runs are not.
    _fmt("bold-products", P, "bold", "main product is pressed clay roof tiles"),
    _fmt("italic-constraints", P, "italic", "Profiling recorded 7 constraints"),
    _fmt("underline-firms", P, "underline", "160 firms (60.6%) are micro"),
    _fmt("highlight-findings", P, "highlight", "Support should above all strengthen"),
    _fmt("colour-stakeholders", P, "colour", "A total of 12 stakeholders"),
    _fmt("bold-markets-id", PI, "bold", "Saluran pemasaran utama"),
    _fmt("link-products", P, "link", "All its products are listed below.", url=URL),
    _fmt("underline-vision-statement", A, "underline", "In ten years Kebumen Sokka tiles",
         issue="vision statement"),
    # Rewrite, add, delete, split, merge in blocks.
    _rewrite("rewrite-products", P, "The cluster's main product is",
             "Kebumen presses clay roof tiles of the Sokka type, sold in Central Java and Bali."),
    _rewrite("rewrite-summary-id", PI, "Sentra IKM genteng Kebumen (Sokka) terdiri atas",
             "Menurut penelaah, sentra genteng Kebumen merupakan sentra terbesar di kabupaten ini."),
    _replace("replace-words-history", P, "for generations", "for more than a century"),
    _replace("replace-words-risks", A, "None of them is rated high", "The working group rates none high"),
    _add("add-after-markets", P, "The main market channel is",
         "Traders in Purworejo reported higher demand for glazed tiles in 2004."),
    _add("add-after-routine", A, "The firms meet on the first Thursday",
         "The meeting is held at the consortium's office in Pejagoan."),
    _add("add-after-history-id", PI, "Tahun bermulanya sentra tidak tercatat.",
         "Para perajin tertua menyebut tahun 1930-an sebagai awal pembuatan genteng pres."),
    Case("insert-before-stakeholders", P,
         [{"op": "insert_before", "find": "A total of 12 stakeholders",
           "text": "The working group met the stakeholders in March to confirm this list."}],
         [{"has": "The working group met the stakeholders in March to confirm this list."}], issue="add"),
    Case("delete-history-second", P, [{"op": "delete", "find": "The table lists the 4 milestones"}],
         [{"absent": "The table lists the 4 milestones"}], issue="delete",
         traces=["The table lists the 4 milestones"]),
    Case("delete-routine", A, [{"op": "delete", "find": "The firms meet on the first Thursday"}],
         [{"absent": "The firms meet on the first Thursday"}], issue="delete",
         traces=["The firms meet on the first Thursday"]),
    Case("split-markets", P, [{"op": "split", "find": "As in most clusters of the 2004 study"}],
         [{"starts": "As in most clusters of the 2004 study"}, {"has": "The main market channel is"}],
         issue="split", traces=["As in most clusters of the 2004 study"]),
    Case("split-firms", P, [{"op": "split", "find": "The size classes are those"}],
         [{"starts": "The size classes are those"}], issue="split", traces=["The size classes are those"]),
    Case("merge-history", P, [{"op": "merge", "find": "The year in which the cluster began"}],
         [{"joined": ["Kebumen Sokka name.", "The table lists the 4 milestones"]}], issue="merge",
         traces=["The table lists the 4 milestones"]),
    Case("merge-vision-with-statement", S, [{"op": "merge", "find": "The vision of the Kebumen roof-tile"}],
         [{"joined": ["It reads:", "In ten years Kebumen Sokka tiles"]}],
         issue="merge a block paragraph with the next paragraph", traces=["In ten years Kebumen Sokka"]),
    # Moves: within the document, into another block.
    Case("move-products-after-markets", P,
         [{"op": "move", "find": "The cluster's main product is", "to": "The main market channel is"}],
         [{"after": ["The cluster's main product is", "The main market channel is"]}],
         issue="move a paragraph into another block", traces=["The cluster's main product is"]),
    Case("move-beneficiaries-to-transformation", S,
         [{"op": "move", "find": "The pilot projects showed that only",
           "to": "Its steps are listed after the table."}],
         [{"after": ["The pilot projects showed that only", "Its steps are listed after the table."]}],
         issue="move a paragraph into another block", traces=["The pilot projects showed that only"]),
    Case("move-process-before-history", P,
         [{"op": "move", "find": "The production process runs through",
           "to": "The year in which the cluster"}],
         [{"after": ["The production process runs through", "The year in which the cluster"]}],
         issue="move a paragraph into another block", traces=["The production process runs through"]),
    # Text outside the blocks: SWOT items, the vision, strategies and actions.
    _replace("swot-strength", P, "Local clay and a large pool of experienced workers.",
             "Local clay, and some 2,400 experienced workers.", issue="SWOT item"),
    _replace("swot-threat", P, "Concrete and metal roofing as substitutes.",
             "Concrete, metal and zinc roofing as substitutes.", issue="SWOT item"),
    _fmt("swot-weakness-bold", P, "bold", "High losses in drying and firing.", issue="SWOT item"),
    _replace("vision-statement-strategy", S, "stand beside those of the leading roof-tile centres",
             "rank among the leading roof-tile centres of Java", issue="vision statement"),
    _rewrite("vision-statement-plan", A, "In ten years Kebumen Sokka tiles",
             "By 2012 every kiln of the consortium fires tiles of tested quality and sells beyond Java.",
             issue="vision statement"),
    _rewrite("vision-statement-plan-id", AI, "Dalam sepuluh tahun genteng Sokka Kebumen",
             "Pada tahun 2012 seluruh tungku anggota konsorsium menghasilkan genteng bermutu teruji.",
             issue="vision statement"),
    _replace("strategy-demand", S, "Strategy: Reach buyers beyond the local traders",
             "Strategy: Reach buyers in Bali and Jakarta", issue="strategies and actions"),
    _replace("action-factor", S, "Compare kilns that heat more evenly and use less fuel.",
             "Test two kiln designs that heat more evenly.", issue="strategies and actions"),
    _replace("activity-study-tour", A, "Two-day visit to the roof-tile centre of Jatiwangi",
             "Three-day visit to the roof-tile centre of Jatiwangi", issue="strategies and actions"),
    _add("add-after-vision-statement", S, "In ten years Kebumen Sokka tiles",
         "The working group will review this vision in 2008.", issue="add (Enter at a block's end)"),
    # Tables, headings.
    Case("cell-basic-data", P, [{"op": "cell", "table": 0, "row": 1, "col": 1,
                                 "text": "Desa Pejagoan, Kecamatan Pejagoan, Kabupaten Kebumen"}],
         [{"cell": "Desa Pejagoan, Kecamatan Pejagoan, Kabupaten Kebumen"}], issue="table cell",
         traces=["Desa Pejagoan, Kecamatan Pejagoan"]),
    Case("cell-process-text", P, [{"op": "cell", "find": "Grading sets the price of each lot.",
                                   "text": "Grading by sound and colour sets the price of each lot."}],
         [{"cell": "Grading by sound and colour sets the price of each lot."}], issue="table cell",
         traces=["Grading by sound and colour"]),
    Case("cell-raw-materials", P, [{"op": "cell", "find": "Rivers in Kebumen",
                                    "text": "The Luk Ulo river in Kebumen"}],
         [{"cell": "The Luk Ulo river in Kebumen"}], issue="table cell", traces=["The Luk Ulo river"]),
    _replace("heading-products", P, "Products and raw materials", "Products and their raw materials",
             issue="heading text", heading=True),
    _replace("heading-vision-plan", A, "Ten-year vision", "The vision for 2012", issue="heading text",
             heading=True),
    # Tracked changes, comments, Accept All.
    Case("tracked-constraints", P,
         [{"op": "track"}, {"op": "replace", "find": "Profiling recorded 7 constraints.",
                            "with": "Profiling in 2003 recorded 7 constraints."}],
         [{"tracked": "Profiling in 2003 recorded 7 constraints."}], issue="tracked change",
         traces=["Profiling in 2003"]),
    Case("tracked-add-routine", A,
         [{"op": "track"}, {"op": "type_after", "find": "The firms meet on the first Thursday",
                            "text": "Minutes of each meeting go to all members."}],
         [{"tracked": "Minutes of each meeting go to all members."}], issue="tracked change"),
    Case("comment-markets", P, [{"op": "comment", "find": "55% of sales",
                                 "text": "Check this share against the 2004 survey."}],
         [{"comment": "Check this share against the 2004 survey."}], issue="comment",
         traces=["Check this share against the 2004 survey."]),
    Case("comment-swot", P, [{"op": "comment", "find": "Firms well motivated for joint action.",
                              "text": "Is this still true after 2003?"}],
         [{"comment": "Is this still true after 2003?"}], issue="comment",
         traces=["Is this still true after 2003?"]),
    Case("accept-all-products", P,
         [{"op": "track"}, {"op": "replace", "find": "All its products are listed below.",
                            "with": "The four products are listed below."}],
         [{"has": "The four products are listed below."},
          {"untracked": "The four products are listed below."}],
         then=[{"op": "accept_all"}], issue="Accept All"),
    # Another name, another format, a re-save.
    Case("another-name", P, [{"op": "rewrite", "find": "The cluster's main product is",
                              "text": "Clay roof tiles of the Sokka type are the main product."}],
         [{"has": "Clay roof tiles of the Sokka type are the main product."}],
         save_as="profile.en (reviewed).docx", issue="another name"),
    Case("as-odt", P, [{"op": "rewrite", "find": "The main market channel is",
                        "text": "Most tiles are sold to traders, who deliver across Central Java."}],
         [{"has": "Most tiles are sold to traders, who deliver across Central Java."}],
         save_as="profile.en.odt", issue="another format (.odt)"),
    Case("as-doc", S, [{"op": "rewrite", "find": "Its steps are listed after the table.",
                        "text": "The consortium stays, and takes on the joint clay supply."}],
         [{"has": "The consortium stays, and takes on the joint clay supply."}],
         save_as="strategy.en.doc", issue="another format (.doc)"),
    Case("as-odt-id", PI, [{"op": "bold", "find": "Saluran pemasaran utama"}],
         [{"format": "Saluran pemasaran utama", "prop": "bold"}], save_as="profile.id.odt",
         issue="another format (.odt)"),
    Case("resave-profile", P, [], [], issue="re-save without edit"),
    Case("resave-plan-id", AI, [], [], issue="re-save without edit"),
]
