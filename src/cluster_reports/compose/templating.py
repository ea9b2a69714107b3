"""The template environment: Jinja2 producing Markdown, with every value escaped for Markdown.

Autoescaping is on and ``finalize`` turns each printed value into Markdown-escaped text, so user
text can neither become markup nor template code (values are data, never templates). Template
literals and macro output are trusted Markdown. Printing ``None`` or NaN is an error rather than a
"None" in a report.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from cluster_reports.documents import i18n
from cluster_reports.domain.shares import half_up_decimal
from cluster_reports.inputs.schema import Text

from .markdown import escape


class TemplateOutputError(ValueError):
    pass


def _finalize(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise TemplateOutputError("a template printed an empty value (None)")
    if isinstance(value, float) and math.isnan(value):
        raise TemplateOutputError("a template printed a missing number (NaN)")
    return Markup(escape(str(value)))


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
    env = jinja2.Environment(
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

    env.filters.update(
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
