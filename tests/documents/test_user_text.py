"""User text keeps its case (issue 11). A cluster whose product, value-chain stage and indicator
names hold a brand and acronyms is rendered in both languages and both formats: each name appears
as written mid-sentence, with only its first letter raised where it begins a sentence or a table
cell, and never lowercased."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from checks import docx_text, output_path
from conftest import SAMPLE

from cluster_reports.inputs import params_io

CLUSTER = "kebumen-roof-tile"
DOCS = ("profile", "action-plan", "monitoring", "guideline")
LANGS = ("id", "en")

# The user's texts, written as they read inside a sentence.
PRODUCT = {"en": "Sokka roof tiles", "id": "genteng Sokka"}
STAGE = {"en": "clay testing at UGM", "id": "pengujian tanah liat di UGM"}
PROGRAMME_INDICATOR = {"en": "LWG meetings held", "id": "pertemuan LWG yang terselenggara"}
GOAL_INDICATOR = {"en": "firms served by BDS providers", "id": "IKM yang dilayani penyedia BDS"}

# Where each text must stand mid-sentence, exactly as written (the narrative's own words around it).
MID_SENTENCE = {
    "en": ["firms making Sokka roof tiles in", "The cluster's main product is Sokka roof tiles (",
           "stages, from clay testing at UGM to", "Its indicator is LWG meetings held (firms)."],
    "id": ["yang membuat genteng Sokka di", "Produk utama sentra ini adalah genteng Sokka (",
           "dari pengujian tanah liat di UGM sampai",
           "Indikatornya adalah pertemuan LWG yang terselenggara."],
}
# Texts that must begin a table cell (or a numbered cell) with their first letter raised.
CELL_START = {
    "en": ["Sokka roof tiles", "1. Clay testing at UGM", "Firms served by BDS providers"],
    "id": ["Genteng Sokka", "1. Pengujian tanah liat di UGM", "IKM yang dilayani penyedia BDS"],
}
LOWERED = ("sokka roof", "genteng sokka", "lwg", "ugm", "bds providers", "penyedia bds", "ikm yang dilayani")
SENTENCE_START = r"(?:^|[.!?]\s+)"


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, params_io.LoadedParams]:
    root = tmp_path_factory.mktemp("params")
    province = root / "jawa-tengah"
    province.mkdir()
    for source in (SAMPLE / "jawa-tengah").glob(f"{CLUSTER}.*"):
        shutil.copy(source, province / source.name)
    params_file = province / f"{CLUSTER}.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    next(p for p in params["products"] if p.get("main"))["name"] = PRODUCT
    params["value_chain"][0]["stage"] = STAGE
    _write(params_file, params)
    plan_file = province / f"{CLUSTER}.plan.yaml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    plan["programmes"][0]["indicator"]["name"] = PROGRAMME_INDICATOR
    plan["medium_plan"][0]["indicator"]["name"] = GOAL_INDICATOR
    _write(plan_file, plan)

    out = tmp_path_factory.mktemp("outputs")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", CLUSTER, "--params-root", str(root),
         "--doc", ",".join(DOCS), "--lang", ",".join(LANGS), "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    loaded, problems = params_io.load_many([params_file])
    assert not problems, problems
    return out, loaded[0]


class _Blocks(HTMLParser):
    """The text of each paragraph, list item, heading and table cell of a page, one string each."""

    BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "dt", "dd"}

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


def blocks(out: Path, item, doc: str, lang: str, fmt: str) -> list[str]:
    path = output_path(out, item, doc, lang, fmt)
    if fmt == "docx":
        return [" ".join(text.split()) for text in docx_text(path)]
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.blocks


def user_texts(item, lang: str) -> list[str]:
    p, plan = item.params, item.plan
    texts = [x.name.get(lang) for x in p.products] + [s.stage.get(lang) for s in p.value_chain]
    texts += [m.destination.get(lang) for m in p.markets]
    texts += [g.indicator.name.get(lang) for g in plan.medium_plan]
    texts += [x.indicator.name.get(lang) for x in plan.programmes if x.indicator is not None]
    return texts


@pytest.mark.parametrize("fmt", ("html", "docx"))
@pytest.mark.parametrize("lang", LANGS)
def test_user_text_keeps_its_case(rendered, lang, fmt):
    out, item = rendered
    every = {doc: blocks(out, item, doc, lang, fmt) for doc in DOCS}
    text = {doc: "\n".join(b) for doc, b in every.items()}
    for phrase in MID_SENTENCE[lang][:3]:
        assert phrase in text["profile"], (lang, fmt, phrase)
    assert MID_SENTENCE[lang][3] in text["action-plan"], (lang, fmt)
    # The main channel's destination (the sample's own text) inside the sentence, as written.
    destination = {"en": "(destination: traders and truck owners", "id": "(tujuan: pedagang dan pemilik truk"}
    assert destination[lang] in text["profile"], (lang, fmt)
    for doc in DOCS:
        for lowered in LOWERED:
            assert lowered not in text[doc], (doc, lang, fmt, lowered)
    cells = {b for doc in DOCS for b in every[doc]}
    for start in CELL_START[lang]:
        assert start in cells, (lang, fmt, start)
    # The programme's key-facts table, the monitoring table and the guideline's progress sheet.
    raised = PROGRAMME_INDICATOR[lang][0].upper() + PROGRAMME_INDICATOR[lang][1:]
    for doc in ("action-plan", "monitoring", "guideline"):
        assert any(b.startswith(raised) for b in every[doc]), (doc, lang, fmt)


@pytest.mark.parametrize("fmt", ("html", "docx"))
@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_starts_with_a_lowercase_user_text(rendered, lang, fmt):
    """Every user text of the cluster written with a small first letter (the sample's names too):
    none begins a paragraph, cell or sentence as written."""
    out, item = rendered
    lowercase = [t for t in user_texts(item, lang) if t[:1].islower()]
    assert len(lowercase) > 10  # the sample names are written as they read mid-sentence
    pattern = re.compile(SENTENCE_START + "(?:" + "|".join(map(re.escape, lowercase)) + ")")
    for doc in DOCS:
        for block in blocks(out, item, doc, lang, fmt):
            assert not pattern.search(block), (doc, lang, fmt, block)
