"""A project's publication defaults: ``publication.yaml`` in the nearest folder above a params file
(``params/publication.yaml`` above ``params/clusters/<province>/<cluster>.yaml``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import files
from .schema.publication import Publication
from .yaml_io import ParamsError, parse_yaml, read_bytes, validate

FILE = "publication.yaml"


@dataclass(frozen=True)
class Defaults:
    path: Path
    publication: Publication  # its logo's path made absolute
    sha256: str  # of the file and of the logo it names


def find_file(start: Path) -> Path | None:
    """The nearest ``publication.yaml`` in the folder given or above it (a file: above its folder)."""
    absolute = start.absolute()
    for folder in [absolute, *absolute.parents] if absolute.is_dir() else absolute.parents:
        candidate = folder / FILE
        if candidate.is_file():
            return _shown(candidate)
    return None


def _shown(path: Path) -> Path:
    """A path as messages name it: relative to the working folder when below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load(path: Path) -> Defaults:
    """The defaults of a publication file; raises ParamsError naming file, field and reason."""
    stat = path.stat()
    return _load(path, path.absolute(), stat.st_mtime_ns, stat.st_size)


def for_params(start: Path) -> Defaults | None:
    """The defaults that apply to a params file or folder, or None when no file is above it."""
    found = find_file(start)
    return load(found) if found is not None else None


@cache
def _load(path: Path, _where: Path, _mtime: int, _size: int) -> Defaults:
    raw = read_bytes(path, root=files.params_root(path))
    data = parse_yaml(raw, path)
    publication = validate(Publication, data, path, {"folder": path.parent}).anchored(path.parent)
    digest = hashlib.sha256(raw)
    if publication.logo:
        logo = Path(publication.logo)  # checked by the schema: inside the root, a regular file
        digest.update(read_bytes(logo, files.IMAGE_LIMIT, files.params_root(path), named_by=(path, "logo")))
    return Defaults(path, publication, digest.hexdigest())


__all__ = ["FILE", "Defaults", "ParamsError", "find_file", "for_params", "load"]
