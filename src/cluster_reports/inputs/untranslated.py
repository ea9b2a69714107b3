"""Texts given in one language only: found in a validated params file, reported as warnings.

A consultant starting a cluster writes Indonesian first; such a file is valid, and each text still to
translate is said by file and field, so that nothing is forgotten before the documents go out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel

from . import files, yaml_hints
from .schema.common import Text
from .yaml_io import Problem, decode, field_path

WARNING = "warning"
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}


def texts(value: object, loc: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    """Every text of a model missing a language, with its location (field names and list indexes)."""
    if isinstance(value, Text):
        if value.missing is not None:
            yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from texts(item, (*loc, n))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, (*loc, key))


def reason(missing: str) -> str:
    given, other = LANGUAGE_NAMES["id" if missing == "en" else "en"], LANGUAGE_NAMES[missing]
    return (f"given in {given} only; the {other} documents show it in {given}, "
            "marked as not yet translated")


def problems(model: BaseModel, path: Path) -> list[Problem]:
    """One warning per text of a validated file given in one language only, at its line."""
    found = list(texts(model))
    if not found:
        return []
    root = None
    if path.suffix in (".yaml", ".yml"):
        try:  # read again as the file was (it was read and validated: no refusal is new here)
            root = yaml_hints.compose(decode(files.read_limited(path, files.YAML_LIMIT), path))
        except Exception:  # noqa: BLE001 - only the line numbers are lost
            root = None
    return [Problem(str(path), field_path(loc), reason(text.missing or ""),
                    line=yaml_hints.line_of(root, loc), severity=WARNING)
            for loc, text in found]


def to_translate(found: Iterable[Problem]) -> dict[str, int]:
    """How many texts are left to translate into each language (English first), from warnings."""
    counts = {lang: 0 for lang in LANGUAGE_NAMES}
    for p in dict.fromkeys(found):
        for lang in counts:
            if p.severity == WARNING and p.reason == reason(lang):
                counts[lang] += 1
    return {lang: n for lang, n in counts.items() if n}


def summary(counts: dict[str, int]) -> str:
    """'12 texts to translate into English, 1 text to translate into Indonesian'."""
    return ", ".join(f"{n} {'text' if n == 1 else 'texts'} to translate into {LANGUAGE_NAMES[lang]}"
                     for lang, n in counts.items())
