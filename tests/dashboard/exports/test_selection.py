"""The selection every format renders: same cells and flags as the data layer, whole tables for
a full export, clear one-line errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data
from dashboard.exports.selection import (
    GROUPS,
    KEY_COLUMNS,
    ExportError,
    build,
    infer_unit,
    neutralise,
)
from dashboard.exports.text import TEXT


def _count(path: Path, mart: str) -> int:
    return int(data.query(path, f'SELECT count(*) AS n FROM marts."{mart}"')["n"].iloc[0])


def test_full_export_has_every_published_row(published: Path) -> None:
    sel = build(published, "region", None, None, "fr")
    marts = set(data.published_tables(published)["table_name"])
    expected = [m for _, m, _ in GROUPS if m in marts]
    assert [g.mart for g in sel.groups] == expected
    for group in sel.groups:
        assert len(group.frame) == _count(published, group.mart), group.mart
        assert list(group.frame.columns[: len(KEY_COLUMNS)]) == list(KEY_COLUMNS)
    assert sel.month_from == date(2023, 1, 1)
    assert sel.month_to == date(2024, 12, 1)


def test_pool_cells_equal_the_data_layer(published: Path) -> None:
    sel = build(published, "technicity", "2024-01", "2024-12", "en")
    group = sel.group("participation")
    assert group is not None
    assert set(group.frame["pool_id"]) == {"technicity"}
    shown = data.cells(
        published,
        "mart_pool_participation",
        ["trainee_count", "completion_rate"],
        {"pool_id": "technicity", "period_type": "month"},
        between=("period_start", date(2024, 1, 1), date(2024, 12, 1)),
    )
    months = group.frame[group.frame["period_type"] == "month"]
    assert len(months) == len(shown)
    merged = months.merge(
        shown.assign(period=shown["period"].astype(str)),
        left_on=["period", "dimension", "code"],
        right_on=["period", "breakdown", "breakdown_value"],
        suffixes=("", "_dash"),
    )
    assert len(merged) == len(shown)
    for column in ("trainee_count", "completion_rate"):
        a = pd.to_numeric(merged[column], errors="coerce")
        b = pd.to_numeric(merged[f"{column}_dash"], errors="coerce")
        assert ((a == b) | (a.isna() & b.isna())).all(), column
        fa = merged[f"{column}_flag"].fillna("")
        fb = merged[f"{column}_flag_dash"].fillna("")
        assert (fa == fb).all()
    # the fixture suppresses the X (sex) cells: they stay suppressed with their flag
    x_rows = months[months["code"] == "X"]
    assert x_rows["trainee_count"].isna().all()
    assert set(x_rows["trainee_count_flag"]) == {"c"}
    assert set(months.loc[months["code"] == "F", "label"]) == {"Women"}


def test_pool_keeps_its_occupations_only(published: Path) -> None:
    sel = build(published, "digitalcity", None, None, "fr")
    occ = sel.group("occupations")
    assert occ is not None
    assert set(occ.frame["code"]) == {"2512", "3512"}
    flagged = occ.frame[(occ.frame["code"] == "3512") & (occ.frame["period"] == "2023-04")]
    assert flagged["vacancy_received_count"].isna().all()
    assert list(flagged["vacancy_received_count_flag"]) == ["c"]
    shortage = sel.group("shortage")
    assert shortage is not None
    assert set(shortage.frame["code"]) == {"2512", "3512"}


def test_period_keeps_every_period_that_touches_it(published: Path) -> None:
    sel = build(published, "technicity", "2024-03", "2024-05", "fr")
    place = sel.group("placement")
    assert place is not None
    periods = set(zip(place.frame["period_type"], place.frame["period"], strict=True))
    assert {p for t, p in periods if t == "month"} == {"2024-03", "2024-04", "2024-05"}
    assert {p for t, p in periods if t == "quarter"} == {"2024-Q1", "2024-Q2"}
    assert {p for t, p in periods if t == "year"} == {"2024"}
    lm = sel.group("labour_market")
    assert lm is not None
    assert sorted(set(lm.frame["period"])) == ["2024-03", "2024-04", "2024-05"]
    communes = sel.group("communes")
    assert communes is not None
    assert set(communes.frame["period"]) == {"2024"}


@pytest.mark.parametrize(
    ("pool", "start", "end", "message"),
    [
        ("nowhere", None, None, "unknown pool 'nowhere'"),
        ("technicity", "2024-13", None, "is not a month"),
        ("technicity", "2024-06", "2024-01", "is after"),
        ("technicity", "2030-01", "2030-02", "outside the published months"),
    ],
)
def test_bad_requests_fail_with_one_line(
    published: Path, pool: str, start: str | None, end: str | None, message: str
) -> None:
    with pytest.raises(ExportError, match=message) as info:
        build(published, pool, start, end, "fr")
    assert "\n" not in str(info.value)


def test_missing_file_and_language(tmp_path: Path, published: Path) -> None:
    with pytest.raises(ExportError, match="not found"):
        build(tmp_path / "none.duckdb", "region", None, None, "fr")
    with pytest.raises(ExportError, match="language"):
        build(published, "region", None, None, "de")


def test_neutralise_and_units() -> None:
    for bad in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\tx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Pôle Technicity") == "Pôle Technicity"
    assert infer_unit("fill_rate", None) == "rate"
    assert infer_unit("median_days_open", None) == "days"
    assert infer_unit("trainee_per_1000", None) == "ratio"
    assert infer_unit("trainee_count", "persons") == "persons"


def test_every_export_word_in_three_languages() -> None:
    for key, texts in TEXT.items():
        assert set(texts) == {"fr", "nl", "en"}, key
        assert all(v.strip() for v in texts.values()), key
