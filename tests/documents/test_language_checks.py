"""Language checks over every document of every sample cluster, both languages, both formats, and
over the documents of no one cluster (the general guideline, the province and national summaries):

- no word of the other language's label catalogue: the words that only one language's catalogue
  (templates/labels/*.en.yaml or *.id.yaml) uses must not appear in a document of the other language;
  names are user data and allowed (the words of the params' plain strings: firm and body names,
  places, published titles), and so are the abbreviations the glossary keeps;
- no term of templates/forbidden-terms.yaml for the document's language;
- nothing of the tool: no command line, option, file name, params folder, field name (snake_case),
  params id, missing value (None, nan, null), TODO or template syntax.

Each failure names the document file, the term and the text around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE
from rendered_set import LANGS, Rendered, rendered_editions_fixture, rendered_set_fixture  # noqa: F401

from cluster_reports.documents import provenance

LABELS = ROOT / "templates" / "labels"
FORBIDDEN = ROOT / "templates" / "forbidden-terms.yaml"
# A word: letters only, not glued to digits or underscores ("5c0f59ada26e" is a hash, not "ada").
WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")
# Abbreviations and short forms the glossary keeps in both languages, in the case they are written;
# a word written in capitals throughout (SWOT, LIAP, JICA, ...) is an abbreviation too.
KEPT = {"ToT", "SMIDeP", "Kemenperin", "Disperindag", "Deperindag", "Dinkop", "Dekranasda", "monev",
        "pokja"}
# Words one catalogue happens not to use that are as much words of the other language (KBBI
# loanwords spelt as in English, English words spelt as in Indonesian): no sign of the wrong language.
BOTH = {"agenda", "area", "final", "formal", "item", "material", "total", "investor", "model", "volume",
        "data", "status", "sentra", "web", "pun", "mana", "tim", "sama", "set"}
# Indonesian words that begin the name of a place in English text ("Kecamatan Harau"): part of the
# name when a capitalised word follows.
PLACE_WORDS = {"Kabupaten", "Kota", "Kecamatan", "Kelurahan", "Desa", "Provinsi"}


# --- the text of a document --------------------------------------------------------------------------


class _Visible(HTMLParser):
    """What a reader of the page sees: text outside <style> and <script>, and images' alt text."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        elif tag == "img":
            self.parts += [v for k, v in attrs if k == "alt" and v]

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def texts(r: Rendered) -> dict[str, str]:
    """A document's text by file: the HTML page as shown, and the Word file (with its headers and
    footers). Web addresses in the references are kept out: they are what they are."""
    parser = _Visible()
    parser.feed(r.html.read_text(encoding="utf-8"))
    found = {r.name: " ".join(" ".join(parser.parts).split()),
             f"{r.cluster_id}/{r.docx.name}": " ".join(" ".join(r.docx_texts).split())}
    if r.kind == "guideline":
        # Its annex for the person who prepares the documents names the program's files, fields and
        # commands by design; test_guide_manual_body checks the annex's own wording.
        heading = r.t("guideline.heading.operator")
        found = {name: text[:text.rfind(heading)] if heading in text else text
                 for name, text in found.items()}
    return {name: re.sub(r"https?://\S+|www\.\S+", " ", text) for name, text in found.items()}


def around(text: str, found: re.Match, width: int = 50) -> str:
    return f"...{text[max(0, found.start() - width):found.end() + width]}..."


@dataclass(frozen=True)
class Problem:
    document: str
    term: str
    context: str
    why: str = ""

    def __str__(self) -> str:
        return f"{self.document}: {self.term!r}{f' ({self.why})' if self.why else ''} in {self.context}"


def report(problems: list[Problem]) -> str:
    return f"{len(problems)} found:\n" + "\n".join(map(str, problems))


# --- what the params and the catalogues give ----------------------------------------------------------


def _strings(node, bilingual: bool = False):
    """(text, is_bilingual) for every string of a YAML tree; a {en, id} mapping is bilingual."""
    if isinstance(node, dict):
        pair = bool(node) and set(node) <= {"en", "id"}
        for value in node.values():
            yield from _strings(value, pair)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, bilingual)
    elif isinstance(node, str):
        yield node, bilingual


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


