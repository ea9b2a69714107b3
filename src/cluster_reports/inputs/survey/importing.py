"""Importing a survey export (ODK Central, KoboToolbox) into a cluster's params files.

The firm survey updates the cluster's firm table by firm id: a submission replaces the firm of its
id (the survey asks every field of a firm, so its answers are the firm's record), or the id-less
firm of its name (which so gets its id), or is added at the end; firms not surveyed stay as they
are. Replacing the whole table would drop the firms a partial round did not visit.

The monitoring survey adds to the monitoring file's firm observations, or replaces the observation
of the same firm and period: the firm is found by its id in the firm table and its name written
into the observation, as the monitoring file names firms.

Everything is checked before anything is written: each row against the schema (a problem named by
the export's row and column), then the params files as they would be, as a whole (``check_file``
with the new bytes). The YAML is updated with ruamel.yaml, so that its comments stay.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from cluster_reports.atomic import write_bytes_atomic
from cluster_reports.inputs import files, params_io
from cluster_reports.inputs.schema import Firm
from cluster_reports.inputs.schema.monitoring import FirmObservation
from cluster_reports.inputs.workbook.reasons import reason
from cluster_reports.inputs.yaml_io import ParamsError, Problem, parse_yaml, read_bytes

from . import export as exports
from . import forms, yaml_splice

YES_NO = {"yes": True, "no": False}
_DIGITS = re.compile(r"\d+")

WORDS = {
    "labels": {
        "en": "this export holds labels, not XML values ({found}): export it again with XML values "
              "(KoboToolbox: 'XML values and headers'; ODK Central exports values)",
        "id": "ekspor ini memuat label, bukan nilai XML ({found}): ekspor ulang dengan nilai XML "
              "(KoboToolbox: pilih 'XML values and headers'; ODK Central selalu mengekspor nilai)",
    },
    "not_form": {
        "en": "is not an export of the {kind} survey: it has no column {columns}",
        "id": "bukan ekspor survei {kind}: tidak ada kolom {columns}",
    },
    "which": {
        "en": "cannot tell which survey this is an export of (no column workers or turnover): "
              "give --kind firms or --kind monitoring",
        "id": "tidak dapat diketahui ekspor survei yang mana (tidak ada kolom workers atau turnover): "
              "berikan --kind firms atau --kind monitoring",
    },
    "no_rows": {"en": "holds no submissions", "id": "tidak memuat satu pun isian"},
    "cluster": {
        "en": "{given!r} is not the cluster of {file} ({id})",
        "id": "{given!r} bukan sentra berkas {file} ({id})",
    },
    "yes_no": {"en": "{given!r} is neither yes nor no", "id": "{given!r} bukan yes atau no"},
    "again": {
        "en": "firm id {given!r} is given again (also {other})",
        "id": "kode unit usaha {given!r} muncul lagi (juga pada {other})",
    },
    "observed_again": {
        "en": "firm {given!r} is observed again in period {period!r} (also {other})",
        "id": "unit usaha {given!r} diamati lagi pada periode {period!r} (juga pada {other})",
    },
    "unknown_firm": {
        "en": "{given!r} is not a firm id of the cluster's firm table ({file})",
        "id": "{given!r} bukan kode unit usaha dalam daftar unit usaha sentra ({file})",
    },
    "unknown_period": {
        "en": "{given!r} is not a period of the monitoring file (it has: {periods})",
        "id": "{given!r} bukan periode dalam berkas pemantauan (yang ada: {periods})",
    },
    "no_monitoring": {
        "en": "the cluster has no monitoring file ({name}) to add observations to: start it with "
              "`cluster-reports new ... --with monitoring`, or write it",
        "id": "sentra ini belum mempunyai berkas pemantauan ({name}) untuk diisi pengamatan: buat "
              "dengan `cluster-reports new ... --with monitoring`, atau tulis berkasnya",
    },
}


def _say(key: str, lang: str, **values) -> str:
    return WORDS[key][lang].format(**values)


@dataclass
class Outcome:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    comments_kept: bool = True


def is_survey_export(path: Path) -> bool:
    """Whether a file looks like an export of one of the survey forms (by its header)."""
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm") or not path.is_file():
        return False
    try:
        _, records = exports.read(path)
    except (ParamsError, OSError, files.Refused):
        return False
    header = {str(h).strip() for h in (records[0] if records else []) if h is not None}
    return any(exports.header_names(forms.load(kind)).get(h) == "firm_id"
               for kind in forms.KINDS for h in header)


def detect_kind(export_path: Path, lang: str) -> str:
    _, records = exports.read(export_path)
    header = {str(h).strip() for h in (records[0] if records else []) if h is not None}
    for kind, marker in (("firms", "workers"), ("monitoring", "turnover")):
        if any(exports.header_names(forms.load(kind)).get(h) == marker for h in header):
            return kind
    raise ParamsError([Problem(str(export_path), "(file)", _say("which", lang))])


def import_export(export: Path, params_file: Path, kind: str | None, lang: str) -> Outcome:
    """Check an export against a cluster's params (every problem at its row and column) and, when
    nothing is wrong, write the updated params file atomically; else write nothing."""
    try:
        kind = kind or detect_kind(export, lang)
        form = forms.load(kind)
        table = exports.open_export(export, form)
    except ParamsError as exc:
        return Outcome(kind or "?", exc.problems)
    outcome = Outcome(kind)
    shape = _check_shape(table, form, lang)
    if shape:
        outcome.problems = shape
        return outcome
    # Read, not validated: the cluster is validated once, as a whole, as it will be (an invalid
    # file's own problems are then reported too, and nothing written).
    try:
        data = _quick_parse(read_bytes(params_file, root=files.params_root(params_file)), params_file)
    except ParamsError as exc:
        outcome.problems = exc.problems
        return outcome
    firms = data.get("firms") if isinstance(data.get("firms"), dict) else {}
    rows = [f for f in firms.get("table") or [] if isinstance(f, dict)]
    loaded = _Cluster(params_file, str(data.get("id")), rows)
    if kind == "firms":
        _import_firms(table, form, loaded, lang, outcome)
    else:
        _import_monitoring(table, form, loaded, lang, outcome)
    return outcome


def _quick_parse(raw: bytes, path: Path) -> dict:
    """A params file's data by libyaml alone (its ids and names are all the import reads before the
    check as a whole, which reads it as validate does); a file it cannot read is read by parse_yaml,
    whose message names the line and the fault."""
    import yaml

    try:
        data = yaml_splice.data_of(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        data = None
    return data if isinstance(data, dict) else parse_yaml(raw, path)


@dataclass(frozen=True)
class _Cluster:
    path: Path
    id: str
    table: list[dict]  # the firm table as the file gives it


def _check_shape(table: exports.Export, form: forms.Form, lang: str) -> list[Problem]:
    """The export's columns are the form's, and its select answers are values, not labels."""
    file = str(table.path)
    missing = [q.name for q in form.questions if q.required and (q.field or q.role)
               and q.name not in table.columns]
    if missing:
        headers = {h.strip().lower() for h in table.header}
        labelled = sorted(headers & exports.labels_of(form))
        if labelled:
            return [Problem(file, "header", _say("labels", lang, found=", ".join(labelled[:3])))]
        return [Problem(file, "header", _say("not_form", lang, kind=form.kind, columns=", ".join(missing)))]
    if not table.rows:
        return [Problem(file, "(file)", _say("no_rows", lang))]
    for q in form.questions:
        if q.list_name is None or q.name not in table.columns:
            continue
        names = {c["name"] for c in form.choices[q.list_name]}
        labels = {c["label"][lg] for c in form.choices[q.list_name] for lg in ("id", "en")} - names
        col = table.columns[q.name]
        found = {str(cells[col]).strip() for _, cells in table.rows if cells[col] not in (None, "")}
        if found and found <= labels:
            return [Problem(file, q.name, _say("labels", lang, found=", ".join(sorted(found)[:3])))]
    return []


def _clean(value: object) -> object:
    """A cell as the schema reads it: empty -> None, text stripped, a whole float (XLSX) an int."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _row_values(table: exports.Export, form: forms.Form, number: int, cells: list, lang: str,
                cluster_id: str, params_file: Path) -> tuple[dict, dict, list[Problem]]:
    """The row's answers by field (nested: products.id), the role answers, and the row's problems."""
    data: dict = {}
    roles: dict = {}
    problems: list[Problem] = []
    file = str(table.path)
    for q in form.questions:
        if q.field is None and q.role is None:
            continue
        col = table.columns.get(q.name)
        value = _clean(cells[col]) if col is not None else None
        if value is None:
            if q.required and not q.spec.get("relevant"):
                missing = reason({"type": "missing", "loc": (), "msg": "", "input": None}, lang)
                problems.append(Problem(file, table.where(number, q.name, lang), missing))
            continue
        if q.role == "cluster":
            if value != cluster_id:
                problems.append(Problem(file, table.where(number, q.name, lang), _say(
                    "cluster", lang, given=value, file=params_file.name, id=cluster_id)))
            continue
        if q.role is not None:
            roles[q.role] = str(value)
            continue
        if q.list_name == "yes_no":
            if str(value) not in YES_NO:
                problems.append(Problem(file, table.where(number, q.name, lang),
                                        _say("yes_no", lang, given=value)))
                continue
            value = YES_NO[str(value)]
        elif (q.rupiah or q.type == "integer") and isinstance(value, str) and _DIGITS.fullmatch(value):
            value = int(value)
        elif q.type == "text" and not isinstance(value, str):
            value = str(value)  # a phone or an id a spreadsheet took for a number
        head, _, tail = q.field.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[head] = value
    return data, roles, problems


