"""Reference data the demo generator draws its codes from.

Every code the demo writes (pools, ISCO-08 unit groups, ROME codes, NACE-BEL classes, NIS codes)
comes from `data/reference/`, so the clean demo rows pass validation against the same `ref`
tables the warehouse loads; only the deliberate defects fall outside them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

OPERATIONAL_POOLS: tuple[str, ...] = ("technicity", "digitalcity", "logisticity", "construcity")

# Opening months used when data/reference/pools/ does not give one (founding texts and press:
# Technicity January 2019, Digitalcity October 2020, Logisticity and Construcity 2021).
DEFAULT_OPENING: dict[str, date] = {
    "technicity": date(2019, 1, 1),
    "digitalcity": date(2020, 10, 1),
    "logisticity": date(2021, 1, 1),
    "construcity": date(2021, 1, 1),
}

# Registered job seekers (DEI) per resident, by commune: the 2022-2025 commune totals of the
# published view.brussels table (tests/fixtures/published/brussels/demandeurs_emploi_genre_etudes
# .csv, e.g. "2025;Molenbeek-Saint-Jean;...;9106", "2023;Schaerbeek;...;10580",
# "2021;Saint-Josse-ten-Noode;...;2747", "2022;Anderlecht;...;9561", "2023;Woluwe-Saint-Pierre;
# ...;1559") divided by the 2020 population of geo/brussels_communes.csv. Ganshoren, Koekelberg,
# Uccle, Watermael-Boitsfort and Woluwe-Saint-Lambert are not in that sample: estimated from
# their neighbours. Weighted by population they give ~89,000, the order of the DEI stock.
JOBSEEKER_RATE: dict[str, float] = {
    "21001": 0.079,
    "21002": 0.050,
    "21003": 0.065,
    "21004": 0.081,
    "21005": 0.070,
    "21006": 0.066,
    "21007": 0.082,
    "21008": 0.060,
    "21009": 0.073,
    "21010": 0.071,
    "21011": 0.085,
    "21012": 0.093,
    "21013": 0.094,
    "21014": 0.100,
    "21015": 0.080,
    "21016": 0.045,
    "21017": 0.040,
    "21018": 0.045,
    "21019": 0.037,
}

# Where the jobs are (workplace of a vacancy): Brussels-City dominates (administrations, EU
# quarter, Nord business district), then the other office communes. Shares are an estimate from
# the 835,000 domestic jobs of 2022 (stats/brussels_labour_market_key_figures.csv,
# "domestic_jobs,BE10,2022") spread by the communes' economic weight.
WORKPLACE_WEIGHT: dict[str, float] = {
    "21004": 0.38,
    "21009": 0.07,
    "21005": 0.06,
    "21001": 0.07,
    "21015": 0.05,
    "21014": 0.05,
    "21006": 0.04,
    "21018": 0.04,
    "21016": 0.035,
    "21013": 0.03,
    "21007": 0.03,
    "21012": 0.03,
    "21002": 0.025,
    "21010": 0.02,
    "21019": 0.015,
    "21003": 0.008,
    "21008": 0.006,
    "21011": 0.006,
    "21017": 0.01,
}


@dataclass(frozen=True)
class Pool:
    pool_id: str
    status: str
    opening: date | None  # first month with trainees; None for planned pools


@dataclass(frozen=True)
class DemoReference:
    """The code lists the generator samples from, read once per run."""

    brussels_nis: tuple[str, ...]
    brussels_population: tuple[int, ...]
    other_nis: tuple[str, ...]  # Belgian communes outside Brussels
    other_weight: tuple[float, ...]  # periphery weighs more than the far provinces
    isco4: tuple[str, ...]  # ISCO-08 unit groups (4 digits), armed forces excluded
    isco_label_fr: dict[str, str]
    pools: tuple[Pool, ...]
    pool_isco: dict[str, tuple[str, ...]]
    pool_rome: dict[str, tuple[str, ...]]
    rome_label: dict[str, str]
    pool_nace_prefixes: dict[str, tuple[str, ...]]
    nace_classes: tuple[str, ...]  # NACE-BEL 2008 classes, dotted ("62.01")
    # Real Actiris job seekers per commune (opendata.brussels), aligned with brussels_nis; None
    # when the file is not shipped, and the generator falls back on population.
    jobseeker_profile: CommuneProfile | None = None

    def pool(self, pool_id: str) -> Pool:
        for p in self.pools:
            if p.pool_id == pool_id:
                return p
        raise KeyError(pool_id)

    def classes_under(self, prefix: str) -> tuple[str, ...]:
        """NACE classes (level 4) inside a code of any level: "62" -> 62.01 ... 62.09."""
        return tuple(c for c in self.nace_classes if c == prefix or c.startswith(prefix))

    def pool_nace_classes(self, pool_id: str) -> tuple[str, ...]:
        out: list[str] = []
        for prefix in self.pool_nace_prefixes.get(pool_id, ()):
            out.extend(c for c in self.classes_under(prefix) if c not in out)
        return tuple(out)


def _read(path: Path, separator: str = ",") -> pl.DataFrame:
    return pl.read_csv(path, separator=separator, infer_schema=False, encoding="utf8")


def _opening(text: str | None, pool_id: str) -> date | None:
    """`operational_since` reads "2019", "2020-10" or "2021 (first PFE ...)": keep the month,
    January when only a year is given."""
    if text:
        match = re.match(r"\s*(\d{4})(?:-(\d{2}))?", text)
        if match:
            return date(int(match.group(1)), int(match.group(2) or 1), 1)
    return DEFAULT_OPENING.get(pool_id)


@dataclass(frozen=True)
class CommuneProfile:
    """The shape of Brussels' registered job seekers, from Actiris' published series: how many
    live in each commune, the women's share and the study-level mix there (latest year)."""

    year: int
    weight: tuple[float, ...]  # annual average job seekers per commune
    female_share: tuple[float, ...]
    education: tuple[tuple[float, float, float, float], ...]  # low, medium, high, other


