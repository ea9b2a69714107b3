"""Starting a cluster's params file (`cluster-reports new`): a valid file whose every value is a marked
starting value, and on request its strategy, plan and monitoring files beside it.

The files come from templates that are data (``data/new_cluster*.yaml``). Their ``@@name@@`` markers
are replaced in one pass by values quoted as YAML scalars, so what a user typed is never read as YAML
syntax or as a marker. Every section cites the source ``starting-values`` of kind ``illustrative``:
the documents flag it as not survey data until the survey's source replaces it. ``--like`` starts
from a sample cluster's content instead, every section citing that source as copied from the sample.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from importlib.resources import files as package_files
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from cluster_reports import atomic, resources

from . import programmes, regions
from .files import CLUSTERS, YAML_LIMIT
from .params_io import PARAMS_SUFFIXES, check_file, discover
from .schema import PARTS
from .schema.cluster import DATA_SECTIONS, ClusterGroup
from .schema.common import Slug
from .yaml_io import ParamsError, parse_yaml, read_bytes

SOURCE_ID = "starting-values"
OFFICE_ID = "regency-office"
# The sidecars that can be started, in the order the method adds them; monitoring is against a plan.
SIDECARS = ("strategy", "plan", "monitoring")
_MARKER = re.compile(r"@@([a-z_]+)@@")
_SLUG: TypeAdapter = TypeAdapter(Slug)


class NewClusterError(Exception):
    """An option the command refuses: the message names the option and the reason."""


@dataclass(frozen=True)
class Request:
    cluster_id: str
    province: str
    regency: str
    group: str | None = None
    like: str | None = None
    parts: tuple[str, ...] = ()
    params_dir: Path = Path("params")
    year: int = field(default_factory=lambda: dt.date.today().year)  # the reference year: this one


def _template(name: str) -> str:
    return package_files("cluster_reports.inputs").joinpath("data", name).read_text(encoding="utf-8")


def _scalar(value: str | int) -> str:
    """A value as a YAML scalar: a double-quoted string (JSON's quoting is YAML's), or an integer."""
    return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)


def _comment(value: str) -> str:
    """A value inside a comment line: one line, no control characters."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", value)


def fill(template: str, values: dict[str, str | int]) -> str:
    """Replace each ``@@name@@`` once: in a comment by the value's text, elsewhere by a YAML scalar."""
    def in_text(match: re.Match) -> str:
        return _scalar(values[match.group(1)])  # a marker without a value is a bug of the template

    def in_comment(match: re.Match) -> str:
        return _comment(str(values[match.group(1)]))

    return "".join(_MARKER.sub(in_comment if text.lstrip().startswith("#") else in_text, text)
                   for text in template.splitlines(keepends=True))


# --- checking the options --------------------------------------------------------------------------


def check_id(cluster_id: str) -> str:
    try:
        return _SLUG.validate_python(cluster_id)
    except ValidationError:
        if len(cluster_id) > 80:
            why = f"is {len(cluster_id)} characters long; an id has at most 80"
        else:
            why = ("must be lower-case letters a-z and digits, in words joined by single hyphens "
                   "(e.g. kebumen-roof-tile)")
        raise NewClusterError(f"ID {cluster_id!r}: {why}") from None


def _closest(given: str, names: list[str]) -> str:
    keys = {" ".join(n.split()).casefold(): n for n in names}
    key = " ".join(given.split()).casefold()
    found = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    # A name given short: without its kind ("Kebumen" for "Kabupaten Kebumen"), or abbreviated
    # ("DKI Jakarta"): the names holding its words.
    words = set(re.findall(r"[a-z0-9]+", key)) - {"dki", "kab"}
    found += [k for k in keys if k not in found and (
        k.split(" ", 1)[-1] == key or (words and words <= set(k.split())))]
    return f"; closest: {', '.join(repr(keys[k]) for k in found[:3])}" if found else ""


def find_place(province: str, regency: str) -> tuple[regions.Province, regions.Regency]:
    found = regions.find_province(province)
    if found is None:
        names = [p.name for p in regions.provinces().values()]
        raise NewClusterError(f"--province {province!r}: not a province of the official list "
                              f"(Kepmendagri 300.2.2-2138/2025){_closest(province, names)}")
    place = regions.find_regency(regency, found)
    if place is not None:
        return found, place
    elsewhere = [(r, regions.provinces()[r.province_code]) for r in regions.regencies().values()
                 if " ".join(r.name.split()).casefold() == " ".join(regency.split()).casefold()]
    if elsewhere:
        where = " and ".join(f"{p.name}" for _, p in elsewhere)
        raise NewClusterError(f"--regency {regency!r}: is in {where}, not in {found.name}; give its "
                              f"province, or a regency of {found.name}")
    raise NewClusterError(f"--regency {regency!r}: not a regency or city of {found.name} in the official "
                          f"list{_closest(regency, regions.regency_names(found))}")