def _schema_problems(exc: ValidationError, table: exports.Export, form: forms.Form, number: int,
                     data: dict, lang: str, said: list[Problem]) -> list[Problem]:
    """The schema's problems of a row at their columns; not again for a cell already reported."""
    by_field = {q.field: q for q in form.questions if q.field}
    reported = {p.field for p in said}
    found = []
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"])
        q = by_field.get(path) or next((by_field[f] for f in by_field if f.split(".")[0] == path), None)
        if q is None:  # a check across the row: at the first field its message names
            q = next((by_field[f] for f in by_field if re.search(rf"\b{re.escape(f)}\b", error["msg"])), None)
        why = reason(error, lang)  # says how to write a formatted number (1.500.000) too
        where = table.where(number, q.name, lang) if q else f"{'row' if lang == 'en' else 'baris'} {number}"
        if where in reported:
            continue
        reported.add(where)
        found.append(Problem(str(table.path), where, why))
    return found


# --- the firm table ---


def _import_firms(table: exports.Export, form: forms.Form, loaded: _Cluster, lang: str,
                  outcome: Outcome) -> None:
    firms: list[Firm] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        data, _, problems = _row_values(table, form, number, cells, lang, loaded.id, loaded.path)
        firm_id = data.get("id")
        if isinstance(firm_id, str) and firm_id in seen:
            problems.append(Problem(str(table.path), table.where(number, "firm_id", lang), _say(
                "again", lang, given=firm_id, other=table.where(seen[firm_id], "firm_id", lang))))
        elif isinstance(firm_id, str):
            seen[firm_id] = number
        try:
            firm = Firm.model_validate(data)
            if not problems:
                firms.append(firm)
        except ValidationError as exc:
            problems += _schema_problems(exc, table, form, number, data, lang, problems)
        outcome.problems += problems
    if outcome.problems:
        return
    raw = loaded.path.read_bytes()
    text = raw.decode("utf-8-sig")
    sequence = yaml_splice.find_sequence(text, ("firms", "table"))
    if sequence is None:  # no table yet: ruamel.yaml adds it, keeping the comments
        from . import yaml_update

        document = yaml_update.load(raw)
        outcome.added, outcome.updated = yaml_update.merge_firms(document.data, firms)
        outcome.comments_kept = document.layout_kept
        _check_and_write(loaded.path, {loaded.path: document.dump()}, outcome)
        return
    by_id = {f["id"]: n for n, f in enumerate(loaded.table) if f.get("id")}
    by_name = {f.get("name"): n for n, f in enumerate(loaded.table) if not f.get("id")}
    replace, add = {}, []
    for firm in firms:
        n = by_id.get(firm.id, by_name.get(firm.name))
        entry = firm.model_dump(mode="json", exclude_none=True)
        if n is None:
            add.append(entry)
        else:
            replace[n] = entry
    quoted = frozenset({"name"} if _quoted(sequence, "name") else ())
    new = yaml_splice.splice(text, sequence, replace, add, quoted)
    outcome.added, outcome.updated = len(add), len(replace)
    _check_and_write(loaded.path, {loaded.path: new.encode("utf-8")}, outcome)


