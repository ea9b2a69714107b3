"""Navigation between the HTML pages of an output folder, as relative links to files that exist.

A cluster's page links to the cluster's other documents in its language, to itself in the other
language and to the index at the top of the output folder (``index.html``, which every run that
writes pages keeps there: the batch its own, ``render`` a list of the folder). A page only links
to pages that are on disk (or written in the same call), and writing a cluster's page refreshes the
bars of the pages beside it, so that the order of writing does not matter and no link is dead.

A roll-up's bar links to its clusters' documents (province) or to the provinces' reports (nation)
as they are when the roll-up is written; the batch writes roll-ups after the clusters.

Links are relative (``../../index.html``), so the folder works offline and wherever it is moved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from urllib.parse import quote

from cluster_reports.documents import i18n, registry
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.writers import html

INDEX = "index.html"
_PAGE = re.compile(r"^(?P<kind>[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.html$")


def page_name(kind: str, lang: str) -> str:
    return f"{kind}.{lang}.html"


def href(target: Path, folder: Path) -> str:
    """``target`` relative to ``folder``, each part URL-quoted."""
    rel = Path(os.path.relpath(target, folder))
    return "/".join(quote(part) for part in rel.parts)


def _present(path: Path, planned: Collection[Path]) -> bool:
    return path in planned or path.is_file()


def _index_link(folder: Path, root: Path, labels: i18n.Labels) -> html.NavLink:
    return html.NavLink(labels("navigation.index"), href(root / INDEX, folder))


def _other_languages(path: Path, kind: str, lang: str, labels: i18n.Labels,
                     planned: Collection[Path]) -> list[html.NavLink]:
    links = []
    for other in i18n.LANGUAGES:
        target = path.with_name(page_name(kind, other))
        if other != lang and _present(target, planned):
            links.append(html.NavLink(labels(f"navigation.language.{other}"), quote(target.name),
                                      hreflang=other))
    return links


def _documents(folder: Path, lang: str, labels: i18n.Labels, here: Path | None,
               planned: Collection[Path] = ()) -> list[html.NavLink]:
    """A cluster's documents in ``folder`` in one language, in the method's order."""
    links = []
    for kind in registry.KINDS:
        target = folder / page_name(kind, lang)
        if _present(target, planned):
            links.append(html.NavLink(labels(f"document.{kind}"), quote(target.name),
                                      current=target == here))
    return links


def for_page(path: Path, root: Path, kind: str, lang: str, templates: Path,
             planned: Collection[Path] = ()) -> html.Navigation:
    """The bar of a cluster's page (or of a general edition's) at ``path``."""
    labels = i18n.labels(templates, lang)
    path = Path(path)
    planned = {*planned, path}  # the page itself is being written
    nav = html.Navigation(labels("navigation.label"), _index_link(path.parent, root, labels),
                          _other_languages(path, kind, lang, labels, planned))
    documents = _documents(path.parent, lang, labels, path, planned)
    if len(documents) > 1:
        nav.groups.append(html.NavGroup(labels("navigation.cluster"), documents))
    return nav


def for_rollup(path: Path, root: Path, kind: str, lang: str, templates: Path,
               summaries: Iterable[ClusterSummary], planned: Collection[Path] = ()) -> html.Navigation:
    """The bar of a roll-up: the province's clusters with their documents, or the provinces' reports."""
    labels = i18n.labels(templates, lang)
    path = Path(path)
    folder = path.parent
    nav = html.Navigation(labels("navigation.label"), _index_link(folder, root, labels),
                          _other_languages(path, kind, lang, labels, planned))
    summaries = list(summaries)
    if registry.ROLLUPS[kind].per_province:
        national = root / page_name("national-summary", lang)
        if _present(national, planned):
            nav.above.append(html.NavLink(labels("document.national-summary"), href(national, folder)))
        group = html.NavGroup(labels("navigation.province_clusters"))
        for item in sorted(summaries, key=lambda s: (_name(s, lang).casefold(), s.id)):
            links = _documents(folder / item.id, lang, labels, None)
            if links:
                for link in links:
                    link.href = f"{quote(item.id)}/{link.href}"
                group.entries.append(html.NavEntry(_name(item, lang), links))
    else:
        group = html.NavGroup(labels("navigation.national_provinces"))
        provinces = {s.province_slug: s.province for s in summaries}
        for slug, name in sorted(provinces.items(), key=lambda p: p[1].casefold()):
            target = root / slug / page_name("province-summary", lang)
            if _present(target, planned):
                group.entries.append(html.NavEntry(name, [
                    html.NavLink(labels("document.province-summary"), href(target, folder))]))
    if group.entries:
        nav.groups.append(group)
    return nav


def _name(summary: ClusterSummary, lang: str) -> str:
    return summary.name_id if lang == "id" else summary.name_en


def pages(folder: Path) -> list[tuple[Path, str, str]]:
    """The cluster pages (kind, language) in a folder; roll-ups and notebook copies are not among them."""
    found = []
    for path in sorted(Path(folder).glob("*.html")):
        match = _PAGE.match(path.name)
        if match and match["kind"] in registry.KINDS and match["lang"] in i18n.LANGUAGES:
            found.append((path, match["kind"], match["lang"]))
    return found


def refresh_siblings(path: Path, root: Path, templates: Path) -> list[Path]:
    """Give every other cluster page beside ``path`` a bar that links to what is there now."""
    changed = []
    for sibling, kind, lang in pages(Path(path).parent):
        if sibling == Path(path):
            continue
        if html.replace_navigation(sibling, for_page(sibling, root, kind, lang, templates), templates):
            changed.append(sibling)
    return changed
