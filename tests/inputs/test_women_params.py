"""Sex-disaggregated params: women-led firms and women workers, per firm in the table or as the
sentra's own counts; optional, and checked against the firms and workers they are part of."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE

from cluster_reports.domain import firms
from cluster_reports.inputs import params_io

KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"  # by_size counts and a surveyed table
TEGAL = SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml"  # counts only: 227 firms, 1,640 workers


def written(tmp_path: Path, source: Path, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems(path: Path) -> list[params_io.Problem]:
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(path)
    return failure.value.problems


def test_the_sample_has_no_women_figures_and_needs_none():
    structure = firms.structure(params_io.load_file(KEBUMEN).params)
    assert structure.women_led is None and structure.women_workers is None


def test_per_firm_values_load_and_count_over_the_firms_that_record_them(tmp_path):
    def change(data):
        table = data["firms"]["table"]
        table[0].update(women_led=True, women_workers=20)  # 62 workers
        table[1].update(women_led=False, women_workers=5)  # 45 workers
        table[2].update(women_led=True)  # 28 workers, women workers not recorded
    structure = firms.structure(params_io.load_file(written(tmp_path, KEBUMEN, change)).params)
    led, workers = structure.women_led, structure.women_workers
    assert (led.count, led.known, led.firms, led.surveyed) == (2, 3, 38, True)
    assert (workers.count, workers.base, workers.known) == (25, 62 + 45, 2)
    assert not led.complete and workers.share_pct == pytest.approx(23.4)


def test_the_sentra_counts_cover_every_firm(tmp_path):
    path = written(tmp_path, TEGAL, lambda d: d["firms"].update(women_led=40, women_workers=500))
    structure = firms.structure(params_io.load_file(path).params)
    led = structure.women_led
    assert (led.count, led.firms, led.complete) == (40, 227, True)
    assert structure.women_workers.base == 1640 and structure.women_workers.share_pct == pytest.approx(30.5)


def test_more_women_workers_than_workers_in_a_firm_is_refused(tmp_path):
    path = written(tmp_path, KEBUMEN, lambda d: d["firms"]["table"][3].update(women_workers=19))
    found = problems(path)
    assert any(p.field.startswith("firms.table[3]") and "UD Genteng Kedawung Indah" in p.reason
               and "women_workers (19) exceeds its 18 workers" in p.reason for p in found), found


def test_more_women_led_firms_than_firms_is_refused(tmp_path):
    found = problems(written(tmp_path, TEGAL, lambda d: d["firms"].update(women_led=228)))
    assert any(p.field == "firms" and "women_led (228) exceeds the 227 firms" in p.reason
               for p in found), found


def test_the_sentra_count_must_hold_the_tables_women_led_firms(tmp_path):
    def change(data):
        for firm in data["firms"]["table"][:3]:
            firm["women_led"] = True
        data["firms"]["women_led"] = 2
    found = problems(written(tmp_path, KEBUMEN, change))
    assert any("women_led (2) is fewer than the 3 women-led firms of the table" in p.reason
               for p in found), found


def test_the_sentra_count_leaves_room_for_the_tables_other_firms(tmp_path):
    def change(data):  # a whole-sentra table of 3 firms, 2 of them recorded as not women-led
        data["firms"].pop("by_size")
        data["firms"]["table"] = data["firms"]["table"][:3]
        data["firms"]["table"][0]["women_led"] = False
        data["firms"]["table"][1]["women_led"] = False
        data["firms"].pop("cooperative_members", None)
        data["firms"]["women_led"] = 2
        data.pop("workers"), data.pop("annual_sales")
    found = problems(written(tmp_path, KEBUMEN, change))
    assert any("women_led (2) exceeds the 3 firms less the 2 the table says are not women-led" in p.reason
               for p in found), found


def test_more_women_workers_than_the_sentras_workers_is_refused(tmp_path):
    found = problems(written(tmp_path, TEGAL, lambda d: d["firms"].update(women_workers=1641)))
    assert any("firms.women_workers (1641) exceeds the 1640 workers of the cluster" in p.reason
               for p in found), found
