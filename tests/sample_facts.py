"""What the shipped sample holds, read from its params files with plain YAML (not with the code under
test), so that tests of batches, roll-ups and document sets count what is there rather than a number
written into them. The sample has two eras: the ten clusters of the 2004 JICA study (selection round
``jica-2004``, whose Table 3.1 ranks them) and the clusters of the later SMIDeP project (helpers, not
a test module)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import yaml
from conftest import SAMPLE

SIDECARS = ("strategy", "plan", "monitoring", "overrides")
STUDY_ROUND = "jica-2004"


def _is_cluster_file(path: Path) -> bool:
    parts = path.name.split(".")
    return len(parts) == 2 or parts[-2] not in SIDECARS


@cache
def clusters() -> dict[str, dict]:
    """Every cluster params file of the sample, by its path under params/clusters, as plain data."""
    return {
        path.relative_to(SAMPLE).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(SAMPLE.glob("*/*.yaml")) if _is_cluster_file(path)
    }


def count() -> int:
    return len(clusters())


def by_province() -> Counter:
    """Clusters per province folder (the folder is the province's slug, as the roll-ups name it)."""
    return Counter(rel.split("/")[0] for rel in clusters())


def with_sidecar(kind: str) -> list[str]:
    """Ids of the clusters that have a sidecar of this kind (strategy, plan, monitoring) beside them."""
    return sorted(
        data["id"] for rel, data in clusters().items()
        if (SAMPLE / rel).with_suffix(f".{kind}.yaml").exists()
    )


def in_round(selection_round: str) -> list[str]:
    """Ids of the clusters scored in one selection round."""
    return sorted(data["id"] for data in clusters().values()
                  if (data.get("selection") or {}).get("round") == selection_round)


def group_of(cluster_id: str) -> str:
    return next(data["group"] for data in clusters().values() if data["id"] == cluster_id)


def group_round(rel: str) -> tuple[str, str]:
    """A cluster's group and selection round (default: its province), the set its profile ranks in."""
    data = clusters()[rel]
    return data["group"], (data.get("selection") or {}).get("round") or rel.split("/")[0]


def group_rounds() -> set[tuple[str, str]]:
    return {group_round(rel) for rel in clusters()}


def peers(rel: str) -> set[str]:
    """The files of the clusters ranked with this one (itself included)."""
    return {other for other in clusters() if group_round(other) == group_round(rel)}