def check_group(group: str | None, like: dict | None) -> str:
    groups = [g.value for g in ClusterGroup]
    if group is None:
        if like is not None:
            return like["group"]
        raise NewClusterError(
            f"--group is required: the method's group ({', '.join(groups)}) decides which clusters "
            "this one is ranked with and which strategy it takes, and nothing given so far tells it")
    if group not in groups:
        raise NewClusterError(f"--group {group!r}: not a group of the method (choose from "
                              f"{', '.join(groups)}){_closest(group, groups)}")
    return group


def check_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [p for p in parts if p not in SIDECARS]
    if unknown:
        raise NewClusterError(f"--with {','.join(unknown)}: unknown (choose from {', '.join(SIDECARS)})")
    if "monitoring" in parts and "plan" not in parts:
        raise NewClusterError("--with monitoring: monitoring is against a plan; ask for both: "
                              "--with plan,monitoring")
    return tuple(p for p in SIDECARS if p in parts)


def check_params_dir(params_dir: Path) -> Path:
    if params_dir.name == CLUSTERS or (params_dir.exists() and not params_dir.is_dir()):
        raise NewClusterError(f"--params {str(params_dir)!r}: give the params folder, the one that holds "
                              f"{CLUSTERS}/ (default: params)")
    return params_dir


_ID_LINE = re.compile(r"^id:\s*[\"']?([a-z0-9-]+)[\"']?\s*(#.*)?$", re.M)


def existing(cluster_id: str, params_dir: Path) -> list[Path]:
    """Files of this id anywhere under the params tree: its params file or a sidecar, or a cluster file
    of another name that gives this id."""
    if not params_dir.is_dir():
        return []
    found = {p for p in params_dir.rglob(f"{cluster_id}.*") if p.name.split(".")[0] == cluster_id}
    for path in discover([params_dir]):
        if path not in found and path.is_file() and path.stat().st_size <= YAML_LIMIT:
            match = _ID_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
            if match and match.group(1) == cluster_id:
                found.add(path)
    return sorted(found)


def find_like(sample_id: str, params_dir: Path) -> Path:
    """A sample cluster's params file: the params tree's own, else the shipped sample's."""
    roots = [params_dir / CLUSTERS, resources.sample() / CLUSTERS]
    known: list[str] = []
    for root in (r for r in roots if r.is_dir()):
        for path in discover([root]):
            if path.stem == sample_id:
                return path
            known.append(path.stem)
    known = sorted(set(known))
    raise NewClusterError(f"--like {sample_id!r}: no such sample cluster{_closest(sample_id, known)} "
                          f"(samples: {', '.join(known) or 'none'})")


def _read(path: Path) -> dict:
    try:
        return parse_yaml(read_bytes(path), path)
    except ParamsError as exc:
        raise NewClusterError(f"--like: {exc}") from None


# --- producing the files -----------------------------------------------------------------------------


def _names() -> tuple[str, str]:
    # The documents name the place beside the name: a name holding it would read it twice.
    return "new SME cluster (name to be given)", "sentra IKM baru (nama akan ditetapkan)"


def _offices(province: regions.Province, place: regions.Regency) -> dict[str, str]:
    """The names of the place's offices in charge of industry: what they are called differs from one
    region to the next (Disperindag, Disperinaker, ...), so the name says what the office does."""
    return {"office": f"Dinas yang membidangi perindustrian, {place.name}",
            "province_office": f"Dinas yang membidangi perindustrian, Provinsi {province.name}"}


# The started strategy and plan name these stakeholders; a --like copy adds those the sample lacks.
OFFICES = {
    OFFICE_ID: ("office", "regency-government", {
        "en": "Guides the cluster; its exact name and role are to be confirmed.",
        "id": "Membina sentra; nama dan perannya yang tepat akan dipastikan."}),
    "province-office": ("province_office", "provincial-government", {
        "en": "Supports the regency's guidance of the cluster; its exact name and role are to be confirmed.",
        "id": "Mendukung pembinaan sentra oleh kabupaten/kota; nama dan perannya yang tepat akan "
              "dipastikan."}),
}