def _quoted(sequence, key: str) -> bool:
    """Whether the list's items write ``key`` in double quotes (the samples quote firm names)."""
    import yaml

    for item in sequence.value:
        for k, v in getattr(item, "value", []) if isinstance(item, yaml.MappingNode) else []:
            if k.value == key and isinstance(v, yaml.ScalarNode):
                return v.style == '"'
    return False


# --- the monitoring file's firm observations ---


def _import_monitoring(table: exports.Export, form: forms.Form, loaded: _Cluster, lang: str,
                       outcome: Outcome) -> None:
    side = params_io.sidecar_path(loaded.path, "monitoring")
    if side is None:
        outcome.problems.append(Problem(str(loaded.path), "(file)", _say(
            "no_monitoring", lang, name=f"{loaded.path.stem}.monitoring.yaml")))
        return
    raw = side.read_bytes()
    try:
        data = _quick_parse(raw, side)
    except ParamsError as exc:
        outcome.problems += exc.problems
        return
    periods = [p.get("id") for p in data.get("periods") or [] if isinstance(p, dict)]
    names = {f["id"]: f.get("name") for f in loaded.table if isinstance(f.get("id"), str)}
    observations: list[FirmObservation] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        values, roles, problems = _row_values(table, form, number, cells, lang, loaded.id, loaded.path)
        firm_id = roles.get("firm_id")
        if firm_id is not None and firm_id not in names:
            problems.append(Problem(str(table.path), table.where(number, "firm_id", lang), _say(
                "unknown_firm", lang, given=firm_id, file=loaded.path.name)))
        period = values.get("period")
        if isinstance(period, str) and period not in periods:
            problems.append(Problem(str(table.path), table.where(number, "period", lang), _say(
                "unknown_period", lang, given=period, periods=", ".join(map(str, periods)))))
        if firm_id in names and isinstance(period, str):
            if (firm_id, period) in seen:
                problems.append(Problem(str(table.path), table.where(number, "firm_id", lang), _say(
                    "observed_again", lang, given=firm_id, period=period,
                    other=table.where(seen[firm_id, period], "firm_id", lang))))
            seen.setdefault((firm_id, period), number)
        values["firm"] = names.get(firm_id) or "?"  # not found: said above
        try:
            obs = FirmObservation.model_validate(values)  # against the table: in the check as a whole
            if not problems:
                observations.append(obs)
        except ValidationError as exc:
            problems += _schema_problems(exc, table, form, number, values, lang, problems)
        outcome.problems += problems
    if outcome.problems:
        return
    if isinstance(data.get("firms_csv"), str):
        csv_path = files.named(side.parent, data["firms_csv"])
        new, outcome.added, outcome.updated = _merge_csv(csv_path.read_bytes(), observations)
        _check_and_write(loaded.path, {csv_path: new}, outcome)
        return
    text = raw.decode("utf-8-sig")
    sequence = yaml_splice.find_sequence(text, ("firms",))
    if sequence is None:  # no observations yet: ruamel.yaml adds the list, keeping the comments
        from . import yaml_update

        document = yaml_update.load(raw)
        outcome.added, outcome.updated = yaml_update.merge_observations(document.data, observations)
        outcome.comments_kept = document.layout_kept
        _check_and_write(loaded.path, {side: document.dump()}, outcome)
        return
    listed = [o if isinstance(o, dict) else {} for o in data.get("firms") or []]
    index = {(o.get("firm"), o.get("period")): n for n, o in enumerate(listed)}
    replace, add = {}, []
    for obs in observations:
        entry = obs.model_dump(mode="json", exclude_none=True)
        n = index.get((obs.firm, obs.period))
        if n is None:
            add.append(entry)
        else:
            replace[n] = entry
    quoted = frozenset({"firm"} if _quoted(sequence, "firm") else ())
    new = yaml_splice.splice(text, sequence, replace, add, quoted)
    outcome.added, outcome.updated = len(add), len(replace)
    _check_and_write(loaded.path, {side: new.encode("utf-8")}, outcome)


