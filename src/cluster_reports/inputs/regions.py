"""The official list of provinces and regencies (Kepmendagri 300.2.2-2138/2025), shipped as data.

See ``data/SOURCE.md`` for where the rows come from. Names are matched ignoring case and runs of
white space (one source row carries a trailing space).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Province:
    code: str
    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


# The two kinds of second-level region, as the official names begin. DKI Jakarta's "Kota Administrasi"
# and "Kabupaten Administrasi" are not autonomous regions, but their governments are still called
# pemerintah kota / kabupaten administrasi and their offices work as a city's or a regency's do, so
# they take the wording of their kind.
KINDS = ("kabupaten", "kota")


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    province_code: str

    @property
    def kind(self) -> str:
        """'kota' (city) or 'kabupaten' (regency), from the first word of the official name."""
        first = self.name.split()[0].casefold()
        if first not in KINDS:
            raise ValueError(f"{self.name!r} is neither a Kabupaten nor a Kota")
        return first


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _rows(filename: str) -> list[dict[str, str]]:
    text = files("cluster_reports.inputs").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def provinces() -> dict[str, Province]:
    """Provinces by code."""
    return {
        r["code"]: Province(r["code"], " ".join(r["name"].split())) for r in _rows("provinces.csv")
    }


@cache
def regencies() -> dict[str, Regency]:
    """Regencies and cities by code."""
    return {
        r["code"]: Regency(r["code"], " ".join(r["name"].split()), r["province_code"])
        for r in _rows("regencies.csv")
    }


def find_province(name_or_code: str) -> Province | None:
    by_code = provinces().get(name_or_code.strip())
    if by_code:
        return by_code
    key = _key(name_or_code)
    return next((p for p in provinces().values() if _key(p.name) == key), None)


def find_regency(name_or_code: str, province: Province) -> Regency | None:
    key = _key(name_or_code)
    for r in regencies().values():
        if r.province_code == province.code and (r.code == name_or_code.strip() or _key(r.name) == key):
            return r
    return None


def regency_names(province: Province) -> list[str]:
    return [r.name for r in regencies().values() if r.province_code == province.code]
