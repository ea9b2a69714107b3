"""The selection table ranks a cluster within its group and selection round, and shows the leaders
of a large round plus the cluster itself."""

from __future__ import annotations

from dataclasses import replace

from cluster_reports.documents import profile
from cluster_reports.domain import summary


def test_only_the_same_group_and_round_count(sample_by_id):
    item = sample_by_id["kebumen-roof-tile"]
    peers = [summary.summarise(x) for x in sample_by_id.values()]
    other_round = [replace(p, id=p.id + "-x", selection_round="jawa-tengah") for p in peers]
    rows, total = profile.peer_rows(item.params, peers + other_round, "en")
    assert total == 3  # the study's domestic-market group: Tanjung Batu, Mampang, Kebumen
    assert [r.cluster_id for r in rows][0] == "kebumen-roof-tile" and rows[0].selected


def test_a_large_round_shows_its_leaders_and_the_cluster(sample_by_id):
    item = sample_by_id["tegal-metalwork"]  # 31 + 10 = 45.6%
    me = summary.summarise(item)
    crowd = [
        replace(me, id=f"strong-{n}", name_en=f"Strong {n}", growth=40 + n % 10, action=20)
        for n in range(15)
    ]
    rows, total = profile.peer_rows(item.params, crowd, "en")
    assert total == 16
    assert len(rows) == profile.PEERS_SHOWN + 1
    assert rows[-1].is_self and rows[-1].rank == 16
    assert all(not r.is_self for r in rows[:-1])