OPENDATA_JOBSEEKERS = Path("official") / "demandeurs_emploi_genre_etudes.csv"


def load_commune_profile(reference_dir: Path, communes: pl.DataFrame) -> CommuneProfile | None:
    """Read the opendata.brussels export through its connector (the same code the load uses)."""
    from pipelines.sources.official.opendata_brussels import read_opendata_brussels

    path = reference_dir / OPENDATA_JOBSEEKERS
    if not path.exists():
        return None
    names: dict[str, str] = {}
    for nis, fr, nl in communes.select("nis_code", "name_fr", "name_nl").iter_rows():
        names[fr] = nis
        names[nl] = nis
    obs = read_opendata_brussels(path.read_bytes(), path.name, names).observations
    obs = obs.filter(pl.col("unit") == "PER")
    year = max(int(period) for period in obs.get_column("period").unique().to_list())
    latest = obs.filter(pl.col("period") == str(year))

    def value(nis: str, sex: str, education: str) -> float:
        cell = latest.filter(
            (pl.col("geo") == nis) & (pl.col("sex") == sex) & (pl.col("education") == education)
        ).get_column("value")
        return float(cell[0]) if len(cell) and cell[0] is not None else 0.0

    weight, female, edu = [], [], []
    for nis in communes.get_column("nis_code").to_list():
        total = value(nis, "T", "total")
        weight.append(total)
        women, men = value(nis, "F", "total"), value(nis, "M", "total")
        female.append(women / (women + men) if women + men else 0.5)
        mix = [value(nis, "T", level) for level in ("low", "medium", "high", "other")]
        edu.append(tuple(v / sum(mix) for v in mix) if sum(mix) else (0.6, 0.2, 0.12, 0.08))
    return CommuneProfile(
        year=year,
        weight=tuple(weight),
        female_share=tuple(female),
        education=tuple(edu),  # type: ignore[arg-type]
    )


