"""A synthetic national set of sentra, for scale tests and demonstrations only.

``cluster-reports synth --n 9800 --seed 1 --out DIR`` writes ``DIR/<province-slug>/<id>.yaml``: clusters
spread over the real provinces and regencies with the study's regional shares and sub-sector mix
(Table 2.1), and firm data calibrated on the study's national totals. Every file says ``synthetic: true``
(the documents then print the synthetic-data note) and every data section's provenance cites
the one source they list, of kind ``synthetic``. The choices and their sources are in ``data/SYNTH.md``.

The generation is pure (a seed in, dicts out); the files are written by a small YAML emitter rather
than PyYAML's pure-Python dumper, which would take minutes for 9,800 files.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from cluster_reports import atomic

from . import regions

# Table 2.1, last row: all sub-sectors together (1996).
TOTAL_CLUSTERS = 9_800
TOTAL_UNITS = 475_000
TOTAL_LABORS = 1_295_000
TOTAL_VA_THOUSAND_RP = 1_270_405_380

# Section 2.1(1): clusters by region. The five counts add up to 9,427 of the 9,800 sentra; the study
# does not place the rest, so clusters are spread in proportion to these counts.
REGION_COUNTS = {
    "java-bali": 4558, "sumatra": 1810, "sulawesi": 1102, "east-indonesia": 1101, "kalimantan": 856,
}

REFERENCE_YEAR = 2003
USD_RATE = 8000  # the study's rate: the 2003 average
# Sales per worker in 2003 Rupiah, before the sub-sector factor. Table 2.1's value added per worker
# (1996 prices, about Rp 2.8 million at 2003 prices) and the study's Rp 700 million of sales of an
# average small industry bracket a wide range; Rp 20 million sits near the shipped pilots' figures.
SALES_PER_WORKER = 20_000_000
# Java-Bali clusters are larger: the study finds 74 % of the clusters with more than 100 enterprises
# there. These factors keep the national mean and put about that share of large clusters in Java-Bali.
SIZE_FACTOR = {"java-bali": 1.3}
SIZE_FACTOR_ELSEWHERE = 0.72
FIRMS_SIGMA = 0.9  # spread of firm counts (log-normal): a few sentra of hundreds, many of a dozen
MIN_FIRMS = 5
MANIFEST = "synth-manifest.txt"

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")
CONSTRAINT_CATEGORIES = ("products", "technology", "market", "price", "institutional", "social")
CHANNELS = {  # the group's usual channels, the first always present
    "rural-indigenous": ("intermediary", "direct-retail", "wholesale", "cooperative"),
    "export-oriented": ("export", "intermediary", "wholesale", "direct-retail"),
    "metal-machinery": ("subcontract", "intermediary", "wholesale", "direct-retail"),
}
SECTIONS = (
    "location", "products", "industry", "currency", "firms", "workers", "annual_sales", "value_added",
    "markets", "raw_materials", "constraints", "swot", "assessment", "selection", "stakeholders",
)


class SynthError(Exception):
    """The output folder cannot be used; nothing was written."""


# ---------------------------------------------------------------------------------------------
# Data: sub-sectors, island groups, phrases


@dataclass(frozen=True)
class SubSector:
    isic: str
    slug: str
    group: str
    from_table: bool  # a Table 2.1 row (its cluster count), or one of the "other" mix (a judged weight)
    weight: float  # clusters out of 9,800
    firms_mean: float
    workers_per_firm: float
    sales_factor: float
    description: dict
    product: dict
    short: dict
    raw_material: dict


def _csv(name: str) -> list[dict[str, str]]:
    text = files("cluster_reports.inputs").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def subsectors() -> tuple[SubSector, ...]:
    rows = _csv("synth_subsectors.csv")
    table = [r for r in rows if r["source"] == "table-2.1"]
    others = [r for r in rows if r["source"] != "table-2.1"]
    # What Table 2.1's ten rows leave of the total is the "other" mix's share, firms and workers.
    rest = {
        "clusters": TOTAL_CLUSTERS - sum(int(r["clusters"]) for r in table),
        "units": TOTAL_UNITS - sum(int(r["units"]) for r in table),
        "labors": TOTAL_LABORS - sum(int(r["labors"]) for r in table),
        "va": TOTAL_VA_THOUSAND_RP - sum(int(r["va_thousand_rp"]) for r in table),
    }
    other_weight = sum(int(r["clusters"]) for r in others)
    va_per_worker = TOTAL_VA_THOUSAND_RP / TOTAL_LABORS

    def make(r: dict[str, str]) -> SubSector:
        if r["source"] == "table-2.1":
            weight = float(r["clusters"])
            units, labors, va = int(r["units"]), int(r["labors"]), int(r["va_thousand_rp"])
            clusters = weight
        else:
            weight = int(r["clusters"]) * rest["clusters"] / other_weight
            units, labors, va, clusters = rest["units"], rest["labors"], rest["va"], rest["clusters"]
        # Table 2.1's value added per worker differs 27-fold between sub-sectors (tempe against
        # sugar), more than plausible for sales per worker: take the square root of the ratio.
        factor = min(2.0, max(0.5, math.sqrt(va / labors / va_per_worker)))
        return SubSector(
            isic=r["isic"], slug=r["slug"], group=r["group"], from_table=r["source"] == "table-2.1",
            weight=weight, firms_mean=units / clusters, workers_per_firm=labors / units,
            sales_factor=factor,
            description={"en": r["description_en"], "id": r["description_id"]},
            product={"en": r["product_en"], "id": r["product_id"]},
            short={"en": r["short_en"], "id": r["short_id"]},
            raw_material={"en": r["raw_en"], "id": r["raw_id"]},
        )

    return tuple(make(r) for r in rows)


@cache
def island_groups() -> dict[str, str]:
    """Island group by province code."""
    groups = {r["province_code"]: r["island_group"] for r in _csv("island_groups.csv")}
    missing = set(regions.provinces()) - set(groups)
    if missing:  # a new province in the official list needs its island group
        raise RuntimeError(f"island_groups.csv lacks provinces {sorted(missing)}")
    return groups


@cache
def phrases() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(scope, section) -> (en, id) pairs; scope is '*' or a cluster group."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in _csv("synth_phrases.csv"):
        found.setdefault((r["scope"], r["section"]), []).append((r["en"], r["id"]))
    return {k: tuple(v) for k, v in found.items()}


def _pool(section: str, group: str) -> list[tuple[str, str]]:
    return [*phrases().get(("*", section), ()), *phrases().get((group, section), ())]


# ---------------------------------------------------------------------------------------------
# Where the clusters go


def quotas(weights: dict[Hashable, float], n: int) -> dict[Hashable, int]:
    """Split n in proportion to weights, exactly (largest remainder; ties in the weights' order)."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    order = sorted(weights, key=lambda k: -(exact[k] - counts[k]))
    for k in order[: n - sum(counts.values())]:
        counts[k] += 1
    return counts


@dataclass(frozen=True)
class Slot:
    island_group: str
    province: regions.Province
    regency: regions.Regency
    subsector: SubSector


def place_name(regency: regions.Regency) -> str:
    """'Kabupaten Kebumen' -> 'Kebumen'; a city keeps 'Kota', which tells it from the regency."""
    return regency.name.removeprefix("Kabupaten ")


def allocate(n: int, rng: random.Random) -> list[Slot]:
    """Island groups and sub-sectors by exact quotas; provinces within a group in proportion to their
    number of regencies; the regency uniformly at random within the province."""
    groups = island_groups()
    by_province: dict[str, list[regions.Regency]] = {}
    for r in regions.regencies().values():
        by_province.setdefault(r.province_code, []).append(r)
    provinces = regions.provinces()
    places: list[tuple[str, regions.Province, regions.Regency]] = []
    for island, count in quotas(REGION_COUNTS, n).items():
        members = {code: len(by_province[code]) for code in provinces if groups[code] == island}
        for code, k in quotas(members, count).items():
            places += [(island, provinces[code], rng.choice(by_province[code])) for _ in range(k)]
    by_isic = {s.isic: s for s in subsectors()}
    counts = quotas({i: s.weight for i, s in by_isic.items()}, n)
    mix = [by_isic[i] for i, k in counts.items() for _ in range(k)]
    rng.shuffle(mix)
    slots = [Slot(i, p, r, s) for (i, p, r), s in zip(places, mix, strict=True)]
    slots.sort(key=lambda s: (s.province.code, s.regency.code, s.subsector.isic))
    return slots


# ---------------------------------------------------------------------------------------------
# One cluster


def _binomial(rng: random.Random, n: int, p: float) -> int:
    if n * p * (1 - p) > 25:  # normal approximation: exact enough, and fast for large sentra
        return min(n, max(0, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))
    return sum(1 for _ in range(n) if rng.random() < p)


def _clamp(value: float, low: int, high: int) -> int:
    return min(high, max(low, round(value)))


def _text(pair: tuple[str, str], fill: dict[str, dict[str, str]]) -> dict[str, str]:
    out = {}
    for lang, template in zip(("en", "id"), pair, strict=True):
        s = template.format(**{k: v[lang] for k, v in fill.items()})
        out[lang] = s[0].upper() + s[1:]
    return out


def firms_section(slot: Slot, rng: random.Random, social: int) -> tuple[dict, int, int]:
    """Firms by size (micro-heavy, calibrated on Table 2.1), their workers and sales."""
    ss = slot.subsector
    mean = ss.firms_mean * SIZE_FACTOR.get(slot.island_group, SIZE_FACTOR_ELSEWHERE)
    total = max(MIN_FIRMS, round(rng.lognormvariate(math.log(mean) - FIRMS_SIGMA**2 / 2, FIRMS_SIGMA)))
    # Workers per firm of the sub-sector: a micro firm has about 1.9, a small 8, a medium 35; the
    # excess over micro comes four fifths from small firms, one fifth from medium ones.
    excess = max(0.05, ss.workers_per_firm * rng.uniform(0.85, 1.15) - 1.9)
    small = _binomial(rng, total, min(0.6, 0.8 * excess / 6.1))
    medium = _binomial(rng, total - small, min(0.1, 0.2 * excess / 33.1))
    large = 1 if total >= 100 and rng.random() < 0.15 else 0
    micro = max(0, total - small - medium - large)
    workers = round(
        micro * rng.uniform(1.5, 2.3) + small * rng.uniform(6, 10) + medium * rng.uniform(25, 45)
        + large * rng.uniform(100, 200)
    )
    workers = min(max(workers, micro + 5 * small + 20 * medium + 100 * large), 4 * micro + 19 * small
                  + 99 * medium + 400 * large)
    section: dict = {"by_size": {"micro": micro, "small": small, "medium": medium, "large": large}}
    if rng.random() < 0.5 + 0.08 * (social - 3):
        name = f"Koperasi Sentra {ss.short['id'].title()} {place_name(slot.regency)}"
        section["cooperative"] = {"en": name, "id": name}
        section["cooperative_members"] = round(total * rng.uniform(0.2, 0.7))
    # Potentially viable: firms willing to improve, more of them where social capital is strong.
    section["potentially_viable"] = max(1, round(total * min(0.3, max(0.02, rng.gauss(0.03 * social, 0.02)))))
    sales = workers * SALES_PER_WORKER * ss.sales_factor * rng.lognormvariate(-0.045, 0.3)
    return section, workers, int(round(sales, -6))


def _shares(rng: random.Random, k: int) -> list[int]:
    """k market shares in steps of 5 %, each at least 5 %, adding up to 100, largest first."""
    weights = {i: rng.expovariate(1.0) for i in range(k)}
    extra = quotas(weights, 20 - k)
    return sorted(((1 + extra[i]) * 5 for i in range(k)), reverse=True)


def cluster(slot: Slot, number: int, rng: random.Random) -> tuple[str, dict]:
    """The params of one synthetic cluster: its id and the dict to write."""
    ss = slot.subsector
    place = place_name(slot.regency)
    city = slot.regency.kind == "kota"  # phrases name the local office and working group by it
    fill = {"short": ss.short, "place": {"en": place, "id": place},
            "province": {"en": slot.province.name, "id": slot.province.name},
            "local": {"en": "city" if city else "regency", "id": "kota" if city else "kabupaten"}}
    cluster_id = f"{regions.slugify(place)}-{ss.slug}-{number}"

    strength = rng.gauss(0, 1)  # a latent "how promising": conditions and scores move together
    scores = {c: _clamp(3 + 0.5 * strength + rng.gauss(0, 0.6), 1, 5) for c in CONDITIONS[:4]}
    scores["social_capital"] = _clamp(3 + 0.5 * strength + rng.gauss(0, 0.8), 1, 5)
    diamond = sum(scores[c] for c in CONDITIONS[:4])
    growth = _clamp(2.7 * diamond + rng.gauss(0, 3), 0, 54)  # Table 3.1's sample: 27-38
    action = _clamp(3.0 * scores["social_capital"] + 0.4 * (diamond - 12) + rng.gauss(3, 3.5), 0, 36)

    firms, workers, sales = firms_section(slot, rng, scores["social_capital"])
    channels = CHANNELS[ss.group]
    if "cooperative" not in firms:
        channels = tuple(c for c in channels if c != "cooperative")
    chosen = [channels[0], *rng.sample(channels[1:], rng.randint(1, len(channels) - 1))]
    markets = [
        {"channel": c, "destination": _text(_pool(f"market.{c}", ss.group)[0], fill), "share_pct": s}
        for c, s in zip(chosen, _shares(rng, len(chosen)), strict=True)
    ]
    categories = sorted(rng.sample(CONSTRAINT_CATEGORIES, 3), key=CONSTRAINT_CATEGORIES.index)
    constraints = [
        {"category": c, "text": _text(rng.choice(_pool(f"constraint.{c}", ss.group)), fill)}
        for c in categories
    ]
    swot = {
        quadrant: [_text(p, fill) for p in rng.sample(_pool(section, ss.group), 2)]
        for quadrant, section in (("strengths", "strength"), ("weaknesses", "weakness"),
                                  ("opportunities", "opportunity"), ("threats", "threat"))
    }
    assessment = {
        c: {"score": s, "note": _text(_pool(f"assessment.{c}.{_level(s)}", ss.group)[0], fill)}
        for c, s in scores.items()
    }
    origin = rng.choice((("Local suppliers in {place}", "Pemasok setempat di {place}"),
                         ("Traders in {province}", "Pedagang di {province}")))
    data = {
        "id": cluster_id,
        "name": {
            "en": f"{place} {ss.short['en']} cluster {number}",
            "id": f"Sentra IKM {ss.short['id']} {place} {number}",
        },
        "synthetic": True,
        "group": ss.group,
        "location": {"province": slot.province.name, "regency": slot.regency.name},
        "products": [{"name": ss.product, "main": True}],
        "industry": {"isic": ss.isic, "description": ss.description},
        "reference_year": REFERENCE_YEAR,
        "currency": {"usd_rate": USD_RATE, "rate_note": {
            "en": "US$ 1 = Rp 8,000, the 2003 average used by the JICA study.",
            "id": "US$ 1 = Rp 8.000, kurs rata-rata 2003 yang digunakan studi JICA.",
        }},
        "firms": firms,
        "workers": workers,
        "annual_sales": sales,
        "value_added": int(round(sales * rng.uniform(0.3, 0.45), -6)),
        "markets": markets,
        "raw_materials": [{"name": ss.raw_material, "origin": _text(origin, fill)}],
        "constraints": constraints,
        "swot": swot,
        "assessment": assessment,
        "selection": {"growth_opportunity": growth, "action_capacity": action},
        "stakeholders": stakeholders(slot, firms, rng, fill),
    }
    # No reference text: the source of kind synthetic says it, and 15 copies of a sentence would make
    # the file a third larger and slower to load.
    data["sources"] = [SYNTHETIC_SOURCE]
    data["provenance"] = [{"field": s, "source": SYNTHETIC_SOURCE["id"]} for s in SECTIONS]
    return cluster_id, data


# The one source every synthetic cluster cites: the generator itself.
SYNTHETIC_SOURCE = {
    "id": "synthetic-set",
    "title": {"en": "Synthetic national set of sentra", "id": "Kumpulan sentra sintetis nasional"},
    "author": {
        "en": "cluster-reports, synthetic data generator",
        "id": "cluster-reports, pembangkit data sintetis",
    },
    "kind": "synthetic",
    "note": {
        "en": "Generated for demonstrations and scale tests; describes no real sentra.",
        "id": "Dibangkitkan untuk demonstrasi dan uji skala; tidak menggambarkan sentra yang nyata.",
    },
}


def _level(score: int) -> str:
    return "low" if score <= 2 else "mid" if score == 3 else "high"


def stakeholders(slot: Slot, firms: dict, rng: random.Random, fill: dict) -> list[dict]:
    reg, prov = slot.regency.name, slot.province.name
    reg_slug, prov_slug = regions.slugify(place_name(slot.regency)), slot.province.slug

    def role(kind: str) -> dict:
        return _text(_pool(f"role.{kind}", slot.subsector.group)[0], fill)

    items = [
        {"id": f"disperindag-{reg_slug}", "name": f"Dinas Perindustrian dan Perdagangan {reg}",
         "type": "regency-government", "role": role("disperindag")},
        {"id": f"dinkop-{reg_slug}", "name": f"Dinas Koperasi dan UKM {reg}",
         "type": "regency-government", "role": role("dinkop")},
        {"id": f"disperindag-provinsi-{prov_slug}",
         "name": f"Dinas Perindustrian dan Perdagangan Provinsi {prov}",
         "type": "provincial-government", "role": role("province")},
    ]
    if "cooperative" in firms:
        items.append({"id": "koperasi", "name": firms["cooperative"]["id"], "type": "cooperative",
                      "role": role("cooperative")})
    if rng.random() < 0.5:
        items.append({"id": f"bri-{reg_slug}", "type": "bank", "role": role("bank"),
                      "name": f"Bank Rakyat Indonesia (BRI), {place_name(slot.regency)}"})
    return items


def generate(n: int, seed: int) -> list[tuple[str, str, dict]]:
    """(province slug, cluster id, params dict) of n synthetic clusters; the same seed, the same set."""
    rng = random.Random(seed)
    numbers: Counter[str] = Counter()
    out = []
    for slot in allocate(n, rng):
        base = f"{regions.slugify(place_name(slot.regency))}-{slot.subsector.slug}"
        numbers[base] += 1
        cluster_id, data = cluster(slot, numbers[base], rng)
        out.append((slot.province.slug, cluster_id, data))
    return out


# ---------------------------------------------------------------------------------------------
# Writing: a YAML emitter for these plain dicts (strings, ints, floats, bools, lists, dicts)

_PLAIN = re.compile(r"[a-z][a-z0-9_-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value not in _RESERVED:
            return value
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    raise TypeError(f"cannot write {type(value).__name__}")


def _flow(value: dict) -> str | None:
    """A mapping of scalars on one line ({en: ..., id: ...}), or None when it holds collections."""
    if any(isinstance(v, dict | list) for v in value.values()):
        return None
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"


def _block(value: dict | list, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and (flow := _flow(item)) is not None:
                lines.append(f"{pad}{key}: {flow}")
            elif isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines += _block(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_scalar(item) if not isinstance(item, dict | list) else '[]'}")
        return lines
    for item in value:
        if isinstance(item, dict) and (flow := _flow(item)) is not None:
            lines.append(f"{pad}- {flow}")
        elif isinstance(item, dict):
            inner = _block(item, indent + 2)
            lines += [f"{pad}- {inner[0].lstrip()}", *inner[1:]]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def to_yaml(data: dict, header: str) -> str:
    return "".join(f"# {line}\n" for line in header.splitlines()) + "\n".join(_block(data, 0)) + "\n"


def header(n: int, seed: int) -> str:
    return (
        f"SYNTHETIC cluster written by `cluster-reports synth --n {n} --seed {seed}`: not real data.\n"
        "For scale tests and demonstrations only; every value is generated."
    )


# ---------------------------------------------------------------------------------------------
# The output folder


def _manifest_entries(out: Path) -> set[str] | None:
    """Paths (relative, '/') a previous synth run wrote, or None when out holds no manifest."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def foreign_files(out: Path, ours: set[str]) -> list[str]:
    """Files below out that synth did not write (a temporary file of an interrupted write is ours)."""
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(out).as_posix()
        temp = re.fullmatch(r"(.*/)?\.(.+)\.[^.]+\.part", rel)
        if rel == MANIFEST or rel in ours or (temp and f"{temp.group(1) or ''}{temp.group(2)}" in ours):
            continue
        found.append(rel)
    return found


def check_out(out: Path) -> set[str]:
    """The files a previous run wrote there (to be replaced); refuse a folder holding anything else.

    A re-run may replace its own set (another seed, another n) without a manual clean-up, but it must
    never mix fake sentra into a folder of real params, nor delete anyone's files.
    """
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out}: is a file, not a folder")
    if not out.exists():
        return set()
    ours = _manifest_entries(out) or set()
    foreign = foreign_files(out, ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise SynthError(
            f"{out}: holds {len(foreign)} file(s) that synth did not write ({shown}); "
            "give an empty or new folder"
        )
    return ours


def _write_manifest(out: Path, entries: Iterable[str], note: str) -> None:
    text = f"# {note}\n" + "".join(f"{e}\n" for e in sorted(entries))
    atomic.write_text_atomic(out / MANIFEST, text)


def write_set(out: Path, items: list[tuple[str, str, dict]], n: int, seed: int,
              tick: Callable[[], None] | None = None) -> None:
    """Write every file atomically. The manifest is written first (old and new entries), so an
    interrupted run leaves a folder a re-run accepts; then files the new set no longer has go."""
    previous = check_out(out)
    new = {f"{prov}/{cid}.yaml": data for prov, cid, data in items}
    note = f"Files written by cluster-reports synth --n {n} --seed {seed}: SYNTHETIC data."
    out.mkdir(parents=True, exist_ok=True)
    _write_manifest(out, previous | set(new), note + " (being written)")
    head = header(n, seed)
    for rel, data in new.items():
        atomic.write_text_atomic(out / rel, to_yaml(data, head))
        if tick:
            tick()
    for rel in sorted(previous - set(new)):
        (out / rel).unlink(missing_ok=True)
    for folder in sorted({(out / rel).parent for rel in previous - set(new)}, reverse=True):
        if folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    _write_manifest(out, new, note)


def main(n: int, seed: int, out: Path, console, err_console) -> int:
    started = time.perf_counter()
    try:
        check_out(out)  # before generating: a refused folder costs nothing
        items = generate(n, seed)
        write_set(out, items, n, seed)
    except SynthError as exc:
        err_console.print(f"[red]error[/red] {exc}")
        return 1
    except OSError as exc:
        err_console.print(f"[red]error[/red] {exc.filename or out}: cannot write: {exc.strerror}")
        return 1
    seconds = time.perf_counter() - started
    provinces = {prov for prov, _, _ in items}
    regencies = {(d["location"]["province"], d["location"]["regency"]) for _, _, d in items}
    console.print(
        f"Wrote {len(items)} synthetic params files over {len(provinces)} provinces and "
        f"{len(regencies)} regencies to {out} in {seconds:.1f} s"
    )
    console.print("Island groups: " + ", ".join(
        f"{g} {k}" for g, k in Counter(island_groups()[regions.find_province(d['location']['province']).code]
                                       for _, _, d in items).most_common()
    ))
    console.print("Cluster groups: " + ", ".join(
        f"{g} {k}" for g, k in Counter(d["group"] for _, _, d in items).most_common()
    ))
    console.print("SYNTHETIC data, for scale tests and demonstrations only: every file says synthetic: true.")
    return 0


__all__ = ["generate", "main", "quotas", "subsectors", "to_yaml", "write_set", "SynthError"]
