"""Names of the workbook's sheets and columns in Indonesian and English, read from ``labels.yaml``
(data: a wording is corrected there, not in code). Keys are the paths of ``fields``."""

from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def _catalogue() -> dict:
    text = resources.files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def label(path: str, lang: str) -> str:
    """A field's column header (or a form row's name) in ``lang`` ('id' or 'en')."""
    entry = _catalogue().get("fields", {}).get(path)
    return entry[lang] if entry else path.rsplit(".", 1)[-1].replace("_", " ")


def sheet(path: str, lang: str) -> str:
    """The name of the sheet holding a part's form or a list (at most 31 characters, Excel's limit)."""
    entry = _catalogue().get("sheets", {}).get(path)
    return entry[lang] if entry else path.rsplit(".", 1)[-1][:31]