def observation_row(obs: FirmObservation) -> dict:
    row = {"firm": obs.firm, "period": obs.period, "turnover": str(obs.turnover),
           "channel": obs.channel.value, "reached_goal": "yes" if obs.reached_goal else "no"}
    if obs.channel_name is not None:
        row |= {"channel_name_en": obs.channel_name.en, "channel_name_id": obs.channel_name.id}
    return row


def _merge_csv(raw: bytes, observations: list[FirmObservation]) -> tuple[bytes, int, int]:
    """The firm-observation CSV with the observations replaced (same firm and period) or added."""
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or params_io.FIRM_COLUMNS)
    rows = [row for row in reader if any((v or "").strip() for v in row.values())]
    index = {(r.get("firm"), r.get("period")): n for n, r in enumerate(rows)}
    added = updated = 0
    for obs in observations:
        row = observation_row(obs)
        for column in row:
            if column not in header:
                header.append(column)
        n = index.get((obs.firm, obs.period))
        if n is None:
            index[obs.firm, obs.period] = len(rows)
            rows.append(row)
            added += 1
        else:
            rows[n] = row
            updated += 1
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8"), added, updated


def _check_and_write(params_file: Path, new: dict[Path, bytes], outcome: Outcome) -> None:
    """The cluster checked as a whole with the new bytes; written only when nothing is wrong."""
    _, problems = params_io.check_file(params_file, replaced={p.resolve(): b for p, b in new.items()})
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        outcome.problems += errors
        return
    for path, data in new.items():
        if path.read_bytes() != data:
            write_bytes_atomic(path, data)
            outcome.written.append(path)
