"""A Kebumen copy whose plan is for 2016, with routine quarters and an ex-post evaluation in 2021,
for the tests of monitoring periods and programme life (helpers, not a test module)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from conftest import SAMPLE

FILES = ("kebumen-roof-tile.yaml", "kebumen-roof-tile.plan.yaml", "kebumen-roof-tile.monitoring.yaml",
         "kebumen-roof-tile.monitoring-firms.csv")
EX_POST = {"id": "ex-post-2021", "kind": "ex-post", "end": "2021-03-15",
           "label": {"en": "Ex-post evaluation 2021", "id": "Evaluasi pascaproyek 2021"}}
# What the ex-post evaluators found at three firms: annual turnover at the visit (Rupiah).
EX_POST_FIRMS = [
    {"firm": "Genteng Sokka Makmur", "period": "ex-post-2021", "turnover": 3_600_000_000,
     "channel": "wholesale", "reached_goal": True},
    {"firm": "Genteng Sokka Mas", "period": "ex-post-2021", "turnover": 1_500_000_000,
     "channel": "wholesale"},
    {"firm": "UD Tanah Merah", "period": "ex-post-2021", "turnover": 90_000_000, "channel": "direct-retail"},
]


def copy_tree(tmp: Path) -> Path:
    """Kebumen's files and the programme library in a params tree of their own; the folder."""
    root = tmp / "params"
    shutil.copytree(SAMPLE.parent / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in FILES:
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def monitoring_file(folder: Path) -> Path:
    return folder / "kebumen-roof-tile.monitoring.yaml"


def plan_2016(folder: Path) -> Path:
    """The copy moved to a 2016 plan: the plan's year, the monitoring's plan year and its quarters."""
    edit(folder / "kebumen-roof-tile.plan.yaml", lambda d: d.update(year=2016))

    def move(d):
        d["plan_year"] = 2016
        for p in d["periods"]:
            p["end"] = p["end"].replace(year=2016)
            p["label"] = {k: re.sub("2003", "2016", v) for k, v in p["label"].items()}
    edit(monitoring_file(folder), move)
    return folder


def with_ex_post(folder: Path) -> Path:
    """The 2016 copy with the ex-post evaluation of 2021: a firm count and two indicators measured."""
    plan_2016(folder)

    def add(d):
        d["periods"].append(dict(EX_POST))
        d["indicators"][0]["actuals"]["ex-post-2021"] = 25  # consortium members
        d["indicators"][2]["actuals"]["ex-post-2021"] = 6.5  # sales outside Java
    edit(monitoring_file(folder), add)
    csv = folder / "kebumen-roof-tile.monitoring-firms.csv"
    rows = [",".join([o["firm"], o["period"], str(o["turnover"]), o["channel"],
                      "yes" if o.get("reached_goal") else "no"]) for o in EX_POST_FIRMS]
    csv.write_text(csv.read_text(encoding="utf-8") + "\n".join(rows) + "\n", encoding="utf-8")
    return folder
