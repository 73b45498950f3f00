"""Exports for pool managers and analysts: one path, two doors.

- `export(...)` is what `observatory export` calls: one pool (or the region), a period, a
  format, a language, a destination.
- `export_selection(...)` is what a page's download button calls (dashboard/components/
  download.py): the page's validated view state in, (bytes, file name) out.

Both build the same `selection.Selection` from the published file and hand it to one module per
format (xlsx, csv, pdf, png, parquet), so a figure in a file is the figure on screen, with the
same flag. `sdmx-csv` is SDMX-CSV 2.0 (`sdmx`), `csv-package` the Parquet data package with
CSV files (the CLI only).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

from dashboard.exports import csv as csv_export
from dashboard.exports import parquet as parquet_export
from dashboard.exports import sdmx
from dashboard.exports.selection import ExportError, Selection, build

__all__ = ["ALL_FORMATS", "FORMATS", "ExportError", "export", "export_selection", "render"]

# The download buttons: "csv" follows the page's language (Belgian Excel in fr/nl).
FORMATS: Final = ("xlsx", "csv", "pdf", "png", "parquet", "sdmx-csv")
ALL_FORMATS: Final = (
    "xlsx",
    "csv",
    "csv-plain",
    "pdf",
    "png",
    "parquet",
    "csv-package",
    "sdmx-csv",
)
SUFFIX: Final = {
    "xlsx": ".xlsx",
    "csv": ".csv",
    "csv-plain": ".csv",
    "sdmx-csv": ".sdmx.csv",
    "pdf": ".pdf",
    "png": ".zip",
    "parquet": ".zip",
    "csv-package": ".zip",
}
# Folder formats: a data package (tables + datapackage.json) or the PNG charts.
FOLDERS: Final = ("png", "parquet", "csv-package")
PACKAGE_FILES: Final = {"parquet": "parquet", "csv-package": "csv"}


def render(sel: Selection, fmt: str) -> tuple[bytes, str]:
    """One selection in one format, as (content, file name) — a single file in every case
    (PNG charts and the Parquet folder are zipped)."""
    name = sel.file_stem() + SUFFIX[fmt]
    if fmt == "xlsx":
        from dashboard.exports import xlsx

        return xlsx.render(sel), name
    if fmt in ("csv", "csv-plain"):
        return csv_export.render(sel, fmt), name
    if fmt == "sdmx-csv":
        return sdmx.render(sel), name
    if fmt == "pdf":
        from dashboard.exports import pdf

        return pdf.render(sel), name
    if fmt == "png":
        from dashboard.exports import charts, png

        return png.render_zip(charts.charts(sel)), name
    if fmt in PACKAGE_FILES:
        with tempfile.TemporaryDirectory(prefix="observatory-export-") as scratch:
            return parquet_export.render_zip(sel, Path(scratch), PACKAGE_FILES[fmt]), name
    raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(ALL_FORMATS)}")


def export_selection(published_path: Path, state: object, page: str, fmt: str) -> tuple[bytes, str]:
    """The download button: the page's selection (pool page → its pool; compare and labour
    market with a pool sector chosen → still the region, so pools can be compared; otherwise
    the region) over the page's months, in the page's language."""
    from dashboard.state import ViewState

    if not isinstance(state, ViewState):
        raise ExportError("no view state")
    pool = state.pool if page == "pool" and state.pool else None
    sel = build(published_path, pool, state.month_from, state.month_to, state.lang)
    return render(sel, fmt)


def _atomic_write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.with_name(target.name + ".part")
    work.write_bytes(content)
    os.replace(work, target)


def export(
    published_path: Path,
    pool: str | None,
    period_from: str | None,
    period_to: str | None,
    fmt: str,
    lang: str,
    out: Path,
) -> Path:
    """Write one export for the CLI and return what was written.

    `out` is a file for xlsx, csv, csv-plain, sdmx-csv and pdf (a folder there gets the default file
    name); a folder for parquet (Parquet files + datapackage.json), csv-package (the same
    package with CSV files) and png (one PNG per chart), or a `.zip` file for any of them.
    Raises ExportError with a one-line message.
    """
    if fmt not in ALL_FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(ALL_FORMATS)}")
    sel = build(published_path, pool, period_from, period_to, lang)
    try:
        return _write(sel, fmt, out)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _write(sel: Selection, fmt: str, out: Path) -> Path:
    if fmt in FOLDERS:
        if out.suffix.lower() == ".zip":
            content, _ = render(sel, fmt)
            _atomic_write(out, content)
            return out
        if out.suffix:
            raise ExportError(f"--out for {fmt} is a folder or a .zip file, not {out.name}")
        if fmt in PACKAGE_FILES:
            return parquet_export.write(sel, out, PACKAGE_FILES[fmt])
        from dashboard.exports import charts, png

        png.write_folder(charts.charts(sel), out)
        return out
    target = out / (sel.file_stem() + SUFFIX[fmt]) if out.is_dir() else out
    if fmt in ("csv", "csv-plain"):
        # Streamed to disk: a full export is a million lines and never held twice in memory.
        target.parent.mkdir(parents=True, exist_ok=True)
        work = target.with_name(target.name + ".part")
        with work.open("w", encoding=csv_export.encoding(fmt, sel.lang), newline="") as fh:
            csv_export.write(sel, fh, fmt)
        os.replace(work, target)
        return target
    if fmt == "sdmx-csv":
        target.parent.mkdir(parents=True, exist_ok=True)
        work = target.with_name(target.name + ".part")
        with work.open("w", encoding="utf-8", newline="") as fh:
            sdmx.write(sel, fh)
        os.replace(work, target)
        return target
    content, _ = render(sel, fmt)
    _atomic_write(target, content)
    return target
