"""Harvested wording is watched and can be released: a reviewer's text that quotes a figure the data
no longer gives is reported at every render until it is harvested again or released; the bold,
italic and links of a reviewer's words survive harvest, in Word and HTML."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from checks import edit_block, flat
from conftest import ROOT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from typer.testing import CliRunner

from cluster_reports import render, resources
from cluster_reports.cli import app
from cluster_reports.domain import summary
from cluster_reports.domain.figures import figures, stale
from cluster_reports.inputs import params_io
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.harvest import harvest
from cluster_reports.review.release import ReleaseError, release

CLUSTER = "jawa-tengah/kebumen-roof-tile"
CLUSTER_ID = "kebumen-roof-tile"


@pytest.fixture
def params(tmp_path: Path) -> Path:
    target = tmp_path / "params"
    shutil.copytree(ROOT / "params", target)
    return target / "clusters"


def _overrides(params: Path) -> Path:
    return params / "jawa-tengah" / f"{CLUSTER_ID}.overrides.yaml"


def _render(params: Path, out: Path, langs=("en",), formats=("docx",)) -> render.Outcome:
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    return render.render_cluster(loaded, ["profile"], list(langs), list(formats), out, peers,
                                 resources.templates())


def _docx(out: Path, lang: str = "en") -> Path:
    return out / CLUSTER / f"profile.{lang}.docx"


def _set(params: Path, key: str, value: int) -> None:
    path = params / f"{CLUSTER}.yaml"
    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"(?m)^(\s*){key}: \d+$", rf"\g<1>{key}: {value}", text, count=1)
    assert new != text, key
    path.write_text(new, encoding="utf-8")


def _messages(outcome: render.Outcome) -> list[str]:
    return [s.message() for s in outcome.stale]


# --- figures as written ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("264 firms and 1,511 workers", "en", [("264", "264", ""), ("1,511", "1511", "")]),
    ("264 unit usaha dan 1.511 pekerja", "id", [("264", "264", ""), ("1.511", "1511", "")]),
    ("55 % of them; 96.6% of the firms", "en", [("55 %", "55", "%"), ("96.6%", "96.6", "%")]),
    ("55 persen; 96,6% dari unit usaha", "id", [("55 persen", "55", "%"), ("96,6%", "96.6", "%")]),
    ("Rp 2.5 billion a year", "en", [("Rp 2.5 billion", "2500000000", "")]),
    ("Rp 2,5 miliar setahun, sekitar US$ 1,1 juta", "id",
     [("Rp 2,5 miliar", "2500000000", ""), ("US$ 1,1 juta", "1100000", "")]),
    ("In 2003, from 2020-2024, a fall of -3%", "en",
     [("2003", "2003", ""), ("2020", "2020", ""), ("2024", "2024", ""), ("-3%", "-3", "%")]),
    ("Rp 1.500.000 dan 2,5 ton", "id", [("Rp 1.500.000", "1500000", ""), ("2,5", "2.5", "")]),
    ("2.5 ton", "id", [("2.5", "2.5", "")]),  # the other convention's point, as its writer meant it
    ("CO2 and SDG8 are no figures.", "en", []),
])
def test_figures_as_written(text, lang, expected):
    from decimal import Decimal

    assert [(f.text, f.value, f.unit) for f in figures(text, lang)] == [
        (t, Decimal(v), u) for t, v, u in expected
    ]


def test_stale_pairs_each_old_figure_with_its_new_one():
    basis = ["The cluster has 264 firms; 55% are micro firms. Founded in 1950."]
    now = ["The cluster has 280 firms; 50% are micro firms. Founded in 1950."]
    wording = ["Its 264 firms (55 % of them micro) go back to 1950."]
    assert stale(basis, now, wording, "en") == [("264", "280"), ("55%", "50%")]
    # The wording gives the new figures: nothing is stale; nor when the data did not change.
    assert stale(basis, now, ["Its 280 firms (50% micro) go back to 1950."], "en") == []
    assert stale(basis, basis, wording, "en") == []
    # A figure the new text no longer gives at all.
    assert stale(["264 firms in 2003."], ["Firms in 2003."], ["264 firms."], "en") == [("264", None)]
    # A figure still given elsewhere is stale only where the wording quotes it more often.
    both = ["264 firms and 264 kilns."]
    assert stale(both, ["280 firms and 264 kilns."], ["264 kilns."], "en") == []
    assert stale(both, ["280 firms and 264 kilns."], ["264 firms, 264 kilns."], "en") == [("264", "280")]
    # The same figure written another way ('1,511' / '1511', 'persen' / '%') is the same figure.
    assert stale(["1.511 pekerja, 55%"], ["1.600 pekerja, 50%"], ["1511 pekerja, 55 persen"], "id") == [
        ("1.511", "1.600"), ("55%", "50%")
    ]


# --- harvested figures are watched ---------------------------------------------------------------------


def test_a_harvested_figure_is_reported_until_harvested_again(params, tmp_path):
    out = tmp_path / "out"
    assert _render(params, out).error is None
    path = _docx(out)
    edit_block(path, "summary", "Reviewed: the cluster's 264 firms employed 2,400 workers in 2003.")
    harvest(path, params)
    stored = yaml.safe_load(_overrides(params).read_text(encoding="utf-8"))
    basis = stored["documents"]["profile"]["summary"]["en"]["generated"]
    assert "264 firms" in basis[0] and "2,400 workers" in basis[0]  # what was generated then

    assert _render(params, out).stale == []  # the data did not change: nothing to report

    _set(params, "micro", 176)  # 264 firms -> 280
    _set(params, "workers", 2500)
    outcome = _render(params, out)
    assert outcome.error is None
    assert _messages(outcome) == [
        "the reviewed wording of 'Summary' (profile, en, block summary) still says 264 and 2,400 "
        "where the data now gives 280 and 2,500: update it in Word and harvest again, or release it"
    ]
    assert "264 firms" in reviewed_file.block_texts(path)["summary"][0]  # the wording is still used
    assert _messages(_render(params, out)) == _messages(outcome)  # every render, until resolved

    # The reviewer updates the wording in the file the render wrote, and it is harvested again.
    edit_block(path, "summary", "Reviewed: the cluster's 280 firms employed 2,500 workers in 2003.")
    assert harvest(path, params).blocks == ["summary"]
    stored = yaml.safe_load(_overrides(params).read_text(encoding="utf-8"))
    assert "280 firms" in stored["documents"]["profile"]["summary"]["en"]["generated"][0]
    assert _render(params, out).stale == []
    # And the new basis watches the next change of the data.
    _set(params, "workers", 2600)
    assert [s.figures for s in _render(params, out).stale] == [(("2,500", "2,600"),)]


def test_the_console_warns_per_block(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out, langs=("id",))
    path = _docx(out, "id")
    edit_block(path, "summary", "Sentra ini mempekerjakan 2.400 tenaga kerja.")
    harvest(path, params)
    _set(params, "workers", 2500)
    result = CliRunner().invoke(app, ["render", str(params / f"{CLUSTER}.yaml"), "--doc", "profile",
                                      "--lang", "id", "--format", "docx", "--out", str(out),
                                      "--params-root", str(params)])
    assert result.exit_code == 0, result.output
    assert ("warning: kebumen-roof-tile: the reviewed wording of 'Ringkasan' (profile, id, block "
            "summary) still says 2.400 where the data now gives 2.500") in flat(result.output)


def test_the_old_list_form_still_loads_and_renders(params, tmp_path):
    _overrides(params).write_text(
        "cluster: kebumen-roof-tile\ndocuments:\n  profile:\n    products:\n"
        "      en: [\"Tiles of 264 firms.\", \"A second paragraph.\"]\n",
        encoding="utf-8",
    )
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    assert loaded.parts["overrides"].blocks("profile", "en") == {
        "products": ["Tiles of 264 firms.", "A second paragraph."]
    }
    out = tmp_path / "out"
    outcome = _render(params, out)
    assert outcome.error is None and outcome.stale == []  # no basis: nothing to compare
    assert reviewed_file.block_texts(_docx(out))["products"] == ["Tiles of 264 firms.", "A second paragraph."]


def test_bad_wording_names_file_and_field(params):
    _overrides(params).write_text(
        "cluster: kebumen-roof-tile\ndocuments:\n  profile:\n    products:\n"
        "      en: {text: [[{text: Click, href: 'javascript:alert(1)'}]], generated: [], basis: []}\n"
        "      id: Satu paragraf\n",
        encoding="utf-8",
    )
    with pytest.raises(params_io.ParamsError) as caught:
        params_io.load_file(params / f"{CLUSTER}.yaml")
    problems = {p.field: p.reason for p in caught.value.problems}
    assert all(p.file.endswith("kebumen-roof-tile.overrides.yaml") for p in caught.value.problems)
    assert "no link a reader can follow" in problems["documents.profile.products.en.text[0][0].href"]
    assert "unknown key" in problems["documents.profile.products.en.basis"]
    assert "as a list" in problems["documents.profile.products.id"]


# --- release -------------------------------------------------------------------------------------------


def _harvest_two_blocks(params: Path, out: Path) -> None:
    _render(params, out, langs=("en", "id"))
    for lang in ("en", "id"):
        workers = "2.400" if lang == "id" else "2,400"
        edit_block(_docx(out, lang), "summary", f"Reviewed summary ({lang}): {workers} workers.")
        edit_block(_docx(out, lang), "products", f"Reviewed products ({lang}).")
        harvest(_docx(out, lang), params)


def test_release_returns_blocks_to_generated_text(params, tmp_path):
    out = tmp_path / "out"
    _harvest_two_blocks(params, out)
    _set(params, "workers", 2500)
    assert len(_render(params, out, langs=("en", "id")).stale) == 2  # summary, in each language

    result = CliRunner().invoke(app, ["release", CLUSTER_ID, "--doc", "profile", "--block", "summary",
                                      "--lang", "en", "--params-root", str(params)])
    assert result.exit_code == 0, result.output
    assert "released profile: summary (en)" in result.output
    overrides = params_io.load_file(params / f"{CLUSTER}.yaml").parts["overrides"]
    assert list(overrides.blocks("profile", "en")) == ["products"]
    assert list(overrides.blocks("profile", "id")) == ["summary", "products"]
    outcome = _render(params, out, langs=("en", "id"))
    assert [(s.block, s.lang) for s in outcome.stale] == [("summary", "id")]
    assert "2,500 workers" in reviewed_file.block_texts(_docx(out))["summary"][0]  # generated again

    # The rest, by the params file: the overrides file is removed when nothing is left in it.
    result = CliRunner().invoke(app, ["release", str(params / f"{CLUSTER}.yaml"), "--doc", "profile"])
    assert result.exit_code == 0, result.output
    assert "products (en, id)" in result.output and "summary (id)" in result.output
    assert not _overrides(params).exists()
    assert _render(params, out, langs=("en", "id")).stale == []


def test_release_errors_name_file_and_field(params, tmp_path):
    with pytest.raises(ReleaseError, match=r"kebumen-roof-tile.overrides.yaml: no such file"):
        release(CLUSTER_ID, "profile", [], [], params)
    _harvest_two_blocks(params, tmp_path / "out")
    before = _overrides(params).read_bytes()
    with pytest.raises(params_io.ParamsError, match="no params file for cluster 'nowhere'"):
        release("nowhere", "profile", [], [], params)
    with pytest.raises(ReleaseError, match=r"--doc: 'brochure' is no document"):
        release(CLUSTER_ID, "brochure", [], [], params)
    with pytest.raises(ReleaseError, match=r"overrides.yaml: documents.strategy: no reviewed wording"):
        release(CLUSTER_ID, "strategy", [], [], params)
    with pytest.raises(ReleaseError, match=r"overrides.yaml: documents.profile.sumary: no such reviewed "
                                           r"block \(the profile's reviewed blocks: summary, products\)"):
        release(CLUSTER_ID, "profile", ["sumary"], [], params)
    with pytest.raises(ReleaseError, match=r"--lang: unknown language 'fr'"):
        release(CLUSTER_ID, "profile", [], ["fr"], params)
    assert _overrides(params).read_bytes() == before  # nothing written by a refused release
    result = CliRunner().invoke(app, ["release", CLUSTER_ID, "--doc", "profile", "--block", "sumary",
                                      "--params-root", str(params)])
    assert result.exit_code == 1
    assert "documents.profile.sumary: no such reviewed block" in flat(result.output)
    assert "Traceback" not in result.output


# --- formatting through harvest -----------------------------------------------------------------------


def _run(text: str, *props: str) -> OxmlElement:
    run = OxmlElement("w:r")
    if props:
        rpr = OxmlElement("w:rPr")
        for name in props:
            rpr.append(OxmlElement(name))
        run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _format_block(path: Path, block: str, url: str) -> None:
    """A reviewer rewrites a block with a bold word, an italic one, an underlined one and a link."""
    edit_block(path, block, "Tiles from ")
    reviewed = reviewed_file.open_reviewed(path)
    word = reviewed.word
    p = reviewed.reading.blocks[block].elements[0]
    p.append(_run("Sokka", "w:b"))
    p.append(_run(", fired "))
    p.append(_run("twice", "w:i"))
    p.append(_run(", sold "))
    under = _run("far")
    rpr = OxmlElement("w:rPr")
    u = OxmlElement("w:u")
    u.set(qn("w:val"), "single")
    rpr.append(u)
    under.insert(0, rpr)
    p.append(under)
    p.append(_run(" <script>alert(1)</script> {{ x }} &amp; "))
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), word.part.relate_to(url, RT.HYPERLINK, is_external=True))
    link.append(_run("see the study"))
    p.append(link)
    p.append(_run("."))
    word.save(str(path))


def test_bold_italic_and_links_survive_harvest_in_word_and_html(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out, formats=("docx", "html"))
    path = _docx(out)
    url = "https://example.org/study?a=1&b=2"
    _format_block(path, "products", url)
    result = harvest(path, params)
    assert result.blocks == ["products"]
    assert any("products: underline kept in the Word file only" in n for n in result.notes)
    stored = yaml.safe_load(_overrides(params).read_text(encoding="utf-8"))
    assert stored["documents"]["profile"]["products"]["en"]["text"] == [[
        {"text": "Tiles from "}, {"text": "Sokka", "bold": True}, {"text": ", fired "},
        {"text": "twice", "italic": True},
        {"text": ", sold far <script>alert(1)</script> {{ x }} &amp; "},
        {"text": "see the study", "href": url}, {"text": "."},
    ]]

    # A fresh render, the reviewer's file gone: the formatting comes from the overrides file alone.
    shutil.rmtree(out)
    assert _render(params, out, formats=("docx", "html")).error is None
    word = docx.Document(str(_docx(out)))
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Tiles from Sokka"))
    runs = {r.text: r for r in paragraph.runs}
    assert runs["Sokka"].bold and not runs["Tiles from "].bold
    assert runs["twice"].italic
    links = paragraph._p.findall(qn("w:hyperlink"))
    assert len(links) == 1 and word.part.rels[links[0].get(qn("r:id"))].target_ref == url
    assert "<script>alert(1)</script> {{ x }} &amp;" in paragraph.text  # the reviewer's words, as text

    page = (out / CLUSTER / "profile.en.html").read_text(encoding="utf-8")
    assert "<strong>Sokka</strong>" in page and "<em>twice</em>" in page
    assert '<a href="https://example.org/study?a=1&amp;b=2">see the study</a>' in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} &amp;amp;" in page
    text = flat(html.unescape(re.sub(r"<[^>]+>", "", page)))
    assert ("Tiles from Sokka, fired twice, sold far <script>alert(1)</script> {{ x }} &amp; "
            "see the study.") in text


def test_a_batch_prints_the_warning_and_keeps_it_in_the_manifest(tmp_path):
    import io

    from distributed import LocalCluster
    from rich.console import Console

    from cluster_reports.batch import manifest
    from cluster_reports.batch import run as batch
    from cluster_reports.batch.run import BatchOptions

    target = tmp_path / "params"
    shutil.copytree(ROOT / "params" / "programmes", target / "programmes")
    (target / "clusters" / "jawa-tengah").mkdir(parents=True)
    for path in (ROOT / "params" / "clusters" / "jawa-tengah").glob(f"{CLUSTER_ID}.*"):
        shutil.copy2(path, target / "clusters" / "jawa-tengah" / path.name)
    params, out = target / "clusters", tmp_path / "out"

    def run(scheduler: str) -> tuple[int, str]:
        stderr = io.StringIO()
        code = batch.main(BatchOptions(params_dir=params, out=out, kinds=["profile"], langs=["en"],
                                       formats=["docx"], scheduler=scheduler),
                          Console(file=io.StringIO(), width=300), Console(file=stderr, width=300))
        return code, flat(stderr.getvalue())

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert run(cluster.scheduler_address)[0] == 0
        edit_block(_docx(out), "summary", "Reviewed: 2,400 workers in 2003.")
        harvest(_docx(out), params)
        _set(params, "workers", 2500)
        code, stderr = run(cluster.scheduler_address)
    assert code == 0, stderr
    assert (f"warning jawa-tengah/{CLUSTER_ID}.yaml: the reviewed wording of 'Summary' (profile, en, block "
            "summary) still says 2,400 where the data now gives 2,500") in stderr
    book = manifest.Manifest(out)
    try:
        row = book.documents()[(f"jawa-tengah/{CLUSTER_ID}.yaml", "profile", "en", "docx")]
    finally:
        book.close()
    assert row.status == manifest.RENDERED and "still says 2,400" in row.error


def test_control_characters_a_word_processor_let_through_are_not_harvested(params, tmp_path):
    """XML lets C1 controls into a .docx (U+0085, U+009B); validate refuses them in an overrides
    file, so harvest leaves them out rather than write a file the next render cannot read."""
    out = tmp_path / "out"
    _render(params, out)
    path = _docx(out)
    edit_block(path, "products", "Roof tiles\u0085 fired\u009b twice.")
    assert harvest(path, params).blocks == ["products"]
    stored = yaml.safe_load(_overrides(params).read_text(encoding="utf-8"))
    assert stored["documents"]["profile"]["products"]["en"]["text"] == ["Roof tiles fired twice."]
    loaded, problems = params_io.check_file(params / f"{CLUSTER}.yaml")
    assert loaded is not None, problems
