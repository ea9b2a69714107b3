"""The programme library: loaded from ``params/programmes/*.yaml`` and looked up by id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cluster_reports import resources

from . import files
from .schema import Library, LibraryProgramme
from .yaml_io import ParamsError, Problem, parse_yaml, read_bytes, validate

FOLDER = "programmes"


@dataclass(frozen=True)
class ProgrammeLibrary:
    folder: Path
    programmes: dict[str, LibraryProgramme]
    sha256: str

    @property
    def where(self) -> str:
        return str(self.folder)

    def get(self, programme_id: str) -> LibraryProgramme | None:
        return self.programmes.get(programme_id)


def find_folder(start: Path) -> Path | None:
    """The nearest ``programmes`` folder beside an ancestor of a params file (params/programmes)."""
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / FOLDER
        if candidate.is_dir():
            return candidate
    return None


def folder_for(params_file: Path, given: Path | None = None) -> Path:
    """The library a cluster's plan draws on: the one given (``--programmes``), else the nearest
    ``programmes`` folder above its params file, else the library shipped with the package."""
    return given or find_folder(params_file.parent) or resources.shipped_programmes()


def load(folder: Path) -> ProgrammeLibrary:
    return _load(folder.resolve(), _fingerprint(folder.resolve()))


def _fingerprint(folder: Path) -> tuple:
    def stamp(path: Path) -> tuple:
        try:
            info = path.stat()
        except OSError:  # a symlink loop or a broken link: reported when read
            return (path.name, None, None)
        return (path.name, info.st_mtime_ns, info.st_size)
    return tuple(stamp(p) for p in sorted(folder.glob("*.yaml")))


@cache
def _load(folder: Path, _fingerprint: tuple) -> ProgrammeLibrary:
    problems: list[Problem] = []
    found: dict[str, LibraryProgramme] = {}
    origin: dict[str, Path] = {}
    digest = hashlib.sha256()
    found_files = sorted(folder.glob("*.yaml"))
    if not found_files:
        raise ParamsError([Problem(str(folder), "(folder)", "holds no programme library (*.yaml)")])
    for path in found_files:
        try:  # each file a regular file in its own folder, within the limit; one refused, the rest checked
            raw = read_bytes(path, root=files.params_root(path))
            digest.update(path.name.encode() + b"\0" + raw)
            library = validate(Library, parse_yaml(raw, path), path)
        except ParamsError as exc:
            problems += exc.problems
            continue
        for n, programme in enumerate(library.with_costed_years()):
            if programme.id in found:
                problems.append(Problem(
                    str(path), f"programmes[{n}].id",
                    f"{programme.id!r} is also defined in {origin[programme.id]}",
                ))
            found[programme.id] = programme
            origin[programme.id] = path
    if problems:
        raise ParamsError(problems)
    return ProgrammeLibrary(folder, found, digest.hexdigest())
