"""A text given in one language only (issue 16) is shown in the other language's documents as given,
followed by that document's mark of an untranslated text, and the first page says what the mark
means; the profile and the action plan (a sidecar's document), both languages, both formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from checks import LEFTOVERS, docx_text, flat, html_text, output_path
from one_language_tree import INDUSTRY_EN, PRODUCT_ID, PROGRAMME_ID, build

from cluster_reports import render
from cluster_reports.documents import i18n
from cluster_reports.inputs import params_io

DOCS = ("profile", "action-plan")
LANGS = ("en", "id")
RATE_NOTE_ID = "kurs rata-rata Januari sampai Desember 2003"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, templates) -> tuple[Path, params_io.LoadedParams]:
    cluster_file = build(tmp_path_factory.mktemp("params"))
    loaded, problems = params_io.load_many([cluster_file])
    assert loaded and not [p for p in problems if p.severity == "error"], problems
    out = tmp_path_factory.mktemp("out")
    outcome = render.render_cluster(loaded[0], list(DOCS), list(LANGS), ["html", "docx"], out, [], templates)
    assert outcome.error is None, outcome.error
    return out, loaded[0]


def text_of(out: Path, item, doc: str, lang: str, fmt: str) -> str:
    path = output_path(out, item, doc, lang, fmt)
    return html_text(path)[0] if fmt == "html" else flat(" ".join(docx_text(path)))


def mark(templates: Path, lang: str) -> str:
    return i18n.labels(templates, lang)("untranslated.mark")


@pytest.mark.parametrize("fmt", ("html", "docx"))
def test_the_english_documents_show_the_indonesian_text_marked(rendered, templates, fmt):
    out, item = rendered
    marked = mark(templates, "en")
    assert marked == "[not yet translated]"
    profile = text_of(out, item, "profile", "en", fmt)
    assert f"{PRODUCT_ID} {marked}".casefold() in profile.casefold()
    assert f"{RATE_NOTE_ID}" in profile
    plan = text_of(out, item, "action-plan", "en", fmt)
    assert f"{PROGRAMME_ID} {marked}" in plan
    # Every appearance of the untranslated product name carries the mark.
    lowered = profile.casefold()
    assert lowered.count(PRODUCT_ID.casefold()) == lowered.count(f"{PRODUCT_ID} {marked}".casefold())


@pytest.mark.parametrize("fmt", ("html", "docx"))
def test_the_indonesian_documents_show_the_english_text_marked(rendered, templates, fmt):
    out, item = rendered
    marked = mark(templates, "id")
    assert marked == "[belum diterjemahkan]"
    profile = text_of(out, item, "profile", "id", fmt)
    assert f"{INDUSTRY_EN} {marked}" in profile
    # Texts given in Indonesian are shown as they are, with no mark, in the Indonesian documents.
    assert PRODUCT_ID.casefold() in profile.casefold()
    assert f"{PRODUCT_ID} [".casefold() not in profile.casefold()
    assert f"{PROGRAMME_ID} [" not in text_of(out, item, "action-plan", "id", fmt)


@pytest.mark.parametrize("fmt", ("html", "docx"))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCS)
def test_the_first_page_says_what_the_mark_means(rendered, templates, doc, lang, fmt):
    out, item = rendered
    text = text_of(out, item, doc, lang, fmt)
    note = flat(i18n.labels(templates, lang)("untranslated.note"))
    assert note in text
    assert mark(templates, lang) in note
    # Before the body: on the first pages, after the cover and the contents.
    assert text.index(note) < len(text) // 4


@pytest.mark.parametrize("fmt", ("html", "docx"))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCS)
def test_no_missing_value_or_template_syntax(rendered, doc, lang, fmt):
    out, item = rendered
    text = text_of(out, item, doc, lang, fmt)
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    assert "\\[" not in text and "\\]" not in text  # the mark is not escaped twice
    assert "lang=" not in text and "]{" not in text  # the span's Markdown is read, not shown


def test_the_untranslated_text_is_in_its_own_language(rendered):
    """HTML: a span with lang; Word: the run's language, so that readers and spelling checks know."""
    out, item = rendered
    page = output_path(out, item, "profile", "en", "html").read_text(encoding="utf-8")
    assert f'<span lang="id">{PRODUCT_ID}</span>' in page
    page = output_path(out, item, "profile", "id", "html").read_text(encoding="utf-8")
    assert f'<span lang="en">{INDUSTRY_EN}</span>' in page
    from docx import Document

    word = Document(str(output_path(out, item, "action-plan", "en", "docx")))
    runs = [r for p in word.paragraphs for r in p.runs if r.text == PROGRAMME_ID]
    runs += [r for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.text == PROGRAMME_ID]
    assert runs
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert all(r._r.find(f"{ns}rPr/{ns}lang").get(f"{ns}val") == "id-ID" for r in runs)


def test_a_fully_translated_cluster_has_no_note_and_no_mark(tmp_path, templates):
    from conftest import SAMPLE

    loaded = params_io.load_file(SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml")
    outcome = render.render_cluster(loaded, ["profile"], list(LANGS), ["html"], tmp_path, [], templates)
    assert outcome.error is None
    for lang in LANGS:
        text = text_of(tmp_path, loaded, "profile", lang, "html")
        assert mark(templates, lang) not in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_mark_and_its_note_use_no_forbidden_term(templates, lang):
    """The words the documents add (the mark and the note) pass the language checks' list of terms
    a document must not use (templates/forbidden-terms.yaml)."""
    import re

    import yaml

    labels = i18n.labels(templates, lang)
    added = f"{labels('untranslated.mark')} {flat(labels('untranslated.note'))}"
    entries = yaml.safe_load((templates / "forbidden-terms.yaml").read_text(encoding="utf-8"))[lang]
    for entry in entries:
        source = entry.get("pattern") or rf"(?<![\w-]){re.escape(entry['term'])}(?![\w-])"
        found = re.search(source, added, 0 if entry.get("case") else re.IGNORECASE)
        assert found is None, (found.group(), entry["reason"])
