"""Scan: the params files below the params folder, each cluster hashed from the raw bytes of what its
documents are made from (no parsing, no validation), and the digests every document of a kind shares
(package version, templates, engine)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cluster_reports import __version__
from cluster_reports.documents import registry
from cluster_reports.inputs import files, params_io, programmes, publication
from cluster_reports.inputs.schema import PARTS

PACKAGE = Path(__file__).resolve().parents[1]  # the cluster_reports package
_FIRMS_CSV = re.compile(rb"^firms_csv:\s*['\"]?([^'\"#\r\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A cluster's params file as found on disk, before any parsing."""

    path: Path  # absolute
    rel: str  # relative to the params folder: the manifest's key
    input_hash: str  # raw bytes of the file, its sidecars, CSVs and library, and the package


@dataclass
class Scan:
    sources: list[Source] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, message): stray files


@dataclass(frozen=True)
class Digests:
    """What shapes a batch's documents besides each cluster's own inputs."""

    templates: str  # the whole template library: a worker drops its cached templates when it changes
    engine: str  # the engine's name; with papermill, also its notebooks
    kinds: dict[str, str]  # per document kind: the package version and the templates that kind reads


def hash_parts(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _digest_files(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def package_digest() -> str:
    """Version and source of the package: what a worker runs must be what the batch runs."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".csv", ".md") and p.is_file())
    return hashlib.sha256(f"{__version__}\0{_digest_files(files, PACKAGE)}".encode()).hexdigest()


def tree_digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return _digest_files(files, folder)


def kind_template_digests(templates: Path) -> dict[str, str]:
    """Per document kind, the template library without the other kinds' folders: a new roll-up's
    templates do not make every profile stale. Shared parts (labels, frame, HTML, Word styles) count
    for all kinds."""
    kinds = {*registry.KINDS, *registry.ROLLUPS}
    parts = {
        entry.name: tree_digest(entry) if entry.is_dir() else _digest_files([entry], templates)
        for entry in sorted(templates.iterdir())
        if not entry.name.startswith(".")
    }
    return {
        kind: hash_parts(
            *(f"{name}:{digest}" for name, digest in parts.items() if name == kind or name not in kinds)
        )
        for kind in kinds
    }


def digests(templates: Path, engine: str, notebooks: Path) -> Digests:
    library = tree_digest(templates)
    if engine == "papermill":
        engine += tree_digest(notebooks)
    kinds = kind_template_digests(templates)
    return Digests(library, engine, {kind: hash_parts(__version__, digest) for kind, digest in kinds.items()})


def _library_digest(folder: Path, cache: dict) -> str:
    """Hashed once per scan (every cluster with a plan shares the library)."""
    if folder not in cache:
        entries = sorted(p for p in folder.rglob("*") if not p.name.startswith(".") and not p.is_dir())
        cache[folder] = _digest_inputs(entries, folder)
    return cache[folder]


def _digest_inputs(paths: Iterable[Path], base: Path) -> str:
    """Params files hashed as params_io reads them: each inside its params root, a regular file,
    within its limit. A refused file counts by its name and the reason, never by its content (a FIFO
    is not opened, /dev/zero not read); its cluster fails when loaded, saying why."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            data = _read_input(path)
        except (files.Refused, OSError) as exc:
            data = f"refused: {getattr(exc, 'reason', None) or exc.strerror}".encode()
        # relpath, not relative_to: a CSV may sit elsewhere in the params root (../../data/firms.csv)
        digest.update(f"{os.path.relpath(path, base)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _read_input(path: Path) -> bytes:
    limit = files.CSV_LIMIT if path.suffix.lower() == ".csv" else files.YAML_LIMIT
    return files.read_limited(path, limit, files.params_root(path))


def scan(params_dir: Path, programmes_dir: Path | None = None) -> Scan:
    """Cluster files below the params folder (as params_io.discover finds them), hashed from raw bytes."""
    result = Scan()
    # The package by its version, as the brief of the manifest says: code edited without a new
    # version re-renders only with --force (hashing the source would re-render on every dev edit).
    package = __version__
    root = params_dir.resolve()
    libraries: dict = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != programmes.FOLDER and not d.startswith("."))
        here = Path(folder)
        clusters = sorted(
            n for n in names
            if Path(n).suffix in params_io.PARAMS_SUFFIXES and n.count(".") == 1 and n != publication.FILE
        )
        stems = {Path(n).stem for n in clusters}
        for name in sorted(names):  # sidecars with an unknown part or no cluster file beside them
            if Path(name).suffix in params_io.PARAMS_SUFFIXES and name.count(".") == 2:
                stem, part = name.split(".")[:2]
                if part not in PARTS:
                    result.problems.append(
                        (
                            str((here / name).relative_to(root)),
                            f"unknown kind of params file {part!r}: a cluster's files are "
                            f"<id>.yaml and <id>.<{'|'.join(PARTS)}>.yaml",
                        )
                    )
                elif stem not in stems:
                    result.problems.append(
                        (
                            str((here / name).relative_to(root)),
                            f"no cluster params file {stem}.yaml beside it",
                        )
                    )
        for name in clusters:
            path = here / name
            refused = files.check(path, files.params_root(path))
            if refused is not None:  # out of the tree, a loop, a FIFO, a device: "<rel>: (file): <why>"
                result.problems.append((str(path.relative_to(root)), f"(file): {refused}"))
                continue
            result.sources.append(
                Source(path, str(path.relative_to(root)),
                       _input_hash(path, names, package, libraries, programmes_dir))
            )
    return result


def _input_hash(path: Path, names: list[str], package: str, libraries: dict,
                programmes_dir: Path | None) -> str:
    """Everything a cluster's documents are made from, by raw bytes: no parsing, no validation."""
    prefix = path.stem + "."
    inputs = [path, *sorted(path.with_name(n) for n in names if n.startswith(prefix) and n != path.name)]
    for side in [f for f in inputs if ".monitoring." in f.name]:
        try:
            text = _read_input(side)
        except (files.Refused, OSError):  # refused when loaded too
            continue
        match = _FIRMS_CSV.search(text)  # a CSV named otherwise than <id>.*
        if match:
            # The rule params_io reads it by: a CSV outside the params root is neither read nor hashed.
            csv = files.named(side.parent, match.group(1).decode(errors="replace").strip())
            if files.check(csv, files.params_root(side)) is None and csv not in inputs:
                inputs.append(csv)
    # Every cluster's profile reads the library (its findings point to programmes), a plan more of it.
    library = _library_digest(programmes.folder_for(path, programmes_dir), libraries)
    # The covers' publication.yaml counts too (by its bytes: a logo it names is not followed).
    project = publication.find_file(path)
    cover = _digest_inputs([project.absolute()], project.absolute().parent) if project else "-"
    digest = hashlib.sha256(f"{package}\0{library}\0{cover}\0".encode())
    digest.update(_digest_inputs(inputs, path.parent).encode())
    return digest.hexdigest()
