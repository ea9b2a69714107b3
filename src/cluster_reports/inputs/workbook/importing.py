"""A workbook imported into params files: read, validated as params_io validates the files (the
cluster, then each sidecar against it, the plan against the programme library, monitoring against
the plan), every problem named by its sheet and cell; written only when all is valid, all files
staged first and then moved into place."""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ... import atomic
from .. import files, programmes, regions
from ..schema import ClusterParams, Monitoring, Plan, Strategy
from ..yaml_io import ParamsError, Problem, _split
from . import fields, labels, params_yaml, reasons, values
from .read import Read, read

MODELS: dict[str, type[BaseModel]] = {"cluster": ClusterParams, "strategy": Strategy, "plan": Plan,
                                      "monitoring": Monitoring}
FIRM_COLUMNS = ("firm", "period", "turnover", "channel", "reached_goal")
# Rupiah as a spreadsheet set to Indonesian shows it: Rp 1.500.000, 1.500.000,00, 1,500,000.
_FORMATTED_RUPIAH = re.compile(r"(Rp\.?\s*)?\d{1,3}([.,]\d{3})+([.,]0{1,2})?(,-)?", re.I)
FORMATTED = {"id": " (tulis Rupiah sebagai angka saja, tanpa titik ribuan atau 'Rp': 1500000)",
             "en": " (write Rupiah as digits only, without thousands separators or 'Rp': 1500000)"}
OUTSIDE = {"id": "harus menunjuk berkas di dalam folder params ({})",
           "en": "must name a file inside the params folder ({})"}


@dataclass
class Outcome:
    models: dict[str, BaseModel] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)  # what is to be written: path -> text
    written: list[Path] = field(default_factory=list)
    replaced: list[tuple[Path, bool]] = field(default_factory=list)  # (path, it had comments)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # sidecars the workbook gives no part for
    file_models: dict[Path, BaseModel] = field(default_factory=dict)  # the params each YAML file holds


@functools.cache
def _known_paths() -> frozenset[str]:
    return frozenset(f.path for f in fields.every_path())


def field_label(part: str, loc: tuple, lang: str) -> str:
    """The name of the field a location points at (its text's language and list positions left out)."""
    path = ".".join([part, *(str(k) for k in loc if not isinstance(k, int))])
    while path not in _known_paths() and "." in path:
        path = path.rsplit(".", 1)[0]
    return labels.label(path, lang) if "." in path else labels.sheet(part, lang)


def problems_of(exc: ValidationError, part: str, found: Read, lang: str) -> list[Problem]:
    problems = []
    for error in exc.errors():
        why = reasons.reason(error, lang)
        given = error.get("input")
        if (error["loc"] and error["loc"][-1] in values.RUPIAH_FIELDS and isinstance(given, str)
                and _FORMATTED_RUPIAH.fullmatch(given.strip())):
            why += FORMATTED[lang]
        for where, text in _split(tuple(error["loc"]), why):
            cell = found.cell_of(part, where)
            name = field_label(part, where, lang) if where else labels.sheet(part, lang)
            problems.append(Problem(cell, name, text))
    return problems


def target_of(data: dict, root: Path) -> Path:
    """Where a cluster's params file goes: ROOT/<province-slug>/<id>.yaml (ROOT itself while unknown)."""
    location = data.get("location") or {}
    province = regions.find_province(str(location.get("province") or ""))
    ident = str(data.get("id") or "cluster")
    return (root / province.slug if province else root) / f"{ident}.yaml"


