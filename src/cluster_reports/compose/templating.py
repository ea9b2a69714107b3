"""The template environment: Jinja2 producing Markdown, with every value escaped for Markdown.

Autoescaping is on, for Markdown instead of HTML: compiled templates are given Markdown's
``Markup`` (``MarkdownText``), ``escape``, ``~`` join and macros in place of markupsafe's, and the
filters that escape (``join``, ``replace``, ``e``, ``safe``) are Markdown's too. So every value a
template prints, concatenates with markup or joins is escaped at this one boundary
(``markdown_text.escape``), and no template has to remember to: user text can neither become
markup nor template code (values are data, never templates). Template literals, macro output and
the ``MarkdownText`` of documents builders are trusted Markdown; a plain (HTML) ``Markup`` is an
error. Printing ``None`` or NaN is an error rather than a "None" in a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from pathlib import Path

import jinja2
import jinja2.compiler
import jinja2.filters
import jinja2.runtime
from markupsafe import soft_str

from cluster_reports.documents import i18n
from cluster_reports.documents.markdown_text import MarkdownText, NotMarkdown, escape
from cluster_reports.domain.shares import half_up_decimal
from cluster_reports.inputs.schema import Text, Untranslated


class TemplateOutputError(ValueError):
    pass


# eval_context: a finalize taking one is never applied at compile time, where Jinja would first
# HTML-escape a constant ({{ "<b>" }}) with markupsafe's escape.
@jinja2.pass_eval_context
def _finalize(_eval_ctx: object, value: object) -> MarkdownText:
    if value is None:
        raise TemplateOutputError("a template printed an empty value (None)")
    if isinstance(value, float) and math.isnan(value):
        raise TemplateOutputError("a template printed a missing number (NaN)")
    return _escape(value)


def _escape(value: object) -> MarkdownText:
    try:
        return escape(value)
    except NotMarkdown as exc:
        raise TemplateOutputError(f"a template printed {exc}") from None


def markup_join(seq: Iterable[object]) -> str:
    """``a ~ b``: as Jinja's, escaping the text joined to markup as Markdown. A text shown in the
    language it is not in is escaped (and marked) before it is joined, which would lose what it is."""
    buf = []
    iterator = map(soft_str, seq)
    for arg in iterator:
        buf.append(arg)
        if hasattr(arg, "__html__") or isinstance(arg, Untranslated):
            return MarkdownText("").join(chain(buf, iterator))
    return "".join(buf)


class Macro(jinja2.runtime.Macro):
    """A macro whose output is composed Markdown (Jinja's would be HTML ``Markup``)."""

    def _invoke(self, arguments: list, autoescape: bool) -> object:
        rv = super()._invoke(arguments, autoescape)
        return MarkdownText(rv) if autoescape else rv


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles templates that take Markdown's Markup, escape, join and macros (above) in place of
    markupsafe's, which the generated module imports from jinja2.runtime."""

    def writeline(self, x: str, node: object = None, extra: int = 0) -> None:
        super().writeline(x, node, extra)  # type: ignore[arg-type]
        if x.startswith("from jinja2.runtime import "):
            super().writeline(f"from {__name__} import Macro, markup_join, "
                              "MarkdownText as Markup, _escape as escape")


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator


@jinja2.pass_environment
def _join(env: jinja2.Environment, value: Iterable, d: str = "", attribute: str | int | None = None) -> str:
    if attribute is not None:
        value = map(jinja2.filters.make_attrgetter(env, attribute), value)
    items = list(value)
    if hasattr(d, "__html__") or any(hasattr(item, "__html__") for item in items):
        return _escape(d).join(items)
    return str(d).join(map(str, items))


def _replace(s: object, old: str, new: str, count: int = -1) -> str:
    if any(hasattr(x, "__html__") for x in (s, old, new)):
        return _escape(s).replace(old, new, count)
    return str(s).replace(str(old), str(new), count)


def _round_half_up(value: float, precision: int = 0, method: str = "common") -> float:
    if method != "common":
        return jinja2.filters.do_round(value, precision, method)
    return float(half_up_decimal(value, precision))


def environment(templates: Path, lang: str) -> jinja2.Environment:
    """The environment of a template library and language, made once per process.

    Compiling the templates costs more than rendering them, so environments (and the templates
    they compiled) are kept; Jinja's ``auto_reload`` still recompiles a template whose file changed
    on disk. A label catalogue file added or removed makes a new environment.
    """
    files = tuple(i18n.catalogue_files(templates, lang)) if lang in i18n.LANGUAGES else ()
    return _environment(Path(templates).resolve(), lang, files)


@lru_cache(maxsize=32)
def _environment(templates: Path, lang: str, _catalogues: tuple[Path, ...]) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(templates),
        auto_reload=True,  # a template edited on disk is recompiled (its mtime is checked)
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # "{#id}" before a heading is Markdown (an id), so comments are {## ... ##}.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    fmt = i18n.Formatter(lang)
    labels = i18n.labels(templates, lang)

    def tr(text: Text | None) -> str:
        if text is None:
            raise TemplateOutputError("a template printed an empty text (None)")
        return text.get(lang)

    # Filters that make HTML markup go; those that escape, escape for Markdown.
    for name in ("forceescape", "indent", "striptags", "tojson", "urlize", "wordwrap", "xmlattr", "center"):
        env.filters.pop(name, None)
    env.filters.update(
        e=_escape,
        escape=_escape,
        safe=MarkdownText,  # {{ id|safe }}: a template's own Markdown (an id), printed as it is
        join=_join,
        replace=_replace,
        num=fmt.number,
        dec=fmt.decimal,
        pct=fmt.percent,
        rp=fmt.rupiah,
        usd=fmt.usd,
        # an amount in running text: "Rp 14,8 miliar", "US$ 1,1 juta" (tables keep |rp, |usd)
        rp_round=fmt.rupiah_rounded,
        usd_round=fmt.usd_rounded,
        round=_round_half_up,  # Jinja's round is Python's (half to even): one rule, half away from zero
        date=fmt.date,
        tr=tr,
        capfirst=i18n.capfirst,  # user text at a sentence or cell start; never |lower, |capitalize
        # {{ n|count("count.firm") }}: a count in words, its plural and zero forms from the catalogue
        count=lambda n, key, **values: labels.count(key, n, **values),
    )
    env.globals.update(t=labels, lang=lang, fmt=fmt)
    return env


def render(templates: Path, name: str, lang: str, context: dict) -> str:
    return environment(templates, lang).get_template(name).render(context)
