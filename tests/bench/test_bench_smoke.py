"""Smoke test of the benchmark code at a tiny scale: it runs, reads every file, and its figures
are consistent. No timings are asserted (benchmarks are not tests)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from bench.baseline import csv_statement, run_baseline
from bench.common import children_of, percentile, rss_of, summary_ms, write_result
from bench.phase import generate
from bench.run import MONTH_FILE, SCALES, phase
from bench.scenarios import View, filter_payload, page_payload
from pipelines.contracts import CONTRACTS

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    data = tmp_path_factory.mktemp("bench")
    tiny = SCALES["tiny"]
    result = generate(
        {
            "data_dir": str(data),
            "reference_dir": str(REFERENCE),
            "end_month": "2026-10-01",
            "scale": tiny.scale,
            "vacancies": tiny.vacancies,
            "enrolments": tiny.enrolments,
        }
    )
    return data, result


def test_generate_writes_the_month_file_the_incremental_load_holds_back(
    tiny: tuple[Path, dict[str, object]],
) -> None:
    data, result = tiny
    month = data / "inbox" / MONTH_FILE
    assert month.exists()
    lines = month.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1 and all(",2026-10-" in line for line in lines[1:3])
    rows = result["rows"]
    assert isinstance(rows, dict) and rows["vacancies"] >= 5_000


def test_baseline_reads_every_contract_file_with_types(
    tiny: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    data, result = tiny
    out = run_baseline(data / "inbox", tmp_path / "b.duckdb")
    rows = result["rows"]
    assert isinstance(rows, dict)
    files = sum(1 for s in CONTRACTS for _ in (data / "inbox" / s).iterdir())
    assert out["files"] == files
    # every row but the deliberately bad dates (skipped by ignore_errors) is read
    assert sum(rows.values()) - 100 < int(str(out["rows"])) <= sum(rows.values())
    assert not (tmp_path / "b.duckdb").exists()


def test_csv_statement_types_dates_and_keeps_codes_as_text(
    tiny: tuple[Path, dict[str, object]],
) -> None:
    data, _ = tiny
    path = data / "inbox" / "enrolments" / "enrolments_2020.csv"  # Belgian CSV, French headers
    sql = csv_statement(path, CONTRACTS["enrolments"], "t")
    assert "encoding='latin-1'" in sql and "delim=';'" in sql and "dateformat='%d/%m/%Y'" in sql
    con = duckdb.connect()
    con.execute(sql)
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 't'"
        ).fetchall()
    )
    assert types["date_debut"] == "DATE" and types["commune"] == "VARCHAR"


def test_load_phase_reports_time_memory_and_sizes(tiny: tuple[Path, dict[str, object]]) -> None:
    data, _ = tiny
    out = phase("load", {"data_dir": str(data), "reference_dir": str(REFERENCE)})
    assert out["rows_loaded"] > 0 and out["peak_rss_mb"] > 0
    assert out["published_bytes"] < out["warehouse_bytes"]
    assert {"build", "publish_fn"} <= set(out["stages"])


def test_payloads_have_the_shape_dash_expects() -> None:
    body = page_payload(View("pool", "/pool/x", "?lang=nl"))
    assert body["inputs"][0]["value"] == "/pool/x" and body["inputs"][1]["value"] == "?lang=nl"
    f = filter_payload("_pages_location.search@abc", {"from": "2024-01", "sex": "F"}, "?lang=fr")
    assert len(f["inputs"][0]) == 2 and f["changedPropIds"] == [
        '{"key":"sex","type":"filter"}.value'
    ]
    json.dumps(f)


def test_helpers(tmp_path: Path) -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0
    assert summary_ms([0.1, 0.2])["max_ms"] == 200.0
    import os

    assert rss_of(os.getpid()) is not None
    assert isinstance(children_of(os.getpid()), list)
    target = write_result("x", {"a": 1}, out_dir=tmp_path)
    assert json.loads(target.read_text())["a"] == 1


def test_cls_groups_shifts_in_session_windows_and_ignores_input() -> None:
    from bench.page_load import cls

    shift = [{"t": 100.0, "v": 0.1, "input": False}, {"t": 600.0, "v": 0.05, "input": False}]
    later = [{"t": 3000.0, "v": 0.12, "input": False}, {"t": 3100.0, "v": 0.5, "input": True}]
    assert cls([]) == 0.0
    assert cls(shift) == 0.15  # one window: gap under 1 s
    assert cls(shift + later) == 0.15  # a second window of 0.12; the input's shift not counted
    long = [{"t": 900.0 * i, "v": 0.01, "input": False} for i in range(10)]
    assert cls(long) == 0.06  # windows end after 5 s: 0.00-4.5 s holds 6 shifts
