"""SDMX-CSV read back by the project's own SDMX-CSV connector (pipelines/sources/official):
every numeric published cell comes back with the same value and flag (issue 18)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from dashboard.exports import export_selection, render, sdmx
from dashboard.exports.selection import Selection, build
from dashboard.state import ViewState
from observatory.cli import main
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


def test_cli_and_download_button_write_the_same_sdmx(published: Path, tmp_path: Path) -> None:
    """`observatory export --format sdmx-csv` and the SDMX-CSV download button: same bytes."""
    data_dir = tmp_path / "data"
    (data_dir / "warehouse").mkdir(parents=True)
    shutil.copyfile(published, data_dir / "warehouse" / "published.duckdb")
    out = tmp_path / "tech.sdmx.csv"
    argv = ["--data-dir", str(data_dir), "export", "--pool", "technicity", "--from", "2024-01"]
    argv += ["--to", "2024-06", "--format", "sdmx-csv", "--lang", "nl", "--out", str(out)]
    assert main(argv) == 0
    state = ViewState(
        lang="nl", month_from=date(2024, 1, 1), month_to=date(2024, 6, 1), pool="technicity"
    )
    content, name = export_selection(published, state, "pool", "sdmx-csv")
    assert name.endswith("_nl.sdmx.csv")
    assert out.read_bytes() == content
