"""Documents name the real sources (issue 11): a 2015 cluster whose only source is the 2021 SMIDeP
evaluation gets a profile whose data-sources table, notes on illustrative values and references name
that evaluation and never the 2004 study; a file of the old form still renders and names its kinds
generically; a row citing several sources names each."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from checks import flat, output_path
from conftest import SAMPLE

from cluster_reports.documents import i18n, provenance
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import DATA_SECTIONS, DataSource, Provenance

EVALUATION = {
    "id": "smidep-2021", "title": "Ex-post Evaluation of SMIDeP (2013-2016)", "author": "JICA",
    "year": 2021, "kind": "evaluation",
}
CITED = {"en": "Evaluation report: Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021)",
         "id": "Laporan evaluasi: Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021)"}
NOT_GIVEN = {
    "en": "Some values in this section are illustrative, not survey data: they are not in "
          "Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021).",
    "id": "Sebagian nilai pada bagian ini bersifat ilustratif, bukan data survei: nilai tersebut tidak "
          "terdapat dalam Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021).",
}
ILLUSTRATIVE_SECTIONS = ("firms", "markets", "assessment")
LEGACY = {"jica-2004": "study-text", "sample-illustrative": "illustrative",
          "kbli-2020": "official-statistics"}


def _first(source: str | list[str]) -> str:
    """The old form named one kind per entry: an entry citing several sources takes its first."""
    return source[0] if isinstance(source, list) else source


def _copy(root: Path, cluster: str, parts: tuple[str, ...] = ()) -> Path:
    folder = root / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in (f"{cluster}.yaml", *(f"{cluster}.{p}" for p in parts)):
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder / f"{cluster}.yaml"


def _rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _render(root: Path, cluster: str, docs: str) -> Path:
    out = root / "out"
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", cluster, "--params-root", str(root),
         "--doc", docs, "--lang", "id,en", "--format", "html", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return out


class _Blocks(HTMLParser):
    """The text of each paragraph, list item, heading and table cell of a page, one string each."""

    BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "caption", "figcaption"}

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._open: list[list[str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag in self.BLOCKS and self._open:
            self.blocks.append(" ".join("".join(self._open.pop()).split()))

    def handle_data(self, data):
        if self._open and not self._skip:
            self._open[-1].append(data)


def html_blocks(path: Path) -> list[str]:
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.blocks


def _section(blocks: list[str], heading: str, until: str | None = None) -> list[str]:
    """The text blocks from a heading (its last occurrence: the contents list it first) to the next
    one named (or the end). A heading is named without its chapter number ("12 Sources": "Sources")."""
    def named(block: str, name: str) -> bool:
        return block == name or re.fullmatch(r"[0-9]+(\.[0-9]+)* " + re.escape(name), block) is not None

    start = max(i for i, block in enumerate(blocks) if named(block, heading))
    end = next((i for i in range(start + 1, len(blocks)) if named(blocks[i], until)), None) if until else None
    assert not until or end is not None, f"no heading {until!r} after {heading!r}"
    return blocks[start:end]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory) -> tuple[Path, params_io.LoadedParams]:
    """Tegal, profiled in 2015 from the SMIDeP evaluation only: firms, markets and assessment are
    illustrative (the legacy kind, as no source of that id is listed)."""
    root = tmp_path_factory.mktemp("evaluated")
    path = _copy(root, "tegal-metalwork")

    def change(data: dict) -> None:
        data["reference_year"] = 2015
        data["sources"] = [EVALUATION]
        data["provenance"] = [
            {"field": s, "source": "illustrative"} if s in ILLUSTRATIVE_SECTIONS
            else {"field": s, "source": "smidep-2021", "reference": {"en": "Section 3.2", "id": "Bagian 3.2"}}
            for s in DATA_SECTIONS if data.get(s) not in (None, [])
        ]
    _rewrite(path, change)
    return _render(root, "tegal-metalwork", "profile"), params_io.load_file(path)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_an_evaluated_clusters_profile_names_the_evaluation(evaluated, templates, lang):
    out, item = evaluated
    blocks = html_blocks(output_path(out, item, "profile", lang, "html"))
    labels = i18n.labels(templates, lang)
    sources = _section(blocks, labels("profile.heading.sources"), labels("sources.references"))
    # Every row names the evaluation by kind, title, author and year, or says it is illustrative.
    cited = [b for b in sources if b == CITED[lang]]
    assert len(cited) == len(item.params.provenance) - len(ILLUSTRATIVE_SECTIONS)
    assert sources.count(labels("source.illustrative")) == len(ILLUSTRATIVE_SECTIONS)
    assert ("Section 3.2" if lang == "en" else "Bagian 3.2") in sources
    # The notes under the illustrative sections name the evaluation, and nothing names 2004.
    notes = [b for b in blocks if b.startswith(NOT_GIVEN[lang].split(":")[0])]
    assert len(notes) == 3 and all(n.startswith(NOT_GIVEN[lang]) for n in notes)
    assert not any("2004" in b for b in sources + notes)
    # The data-sources text says what the bold rows are not given by.
    assert "(JICA, 2021)" in flat(sources[1])
    # The references list the evaluation, and only it.
    references = _section(blocks, labels("sources.references"))
    kind = labels("source_kind.evaluation")
    assert references[1:2] == [f"JICA (2021). Ex-post Evaluation of SMIDeP (2013-2016). {kind}."]


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> tuple[Path, params_io.LoadedParams]:
    """The Kebumen pilot's profile and monitoring files in the old form: kinds, no listed sources."""
    root = tmp_path_factory.mktemp("legacy")
    path = _copy(root, "kebumen-roof-tile", ("plan.yaml", "monitoring.yaml", "monitoring-firms.csv"))

    def change(data: dict) -> None:
        data.pop("sources", None)
        for entry in data["provenance"]:
            entry["source"] = LEGACY[_first(entry["source"])]
    for file in path.parent.glob("*.yaml"):
        _rewrite(file, change)
    return _render(root, "kebumen-roof-tile", "profile,monitoring"), params_io.load_file(path)