def build(request: Request) -> dict[Path, str]:
    """The files to write, by path, or NewClusterError naming the option refused and why."""
    cluster_id = check_id(request.cluster_id)
    province, place = find_place(request.province, request.regency)
    parts = check_parts(request.parts)
    check_params_dir(request.params_dir)
    taken = existing(cluster_id, request.params_dir)
    if taken:
        raise NewClusterError(f"ID {cluster_id!r}: already used by {', '.join(map(str, taken))}; nothing "
                              "is overwritten (choose another id)")
    like_path = find_like(request.like, request.params_dir) if request.like else None
    like = _read(like_path) if like_path else None
    group = check_group(request.group, like)
    path = request.params_dir / CLUSTERS / province.slug / f"{cluster_id}.yaml"
    name_en, name_id = _names()
    values: dict[str, str | int] = {
        "id": cluster_id, "name_en": name_en, "name_id": name_id, "group": group,
        "province": province.name, "regency": place.name, "year": request.year,
        "plan_year": request.year + 1, **_offices(province, place), "path": str(path),
        "title": f"New cluster {cluster_id} ({place.name}, {province.name})",
    }
    if like_path is None or like is None:
        written = {path: fill(_template("new_cluster.yaml"), values)}
        for part in parts:
            written[path.with_name(f"{cluster_id}.{part}.yaml")] = fill(
                _template(f"new_cluster.{part}.yaml"), values)
    else:
        written = _from_sample(like, like_path, parts, values, path)
    check_valid(written, path, request.like)
    return written


def check_valid(written: dict[Path, str], path: Path, like: str | None) -> None:
    """Read the files as validate and render will, before any is written: a sample that is itself
    invalid (or a template broken by an edit) is refused, not copied."""
    library = programmes.folder_for(path.absolute())
    with tempfile.TemporaryDirectory(prefix=".new-") as tmp:
        trial = Path(tmp) / CLUSTERS / path.parent.name
        trial.mkdir(parents=True)
        for target, text in written.items():
            (trial / target.name).write_text(text, encoding="utf-8")
        _, problems = check_file(trial / path.name, library)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        origin = f"--like {like!r}" if like else "the template of a new cluster"
        listed = "; ".join(f"{Path(p.file).name}: {p.field}: {p.reason}" for p in errors[:5])
        raise NewClusterError(f"{origin}: the started files would not be valid ({listed})")