@cache
def _params(cluster_yaml: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the sample's language-neutral strings (names of firms, bodies, places, published
    titles: any cluster's, since a document names its peers), and the ids this cluster's files use
    (slugs with a hyphen) that no prose uses as a word."""
    own = [cluster_yaml, *(cluster_yaml.with_suffix(f".{part}.yaml")
                           for part in ("strategy", "plan", "monitoring"))]
    everything = sorted(SAMPLE.glob("*/*.yaml")) + sorted((ROOT / "params" / "programmes").glob("*.yaml"))
    names: set[str] = set()
    slugs: set[str] = set()
    prose: list[str] = []
    for path in everything:
        for text, bilingual in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if bilingual:
                prose.append(text)
            elif SLUG.fullmatch(text):
                if path in own:
                    slugs.add(text)
            else:
                names |= set(WORD.findall(text))
    for source in provenance.METHOD_SOURCES:
        names |= set(WORD.findall(f"{source.title} {source.author}"))
    prose += _catalogue_texts("en") + _catalogue_texts("id")
    # A label may say "Export-oriented" where an id is "export-oriented": that is a word, not an id.
    used = {w.casefold() for w in re.findall(r"[\w-]+", " ".join(prose))}
    return frozenset(names), frozenset(s for s in slugs if s not in used)


def names_and_ids(r: Rendered) -> tuple[frozenset[str], frozenset[str]]:
    """A cluster's document: the sample's names and the cluster's ids. An edition for no one cluster
    (the general guideline, a summary): the sample's names, every cluster's ids and the province
    folders' names (slugs such as "jawa-barat", never words of a report)."""
    if r.loaded is not None:
        return _params(r.loaded.path)
    clusters = [p for p in sorted(SAMPLE.glob("*/*.yaml")) if p.name.count(".") == 1]
    found = [_params(path) for path in clusters]
    folders = {p.parent.name for p in clusters if SLUG.fullmatch(p.parent.name)}
    return found[0][0], frozenset().union(folders, *(ids for _, ids in found))


@cache
def _catalogue_texts(lang: str) -> list[str]:
    found = []
    for path in sorted(LABELS.glob(f"*{lang}.yaml")):
        if path.name == f"{lang}.yaml" or path.name.endswith(f".{lang}.yaml"):
            found += [re.sub(r"\{[^}]*\}", " ", text) for text, _ in
                      _strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    return found


def _is_abbreviation(word: str) -> bool:
    return word in KEPT or (len(word) > 1 and word.isupper())


@cache
def only_in(lang: str) -> frozenset[str]:
    """The words (lowercased) that only this language's catalogue uses, three letters or more."""
    def words(of: str) -> set[str]:
        return {w.casefold() for text in _catalogue_texts(of) for w in WORD.findall(text)
                if not _is_abbreviation(w)}

    other = "id" if lang == "en" else "en"
    return frozenset(w for w in words(lang) - words(other) if len(w) >= 3 and w not in BOTH)


@cache
def forbidden(lang: str) -> list[tuple[re.Pattern, str, str]]:
    entries = yaml.safe_load(FORBIDDEN.read_text(encoding="utf-8"))[lang]
    out = []
    for entry in entries:
        assert ("term" in entry) != ("pattern" in entry), f"{FORBIDDEN.name}: {entry}: term or pattern"
        assert entry.get("reason") and entry.get("instead"), f"{FORBIDDEN.name}: {entry}: reason, instead"
        source = entry.get("pattern") or rf"(?<![\w-]){re.escape(entry['term'])}(?![\w-])"
        flags = 0 if entry.get("case") else re.IGNORECASE
        out.append((re.compile(source, flags), entry["reason"], entry["instead"]))
    return out


# --- the checks ---------------------------------------------------------------------------------------


def test_the_catalogue_word_lists_are_words_of_one_language():
    """The lists the check uses hold what they should (so that the check can fail)."""
    assert {"the", "firms", "cluster", "programme", "meeting"} <= only_in("en")
    assert {"yang", "dengan", "sentranya", "pertemuan", "pemangku"} <= only_in("id")
    assert not only_in("en") & only_in("id")
    assert all(len(w) >= 3 for w in only_in("en") | only_in("id"))


def test_no_document_has_a_word_of_the_other_languages_catalogue(rendered_set, rendered_editions):
    problems = []
    for r in [*rendered_set, *rendered_editions]:
        other = "en" if r.lang == "id" else "id"
        names, ids = names_and_ids(r)
        for document, text in texts(r).items():
            # What the tool check reports (a command, a file name, an id) is not reported twice.
            text = without_tool(text, ids)
            for found in WORD.finditer(text):
                word = found.group()
                if word in PLACE_WORDS and re.match(r"\s+[A-Z]", text[found.end():]):
                    continue
                if (word.casefold() in only_in(other) and word not in names
                        and not _is_abbreviation(word)):
                    problems.append(Problem(document, word, around(text, found),
                                            f"a word of the {other} catalogue only"))
    assert not problems, report(problems)


def test_no_document_has_a_forbidden_term(rendered_set, rendered_editions):
    problems = []
    for r in [*rendered_set, *rendered_editions]:
        for document, text in texts(r).items():
            for pattern, reason, instead in forbidden(r.lang):
                for found in pattern.finditer(text):
                    problems.append(Problem(document, found.group(), around(text, found),
                                            f"{reason} Write: {instead}"))
    assert not problems, report(problems)


# What belongs to the tool, never to a document for facilitators and officials.
TOOL = [
    (re.compile(r"(?<![\w-])--[a-z][\w-]*"), "a command-line option"),
    (re.compile(r"\bcluster-reports\b"), "the program's name"),
    (re.compile(r"\b[\w-]+\.(?:ya?ml|csv|json|j2|py|ipynb|xlsx|docx|html|md)\b", re.IGNORECASE),
     "a file name"),
    (re.compile(r"\bparams/|\btemplates/|\blabels/"), "a folder of the tool"),
    (re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"), "a field name (snake_case)"),
    (re.compile(r"\bNone\b(?! of\b)|\bnan\b|\bNaN\b|\bnull\b|\bundefined\b"), "a missing value"),
    (re.compile(r"\bTODO\b|\bFIXME\b|\bXXX\b"), "a note to the developers"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template syntax"),
]


def tool_patterns(ids: frozenset[str]) -> list[tuple[re.Pattern, str]]:
    if not ids:
        return TOOL
    alternatives = "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
    return [*TOOL, (re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), "an id of the params files")]


def without_tool(text: str, ids: frozenset[str]) -> str:
    for pattern, _ in tool_patterns(ids):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def test_no_document_shows_the_tool(rendered_set, rendered_editions):
    problems = []
    for r in [*rendered_set, *rendered_editions]:
        _, ids = names_and_ids(r)
        for document, text in texts(r).items():
            for pattern, what in tool_patterns(ids):
                for found in pattern.finditer(text):
                    problems.append(Problem(document, found.group(), around(text, found), what))
    assert not problems, report(problems)


# Two sentences run together ("first.The"): a template line that ends in a block tag eats the
# line break that should have been a space.
RUN_ON = re.compile(r"\b[a-z]{2,}[.;:,][A-Z][a-z]+")


def test_no_sentence_runs_into_the_next(rendered_set, rendered_editions):
    problems = []
    for r in [*rendered_set, *rendered_editions]:
        for document, text in texts(r).items():
            for found in RUN_ON.finditer(text):
                problems.append(Problem(document, found.group(), around(text, found), "no space after"))
    assert not problems, report(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_forbidden_terms_list_is_well_formed(lang):
    entries = forbidden(lang)
    assert entries, f"{FORBIDDEN.name}: no terms for {lang}"
    by_lang = {"id": ("Rencana Aksi Industri Lokal", "pengrajin", "63,3 %", "1 December 2026"),
               "en": ("December 1, 2026", "63.3 %", "programs")}
    for example in by_lang[lang]:
        assert any(p.search(example) for p, *_ in entries), f"{example!r} is not caught in {lang}"
    for allowed in {"id": ("perajin", "63,3%", "pemrofilan", "koperasi"),
                    "en": ("1 December 2026", "63.3%", "programme", "program operation unit (POU)")}[lang]:
        assert not any(p.search(allowed) for p, *_ in entries), f"{allowed!r} is caught in {lang}"


def test_the_tool_patterns_catch_the_tool_and_spare_report_text():
    caught = ["render --doc profile", "kebumen-roof-tile.plan.yaml", "the firms_csv field", "value None",
              "nan", "TODO", "{{ c.name }}", "{% if %}", "see params/clusters", "cluster-reports 0.1.0",
              "notebooks/action-plan.ipynb"]
    spared = ["None of the 10 supported firms", "on-the-job training (OJT)", "Rp 1.500.000", "Table 3.1",
              "63,3%", "Jan–Feb 2003", "Section 4.4(3)", "sub-programmes",
              "Rp 52,300,000,000 (US$ 6,537,500)", "JICA (2021). Ex-post Evaluation of SMIDeP (2013-2016)"]
    for text in caught:
        assert any(p.search(text) for p, _ in TOOL), text
    for text in spared:
        assert not any(p.search(text) for p, _ in TOOL), text
