"""Writes the hostile corpus of `corpus/`, byte for byte (encodings, BOMs, CR, NUL matter).

Run `python tests/hostile/make_corpus.py` after changing a file; the files are committed so that
a failure can be reproduced by opening the file, and `tests/hostile/cases.py` states what each one
must give. Big hostile files (a 10 MB field, a million rows, an archive bomb) are not here: the
tests generate them in a temporary folder.

INSZ numbers below are fictitious but pass the mod-97 check; no real person is meant.
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
BASELINE = HERE / "baseline"
SCENARIOS = HERE / "scenarios"
OFFICIAL = HERE.parents[1] / "data" / "reference" / "official"


def insz(born: str, serial: int, *, after_2000: bool = False) -> str:
    """A fictitious INSZ (YYMMDD + serial + mod-97 check) for a birth date `YYMMDD`."""
    base = int(f"{born}{serial:03d}")
    check = 97 - ((2_000_000_000 + base) if after_2000 else base) % 97
    return f"{born}{serial:03d}{check:02d}"


def bad_checksum(number: str) -> str:
    """The same number with its check digits off by one: fails mod-97 in both centuries."""
    check = (int(number[9:]) % 97) + 1
    return f"{number[:9]}{check:02d}"


# Every INSZ a corpus file holds; the personal-data tests look for each of them everywhere.
PEOPLE: list[str] = [insz(f"8{i % 10}0{1 + i % 9}1{i % 9}", 100 + i) for i in range(40)]

ENROLMENT_HEADER = [
    "enrolment_id", "insz", "pool_id", "programme_id", "programme_name", "target_group",
    "start_date", "end_date", "status", "has_certificate", "sex", "birth_date", "commune_nis",
    "education_level",
]  # fmt: skip
VACANCY_HEADER = [
    "vacancy_id", "received_date", "closed_date", "occupation_isco", "occupation_rome", "nace",
    "commune_nis", "position_count", "outcome",
]  # fmt: skip
JOBSEEKER_HEADER = [
    "month", "occupation_isco", "occupation_rome", "commune_nis", "sex", "age_band",
    "duration_band", "education_level", "jobseeker_count",
]  # fmt: skip
ACTIVITY_HEADER = [
    "activity_id", "pool_id", "activity_date", "function", "target_group", "activity_count",
    "participant_count", "hours", "hire_count",
]  # fmt: skip
PLACEMENT_HEADER = [
    "placement_id", "insz", "start_date", "end_date", "employer_nace", "occupation_isco",
    "occupation_rome", "contract_type",
]  # fmt: skip

POOLS = ["technicity", "digitalcity", "logisticity", "construcity", "horeca", "media"]
PROGRAMMES = ["Électromécanicien", "Développeur web", "Magasinier-cariste", "Maçon", "Cuisinier"]


def enrolment(tag: str, i: int, **override: str) -> list[str]:
    """A clean enrolment row; `override` replaces fields by name."""
    person = PEOPLE[i % len(PEOPLE)]
    row = {
        "enrolment_id": f"{tag}{i}",
        "insz": person,
        "pool_id": POOLS[i % len(POOLS)],
        "programme_id": f"P{i % 5:02d}",
        "programme_name": PROGRAMMES[i % len(PROGRAMMES)],
        "target_group": "job_seekers",
        "start_date": f"2024-0{1 + i % 9}-1{i % 9}",
        "end_date": "" if i % 3 == 0 else f"2024-1{i % 3}-20",
        "status": "ongoing" if i % 3 == 0 else "completed",
        "has_certificate": "yes" if i % 2 else "no",
        "sex": "FMX"[i % 3],
        "birth_date": f"19{person[:2]}-{person[2:4]}-{person[4:6]}",
        "commune_nis": f"210{10 + i % 9:02d}",
        "education_level": ("low", "medium", "high")[i % 3],
    }
    row.update(override)
    return [row[h] for h in ENROLMENT_HEADER]


def enrolments(tag: str, n: int = 6) -> list[list[str]]:
    return [enrolment(tag, i) for i in range(1, n + 1)]


def vacancy(tag: str, i: int, **override: str) -> list[str]:
    row = {
        "vacancy_id": f"{tag}{i}",
        "received_date": f"2024-0{1 + i % 9}-0{1 + i % 9}",
        "closed_date": "" if i % 2 else f"2024-1{i % 3}-15",
        "occupation_isco": ("7412", "2512", "7112", "8344")[i % 4],
        "occupation_rome": "",
        "nace": ("43.21", "62.01", "41.20", "52.10")[i % 4],
        "commune_nis": f"210{10 + i % 9:02d}",
        "position_count": str(1 + i % 3),
        "outcome": "open" if i % 2 else "filled",
    }
    row.update(override)
    return [row[h] for h in VACANCY_HEADER]


def vacancies(tag: str, n: int = 6) -> list[list[str]]:
    return [vacancy(tag, i) for i in range(1, n + 1)]


def jobseeker(i: int, **override: str) -> list[str]:
    row = {
        "month": f"2024-{1 + i % 12:02d}",
        "occupation_isco": ("7412", "2512", "7112", "8344")[i % 4],
        "occupation_rome": "",
        "commune_nis": f"210{10 + i % 9:02d}",
        "sex": "FM"[i % 2],
        "age_band": ("lt25", "25_49", "ge50")[i % 3],
        "duration_band": ("lt6m", "6_12m", "1_2y", "ge2y")[i % 4],
        "education_level": ("low", "medium", "high")[i % 3],
        "jobseeker_count": str(5 + i),
    }
    row.update(override)
    return [row[h] for h in JOBSEEKER_HEADER]


def jobseekers(n: int = 6) -> list[list[str]]:
    return [jobseeker(i) for i in range(1, n + 1)]


def activity(tag: str, i: int, **override: str) -> list[str]:
    row = {
        "activity_id": f"{tag}{i}",
        "pool_id": POOLS[i % len(POOLS)],
        "activity_date": f"2024-0{1 + i % 9}-2{i % 8}",
        "function": ("advanced_equipment", "job_matching", "trade_information")[i % 3],
        "target_group": ("employees", "job_seekers", "pupils")[i % 3],
        "activity_count": str(1 + i),
        "participant_count": str(10 + i),
        "hours": f"{i},5",
        "hire_count": "2" if i % 3 == 1 else "",
    }
    row.update(override)
    return [row[h] for h in ACTIVITY_HEADER]


def activities(tag: str, n: int = 6) -> list[list[str]]:
    return [activity(tag, i) for i in range(1, n + 1)]


def placement(tag: str, i: int, **override: str) -> list[str]:
    row = {
        "placement_id": f"{tag}{i}",
        "insz": PEOPLE[(i + 7) % len(PEOPLE)],
        "start_date": f"2024-0{1 + i % 9}-0{1 + i % 9}",
        "end_date": "",
        "employer_nace": ("43.21", "62.01", "41.20")[i % 3],
        "occupation_isco": ("7412", "2512", "7112")[i % 3],
        "occupation_rome": "",
        "contract_type": ("permanent", "fixed_term")[i % 2],
    }
    row.update(override)
    return [row[h] for h in PLACEMENT_HEADER]


def line(cells: Sequence[str], sep: str = ",") -> str:
    out = []
    for cell in cells:
        if any(ch in cell for ch in (sep, '"', "\n", "\r")):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return sep.join(out)


def csv(
    rows: Sequence[Sequence[str]], header: Sequence[str], sep: str = ",", eol: str = "\n"
) -> str:
    return eol.join([line(header, sep), *(line(r, sep) for r in rows)]) + eol


def write(relative: str, data: bytes | str, encoding: str = "utf-8", root: Path = CORPUS) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def workbook(relative: str, root: Path = CORPUS) -> xlsxwriter.Workbook:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(target))
    book.set_properties({"created": dt.datetime(2025, 1, 1)})  # reproducible bytes
    return book


def write_encodings() -> None:
    rows = enrolments("ENC")
    write("enrolments/utf8_bom_comma.csv", codecs.BOM_UTF8 + csv(rows, ENROLMENT_HEADER).encode())
    write(
        "enrolments/cp1252_semicolon.csv", csv(enrolments("WIN"), ENROLMENT_HEADER, ";"), "cp1252"
    )
    write(
        "enrolments/utf16_bom_tab.csv",
        codecs.BOM_UTF16_LE
        + csv(enrolments("U16"), ENROLMENT_HEADER, "\t", "\r\n").encode("utf-16-le"),
    )
    write(
        "enrolments/utf16_no_bom.csv", csv(enrolments("U16N"), ENROLMENT_HEADER).encode("utf-16-le")
    )
    # Two exports glued together: UTF-8 lines, then Windows-1252 lines.
    first = csv(enrolments("MIX")[:3], ENROLMENT_HEADER).encode("utf-8")
    rest = "\n".join(line(r) for r in enrolments("MIX")[3:]) + "\n"
    write("enrolments/mixed_utf8_cp1252.csv", first + rest.encode("cp1252"))
    # 0x81 and 0x8D mean nothing in Windows-1252 either (a Shift-JIS or binary export).
    text = csv(enrolments("SJ"), ENROLMENT_HEADER).encode().replace("é".encode(), b"\x81\x8d")
    write("enrolments/not_utf8_nor_cp1252.csv", text)
    nul = csv(enrolments("NUL"), ENROLMENT_HEADER)
    write("enrolments/nul_bytes.csv", nul.replace("NUL3,", "NUL3\0\0,", 1))
    write(
        "enrolments/bom_semicolon_crlf.csv",
        codecs.BOM_UTF8 + csv(enrolments("BSC"), ENROLMENT_HEADER, ";", "\r\n").encode(),
    )
    write("enrolments/cr_only_line_ends.csv", csv(enrolments("CRO"), ENROLMENT_HEADER, ";", "\r"))
    write("vacancies/dos_eof_marker.csv", csv(vacancies("EOF"), VACANCY_HEADER).encode() + b"\x1a")


def write_separators_and_columns() -> None:
    rows = enrolments("SEP")
    write("enrolments/pipe_separator.csv", csv(rows, ENROLMENT_HEADER, "|"))
    # header with `;`, data with `,`: every data line is one field
    text = line(ENROLMENT_HEADER, ";") + "\n" + "\n".join(line(r, ",") for r in rows) + "\n"
    write("enrolments/header_and_data_separators_differ.csv", text)
    missing = [h for h in ENROLMENT_HEADER if h != "pool_id"]
    idx = ENROLMENT_HEADER.index("pool_id")
    write(
        "enrolments/missing_column.csv",
        csv([r[:idx] + r[idx + 1 :] for r in enrolments("MIS")], missing),
    )
    write(
        "enrolments/extra_columns.csv",
        csv(
            [[*r, "remarque libre", "x"] for r in enrolments("EXT")],
            [*ENROLMENT_HEADER, "comment", "internal_flag"],
        ),
    )
    write(
        "enrolments/duplicated_column.csv",
        csv([[*r, r[6]] for r in enrolments("DUP")], [*ENROLMENT_HEADER, "start_date"]),
    )
    write(
        "enrolments/duplicated_by_alias.csv",
        csv([[*r, r[10]] for r in enrolments("DAL")], [*ENROLMENT_HEADER, "Sexe"]),
    )
    renamed = [
        "Inschrijving ID", "Rijksregisternummer", "Pool", "Programma", "Opleiding", "Doelgroep",
        "Begindatum", "Einddatum", "Statuut", "Attest", "Geslacht", "Geboortedatum", "Gemeente",
        "Studieniveau",
    ]  # fmt: skip
    write("enrolments/renamed_dutch_headers.csv", csv(enrolments("NL"), renamed, ";"))
    unknown = ["startdatum_inschrijving" if h == "start_date" else h for h in ENROLMENT_HEADER]
    write("enrolments/renamed_unknown_header.csv", csv(enrolments("UNK"), unknown))
    order = list(reversed(range(len(ENROLMENT_HEADER))))
    write(
        "enrolments/reordered_columns.csv",
        csv(
            [[r[i] for i in order] for r in enrolments("REO")], [ENROLMENT_HEADER[i] for i in order]
        ),
    )
    write(
        "enrolments/personal_columns.csv",
        csv(
            [[*r, "Dupont", "Rue Haute 1", "0470 12 34 56"] for r in enrolments("PER")],
            [*ENROLMENT_HEADER, "Nom", "Adresse", "GSM"],
        ),
    )
    write("enrolments/headerless.csv", "\n".join(line(r) for r in enrolments("HDL")) + "\n")
    write("enrolments/wrong_source.csv", csv(vacancies("WRS"), VACANCY_HEADER))
    shifted = [[r[0], *r[2:], r[1]] for r in enrolments("SHF", 8)]
    write("enrolments/shifted_columns.csv", csv(shifted, ENROLMENT_HEADER))
    text = csv(enrolments("RAG"), ENROLMENT_HEADER).replace("RAG3,", "RAG3,extra,", 1)
    write("enrolments/ragged_more_fields.csv", text)


def write_empty_and_truncated() -> None:
    write("enrolments/empty.csv", b"")
    write("enrolments/whitespace_only.csv", "\n \r\n\t\n")
    write("enrolments/header_only.csv", line(ENROLMENT_HEADER) + "\n")
    write(
        "vacancies/header_only_blank_rows.csv",
        line(VACANCY_HEADER, ";") + "\r\n" + ";" * 8 + "\r\n" * 3,
    )
    text = csv(enrolments("TRU", 8), ENROLMENT_HEADER)
    write("enrolments/truncated_last_line.csv", text[: text.rindex(",2024-")])
    rows = enrolments("TRQ")
    rows[-1][4] = 'Cuisinier, "chef" de partie'
    text = csv(rows, ENROLMENT_HEADER)
    write("enrolments/truncated_inside_quotes.csv", text[: text.rindex("chef")])


def write_quoting() -> None:
    rows = enrolments("NLQ")
    rows[1][4] = "Technicien\nascensoriste\n(2 ans)"
    rows[3][4] = 'Cuisinier "chef de partie", niveau 2'
    write("enrolments/embedded_newlines_quotes.csv", csv(rows, ENROLMENT_HEADER))
    text = csv(enrolments("INQ"), ENROLMENT_HEADER).replace("Maçon", 'Maçon 5" pouces')
    write("enrolments/inch_mark_unquoted.csv", text)


def write_values() -> None:
    rows = enrolments("DMY")
    for r in rows:
        for col in (6, 7, 11):
            if r[col]:
                y, m, d = r[col].split("-")
                r[col] = f"{d}/{m}/{y}"
    write("enrolments/dates_dd_mm_yyyy.csv", csv(rows, ENROLMENT_HEADER, ";"))
    epoch = dt.date(1899, 12, 30)
    rows = enrolments("SER")
    for r in rows:
        for col in (6, 7):
            if r[col]:
                r[col] = str((dt.date.fromisoformat(r[col]) - epoch).days)
    write("enrolments/dates_excel_serial.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("MXD", 10)
    rows[1][6], rows[2][6], rows[3][6] = "15.03.2024", "2024-04-02T00:00:00", "45306"
    rows[5][6] = "31/02/2024"  # no such day
    write("enrolments/dates_mixed_one_impossible.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("FUT", 10)
    rows[2][6] = "2031-01-01"  # a row without end date: only the future start is wrong
    write("enrolments/future_start_date.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("EBS", 10)
    rows[2][6], rows[2][7] = "2024-05-01", "2024-04-01"
    write("enrolments/end_before_start.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("UNC", 12)
    rows[0][2], rows[5][10] = "atlantis", "Z"
    write("enrolments/unknown_codes.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("CHK", 10)
    rows[3][1] = bad_checksum(rows[3][1])
    write("enrolments/insz_bad_checksum.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("FMT")
    rows[0][1] = (
        f"{rows[0][1][:2]}.{rows[0][1][2:4]}.{rows[0][1][4:6]}-{rows[0][1][6:9]}.{rows[0][1][9:]}"
    )
    rows[1][1] = rows[1][1] + ".0"  # went through a float column
    rows[2][1] = insz("050312", 201, after_2000=True)[1:]  # Excel dropped the leading 0
    rows[2][11] = "2005-03-12"
    write("enrolments/insz_formats.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("SCI", 10)
    rows[6][1] = "8.50730E+10"  # Excel scientific notation: digits lost
    write("enrolments/insz_scientific_notation.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("DKY", 10)
    rows[7] = [rows[2][0], *rows[7][1:]]
    write("enrolments/duplicate_key_in_file.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("PAD", 6)
    rows[1] = [f"  {c}\u00a0" if c else c for c in rows[1]]
    write("enrolments/padded_blanks_nbsp.csv", csv(rows, ENROLMENT_HEADER))
    rows = enrolments("BOO", 10)
    rows[8][9] = "peut-être"
    write("enrolments/bad_boolean.csv", csv(rows, ENROLMENT_HEADER))

    acts = activities("NEG", 10)
    acts[2][6] = "-3"
    write("pool_activities/negative_count.csv", csv(acts, ACTIVITY_HEADER, ";"))
    acts = activities("THO")
    acts[0][6], acts[1][7] = "1.234", "1.234,5"
    write("pool_activities/belgian_numbers.csv", csv(acts, ACTIVITY_HEADER, ";"))
    acts = activities("FLT", 10)
    acts[5][5] = "2,5"  # half an activity
    write("pool_activities/not_whole_number.csv", csv(acts, ACTIVITY_HEADER, ";"))
    seekers = jobseekers(10)
    seekers[4][8] = "-12"
    write("jobseekers/negative_count.csv", csv(seekers, JOBSEEKER_HEADER))
    seekers = jobseekers(6)
    seekers[0][3], seekers[1][1], seekers[2][0] = "21001.0", "7412.0", "03/2024"
    write("jobseekers/codes_through_floats.csv", csv(seekers, JOBSEEKER_HEADER))
    seekers = jobseekers(10)
    seekers[3][3] = "1000"  # four digits: not a NIS code
    seekers[6][3] = "44021"  # Ghent: a real commune, but not Brussels
    write("jobseekers/bad_and_unknown_commune.csv", csv(seekers, JOBSEEKER_HEADER))
    vacs = vacancies("OCC", 10)
    vacs[4][3] = ""
    write("vacancies/missing_occupation.csv", csv(vacs, VACANCY_HEADER))
    vacs = vacancies("ZERO", 10)
    vacs[1][7] = "0"
    write("vacancies/zero_positions.csv", csv(vacs, VACANCY_HEADER))
    vacs = vacancies("CSV")
    write("vacancies/csv_named_xlsx.xlsx", csv(vacs, VACANCY_HEADER))
    write("vacancies/truncated_workbook.xlsx", b"PK\x03\x04" + b"\x14\x00" * 40)


def write_across_files() -> None:
    # The same vacancy ids in two files of the same source: both load, the latest load wins.
    write("vacancies/dup_across_a.csv", csv(vacancies("DX"), VACANCY_HEADER))
    later = [vacancy("DX", i, outcome="filled", closed_date="2024-12-01") for i in range(1, 7)]
    write("vacancies/dup_across_b.csv", csv(later, VACANCY_HEADER))
    # A corrected re-delivery: same file name, fixed content (scenario: two loads).
    first = vacancies("RD", 6)
    first[2][1], first[2][2] = "2024-03-01", "2024-02-01"  # closed before received
    write("redelivery/v1/vacancies_2024.csv", csv(first, VACANCY_HEADER), root=SCENARIOS)
    fixed = [vacancy("RD", i) for i in (1, 2, 3, 4, 5, 7)]  # RD3 fixed, RD6 withdrawn, RD7 added
    write("redelivery/v2/vacancies_2024.csv", csv(fixed, VACANCY_HEADER), root=SCENARIOS)


def write_workbooks() -> None:
    book = workbook("enrolments/merged_title_cells.xlsx")
    sheet = book.add_worksheet("Inscriptions")
    sheet.merge_range(0, 0, 1, 5, "Inscriptions 2024 — Bruxelles Formation")
    sheet.write_row(3, 0, ENROLMENT_HEADER)
    for i, r in enumerate(enrolments("XMT"), start=4):
        sheet.write_row(i, 0, r)
    book.close()

    book = workbook("enrolments/merged_data_cells.xlsx")
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, ENROLMENT_HEADER)
    rows = enrolments("XMD", 12)
    pool = ENROLMENT_HEADER.index("pool_id")
    for i, r in enumerate(rows, start=1):
        sheet.write_row(i, 0, r[:pool])
        sheet.write_row(i, pool + 1, r[pool + 1 :])
        if not 2 <= i <= 4:
            sheet.write_string(i, pool, r[pool])
    # pool_id merged over rows 2-4: only the first keeps a value, the two below are empty
    sheet.merge_range(2, pool, 4, pool, rows[1][pool])
    book.close()

    book = workbook("enrolments/several_sheets.xlsx")
    notes = book.add_worksheet("Notes")
    notes.write(0, 0, "Extraction du 2025-01-15; voir onglet Données")
    book.add_worksheet("Vide")
    data = book.add_worksheet("Données")
    data.write_row(0, 0, ENROLMENT_HEADER)
    for i, r in enumerate(enrolments("XSS"), start=1):
        data.write_row(i, 0, r)
    book.close()

    book = workbook("enrolments/no_sheet_has_columns.xlsx")
    for name in ("A", "B"):
        s = book.add_worksheet(name)
        s.write_row(0, 0, ENROLMENT_HEADER[:5])
        s.write_row(1, 0, enrolment("XNS", 1)[:5])
    book.close()

    book = workbook("enrolments/numbers_as_numbers.xlsx")
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, ENROLMENT_HEADER)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for i, r in enumerate(enrolments("XNN"), start=1):
        for j, cell in enumerate(r):
            header = ENROLMENT_HEADER[j]
            if header in ("insz", "commune_nis") and cell:
                sheet.write_number(i, j, int(cell))
            elif header in ("start_date", "end_date", "birth_date") and cell:
                sheet.write_datetime(i, j, dt.datetime.fromisoformat(cell), date_format)
            else:
                sheet.write_string(i, j, cell)
    book.close()

    book = workbook("pool_activities/formulas.xlsx")
    sheet = book.add_worksheet("activities")
    sheet.write_row(0, 0, ACTIVITY_HEADER)
    rows = activities("XFO", 10)
    for i, r in enumerate(rows, start=1):
        sheet.write_row(i, 0, r[:5])
        sheet.write_number(i, 5, int(r[5]))
        # participants computed by a formula, with the value Excel cached when saving
        sheet.write_formula(i, 6, f"=F{i + 1}+9", None, int(r[5]) + 9)
        sheet.write_number(i, 7, float(r[7].replace(",", ".")))
        sheet.write_string(i, 8, r[8])
    # one formula whose cached result is an error: the cell comes out empty
    sheet.write_formula(3, 7, "=1/0", None, "#DIV/0!")
    book.close()


SDMX_HEADER = "DATAFLOW,LAST UPDATE,freq,unit,sex,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def sdmx_line(period: str, value: str, flag: str = "") -> str:
    return f"ESTAT:UNE_RT_M(1.0),06/06/25 23:00:00,M,PC_ACT,T,BE10,{period},{value},{flag}"


def write_official() -> None:
    """Official statistics (inbox/context/): each file is refused or loaded on its own."""
    rows = [sdmx_line(f"2024-0{m}", f"{11 + m / 10:.1f}") for m in range(1, 7)]
    write("context/une_rt_m_sdmx.csv", "\r\n".join([SDMX_HEADER, *rows]) + "\r\n")
    write("context/une_rt_m_header_only.csv", SDMX_HEADER + "\r\n")
    write("context/tgs00010_header_only.tsv", "unit,age,sex,geo\\time\t2017 \t2018 \n")
    bad = [*rows[:3], sdmx_line("2024-13", "11.0"), sdmx_line("2024-05", "n/a")]
    write("context/une_rt_m_bad_rows.csv", "\r\n".join([SDMX_HEADER, *bad]) + "\r\n")
    write("context/une_rt_m_no_obs_value.csv", "DATAFLOW,LAST UPDATE,TIME_PERIOD\r\nX,Y,2024\r\n")
    write("context/notes.csv", "these are my notes, not statistics\n")
    write("context/damaged.tsv.gz", b"\x1f\x8b\x08\x00broken")
    write("context/empty.tsv", b"")
    write("context/binary.csv", bytes(range(256)) * 4)
    actiris = OFFICIAL / "demandeurs_emploi_genre_etudes.csv"
    write("context/actiris_header_only.csv", actiris.read_bytes().split(b"\n", 1)[0] + b"\n")


def write_baseline() -> None:
    """A small clean inbox, one file per source: the state every load-level test starts from."""
    write(
        "enrolments/enrolments_base.csv",
        csv(enrolments("BASE", 8), ENROLMENT_HEADER),
        root=BASELINE,
    )
    placements = [placement("BASEP", i) for i in range(1, 5)]
    write("placements/placements_base.csv", csv(placements, PLACEMENT_HEADER), root=BASELINE)
    write("vacancies/vacancies_base.csv", csv(vacancies("BASEV", 8), VACANCY_HEADER), root=BASELINE)
    write("jobseekers/jobseekers_base.csv", csv(jobseekers(8), JOBSEEKER_HEADER), root=BASELINE)
    write(
        "pool_activities/activities_base.csv",
        csv(activities("BASEA", 8), ACTIVITY_HEADER),
        root=BASELINE,
    )


def main() -> None:
    for folder in (CORPUS, BASELINE, SCENARIOS):
        shutil.rmtree(folder, ignore_errors=True)
    write_encodings()
    write_separators_and_columns()
    write_empty_and_truncated()
    write_quoting()
    write_values()
    write_across_files()
    write_workbooks()
    write_official()
    write_baseline()


if __name__ == "__main__":
    main()
