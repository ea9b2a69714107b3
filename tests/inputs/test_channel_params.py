"""Market channels in the params: the new channels are valid, 'other' carries its own name (and only
'other' does), and the JSON schema offers every channel to editors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE
from test_bad_input import base_data, cli, dump

from cluster_reports.domain import channels
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.cluster import Channel, Market

NEW = ("tourism", "modern-retail", "online-marketplace", "export-agent", "other")
HOTELS = {"en": "Hotels and restaurants", "id": "Hotel dan restoran"}


def write(tmp_path: Path, markets: list[dict]) -> Path:
    data = base_data()
    data["markets"] = markets
    path = tmp_path / "params" / "tegal-metalwork.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


def market(channel: str, share: float, **extra) -> dict:
    return {"channel": channel, "destination": {"en": "Buyers", "id": "Pembeli"}, "share_pct": share, **extra}


def test_the_new_channels_and_the_old_ones_are_valid(tmp_path):
    rows = [market(c, 5) for c in NEW if c != "other"] + [market("other", 5, name=HOTELS)]
    rows += [market(c, 5) for c in ("intermediary", "export", "government", "online")]
    rows.append(market("wholesale", 100 - 5 * len(rows)))
    loaded = params_io.load_file(write(tmp_path, rows))
    assert {m.channel.value for m in loaded.params.markets} >= set(NEW)


def test_other_without_a_name_is_refused_with_file_field_and_reason(tmp_path):
    path = write(tmp_path, [market("intermediary", 60), market("other", 40)])
    result = cli("validate", str(path), cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    line = next(ln for ln in result.stderr.splitlines() if str(path) in ln)
    assert "markets[1].name" in line, line
    assert "channel 'other' needs its name in both languages" in line, line


def test_a_name_for_a_catalogue_channel_is_refused(tmp_path):
    path = write(tmp_path, [market("intermediary", 60, name=HOTELS), market("wholesale", 40)])
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(path)
    message = "\n".join(map(str, failure.value.problems))
    assert str(path) in message and "markets[0].name" in message
    assert "only channel 'other' takes a name; 'intermediary'" in message


def test_other_name_in_one_language_is_a_warning(tmp_path):
    # Issue 16: a text given in one language is accepted, the missing one said as a warning.
    path = write(tmp_path, [market("intermediary", 60), market("other", 40, name={"en": "Hotels"})])
    loaded, problems = params_io.check_file(path)
    assert loaded is not None
    assert [(p.field, p.severity) for p in problems] == [("markets[1].name", "warning")], problems


def test_other_name_in_neither_language_is_refused(tmp_path):
    path = write(tmp_path, [market("intermediary", 60), market("other", 40, name={"en": " ", "id": ""})])
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(path)
    assert any(p.field == "markets[1].name" and "at least one language" in p.reason
               for p in failure.value.problems), failure.value.problems


def test_schema_offers_every_channel(tmp_path):
    result = cli("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert set(schema["$defs"]["Channel"]["enum"]) == {c.value for c in Channel}
    assert set(NEW) <= set(schema["$defs"]["Channel"]["enum"])
    assert "name" in schema["$defs"]["Market"]["properties"]
    result = cli("schema", "--kind", "monitoring", cwd=tmp_path)
    assert "channel_name" in json.loads(result.stdout)["$defs"]["FirmObservation"]["properties"]


def test_rows_of_one_channel_group_together_and_other_by_name():
    def row(channel: str, name: dict | None = None) -> Market:
        return Market(channel=channel, name=name, destination={"en": "x", "id": "x"}, share_pct=10)

    rows = [row("other", HOTELS), row("wholesale"), row("intermediary"), row("wholesale"),
            row("other", {"en": "  hotels AND restaurants", "id": "Horeka"}),  # same English name
            row("other", {"en": "Pilgrims", "id": "Peziarah"})]
    groups = channels.group(rows, lambda m: m.channel, lambda m: m.name)
    assert [(g.channel.value, len(g.items)) for g in groups] == [
        ("intermediary", 1), ("wholesale", 2), ("other", 2), ("other", 1)]
    assert groups[2].name.en == "Hotels and restaurants"  # the first row names the channel


def test_leaders_are_the_tied_channels():
    assert channels.leaders([40.0, 40.04, 20.0], lambda s: s) == [40.0, 40.04]
    assert channels.leaders([40.0, 40.2, 19.8], lambda s: s) == [40.2]
    assert channels.leaders([], lambda s: s) == []


# --- monitoring: firm observations name an 'other' channel too, in the YAML or in the CSV ---------

KEBUMEN = ("kebumen-roof-tile.yaml", "kebumen-roof-tile.plan.yaml", "kebumen-roof-tile.monitoring.yaml",
           "kebumen-roof-tile.monitoring-firms.csv")


@pytest.fixture
def kebumen(tmp_path) -> Path:
    root = tmp_path / "params"
    shutil.copytree(SAMPLE.parent / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in KEBUMEN:
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder


def set_csv_row(folder: Path, row: int, values: dict[str, str]) -> Path:
    """Set cells of a data row (2 = the first under the header), adding the columns it lacks."""
    path = folder / "kebumen-roof-tile.monitoring-firms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for column in values:
        if column not in header:
            header.append(column)
    cells = [line.split(",") + [""] * (len(header) - len(line.split(","))) for line in lines[1:]]
    for column, value in values.items():
        cells[row - 2][header.index(column)] = value
    path.write_text("\n".join([",".join(header)] + [",".join(c) for c in cells]) + "\n", encoding="utf-8")
    return path


def test_csv_names_an_other_channel_in_two_columns(kebumen):
    set_csv_row(kebumen, 2, {"channel": "other", "channel_name_en": "Hotels", "channel_name_id": "Hotel"})
    loaded = params_io.load_file(kebumen / "kebumen-roof-tile.yaml")
    first = loaded.monitoring.firms[0]
    assert first.channel is Channel.other and first.channel_name.id == "Hotel"


def test_csv_other_without_a_name_names_the_row(kebumen):
    path = set_csv_row(kebumen, 3, {"channel": "other"})
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(kebumen / "kebumen-roof-tile.yaml")
    problem = next(p for p in failure.value.problems if "channel 'other'" in p.reason)
    assert problem.file == str(path)
    assert problem.field == "row 3, columns 'channel_name_en', 'channel_name_id'"


def test_yaml_observation_with_a_name_for_a_catalogue_channel(kebumen):
    path = kebumen / "kebumen-roof-tile.monitoring.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (kebumen / data.pop("firms_csv")).unlink()
    data["firms"] = [{"firm": "Genteng Sokka Makmur", "period": "q1", "turnover": 1000,
                      "channel": "wholesale", "channel_name": HOTELS}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(kebumen / "kebumen-roof-tile.yaml")
    assert any(p.file == str(path) and p.field == "firms[0].channel_name"
               and "only channel 'other'" in p.reason for p in failure.value.problems), failure.value.problems
