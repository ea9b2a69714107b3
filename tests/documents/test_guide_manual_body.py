"""The facilitator guideline as a field manual: its body names documents by their titles and never a
file, a field, a command or the program; the profiling questionnaire asks for every field of the
firm table; the workshop guide's scoring sheet carries the maxima of the selection method; the annex
for the person who prepares the documents, at the very end, says how. Both languages, the general
and tailored editions, as the HTML page and the Word file give them to a reader."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pydantic
import pytest
from lxml import etree

from cluster_reports import render, resources
from cluster_reports.compose import composer
from cluster_reports.compose import tree as d
from cluster_reports.documents import guideline_manual, i18n, profile, registry
from cluster_reports.domain import selection_criteria
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import (
    ACTION_CAPACITY_MAX,
    GROWTH_OPPORTUNITY_MAX,
    PARTS,
    ClusterParams,
    Firm,
)

LANGS = ("id", "en")
# The general edition, a pilot with a plan, a cluster without one, and one worked without a
# working group (its steps and forms are worded for whoever facilitates it).
EDITIONS = ("general", "kebumen-roof-tile", "tegal-metalwork", "samosir-ulos-weaving")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _field_names() -> set[str]:
    """Every field name of the params' models that reads as a name of the tool's world (has an
    underscore): the cluster file's, its sidecars' and the firm table's."""
    names: set[str] = set()
    seen: set[type] = set()

    def walk(model: type[pydantic.BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            stack = [info.annotation]
            while stack:
                kind = stack.pop()
                if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
                    walk(kind)
                stack.extend(getattr(kind, "__args__", ()))

    for model in (ClusterParams, *PARTS.values()):
        walk(model)
    return {n for n in names if "_" in n}


FIELDS = _field_names()
TOOL_TERMS = re.compile(
    r"cluster-reports|\.ya?ml\b|\.csv\b|\bparams\b|--|\bdocx\b|\bhtml\b|\brender|\btemplat|\bjson\b|"
    + "|".join(rf"\b{re.escape(n)}\b" for n in sorted(FIELDS)),
    re.IGNORECASE,
)


class _Text(HTMLParser):
    """The words of a page as a reader sees them (not its style sheet or script)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def html_words(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def docx_words(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist()
                 if re.fullmatch(r"word/(?:document|header\d*|footer\d*)\.xml", n)]
        paragraphs = ["".join(t.text or "" for t in p.iter(W + "t"))
                      for part in parts for p in etree.fromstring(package.read(part)).iter(W + "p")]
    return " ".join(" ".join(paragraphs).split())


@pytest.fixture(scope="module")
def written(tmp_path_factory, sample_by_id, templates) -> dict[tuple[str, str], dict]:
    """Each edition in each language: its tree, and the files both writers made of it."""
    out = tmp_path_factory.mktemp("guide-manual")
    result = {}
    for edition in EDITIONS:
        loaded = None if edition == "general" else sample_by_id[edition]
        for lang in LANGS:
            doc = composer.compose(loaded, "guideline", lang, [], templates)
            paths = {fmt: render.output_path(out, loaded.params if loaded else None, "guideline", lang, fmt)
                     for fmt in ("html", "docx")}
            for fmt, path in paths.items():
                render.write(doc, path, fmt, templates)
            result[edition, lang] = {"doc": doc, "loaded": loaded, **paths}
    return result


def labels(lang: str) -> i18n.Labels:
    return i18n.labels(resources.templates(), lang)


def split_at_annex(text: str, lang: str) -> tuple[str, str]:
    """The body and the annex: the annex starts at the last mention of its heading (the first is
    the contents list's)."""
    heading = labels(lang)("guideline.heading.operator")
    at = text.rfind(heading)
    assert at > 0, "the annex for the person who prepares the documents is missing"
    return text[:at], text[at:]


def table(doc: d.Document, table_id: str) -> list[list[str]]:
    found = [n for n in doc.nodes if isinstance(n, d.Table) and n.id == table_id]
    assert len(found) == 1, table_id
    return [[" ".join(d.plain(cell).split()) for cell in row] for row in found[0].rows]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_body_names_no_file_field_or_command(written, edition, lang):
    item = written[edition, lang]
    for fmt, words in (("html", html_words(item["html"])), ("docx", docx_words(item["docx"]))):
        body, annex = split_at_annex(words, lang)
        found = sorted({m.group() for m in TOOL_TERMS.finditer(body)})
        assert not found, f"{edition} guideline.{lang}.{fmt}: the body names {found}"
        # The annex says how, for the person who runs the program.
        target = "<" + labels(lang)("guideline.operator.placeholder.cluster") + ">" if edition == "general" \
            else edition
        assert f"cluster-reports render {target} --doc profile" in annex, (edition, lang, fmt)
        assert f"{target}.plan.yaml" in annex and "firms.table[].willing_to_improve" in annex
        # The body names what the program makes by its document titles.
        assert labels(lang)("document.profile") in body


def test_the_term_check_catches_what_it_looks_for():
    # Guards the check above: each kind of term it must refuse is refused.
    for text in ("cluster-reports render x", "kebumen.plan.yaml", "the params file", "--doc", "a .docx",
                 "the HTML page", "rendered", "the template", "willing_to_improve", "growth_opportunity"):
        assert TOOL_TERMS.search(text), text
    for text in ("Cluster Profiling Report", "Laporan Profil Sentra", "2002–2003", "willingness to improve"):
        assert not TOOL_TERMS.search(text), text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", ("general", "kebumen-roof-tile"))
def test_the_questionnaire_asks_every_firm_field(written, edition, lang):
    item = written[edition, lang]
    t = labels(lang)
    rows = table(item["doc"], "tbl-questionnaire-firm")
    assert [r[1] for r in rows] == [t(f"guideline.questionnaire.firm.{name}.question")
                                    for name in Firm.model_fields]
    assert [r[0] for r in rows] == [f"A{n}" for n in range(1, len(Firm.model_fields) + 1)]
    by_question = {r[1]: r[2] for r in rows}
    yes_no = t("guideline.questionnaire.yes_no")
    for name in ("cooperative_member", "willing_to_improve", "women_led"):
        assert by_question[t(f"guideline.questionnaire.firm.{name}.question")] == yes_no
    assert by_question[t("guideline.questionnaire.firm.annual_sales.question")].startswith("Rp ____")
    # Part B: five yes/no questions; part C: the cluster's chapters and every constraint category.
    seed = table(item["doc"], "tbl-questionnaire-seed")
    assert [r[0] for r in seed] == ["B1", "B2", "B3", "B4", "B5"] and {r[2] for r in seed} == {yes_no}
    # Part C asks what every chapter of the profile needs: history, process, prices, markets, raw materials.
    topics = [r[0] for r in table(item["doc"], "tbl-questionnaire-cluster")]
    asked = ("history", "process", "prices", "markets", "raw_materials")
    assert topics[:5] == [t(f"guideline.questionnaire.cluster.{key}.topic") for key in asked]
    assert len(topics) == 5 + len(t.group("constraint"))
    # The Word file has the same questions in its table cells (python-docx, as Word reads it).
    cells = {" ".join(c.text.split()) for tb in docx.Document(str(item["docx"])).tables
             for r in tb.rows for c in r.cells}
    assert {r[1] for r in rows} <= cells
    # The tailored edition names its cluster on the form; the general one leaves a line.
    interview = table(item["doc"], "tbl-questionnaire-interview")
    cluster_cell = interview[0][1]
    if edition == "general":
        assert cluster_cell.startswith("____")
    else:
        assert cluster_cell == item["loaded"].params.name.get(lang)


def test_a_firm_field_without_its_question_is_a_clear_error(monkeypatch):
    class Wider(Firm):
        export_share: float | None = None

    monkeypatch.setattr(guideline_manual, "Firm", Wider)
    with pytest.raises(i18n.CatalogueError, match=r"guideline\.questionnaire\.firm\.export_share\.question"):
        guideline_manual.firm_questions(labels("en"), "____", "________")


def test_the_criteria_add_up_to_the_study_maxima():
    growth = selection_criteria.of_part(selection_criteria.GROWTH)
    action = selection_criteria.of_part(selection_criteria.ACTION)
    assert sum(c.points for c in growth) == GROWTH_OPPORTUNITY_MAX == 54
    assert sum(c.points for c in action) == ACTION_CAPACITY_MAX == 36
    # Growth opportunity is judged on the four determinants of Porter's Diamond.
    assert [c.key for c in growth] == ["demand", "factor", "firm_strategy", "related_supporting"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", ("general", "kebumen-roof-tile"))
def test_the_scoring_sheet_prints_the_domain_points(written, edition, lang):
    item = written[edition, lang]
    t = labels(lang)
    rows = table(item["doc"], "tbl-workshop-scoring")
    points = {r[0]: r[2] for r in rows}
    for c in selection_criteria.CRITERIA:
        name = t(f"condition.{c.key}") if c.part == selection_criteria.GROWTH \
            else t(f"guideline.workshop.criterion.{c.key}")
        assert points[name] == str(c.points), name
    assert points[t("guideline.workshop.total.growth")] == "54"
    assert points[t("guideline.workshop.total.action")] == "36"
    assert points[t("guideline.workshop.total.all")] == "90"
    words = html_words(item["html"])
    # Waru-Sidoarjo's 38 + 21 points of Table 3.1: 59 of 90.
    assert {"id": "65,6%", "en": "65.6%"}[lang] in words
    if edition == "kebumen-roof-tile":
        selection = item["loaded"].params.selection
        assert (selection.growth_opportunity, selection.action_capacity) == (36, 21)
        assert {"id": "memperoleh nilai 36 dari 54 untuk peluang pertumbuhan dan 21 dari 36 untuk "
                      "kapasitas bertindak, atau 63,3%",
                "en": "scored 36 of 54 points for growth opportunity and 21 of 36 for action-taking "
                      "capacity: 63.3%"}[lang] in words
        # The five conditions' worksheet shows the scores the profiling report records.
        diamond = {r[0]: r[1] for r in table(item["doc"], "tbl-workshop-diamond")}
        assessment = item["loaded"].params.assessment
        score = assessment.related_supporting.score
        assert diamond[t("condition.related_supporting")] == f"{score} ({t(f'score_word.{score}')})"
    # The indicative split and agenda times are marked so, beside the sheet and in the sources.
    assert t("guideline.questionnaire.source.points_ref") in words
    assert t("guideline.questionnaire.source.agenda_ref") in words


@pytest.mark.parametrize("lang", LANGS)
def test_the_workshop_agenda_and_chapter_order(written, lang):
    t = labels(lang)
    doc = written["kebumen-roof-tile", lang]["doc"]
    agenda = table(doc, "tbl-workshop-agenda")
    assert agenda[0][0] == {"id": "08.30–09.00", "en": "08:30–09:00"}[lang]
    assert [r[1] for r in agenda if r[1].startswith(t("guideline.workshop.agenda.swot.session")[:-2])] == [
        t(f"guideline.workshop.agenda.{k}.session") for k in ("swot", "diamond", "chain", "3c", "ideas")]
    chapters = [(h.id, h.number) for h in doc.nodes if isinstance(h, d.Heading) and h.level == 1]
    ids = [i for i, _ in chapters]
    at = ids.index("sec-steps")
    assert ids[at + 1:at + 3] == ["sec-questionnaire", "sec-workshop"]
    # The annex is the last chapter, after the references, and has no number.
    assert ids[-2:] == ["sec-references", "sec-operator"] and chapters[-1][1] is None
    numbers = [n for _, n in chapters if n]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]


def annex_prose(doc: d.Document) -> str:
    """The annex's words outside its code spans (names of files, fields and commands)."""
    at = next(i for i, n in enumerate(doc.nodes) if isinstance(n, d.Heading) and n.id == "sec-operator")
    runs: list[d.Run] = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, d.Paragraph):
                runs.extend(node.runs)
            elif isinstance(node, (d.Block, d.Note)):
                walk(node.children)
            elif isinstance(node, d.Table):
                for row in [node.header, *node.rows]:
                    for cell in row:
                        runs.extend(cell)

    walk(doc.nodes[at:])
    return " ".join(" ".join(r.text for r in runs if not r.code).split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_annex_is_written_in_the_documents_language(written, edition, lang):
    # The document-wide language checks stop before the annex, whose code names the tool's words:
    # its own sentences still follow the style guide and the glossary.
    import test_language_checks as language

    prose = annex_prose(written[edition, lang]["doc"])
    assert len(prose) > 300
    other = "en" if lang == "id" else "id"
    strays = [w for w in language.WORD.findall(prose)
              if w.casefold() in language.only_in(other) and not language._is_abbreviation(w)]
    assert not strays, (edition, lang, strays)
    for pattern, reason, instead in language.forbidden(lang):
        assert not pattern.search(prose), (edition, lang, pattern.search(prose).group(), reason, instead)


def test_the_annex_lists_every_document_kind_with_its_files():
    assert dict(guideline_manual.DOCUMENT_FILES) == {k: v.requires for k, v in registry.KINDS.items()}


def test_a_synthetic_cluster_gets_its_own_scores_and_files(tmp_path, templates):
    # A cluster of another place and size, written as a user writes one: its own file names and
    # output folder in the annex, its own scores in the guide, and still no tool term in the body.
    from cluster_reports.inputs import synth

    province, cluster_id, data = synth.generate(1, 11)[0]
    path = tmp_path / province / f"{cluster_id}.yaml"
    path.parent.mkdir()
    path.write_text(synth.to_yaml(data, "test"), encoding="utf-8")
    loaded = params_io.load_file(path)
    for lang in LANGS:
        doc = composer.compose(loaded, "guideline", lang, [], templates)
        rows = table(doc, "tbl-operator-documents")
        assert rows[0][1] == f"{cluster_id}.yaml"
        html = render.output_path(tmp_path / "out", loaded.params, "guideline", lang, "html")
        render.write(doc, html, "html", templates)
        body, annex = split_at_annex(html_words(html), lang)
        # The synthetic set cites its generator by name as the source of its data (the sources
        # table and references say what made the data): the chapters before them name nothing.
        chapters = body[:body.rfind(labels(lang)("guideline.heading.sources"))]
        assert not TOOL_TERMS.search(chapters), TOOL_TERMS.search(chapters)
        assert f"outputs/{loaded.params.location.province_record.slug}/{cluster_id}/" in annex
        selection = loaded.params.selection
        wanted = {"en": f"scored {selection.growth_opportunity} of 54 points for growth opportunity and "
                        f"{selection.action_capacity} of 36",
                  "id": f"memperoleh nilai {selection.growth_opportunity} dari 54 untuk peluang pertumbuhan "
                        f"dan {selection.action_capacity} dari 36"}[lang]
        assert wanted in body


@pytest.mark.parametrize("lang", LANGS)
def test_the_clusters_scores_say_where_they_come_from(written, lang):
    # Kebumen's scores are the study's (Table 3.1); Samosir's were set for illustration: the guide
    # marks those where it shows them, and its sources table names both.
    t = labels(lang)
    for edition, illustrative in (("kebumen-roof-tile", False), ("samosir-ulos-weaving", True)):
        doc = written[edition, lang]["doc"]
        kinds = {n.kind for n in doc.nodes if isinstance(n, d.Note)}
        assert ("illustrative-selection" in kinds) is illustrative, edition
        # The five conditions' scores are marked as the profiling report marks them.
        params = written[edition, lang]["loaded"].params
        assessment_illustrative = profile.is_illustrative(params, "assessment")
        assert ("illustrative-assessment" in kinds) is assessment_illustrative, edition
        sources = {r[0]: r for r in table(doc, "tbl-sources")}
        selection = sources[t("guideline.questionnaire.source.cluster_selection")]
        assert (t("source_kind.illustrative") in selection[1]) is illustrative, (edition, selection)
        if not illustrative:
            assert selection[2] == "Table 3.1" if lang == "en" else selection[2].startswith("Tabel 3.1")
    assert not {n.kind for n in written["general", lang]["doc"].nodes if isinstance(n, d.Note)} & {
        "illustrative-selection", "illustrative-assessment"}
