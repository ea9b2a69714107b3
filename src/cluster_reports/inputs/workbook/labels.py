"""Names of the workbook's sheets and columns in Indonesian and English, read from ``labels.yaml``
(data: a wording is corrected there, not in code). Keys are the paths of ``fields``."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

LANGUAGES = ("id", "en")


@functools.cache
def _catalogue() -> dict:
    text = resources.files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _entry(section: str, path: str, lang: str) -> str | None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    entry = (_catalogue().get(section) or {}).get(path)
    return entry[lang] if entry else None


def label(path: str, lang: str) -> str:
    """A field's column header (or a form row's name) in ``lang`` ('id' or 'en'). A path the catalogue
    does not name (a field added to the schema since) falls back to its last name, so that a workbook
    can still be written; the catalogue's test names it."""
    return _entry("fields", path, lang) or path.rsplit(".", 1)[-1].replace("_", " ")


def sheet(path: str, lang: str) -> str:
    """The name of the sheet holding a part's form or a list (at most 31 characters, Excel's limit)."""
    return _entry("sheets", path, lang) or path.rsplit(".", 1)[-1][:31]


def hint(path: str, lang: str) -> str | None:
    """What to enter in a field (its unit, its form), for a cell's comment; None where the header
    says enough."""
    return _entry("hints", path, lang)