def load_demo_reference(reference_dir: Path) -> DemoReference:
    geo = reference_dir / "geo"
    communes = _read(geo / "brussels_communes.csv").sort("nis_code")
    refnis = _read(geo / "refnis_2019.csv", separator=";")
    code_col, lang_col = refnis.columns[0], refnis.columns[2]
    others = (
        refnis.filter(
            pl.col(lang_col).is_not_null()
            & pl.col(code_col).str.contains(r"^\d{5}$")
            & ~pl.col(code_col).str.starts_with("21")
        )
        .get_column(code_col)
        .unique()
        .sort()
        .to_list()
    )
    # Trainees living outside Brussels mostly come from the periphery: Flemish Brabant (23, 24)
    # and Walloon Brabant (25) weigh five and three times a commune elsewhere.
    other_weight = [5.0 if c[:2] in ("23", "24") else 3.0 if c[:2] == "25" else 1.0 for c in others]

    isco = _read(reference_dir / "classifications" / "isco_esco" / "isco08_labels_en_fr.csv")
    isco4 = isco.filter((pl.col("level") == "4") & ~pl.col("isco08_code").str.starts_with("0"))

    pools_dir = reference_dir / "pools"
    pools_df = _read(pools_dir / "brussels_training_employment_pools.csv")
    pools = tuple(
        Pool(
            row["pool_id"],
            row["status"],
            _opening(row["operational_since"], row["pool_id"])
            if row["status"] == "operational"
            else None,
        )
        for row in pools_df.iter_rows(named=True)
    )

    def grouped(df: pl.DataFrame, column: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for pool_id, code in df.select("pool_id", column).iter_rows():
            if code not in out.setdefault(pool_id, []):
                out[pool_id].append(code)
        return {k: tuple(v) for k, v in out.items()}

    isco_map = _read(pools_dir / "pool_isco_map.csv")
    rome_map = _read(pools_dir / "pool_rome_map.csv")
    nace_map = _read(pools_dir / "pool_nace_map.csv")
    nace = _read(reference_dir / "classifications" / "nace" / "nacebel_2008_clean.csv")
    classes = nace.filter(pl.col("level") == "4").get_column("code").sort().to_list()

    return DemoReference(
        brussels_nis=tuple(communes.get_column("nis_code").to_list()),
        brussels_population=tuple(
            int(v) for v in communes.get_column("population_2020_01_01").to_list()
        ),
        other_nis=tuple(others),
        other_weight=tuple(other_weight),
        jobseeker_profile=load_commune_profile(reference_dir, communes),
        isco4=tuple(isco4.get_column("isco08_code").to_list()),
        isco_label_fr=dict(isco4.select("isco08_code", "label_fr").iter_rows()),
        pools=pools,
        pool_isco=grouped(isco_map, "isco08_code"),
        pool_rome=grouped(rome_map, "rome_code"),
        rome_label=dict(rome_map.select("rome_code", "rome_label_fr").iter_rows()),
        pool_nace_prefixes=grouped(nace_map, "nace_code"),
        nace_classes=tuple(classes),
    )


def _words(text: str) -> set[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {w[:5] for w in re.findall(r"[a-z]{4,}", ascii_text)}


# Where label overlap picks badly for the operational pools' own trades (checked by hand).
ROME_OVERRIDES: dict[str, str] = {
    "7412": "I1301",
    "7127": "I1306",
    "3118": "H1203",
    "3113": "I1309",
    "2512": "M1805",
    "2513": "M1855",
    "2514": "M1805",
    "2519": "M1805",
    "2166": "E1205",
    "3512": "I1401",
    "8344": "N1101",
    "9321": "N1103",
    "4321": "N1303",
    "8322": "N4105",
    "9621": "N4104",
    "1324": "N1301",
    "7112": "F1703",
    "7123": "F1601",
    "7122": "F1608",
    "7131": "F1606",
    "7126": "F1603",
    "3123": "F1202",
    "9313": "F1704",
    "7115": "F1607",
    "7121": "F1613",
    "3112": "F1104",
}


def isco_to_rome(ref: DemoReference) -> dict[str, str]:
    """One ROME code for each pool ISCO unit group, chosen among the same pool's ROME codes by
    the overlap of their French labels (ties: by position), so a welder is not coded as a
    developer. A demo convenience, not an official crosswalk."""
    out: dict[str, str] = {}
    for pool_id, iscos in ref.pool_isco.items():
        romes = ref.pool_rome.get(pool_id, ())
        if not romes:
            continue
        for i, isco in enumerate(iscos):
            if isco in out:
                continue
            if ROME_OVERRIDES.get(isco) in romes:
                out[isco] = ROME_OVERRIDES[isco]
                continue
            words = _words(ref.isco_label_fr.get(isco, ""))
            scores = [
                (len(words & _words(ref.rome_label.get(r, ""))), -((j - i) % len(romes)), r)
                for j, r in enumerate(romes)
            ]
            out[isco] = max(scores)[2]
    return out