class _Dumper(yaml.SafeDumper):
    """Writes each value out in full: a value shared in the sample is not turned into an alias."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def _section_comments() -> dict[str, str]:
    """The comment above each top-level key of the cluster template, to say the same in a copy; for
    the sections the template has not, the notes of ``new_cluster_sections.yaml``."""
    notes = yaml.safe_load(_template("new_cluster_sections.yaml"))
    comments: dict[str, str] = {key: "\n".join(f"# {line.strip()}" for line in textwrap.wrap(text, 98))
                                for key, text in notes.items()}
    block: list[str] = []
    for text in _template("new_cluster.yaml").splitlines():
        if text.startswith("#"):
            block.append(text)
        elif match := re.match(r"([a-z_]+):", text):
            comments[match.group(1)] = "\n".join(block)
            block = []
        elif not text.strip():
            block = []
    return comments


def _commented(text: str, comments: dict[str, str]) -> str:
    out = []
    for line in text.splitlines():
        match = re.match(r"([a-z_]+):", line)
        if match and comments.get(match.group(1)):
            out += ["", comments[match.group(1)]]
        out.append(line)
    return "\n".join(out).lstrip("\n") + "\n"


def _provenance(data: dict, sections: tuple[str, ...], reference: dict) -> list[dict]:
    return [{"field": s, "source": SOURCE_ID, "reference": reference}
            for s in sections if data.get(s) not in (None, [], {})]


def _from_sample(like: dict, like_path: Path, parts: tuple[str, ...], values: dict,
                 path: Path) -> dict[Path, str]:
    """The sample's content under the new id, name and place, every section citing the sample as
    starting values: nothing of it is presented as this cluster's survey data."""
    sample_id = like["id"]
    sample_name = like.get("name", {})
    data = {k: v for k, v in like.items() if k not in ("sources", "provenance", "publication")}
    data["id"] = values["id"]
    data["name"] = {"en": values["name_en"], "id": values["name_id"]}
    data["group"] = values["group"]
    data["location"] = {"province": values["province"], "regency": values["regency"]}
    if isinstance(data.get("selection"), dict):  # ranked alone as a fresh start is, not in the sample's round
        data["selection"] = {**data["selection"], "round": values["id"]}
    stakeholders = list(data.get("stakeholders") or [])
    given = {s.get("id") for s in stakeholders if isinstance(s, dict)}
    stakeholders += [{"id": key, "name": values[name], "type": kind, "role": role}
                     for key, (name, kind, role) in OFFICES.items() if key not in given]
    data["stakeholders"] = stakeholders
    data["sources"] = [{
        "id": SOURCE_ID,
        "title": {"en": f"Starting values to be replaced by the survey, copied from the sample cluster "
                        f"{sample_name.get('en', sample_id)}",
                  "id": f"Nilai awal yang akan diganti dengan hasil survei, disalin dari sentra contoh "
                        f"{sample_name.get('id', sample_id)}"},
        "author": {"en": "Report team", "id": "Tim penyusun laporan"},
        "year": values["year"],
        "kind": "illustrative",
        "note": {"en": f"A worked example: the values of the sample cluster {sample_id}, which describe "
                       "that cluster, not this one; not survey data.",
                 "id": f"Contoh pengisian: nilai sentra contoh {sample_id}, yang menggambarkan sentra "
                       "tersebut, bukan sentra ini; bukan data survei."},
    }]
    reference = {"en": f"Copied from the sample cluster {sample_id}",
                 "id": f"Disalin dari sentra contoh {sample_id}"}
    data["provenance"] = _provenance(data, DATA_SECTIONS, reference)
    head = (f"# {_comment(values['title'])}\n"
            f"# Started from the sample cluster {sample_id} ({_comment(str(like_path))}) by "
            "`cluster-reports new --like`.\n"
            f"# Dibuat dari sentra contoh {sample_id} dengan `cluster-reports new --like`.\n"
            "# EN: Every value below except id, name and location is the SAMPLE's, copied as a worked "
            "example:\n#     each section cites the source \"starting-values\" (kind: illustrative), so "
            "the documents\n#     flag it as not survey data. Replace the values with what the survey "
            "finds and cite the real source.\n"
            "# ID: Semua nilai di bawah ini, kecuali id, nama, dan lokasi, adalah nilai sentra CONTOH yang "
            "disalin\n#     sebagai contoh pengisian: setiap bagian merujuk sumber \"starting-values\" "
            "(jenis: illustrative),\n#     sehingga dokumen menandainya bukan data survei. Gantilah "
            "dengan hasil survei dan rujuk sumber aslinya.\n"
            f"# Check with / Periksa dengan: cluster-reports validate {_comment(values['path'])}\n\n")
    written = {path: head + _commented(_dump(data), _section_comments())}
    for part in parts:
        target = path.with_name(f"{values['id']}.{part}.yaml")
        side = next((like_path.with_name(f"{sample_id}.{part}{s}") for s in PARAMS_SUFFIXES
                     if like_path.with_name(f"{sample_id}.{part}{s}").is_file()), None)
        if side is None:  # the sample has none: the generic start, which names the office added above
            written[target] = fill(_template(f"new_cluster.{part}.yaml"), values)
            continue
        copy = {k: v for k, v in _read(side).items() if k not in ("sources", "provenance")}
        copy["cluster"] = values["id"]
        if "firms_csv" in copy:  # the sample's firm CSV stays with the sample: no firm observations
            del copy["firms_csv"]
            copy.pop("firms", None)
        copy["provenance"] = _provenance(copy, PARTS[part].DATA_SECTIONS, reference)
        written[target] = (f"# {part.capitalize()} of {_comment(values['title'])}\n"
                           f"# Copied from the sample cluster {sample_id} as a worked example; every "
                           "section cites \"starting-values\" (illustrative).\n"
                           f"# Disalin dari sentra contoh {sample_id} sebagai contoh pengisian; setiap "
                           "bagian merujuk \"starting-values\" (ilustratif).\n\n" + _dump(copy))
    return written


def write(written: dict[Path, str]) -> None:
    """Write every file or none: all are written beside their place first, then linked into it, which
    fails rather than replace a file that appeared meanwhile."""
    temporary: list[Path] = []
    placed: list[Path] = []
    try:
        for path, text in written.items():
            temporary.append(atomic.write_temporary(path, lambda tmp, t=text: tmp.write_text(t, "utf-8")))
        for tmp, path in zip(temporary, written, strict=True):
            os.link(tmp, path)
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)


def main(request: Request, out, err) -> int:
    try:
        written = build(request)
    except NewClusterError as exc:
        err.print(f"[red]error[/red] {_escape(str(exc))}; nothing was written")
        return 2
    try:
        write(written)
    except FileExistsError as exc:
        err.print(f"[red]error[/red] {_escape(str(exc.filename))}: appeared while writing; nothing was "
                  "written (choose another id)")
        return 2
    for path in written:
        out.print(f"wrote {_escape(str(path))}")
    first = next(iter(written))
    out.print(f"next: replace the starting values (they cite 'starting-values'), then "
              f"cluster-reports validate {_escape(str(first))}")
    return 0


def _escape(text: str) -> str:
    from rich.markup import escape  # the console's markup: only the command's output needs it

    return escape(text)