def check(workbook: Path, root: Path, programmes_dir: Path | None, lang: str) -> Outcome:
    """Read and validate a workbook; the models and the files they make, or every problem."""
    outcome = Outcome()
    found = read(workbook, lang)
    outcome.problems += found.problems
    target = target_of(found.data.get("cluster", {}), root)
    context: dict = {}
    for part, model in MODELS.items():
        data = found.data.get(part, {})
        if part != "cluster" and part not in found.given:
            continue
        if part == "cluster":
            part_context = {"folder": target.parent}
        else:
            part_context = dict(context)
        if part == "plan":
            folder = programmes.folder_for(target, programmes_dir)
            try:
                part_context["library"] = programmes.load(folder)
            except ParamsError as exc:
                outcome.problems += exc.problems
        if part == "monitoring" and "plan" in found.given and "plan" not in outcome.models:
            part_context["plan_invalid"] = True
        try:
            validated = model.model_validate(data, context=part_context)
        except ValidationError as exc:
            outcome.problems += problems_of(exc, part, found, lang)
            continue
        outcome.models[part] = validated
        context[part] = validated
        if part == "cluster":
            context["cluster"] = validated
    monitoring = outcome.models.get("monitoring")
    if isinstance(monitoring, Monitoring) and monitoring.firms_csv:
        # The observations are written to the CSV the file names: never outside the params tree.
        root_of = files.params_root(target)
        csv_path = Path(os.path.abspath(files.named(target.parent, monitoring.firms_csv)))
        if not csv_path.is_relative_to(root_of):
            outcome.problems.append(Problem(found.cell_of("monitoring", ("firms_csv",)),
                                            field_label("monitoring", ("firms_csv",), lang),
                                            OUTSIDE[lang].format(root_of)))
    if not outcome.problems:
        outcome.files = files_of(outcome.models, target)
        outcome.file_models = {target: outcome.models["cluster"]} | {
            target.with_name(f"{target.stem}.{part}.yaml"): outcome.models[part]
            for part in ("strategy", "plan") if part in outcome.models}
        for part in ("strategy", "plan", "monitoring"):
            side = target.with_name(f"{target.stem}.{part}.yaml")
            if part not in outcome.models and side.exists():
                outcome.kept.append((side, part))
    return outcome


def files_of(models: dict[str, BaseModel], target: Path) -> dict[Path, str]:
    found: dict[Path, str] = {target: params_yaml.dump(models["cluster"])}
    for part in ("strategy", "plan", "monitoring"):
        model = models.get(part)
        if model is None:
            continue
        side = target.with_name(f"{target.stem}.{part}.yaml")
        if isinstance(model, Monitoring) and model.firms_csv:
            # The observations stay in their CSV, as the file named them there.
            found[side] = params_yaml.dump(model, leave_out=("firms",))
            found[files.named(side.parent, model.firms_csv)] = firms_csv(model)
        else:
            found[side] = params_yaml.dump(model)
    return found


def firms_csv(model: Monitoring) -> str:
    named = any(obs.channel_name is not None for obs in model.firms)
    header = FIRM_COLUMNS + (("channel_name_en", "channel_name_id") if named else ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for obs in model.firms:
        row = [obs.firm, obs.period, obs.turnover, obs.channel.value, "yes" if obs.reached_goal else "no"]
        if named:
            row += [obs.channel_name.en or "", obs.channel_name.id or ""] if obs.channel_name else ["", ""]
        writer.writerow(row)
    return buffer.getvalue()


def _same_content(path: Path, data: bytes, model: BaseModel | None) -> bool:
    """Whether a file already holds what would be written: the same bytes, or for a params file the
    same params (its comments, layout and defaults written out aside), so that a file the workbook
    did not change keeps its comments."""
    old = path.read_bytes()
    if old == data or model is None:
        return old == data
    try:
        given = type(model).model_validate(yaml.safe_load(old))
    except (yaml.YAMLError, ValidationError):
        return False
    return params_yaml.plain(given) == params_yaml.plain(model)


def write(outcome: Outcome) -> None:
    """Every file staged beside its place, then all moved in: a failure while staging writes nothing."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in outcome.files.items():
            data = text.encode("utf-8")
            if path.exists() and _same_content(path, data, outcome.file_models.get(path)):
                outcome.unchanged.append(path)  # a file that says the same keeps its comments
                continue
            if path.exists():
                old = path.read_text(encoding="utf-8", errors="replace")
                commented = any(line.lstrip().startswith("#") for line in old.splitlines())
                outcome.replaced.append((path, commented))
            staged.append((atomic.write_temporary(path, lambda tmp, data=data: tmp.write_bytes(data)), path))
        for tmp, path in staged:
            os.replace(tmp, path)
            outcome.written.append(path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
