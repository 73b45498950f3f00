"""SDMX-CSV read back by the project's own SDMX-CSV connector (pipelines/sources/official):
every numeric published cell comes back with the same value and flag (issue 18)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from dashboard.exports import render, sdmx
from dashboard.exports.selection import Selection, build
from pipelines.sources.official.dispatch import detect_and_read


def _expected(sel: Selection) -> dict[tuple[str, str, str], tuple[float | None, str | None]]:
    """(dataset, dimension key, period) → (value, flag), straight from the selection."""
    out: dict[tuple[str, str, str], tuple[float | None, str | None]] = {}
    for group in sel.groups:
        for row in group.frame.to_dict("records"):
            for m in group.measures:
                if m.kind == "boolean":
                    continue
                key = ";".join(
                    [
                        f"breakdown={sdmx.code(row['dimension'])}",
                        f"breakdown_value={sdmx.code(row['code'])}",
                        f"indicator={sdmx.code(m.column)}",
                        f"pool={sdmx.code(row['pool_id'])}",
                        f"unit={sdmx.code(m.unit)}",
                    ]
                )
                value = row[m.column]
                flag = row[m.flag] if m.flag else None
                missing_flag = flag is None or flag != flag or flag == ":"
                out[(group.mart, key, str(row["period"]))] = (
                    None if value is None or value != value else float(value),
                    None if missing_flag else str(flag),
                )
    return out


@pytest.mark.parametrize("pool", ["region", "technicity"])
def test_round_trip_through_the_sdmx_connector(published: Path, tmp_path: Path, pool: str) -> None:
    sel = build(published, pool, None, None, "fr")
    content, name = render(sel, "sdmx-csv")
    assert name.endswith(".sdmx.csv")
    assert content.split(b"\r\n", 1)[0].decode() == ",".join(sdmx.HEADER)
    file = tmp_path / name
    file.write_bytes(content)
    read = detect_and_read(file, {})
    assert read.file_format == "eurostat_sdmx_csv"
    assert read.rejected.is_empty(), read.rejected.head(5)
    expected = _expected(sel)
    got = {
        (r["dataset"], r["dimension_key"], r["period"]): (r["value"], r["flag"])
        for r in read.observations.iter_rows(named=True)
    }
    assert read.observations.height == len(got) == len(expected) > 0
    assert got == expected
    flags = {flag for _, flag in got.values()}
    assert {"c", "p"} <= flags
    units = set(read.observations["unit"].to_list())
    assert {"COUNT", "RATE"} <= units


def test_sdmx_with_pandas_and_polars_defaults(published: Path) -> None:
    content, _ = render(build(published, "region", None, None, "en"), "sdmx-csv")
    frame = pl.read_csv(io.BytesIO(content))
    assert frame.schema["OBS_VALUE"] == pl.Float64
    assert frame.schema["TIME_PERIOD"] == pl.String
    pandas_frame = pd.read_csv(io.BytesIO(content), low_memory=False)
    assert str(pandas_frame["OBS_VALUE"].dtype) == "float64"
    assert set(pandas_frame["OBS_FLAG"].dropna()) <= {"c", "p", "b", "e"}
