"""A copy of the Kebumen sample whose consultant has not translated everything yet: some texts are
given in Indonesian only, some in English only (tests of issue 16)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import ROOT

CLUSTER = "kebumen-roof-tile"
# What each language-less text holds, as written in the sample (it is shown in the other language).
PRODUCT_ID = "genteng tanah liat pres dengan nama Genteng Sokka Kebumen"
INDUSTRY_EN = "Clay roof tiles (structural clay products)"
PROGRAMME_ID = "Pertemuan bulanan dan seminar informasi triwulanan"
# Field -> the language it was left without.
MISSING = {
    "kebumen-roof-tile.yaml": {
        "products[0].name": "en",
        "products[0].price.unit": "en",
        "industry.description": "id",
        "currency.rate_note": "en",  # given as an empty string: no language given
    },
    "kebumen-roof-tile.plan.yaml": {"programmes[6].title": "en"},
}


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build(root: Path) -> Path:
    """params/ under root (clusters/jawa-tengah with Kebumen's files, the programme library and the
    publication file); the cluster's params file is returned."""
    params = root / "params"
    province = params / "clusters" / "jawa-tengah"
    province.mkdir(parents=True)
    for source in (ROOT / "params" / "clusters" / "jawa-tengah").glob(f"{CLUSTER}.*"):
        if not source.name.endswith(".overrides.yaml"):
            shutil.copy(source, province / source.name)
    shutil.copytree(ROOT / "params" / "programmes", params / "programmes")
    shutil.copy(ROOT / "params" / "publication.yaml", params / "publication.yaml")

    cluster_file = province / f"{CLUSTER}.yaml"
    data = read(cluster_file)
    product = data["products"][0]
    assert product["name"]["id"] == PRODUCT_ID
    del product["name"]["en"]
    del product["price"]["unit"]["en"]
    assert data["industry"]["description"]["en"] == INDUSTRY_EN
    del data["industry"]["description"]["id"]
    data["currency"]["rate_note"]["en"] = ""
    write(cluster_file, data)

    plan_file = province / f"{CLUSTER}.plan.yaml"
    plan = read(plan_file)
    programme = plan["programmes"][6]
    assert programme["title"]["id"] == PROGRAMME_ID
    del programme["title"]["en"]
    write(plan_file, plan)
    return cluster_file
