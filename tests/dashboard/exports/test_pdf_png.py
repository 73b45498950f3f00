"""The PDF brief read back with pypdf (language, key figures as the dashboard formats them,
legend, sources, load date, 2–6 pages) and the PNG charts (real PNGs of the expected size)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pypdf
import pytest

from dashboard import data
from dashboard.exports import charts, pdf, png
from dashboard.exports.selection import build
from dashboard.exports.text import x
from dashboard.formatting import fmt
from dashboard.i18n import t

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _size(content: bytes) -> tuple[int, int]:
    assert content[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def _text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.mark.parametrize(("pool", "lang"), [("technicity", "nl"), ("region", "fr")])
def test_brief(published: Path, pool: str, lang: str) -> None:
    sel = build(published, pool, "2024-01", "2024-12", lang)
    pages, text = _text(pdf.render(sel))
    assert 2 <= pages <= 6
    for expected in (
        sel.title(),
        sel.period_text(),
        x("brief_key_figures", lang),
        t("flag_c", lang),
        t("protection_rule", lang, n=10, d=20),
        "2025-01-12 06:00",
        x("about_sources", lang),
    ):
        assert " ".join(expected.split()) in text, expected
    # the key figures are the published cells, formatted as the dashboard formats them
    pool_id = sel.pool.pool_id if sel.pool else data.TOTAL
    trainees = data.cells(
        published,
        "mart_pool_participation",
        ["trainee_count"],
        {
            "pool_id": pool_id,
            "period_type": "year",
            "period": "2024",
            "breakdown": "total",
            "breakdown_value": data.TOTAL,
        },
    )["trainee_count"].iloc[0]
    assert fmt(trainees, "count", lang) in text
    tension = data.cells(
        published, "mart_labour_market_pool", ["tension_ratio"], {"pool_id": pool_id}
    )
    last = tension[tension["month"] == max(tension["month"])]["tension_ratio"].iloc[0]
    assert fmt(last, "ratio", lang) in text
    for key, _ in (("definition", 0),):
        assert t(key, lang) in text
    rows = pdf.key_figures(sel)
    provisional = [r for r in rows if r[2].endswith("(p)")]
    assert provisional, rows  # 2024 cohorts are provisional in the fixture


def test_png_charts(published: Path) -> None:
    sel = build(published, "technicity", "2024-01", "2024-12", "en")
    found = charts.charts(sel)
    assert [c.chart_id for c in found] == [
        "functions",
        "funnel",
        "cohorts",
        "sector_market",
        "shortage",
    ]
    content = png.render_zip(found[:2])
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        assert zf.namelist() == ["functions.png", "funnel.png"]
        for name in zf.namelist():
            width, height = _size(zf.read(name))
            assert (width, height) == (png.WIDTH * png.SCALE, png.HEIGHT * png.SCALE)


def test_region_map_renders_offline(published: Path) -> None:
    sel = build(published, "region", "2024-01", "2024-12", "fr")
    chart = charts.map_chart(sel, data.TOTAL)
    assert chart is not None
    width, _ = _size(png.chart_png(chart))
    assert width == png.WIDTH * png.SCALE
