"""The dispatcher: content decides the connector; anything else is refused with one line."""

from __future__ import annotations

import gzip
import random
import shutil
from datetime import date
from pathlib import Path

import pytest
from official_helpers import BRUSSELS, EUROSTAT

from pipelines.sources.official import (
    UnrecognisedFile,
    context_files,
    detect_and_read,
    is_sidecar,
)
from pipelines.sources.official.common import label_to_code, normalise_label, parse_period


def test_every_published_file_has_its_connector(communes: dict[str, str]) -> None:
    formats = {
        path.name: detect_and_read(path, communes).file_format
        for folder in (EUROSTAT, BRUSSELS)
        for path in context_files(folder)
    }
    assert formats == {
        "lfst_r_lfu3rt.tsv": "eurostat_tsv",
        "tgs00010.tsv": "eurostat_tsv",
        "estat_une_rt_m_filtered_en.BE-subset.csv": "eurostat_sdmx_csv",
        "ei_lmjv_q_r2_job_vacancies.xlsx": "eurostat_xlsx",
        "lfst_r_lfu3rt_1_Data.csv": "eurostat_explorer_csv",
        "demandeurs_emploi_genre_etudes.csv": "opendata_brussels_csv",
    }
    assert is_sidecar(EUROSTAT / "lfst_r_lfu3rt_Label.csv")


def test_content_not_name_decides(tmp_path: Path, communes: dict[str, str]) -> None:
    renamed = tmp_path / "download (3).csv"
    shutil.copy(EUROSTAT / "tgs00010.tsv", renamed)
    assert detect_and_read(renamed, communes).file_format == "eurostat_tsv"


def _refused(tmp_path: Path, communes: dict[str, str], name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnrecognisedFile) as caught:
        detect_and_read(path, communes)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    return message


def test_random_text_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    text = "Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\n"
    message = _refused(tmp_path, communes, "notes.txt", text.encode())
    assert message == (
        "notes.txt: unknown layout, not a recognised published file ('Lorem ipsum dolor sit amet')"
    )


def test_unknown_csv_layout_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    data = b"geo;year;value\r\nBE10;2013;19.2\r\n"
    assert "unknown layout" in _refused(tmp_path, communes, "table.csv", data)


def test_random_bytes_are_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    data = bytes(random.Random(8).getrandbits(8) for _ in range(2048)) + b"\x00"
    assert "binary content" in _refused(tmp_path, communes, "blob.bin", data)


def test_empty_and_damaged_files_are_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    assert _refused(tmp_path, communes, "empty.csv", b"  \n") == "empty.csv: empty file"
    damaged = gzip.compress(b"age,geo\\time\t2013 \n")[:-6]
    assert "damaged gzip" in _refused(tmp_path, communes, "x.tsv.gz", damaged)
    assert "not a readable XLSX" in _refused(tmp_path, communes, "x.xlsx", b"PK\x03\x04broken")


def test_context_files_skip_sidecars(tmp_path: Path) -> None:
    for name in ("lfst_r_lfu3rt_1_Data.csv", "lfst_r_lfu3rt_Label.csv", "tgs00010.tsv"):
        shutil.copy(EUROSTAT / name, tmp_path / name)
    (tmp_path / ".hidden").write_text("x")
    assert [p.name for p in context_files(tmp_path)] == ["lfst_r_lfu3rt_1_Data.csv", "tgs00010.tsv"]


@pytest.mark.parametrize(
    ("label", "canonical", "start", "freq"),
    [
        ("2013 ", "2013", date(2013, 1, 1), "A"),
        ("2013M07", "2013-07", date(2013, 7, 1), "M"),
        ("2019-01", "2019-01", date(2019, 1, 1), "M"),
        ("2023-Q2", "2023-Q2", date(2023, 4, 1), "Q"),
        ("2023Q4", "2023-Q4", date(2023, 10, 1), "Q"),
        ("2020-S2", "2020-S2", date(2020, 7, 1), "S"),
    ],
)
def test_periods(label: str, canonical: str, start: date, freq: str) -> None:
    period = parse_period(label)
    assert period is not None
    assert (period.label, period.start, period.freq) == (canonical, start, freq)


@pytest.mark.parametrize("label", ["2013-13", "13", "2023-Q5", "Year 2013", ""])
def test_not_periods(label: str) -> None:
    assert parse_period(label) is None


def test_label_mapping() -> None:
    assert (
        label_to_code("geo", "Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest")
        == "BE10"
    )
    assert label_to_code("geo", "Euro area – 20 countries (from 2023)") == "EA20"  # en dash
    assert label_to_code("geo", "BE10") == "BE10"  # a code stays a code
    assert label_to_code("geo", "BE10: Brussels") == "BE10"  # "code: label" layout
    assert label_to_code("sex", "females") == "F"
    assert label_to_code("nace_r2", "Real estate activities") == "L"
    assert label_to_code("geo", "Atlantis") is None
    assert label_to_code("geo", "") is None
    assert normalise_label("L’Écluse-Saint  Jean") == normalise_label("l'ecluse saint-jean")
