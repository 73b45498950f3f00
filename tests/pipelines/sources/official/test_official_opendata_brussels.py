"""opendata.brussels export of Actiris job seekers per commune, sex and study level."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from official_helpers import BRUSSELS, one

from pipelines.sources.official import OBSERVATION_SCHEMA, UnrecognisedFile, detect_and_read
from pipelines.sources.official.opendata_brussels import commune_lookup, read_opendata_brussels

FILE = BRUSSELS / "demandeurs_emploi_genre_etudes.csv"


@pytest.fixture(scope="module")
def dei(communes: dict[str, str]) -> pl.DataFrame:
    read = detect_and_read(FILE, communes)
    assert read.file_format == "opendata_brussels_csv"
    assert read.rejected.is_empty()
    assert read.rows_read == 285
    assert read.last_update is None  # the export states no date
    return read.observations


def test_file_quirks_are_real() -> None:
    data = FILE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfAnn\xc3\xa9e;Commune;Gemeente;")
    assert data.count(b"\r\n") == 286
    assert "d’études".encode() in data and b"d'\xc3\xa9tude" in data


def test_shape(dei: pl.DataFrame) -> None:
    assert dei.schema == OBSERVATION_SCHEMA
    assert dei.height == 19 * 15 * 15  # communes x years x (3 sexes x 5 study levels)
    assert dei["geo"].n_unique() == 19
    assert sorted(dei["period"].unique()) == [str(y) for y in range(2011, 2026)]
    assert set(dei["education"]) == {"total", "low", "medium", "high", "other"}
    assert set(dei["sex"]) == {"T", "M", "F"}
    assert set(dei["dataset"]) == {"actiris_dei_commune_sex_education"}
    assert set(dei["source"]) == {"Actiris via opendata.brussels"}
    assert dei["value"].null_count() == 0


def test_ixelles_2025(dei: pl.DataFrame) -> None:
    # line 2: "2025;Ixelles;Elsene;6363.0;3366;52.89…;2995;47.06…;697;10.95…;476;7.48…;221;…;
    #          1065;…;639;…;426;…;1952;…;891;…;1061;…;2647;…;1360;…;1287;…"
    ixelles = dei.filter(geo="21009", period="2025")
    values = {(r["sex"], r["education"]): r["value"] for r in ixelles.iter_rows(named=True)}
    assert values[("T", "total")] == 6363.0  # written as a float in the file
    assert values[("M", "total")] == 3366.0
    assert values[("F", "total")] == 2995.0  # 3366 + 2995 != 6363: kept as published
    assert (values[("T", "low")], values[("M", "low")], values[("F", "low")]) == (697, 476, 221)
    assert (values[("T", "medium")], values[("M", "medium")], values[("F", "medium")]) == (
        1065,
        639,
        426,
    )
    assert (values[("T", "high")], values[("M", "high")], values[("F", "high")]) == (
        1952,
        891,
        1061,
    )
    assert (values[("T", "other")], values[("M", "other")], values[("F", "other")]) == (
        2647,
        1360,
        1287,
    )
    row = one(dei, geo="21009", period="2025", sex="T", education="total")
    assert row["dimension_key"] == "education=total;geo=21009;sex=T;unit=PER"
    assert row["freq"] == "A"


def test_saint_josse_2011(dei: pl.DataFrame) -> None:
    # line 229: "2011;Saint-Josse-ten-Noode;Sint-Joost-ten-Node;3958.0;2286;…;1674;…;1060;…"
    assert one(dei, geo="21014", period="2011", sex="T", education="total")["value"] == 3958.0
    assert one(dei, geo="21014", period="2011", sex="F", education="total")["value"] == 1674.0
    assert one(dei, geo="21014", period="2011", sex="T", education="low")["value"] == 1060.0


def test_dutch_names_alone_map(dei: pl.DataFrame, communes: dict[str, str]) -> None:
    lines = FILE.read_bytes().decode("utf-8").split("\r\n")
    blanked = [lines[0]] + [
        ";".join([c[0], "", *c[2:]]) for c in (line.split(";") for line in lines[1:] if line)
    ]
    read = read_opendata_brussels("\r\n".join(blanked).encode(), FILE.name, communes)
    assert read.rejected.is_empty()
    assert read.observations.equals(dei)


def test_name_variants_are_tolerated() -> None:
    lookup = commune_lookup(
        {
            "Saint-Josse-ten-Noode": "21014",
            "Sint-Pieters-Woluwe": "21019",
            "Woluwé-Saint-Lambert": "21018",
            "L'Écluse": "99999",
        }
    )
    from pipelines.sources.official.common import normalise_label

    assert lookup[normalise_label("SAINT JOSSE TEN NOODE")] == "21014"
    assert lookup[normalise_label("sint pieters-woluwe")] == "21019"
    assert lookup[normalise_label("Woluwe Saint Lambert")] == "21018"
    assert lookup[normalise_label("L’Ecluse")] == "99999"


def test_unknown_commune_is_rejected(communes: dict[str, str]) -> None:
    text = FILE.read_bytes().decode("utf-8").replace("2025;Jette;Jette;", "2025;Atlantis;Atlantis;")
    read = read_opendata_brussels(text.encode(), FILE.name, communes)
    assert read.observations.height == (285 - 1) * 15
    rejected = read.rejected.row(0, named=True)
    assert (rejected["reason"], rejected["location"]) == ("unknown_label", "line 3")
    assert rejected["detail"] == "commune 'Atlantis' / 'Atlantis'"
    assert rejected["raw"].startswith("2025;Atlantis;Atlantis;3753.0;")


def test_missing_column_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    rows = [line.split(";") for line in FILE.read_bytes().decode("utf-8").split("\r\n") if line]
    at = rows[0].index("Total femmes")
    cut = "\r\n".join(";".join(r[:at] + r[at + 1 :]) for r in rows)
    path = tmp_path / FILE.name
    path.write_bytes(cut.encode("utf-8"))
    with pytest.raises(UnrecognisedFile, match="lacks column 'Total femmes'"):
        detect_and_read(path, communes)


def test_renamed_header_is_refused(tmp_path: Path, communes: dict[str, str]) -> None:
    data = FILE.read_bytes().replace(b";Total hommes;", b";Hommes;", 1)
    path = tmp_path / FILE.name
    path.write_bytes(data)
    with pytest.raises(UnrecognisedFile, match="lacks column 'Total hommes'"):
        detect_and_read(path, communes)


def test_bad_count_is_rejected(communes: dict[str, str]) -> None:
    text = (
        FILE.read_bytes()
        .decode("utf-8")
        .replace("2025;Jette;Jette;3753.0;", "2025;Jette;Jette;n.d.;")
    )
    read = read_opendata_brussels(text.encode(), FILE.name, communes)
    rejected = read.rejected.row(0, named=True)
    assert (rejected["reason"], rejected["detail"]) == ("bad_value", "value 'n.d.'")
    assert read.observations.height == 285 * 15 - 1
