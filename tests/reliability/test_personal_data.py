"""No raw INSZ of the inputs anywhere it may not be: both DuckDB files (every column of every
table, quarantine summaries included), the load's output and log files, and every export format
the command offers.

The inputs are the baseline inbox plus the whole hostile corpus (accepted, quarantined and refused
files alike). `data/quarantine/` keeps rejected rows with their raw content by design (outside
the warehouse) and is not scanned; everything else is.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from pipelines.contracts import CONTRACTS
from pipelines.paths import DataPaths, repo_root
from pipelines.pseudonymise import normalise_insz
from pipelines.readers import FileRejected, read_source_file
from tests.hostile.cases import BASELINE, CASES
from tests.hostile.make_corpus import PEOPLE
from tests.reliability.conftest import run_cli

EXPORT_FORMATS = (
    "xlsx",
    "csv",
    "csv-plain",
    "pdf",
    "png",
    "parquet",
    "csv-package",
    "sdmx-csv",
)
_SEPARATORS = re.compile(r"[\s.\-/]")


def _raw_insz_of_inputs() -> set[str]:
    """Every INSZ the inputs hold, as 11 digits (the form that must never reappear)."""
    found = set(PEOPLE)
    files = [c.path for c in CASES if c.source in ("enrolments", "placements")]
    files += [p for p in BASELINE.rglob("*.csv") if p.parent.name in ("enrolments", "placements")]
    for path in files:
        contract = CONTRACTS[path.parent.name]
        try:
            raw = read_source_file(path, contract)
        except FileRejected:
            continue
        for value in raw.frame.get_column("insz").to_list():
            digits = normalise_insz(value)
            if digits is not None:
                found.add(digits)
    return found


SECRETS = sorted(_raw_insz_of_inputs())


def _leaks(text: str) -> list[str]:
    """INSZ found in `text`, also when written with dots, dashes or spaces."""
    squeezed = _SEPARATORS.sub("", text)
    return [s for s in SECRETS if s in text or s in squeezed or s[1:] in squeezed]


@pytest.fixture(scope="module")
def loaded_everything(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("personal") / "data"
    paths = DataPaths.under(root)
    shutil.copytree(BASELINE, paths.inbox)
    for case in CASES:
        target = paths.source_inbox(case.source) / case.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case.path, target)
    done = run_cli(root, "load")
    assert done.returncode == 2, done.stderr  # done, with rows and files refused
    return root, done.stdout + done.stderr


def test_the_inputs_do_hold_insz(loaded_everything: tuple[Path, str]) -> None:
    root, _ = loaded_everything
    assert len(SECRETS) >= 40
    quarantined = "".join(p.read_text() for p in (root / "quarantine").rglob("*.csv"))
    assert _leaks(quarantined), "the scan would not see an INSZ (quarantine keeps raw rows)"


@pytest.mark.parametrize("which", ["warehouse", "published"])
def test_no_raw_insz_in_either_duckdb_file(loaded_everything: tuple[Path, str], which: str) -> None:
    root, _ = loaded_everything
    paths = DataPaths.under(root)
    db = paths.warehouse if which == "warehouse" else paths.published
    pattern = "|".join(SECRETS + [s[1:] for s in SECRETS])
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
        assert ("meta", "quarantine_summary", "reason_code") in columns
        hits = []
        for schema, table, column in columns:
            count = con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" '
                f"WHERE regexp_matches(regexp_replace(\"{column}\"::VARCHAR, '[ .\\-/]', '', 'g'),"
                " ?)",
                [pattern],
            ).fetchone()
            if count and count[0]:
                hits.append(f"{schema}.{table}.{column}: {count[0]}")
        dotted = f"{SECRETS[0][:2]}.{SECRETS[0][2:6]}-{SECRETS[0][6:]}"
        probe = con.execute(
            "SELECT regexp_matches(regexp_replace(?, '[ .\\-/]', '', 'g'), ?)", [dotted, pattern]
        ).fetchone()
        assert probe == (True,)  # the scan does see an INSZ, separators or not
        summaries = con.execute(
            "SELECT count(*) FROM meta.quarantine_summary WHERE reason_code = 'bad_insz'"
        ).fetchone()
    finally:
        con.close()
    assert hits == []
    assert summaries is not None and summaries[0] > 0  # the INSZ-bearing rows were summarised
    assert not db.with_name(db.name + ".wal").exists()


def test_no_raw_insz_in_the_load_output_or_logs(loaded_everything: tuple[Path, str]) -> None:
    root, output = loaded_everything
    assert "load report" in output.lower() or "Load report" in output
    assert _leaks(output) == []
    for log in [*root.rglob("*.log"), *root.rglob("*.log.*")]:
        assert _leaks(log.read_text(errors="replace")) == [], log


def _texts_of(path: Path) -> list[str]:
    """What a person could read in an export: file bytes as text, archive members, PDF text."""
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    texts: list[str] = []
    for f in files:
        data = f.read_bytes()
        texts.append(data.decode("utf-8", errors="replace"))
        texts.append(data.decode("utf-16", errors="replace") if data[:2] == b"\xff\xfe" else "")
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as archive:
                texts += [archive.read(m).decode("utf-8", "replace") for m in archive.namelist()]
        if f.suffix == ".pdf":
            from pypdf import PdfReader

            texts += [page.extract_text() or "" for page in PdfReader(f).pages]
        if f.suffix == ".parquet":
            con = duckdb.connect()
            try:
                rows = con.execute("SELECT * FROM read_parquet(?)", [str(f)]).fetchall()
            finally:
                con.close()
            texts.append("\n".join(" ".join(map(str, row)) for row in rows))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("pool", ["region", "technicity"])
def test_no_raw_insz_in_any_export(
    loaded_everything: tuple[Path, str], tmp_path: Path, fmt: str, pool: str
) -> None:
    if not (repo_root() / "dashboard" / "exports").is_dir():
        pytest.skip("dashboard/exports does not exist yet: no export to scan")
    root, _ = loaded_everything
    folder = fmt in ("png", "parquet", "csv-package")
    out = tmp_path / ("export" if folder else f"export.{fmt.split('-')[0]}")
    done = run_cli(root, "export", "--pool", pool, "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _leaks(done.stdout + done.stderr) == []
    texts = _texts_of(out)
    assert any(texts)
    for text in texts:
        assert _leaks(text) == []
