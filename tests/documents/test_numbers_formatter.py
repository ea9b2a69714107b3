"""The Formatter's one rounding rule, percent without a space, and money as running text rounds it;
and the template filters that print them."""

from __future__ import annotations

import pytest

from cluster_reports.compose import templating
from cluster_reports.documents.i18n import Formatter

ID, EN = Formatter("id"), Formatter("en")


def test_half_away_from_zero_in_every_format():
    # Babel alone rounds half to even: 62.5 -> "62", 0.25 -> "0.2", 2.5 -> "2"
    assert EN.percent(62.5, 0) == "63%" and ID.percent(62.5, 0) == "63%"
    assert EN.decimal(0.25) == "0.3" and ID.decimal(0.25) == "0,3"
    assert EN.number(2.5) == "3" and EN.number(-2.5) == "-3"
    assert EN.rupiah(1_500_000.5) == "Rp 1,500,001"
    assert EN.usd(562.5) == "US$ 563" and EN.usd(187.5) == "US$ 188"
    assert EN.percent(100 * 28 / 33) == "84.8%"
    assert EN.percent(-0.04) == "0.0%"  # no "-0.0%"


def test_percent_has_no_space_in_either_language():
    assert ID.percent(65.6) == "65,6%"  # PUEBI
    assert EN.percent(65.6) == "65.6%"
    assert ID.percent(100) == "100,0%" and ID.percent(55, 0) == "55%"


@pytest.mark.parametrize(("amount", "id_", "en"), [
    (999_999, "Rp 999.999", "Rp 999,999"),  # under a million: the exact figure
    (999_999.5, "Rp 1 juta", "Rp 1 million"),  # rounds to a whole million first
    (1_000_000, "Rp 1 juta", "Rp 1 million"),
    (198_106_061, "Rp 198 juta", "Rp 198 million"),
    (67_075_000, "Rp 67,1 juta", "Rp 67.1 million"),
    (6_150_000, "Rp 6,15 juta", "Rp 6.15 million"),
    (999_499_999, "Rp 999 juta", "Rp 999 million"),
    (999_500_000, "Rp 1 miliar", "Rp 1 billion"),  # 999.5 million rounds into the next scale
    (14_800_000_000, "Rp 14,8 miliar", "Rp 14.8 billion"),
    (14_850_000_000, "Rp 14,9 miliar", "Rp 14.9 billion"),  # half away from zero
    (2_000_000_000_000, "Rp 2 triliun", "Rp 2 trillion"),
    (0, "Rp 0", "Rp 0"),
])
def test_money_in_running_text(amount, id_, en):
    assert ID.rupiah_rounded(amount) == id_
    assert EN.rupiah_rounded(amount) == en


def test_dollars_in_running_text():
    assert ID.usd_rounded(14_800_000_000 / 13_400) == "US$ 1,1 juta"  # 1,104,478
    assert EN.usd_rounded(14_800_000_000 / 13_400) == "US$ 1.1 million"
    assert EN.usd_rounded(8_384.375) == "US$ 8,380"  # three significant figures under a million too
    assert ID.usd_rounded(12_724) == "US$ 12.700" and EN.usd_rounded(999_999) == "US$ 1 million"
    assert EN.usd_rounded(787.4) == "US$ 787"


def render(templates, source: str, lang: str) -> str:
    return templating.environment(templates, lang).from_string(source).render({})


def test_filters_print_the_same(templates):
    source = ("{{ 14800000000|rp_round }} / {{ 1104478|usd_round }} / {{ 62.5|pct(0) }} / "
              "{{ 62.5|round|num }} / {{ 0.25|round(1) }}")
    id_, en = (render(templates, source, lang).replace("\\", "") for lang in ("id", "en"))
    assert id_ == "Rp 14,8 miliar / US$ 1,1 juta / 63% / 63 / 0.3"
    assert en == "Rp 14.8 billion / US$ 1.1 million / 63% / 63 / 0.3"
