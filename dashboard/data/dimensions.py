"""Dimensions and metadata of the published file: pools, communes, code labels, occupations,
NACE codes, months covered, the indicator catalogue, freshness, loads and quarantine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data.connection import DataUnavailable, query


@dataclass(frozen=True)
class Pool:
    """One pool as the pages need it (names in three languages)."""

    pool_id: str
    short_name: str
    names: dict[str, str]
    sectors: dict[str, str]
    status: str
    opening_month: date | None

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.short_name

    def sector(self, lang: str) -> str:
        return self.sectors.get(lang) or ""


def as_date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def pools(path: Path) -> list[Pool]:
    """Every pool, operational first, in a stable order."""
    frame = query(
        path,
        "SELECT pool_id, short_name, name_fr, name_nl, name_en, sector_fr, sector_nl, sector_en,"
        " status, opening_month FROM core.dim_pool"
        " ORDER BY status = 'planned', opening_month NULLS LAST, pool_id",
    )
    return [
        Pool(
            pool_id=r.pool_id,
            short_name=r.short_name or r.pool_id,
            names={"fr": r.name_fr, "nl": r.name_nl, "en": r.name_en},
            sectors={"fr": r.sector_fr, "nl": r.sector_nl, "en": r.sector_en},
            status=r.status,
            opening_month=as_date(r.opening_month),
        )
        for r in frame.itertuples()
    ]


def communes(path: Path) -> pd.DataFrame:
    """The 19 communes: commune_nis, name_fr, name_nl, population."""
    return query(
        path,
        "SELECT commune_nis, name_fr, name_nl, population FROM core.dim_commune ORDER BY name_fr",
    )


def code_labels(path: Path, code_list: str) -> pd.DataFrame:
    """Labels of one contract code list (sex, target_group, …) in display order."""
    return query(
        path,
        "SELECT code, label_fr, label_nl, label_en FROM core.dim_code WHERE code_list = ?"
        " ORDER BY sort_order, code",
        [code_list],
    )


def functions(path: Path) -> pd.DataFrame:
    """The six pool functions with names and descriptions."""
    return query(path, "SELECT * FROM core.dim_pool_function ORDER BY sort_order")


def occupations(path: Path, pool_id: str | None = None) -> pd.DataFrame:
    """ISCO occupations (code + labels), those of one pool's trades when `pool_id` is given."""
    if pool_id is None:
        return query(
            path,
            "SELECT DISTINCT o.occupation_code, o.label_fr, o.label_nl, o.label_en"
            " FROM core.dim_occupation o JOIN core.bridge_pool_occupation b"
            " ON b.occupation_code = o.occupation_code AND b.classification = o.classification"
            " WHERE o.classification = 'isco08' ORDER BY o.occupation_code",
        )
    return query(
        path,
        "SELECT DISTINCT o.occupation_code, o.label_fr, o.label_nl, o.label_en"
        " FROM core.dim_occupation o JOIN core.bridge_pool_occupation b"
        " ON b.occupation_code = o.occupation_code AND b.classification = o.classification"
        " WHERE o.classification = 'isco08' AND b.pool_id = ? ORDER BY o.occupation_code",
        [pool_id],
    )


def nace_codes(path: Path, pool_id: str | None = None) -> pd.DataFrame:
    """NACE codes mapped to pools (one pool's when given), with labels."""
    sql = (
        "SELECT DISTINCT b.nace_code, b.mapping, n.label_fr, n.label_nl, n.label_en"
        " FROM core.bridge_pool_nace b LEFT JOIN core.dim_nace n ON n.nace_code = b.nace_code"
    )
    if pool_id is None:
        return query(path, sql + " ORDER BY b.nace_code")
    return query(path, sql + " WHERE b.pool_id = ? ORDER BY b.nace_code", [pool_id])


def pools_for_nace(path: Path, nace_code: str) -> list[str]:
    """Pools whose sector includes a NACE code (a NACE filter narrows the pool choice)."""
    frame = query(
        path,
        "SELECT DISTINCT pool_id FROM core.bridge_pool_nace WHERE nace_code = ? ORDER BY 1",
        [nace_code],
    )
    return [str(v) for v in frame["pool_id"]]


def months(path: Path) -> list[date]:
    """The months the labour-market marts cover, oldest first (the period slider's range)."""
    frame = query(
        path,
        "SELECT DISTINCT month FROM marts.mart_labour_market_pool WHERE month IS NOT NULL"
        " UNION SELECT DISTINCT period_start FROM marts.mart_pool_participation"
        " WHERE period_type = 'month' ORDER BY 1",
    )
    return [d for d in (as_date(v) for v in frame.iloc[:, 0]) if d is not None]


def indicators(path: Path) -> pd.DataFrame:
    """The indicator catalogue as published (names, definitions, source, version)."""
    return query(path, "SELECT * FROM meta.indicator")


def freshness(path: Path) -> pd.DataFrame:
    """Per source: the period covered and the last load."""
    return query(path, "SELECT * FROM meta.freshness ORDER BY source")


def load_summary(path: Path) -> pd.DataFrame:
    """Per file: its last processing (status, rows read/loaded/quarantined)."""
    return query(path, "SELECT * FROM meta.load_summary ORDER BY loaded_at DESC, source")


def quarantine_summary(path: Path) -> pd.DataFrame:
    """Rows set aside per file and reason at the last load (counts only)."""
    return query(
        path,
        "SELECT source, file_name, reason_code, sum(row_count) AS row_count"
        " FROM meta.quarantine_summary GROUP BY ALL"
        " ORDER BY row_count DESC, source, file_name, reason_code",
    )


def publication(path: Path) -> dict[str, Any]:
    """When the file was built and with which protection settings ({} when unknown)."""
    try:
        frame = query(path, "SELECT * FROM meta.publication LIMIT 1")
    except DataUnavailable:
        return {}
    return {} if frame.empty else dict(frame.iloc[0])
