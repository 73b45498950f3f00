"""The CSV read back with polars: Belgian Excel dialect in fr/nl, plain in en or csv-plain,
values and flags as the data layer gives them, nothing truncated."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard import data
from dashboard.exports import csv as csv_export
from dashboard.exports.selection import build
from dashboard.exports.text import x
from tests.dashboard.exports.conftest import HOSTILE_POOL


def _read(content: bytes, belgian: bool) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(content),
        separator=";" if belgian else ",",
        decimal_comma=belgian,
        infer_schema=False,
    )


def _flag(value: object) -> str | None:
    return None if value is None or value != value or value == "" else str(value)


def test_belgian_dialect(published: Path) -> None:
    sel = build(published, "technicity", "2024-01", "2024-12", "nl")
    content = csv_export.render(sel, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    first = content[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert first.split(";")[0] == x("col_table", "nl")
    frame = _read(content[3:], belgian=True)
    rates = frame.filter(
        (pl.col("code indicator") == "completion_rate") & (pl.col("Waarde") != "")
    )["Waarde"]
    assert rates.len() > 0
    assert all("," in v and "." not in v for v in rates.to_list())
    assert frame.filter(pl.col("code indicator") == "completion_rate")["Aantal"].null_count() == (
        frame.filter(pl.col("code indicator") == "completion_rate").height
    )


@pytest.mark.parametrize(("fmt", "lang"), [("csv-plain", "fr"), ("csv", "en")])
def test_plain_dialect(published: Path, fmt: str, lang: str) -> None:
    sel = build(published, "technicity", "2024-01", "2024-12", lang)
    content = csv_export.render(sel, fmt)
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.split(b"\r\n", 1)[0].decode() == ",".join(csv_export.COLUMNS)
    frame = _read(content, belgian=False)
    rates = frame.filter(pl.col("indicator_id") == "completion_rate")["value_number"].to_list()
    assert rates and all("." in v for v in rates if v)


def test_values_and_flags_equal_the_data_layer(published: Path) -> None:
    sel = build(published, "technicity", "2024-01", "2024-12", "fr")
    frame = _read(csv_export.render(sel, "csv-plain"), belgian=False)
    shown = data.cells(
        published,
        "mart_pool_participation",
        ["trainee_count"],
        {"pool_id": "technicity", "period_type": "month", "breakdown": "sex"},
        between=("period_start", date(2024, 1, 1), date(2024, 12, 1)),
    )
    got = frame.filter(
        (pl.col("table") == "mart_pool_participation")
        & (pl.col("period_type") == "month")
        & (pl.col("dimension") == "sex")
        & (pl.col("indicator_id") == "trainees")
    )
    assert got.height == len(shown) > 0
    index = {(r["period_start"], r["code"]): r for r in got.iter_rows(named=True)}
    for row in shown.to_dict("records"):
        line = index[(f"{row['period']}-01", row["breakdown_value"])]
        value = row["trainee_count"]
        assert not line["value_number"] and not line["value_boolean"]
        if value is None or value != value:
            assert line["value_integer"] is None or line["value_integer"] == ""
        else:
            assert line["value_integer"] == str(int(value))
        assert (line["flag"] or None) == _flag(row["trainee_count_flag"])
    assert "c" in set(got["flag"].to_list())
    assert set(got.filter(pl.col("code") == "F")["label"].to_list()) == {"Femmes"}


def test_full_export_is_never_truncated(published: Path) -> None:
    sel = build(published, "region", None, None, "fr")
    expected = sum(len(g.frame) * len(g.measures) for g in sel.groups)
    frame = _read(csv_export.render(sel, "csv")[3:], belgian=True)
    assert frame.height == expected
    for group in sel.groups:
        n = data.query(published, f'SELECT count(*) AS n FROM marts."{group.mart}"')["n"].iloc[0]
        lines = frame.filter(pl.col("table") == group.mart).height
        assert lines == int(n) * len(group.measures), group.mart


def test_formula_text_neutralised_in_csv(hostile: Path) -> None:
    sel = build(hostile, "technicity", "2024-01", "2024-03", "fr")
    frame = _read(csv_export.render(sel, "csv")[3:], belgian=True)
    pools = set(frame["Pôle"].drop_nulls().to_list())
    assert pools == {"'" + HOSTILE_POOL}


def test_number_text_is_exact() -> None:
    assert csv_export.number_text(1234.0, True) == "1234,0"
    assert csv_export.number_text(1234, True, "integer") == "1234"
    assert csv_export.number_text(0.123456789, True) == "0,123456789"
    assert csv_export.number_text(0.1, False) == "0.1"
    assert csv_export.number_text(1e-05, False) == "0.00001"
    assert csv_export.number_text(None, False) == ""
    assert csv_export.number_text(True, False, "boolean") == "true"
    assert csv_export.number_text(False, True, "boolean") == "false"