@pytest.mark.parametrize("doc", ["profile", "monitoring"])
def test_legacy_params_render_and_name_their_kinds_generically(legacy, templates, doc):
    out, item = legacy
    for lang in ("en", "id"):
        labels = i18n.labels(templates, lang)
        blocks = html_blocks(output_path(out, item, doc, lang, "html"))
        assert labels("source.study-text") in blocks and labels("source.illustrative") in blocks
        assert labels("note.illustrative") in blocks  # the note names no source it does not know
        # No source is listed, so there is nothing to list in references.
        assert labels("sources.references") not in blocks
    # Where the data come from, no row or sentence credits the 2004 study with what the file does not say.
    labels = i18n.labels(templates, "en")
    blocks = html_blocks(output_path(out, item, doc, "en", "html"))
    sources = _section(blocks, labels(f"{doc}.heading.sources"))
    notes = [b for b in blocks if "illustrative, not survey data" in b]
    assert notes and not any("2004" in b for b in sources[:2] + notes)
    assert not any("of the 2004 study" in b for b in sources)


def test_a_row_or_a_section_with_several_sources_names_each(templates):
    labels = i18n.labels(templates, "en")
    statistics = DataSource(id="bps-2015", title="Kabupaten Tegal Dalam Angka 2015",
                            author="BPS Kabupaten Tegal", year=2015, kind="official-statistics")
    evaluation = DataSource(**EVALUATION)
    catalogue = provenance.Catalogue([evaluation, statistics])
    both = Provenance(field="workers", source=["smidep-2021", "bps-2015"])
    row = provenance.source_row("Workers", both, labels, catalogue)
    assert row.source == ("Evaluation report: Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021); "
                          "Official statistics: Kabupaten Tegal Dalam Angka 2015 (BPS Kabupaten Tegal, 2015)")
    assert not row.illustrative
    entries = (both, Provenance(field="workers.note", source="illustrative"))
    sources = provenance.DocumentSources({"cluster": entries}, entries, catalogue, labels)
    assert sources.note("workers") == (
        "Some values in this section are illustrative, not survey data: they are not in "
        "Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021) or Kabupaten Tegal Dalam Angka 2015 "
        "(BPS Kabupaten Tegal, 2015). The table of data sources at the end of this document names them.")
    # An estimate by the authors is a real estimate: said to be one, not flagged as illustrative.
    estimate = DataSource(id="own-2015",
                          title={"en": "Estimate of the facilitator", "id": "Perkiraan fasilitator"},
                          author={"en": "Facilitator", "id": "Fasilitator"}, kind="own-estimate")
    row = provenance.source_row("Workers", Provenance(field="workers", source="own-2015"), labels,
                                provenance.Catalogue([estimate]))
    assert row.source == "Estimate by the authors (not measured): Estimate of the facilitator (Facilitator)"
    assert not row.illustrative
