import datetime as dt

import pytest

from cluster_reports.documents import i18n


def test_catalogues_have_the_same_keys(templates):
    assert i18n.check_catalogues(templates) == []


def test_catalogue_values_are_filled(templates):
    for lang in i18n.LANGUAGES:
        for key, value in i18n.labels(templates, lang).entries.items():
            assert value.strip() and value not in ("None", "True", "False"), (lang, key)


def test_indonesian_conventions():
    f = i18n.Formatter("id")
    assert f.rupiah(1_500_000) == "Rp 1.500.000"
    assert f.decimal(1234567.8) == "1.234.567,8"
    assert f.percent(65.6) == "65,6%"
    assert f.date(dt.date(2026, 11, 23)) == "23 November 2026"
    assert f.month_year(dt.date(2026, 1, 5)) == "Januari 2026"


def test_english_conventions():
    f = i18n.Formatter("en")
    assert f.rupiah(1_500_000) == "Rp 1,500,000"
    assert f.percent(65.6) == "65.6%"
    assert f.usd(187.5) == "US$ 188"
    assert f.date(dt.date(2026, 11, 23)) == "23 November 2026"


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_numbers_are_refused(value):
    with pytest.raises(ValueError):
        i18n.Formatter("id").number(value)


def test_unknown_language(templates):
    with pytest.raises(i18n.CatalogueError, match="fr"):
        i18n.labels(templates, "fr")
