"""Writes the reader fixtures of this folder, byte for byte (encodings, BOMs, CRLF matter).

Run `python tests/pipelines/fixtures_readers/make_fixtures.py` after changing one; the files are
committed so a test failure can be reproduced by opening the file. INSZ numbers below are
fictitious but pass the mod-97 check (that is what the tests need); no real person is meant.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent

ENROLMENT_HEADER = [
    "enrolment_id", "insz", "pool_id", "programme_id", "programme_name", "target_group",
    "start_date", "end_date", "status", "has_certificate", "sex", "birth_date", "commune_nis",
    "education_level",
]  # fmt: skip

# Two clean enrolments, reused by the encoding / separator fixtures.
ROWS = [
    ["E1", "85073003328", "technicity", "P01", "Électromécanicien", "job_seekers", "2024-01-08",
     "2024-06-28", "completed", "yes", "F", "1985-07-30", "21001", "medium"],
    ["E2", "90011512363", "digitalcity", "P02", "Développeur web", "job_seekers", "2024-02-05",
     "", "ongoing", "no", "M", "1990-01-15", "21004", "high"],
]  # fmt: skip


def line(cells: list[str], sep: str) -> str:
    out = []
    for cell in cells:
        if any(ch in cell for ch in (sep, '"', "\n", "\r")):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return sep.join(out)


def table(rows: list[list[str]], sep: str = ",", eol: str = "\n", header: list[str] | None = None):
    lines = [line(header or ENROLMENT_HEADER, sep), *(line(r, sep) for r in rows)]
    return eol.join(lines) + eol


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    raw = data if isinstance(data, bytes) else data.encode(encoding)
    (HERE / name).write_bytes(raw)


def main() -> None:
    # -- encodings and separators (all give the same two rows) --------------------------------
    write("enrolments_utf8_comma.csv", table(ROWS, ","))
    write("enrolments_utf8_bom_semicolon.csv", codecs.BOM_UTF8 + table(ROWS, ";").encode())
    fr_header = [
        "Inscription ID", "NISS", "Pôle", "Programme", "Formation", "Public", "Date début",
        "Date fin", "Statut", "Certificat", "Sexe", "Date naissance", "Commune",
        "Niveau études",
    ]  # fmt: skip
    fr_rows = [
        ["E1", "85.07.30-033.28", "Technicity", "P01", "Électromécanicien", "job_seekers",
         "08/01/2024", "28/06/2024", "terminé", "oui", "femme", "30/07/1985", "21001", "moyen"],
        ["E2", "90011512363", "Digitalcity", "P02", "Développeur web", "job_seekers",
         "05/02/2024", "", "en cours", "non", "homme", "15/01/1990", "21004", "élevé"],
    ]  # fmt: skip
    write("enrolments_cp1252_semicolon.csv", table(fr_rows, ";", "\r\n", fr_header), "cp1252")
    write("enrolments_tab.tsv", table(ROWS, "\t"))
    write("enrolments_crlf.csv", table(ROWS, ",", "\r\n"))
    write("enrolments_utf16.csv", codecs.BOM_UTF16_LE + table(ROWS, "\t").encode("utf-16-le"))
    nl_header = [
        "inschrijving_id", "Rijksregisternummer", "pool", "programma", "opleiding", "doelgroep",
        "begindatum", "einddatum", "statuut", "attest", "geslacht", "geboortedatum",
        "gemeente", "studieniveau",
    ]  # fmt: skip
    nl_rows = [
        ["E1", "85073003328", "technicity", "P01", "Elektromecanicien", "job_seekers",
         "08-01-2024", "28-06-2024", "afgerond", "ja", "vrouw", "30.07.1985", "21001", "middel"],
        ["E2", "90011512363", "digitalcity", "P02", "Webontwikkelaar", "job_seekers",
         "05.02.2024", "", "lopend", "nee", "man", "15.01.1990", "21004", "hoog"],
    ]  # fmt: skip
    write("enrolments_dutch_headers.csv", table(nl_rows, ";", "\n", nl_header))

    # -- quoting, personal and unknown columns, blank rows --------------------------------------
    quoted = [list(ROWS[0]), list(ROWS[1])]
    quoted[0][4] = 'Électromécanicien\n"module A" et B'
    quoted[1][4] = "Développeur; web\r\nfull stack"
    write("enrolments_quoted_newlines.csv", table(quoted, ";", "\r\n"))
    personal_header = ["Nom", "Prénom", *ENROLMENT_HEADER, "Adresse", "Téléphone", "E-mail",
                       "Remarque"]  # fmt: skip
    personal_rows = [
        ["Dupont", "Marie", *ROWS[0], "Rue Haute 1", "0470000000", "m@x.be", "ok"],
        ["Peeters", "Jan", *ROWS[1], "Hoogstraat 2", "0480000000", "j@x.be", ""],
    ]
    write("enrolments_personal_columns.csv", table(personal_rows, ";", "\n", personal_header))
    blank = table(ROWS, ";").replace("\n", "\n\n", 1) + ";;;;;;;;;;;;;\n;;;;;;;;;;;;;\n\n"
    write("enrolments_blank_rows.csv", blank)

    # -- value formats ------------------------------------------------------------------------
    dates = []
    for i, (start, end) in enumerate(
        [
            ("2024-01-08", "2024-06-28"),
            ("08/01/2024", "28/06/2024"),
            ("08-01-2024", "28-06-2024"),
            ("08.01.2024", "28.06.2024"),
            ("45292", "45471"),  # Excel day numbers: 2024-01-01, 2024-06-28
            ("2024-01-08 00:00:00", "2024-06-28T17:30:00"),
            ("8/1/2024", "28/6/2024"),
        ],
        start=1,
    ):
        row = list(ROWS[0])
        row[0], row[6], row[7] = f"D{i}", start, end
        dates.append(row)
    write("enrolments_date_formats.csv", table(dates, ","))
    insz_rows = []
    for i, insz in enumerate(
        ["85.07.30-033.28", "900115 123 63", "5010112385", "05010112385.0", " 78022845665 "],
        start=1,
    ):
        row = list(ROWS[0])
        row[0], row[1] = f"I{i}", insz
        insz_rows.append(row)
    write("enrolments_insz_formats.csv", table(insz_rows, ","))

    # -- one row per quarantine reason (enrolments) --------------------------------------------
    base = ROWS[0]

    def variant(row_id: str, **changes: str) -> list[str]:
        row = list(base)
        row[0] = row_id
        for key, value in changes.items():
            row[ENROLMENT_HEADER.index(key)] = value
        return row

    reasons = [
        variant("OK1"),
        variant("R_missing", programme_id=""),
        variant("R_insz", insz="85073003329"),
        variant("R_date", start_date="2024-02-30"),
        variant("R_pool", pool_id="techncity"),
        variant("R_status", status="maybe"),
        variant("R_bool", has_certificate="perhaps"),
        variant("R_nis", commune_nis="1000"),
        variant("R_order", start_date="2024-06-01", end_date="2024-05-31"),
        variant("R_future", start_date="2031-01-01", end_date=""),
        variant("OK1", programme_id="P99"),  # duplicate key of the first row
        variant("R_pool_insz", pool_id="85073003328"),  # an INSZ in the wrong column
        variant("OK2", insz="90011512363", sex="X", birth_date="", commune_nis=""),
    ]
    write("enrolments_quarantine_reasons.csv", table(reasons, ";"))
    too_many = [variant(f"T{i}", start_date="not a date") for i in range(3)]
    too_many += [variant(f"G{i}") for i in range(7)]
    write("enrolments_too_many_bad.csv", table(too_many, ";"))

    # -- other sources ------------------------------------------------------------------------
    vac_header = ["vacancy_id", "received_date", "closed_date", "ISCO", "ROME", "NACE",
                  "commune_nis", "postes", "outcome"]  # fmt: skip
    vac_rows = [
        ["V1", "2024-01-10", "", "2512", "", "62.01", "21004", "1", "open"],
        ["V2", "2024-01-10", "", "2512", "", "6201", "21004", "2", "pourvue"],
        ["V3", "2024-01-10", "", "", "H2901", "62,01", "21004", "1.234", "filled"],
        ["V4", "2024-01-10", "", "", "h2901", "6201.0", "21004", "12.0", "expired"],
        ["V5", "2024-01-10", "", "2512", "", "111", "21004", "3", "cancelled"],  # 01.11
        ["V6", "2024-01-10", "", "2512", "", "1.11", "21004", "3", "open"],  # 01.11
        ["V7", "2024-01-10", "", "2512", "", "99.99", "21004", "3", "open"],  # unknown
        ["V8", "2024-01-10", "", "2512", "", "sixty-two", "21004", "3", "open"],  # not a code
        ["V9", "2024-01-10", "", "2512", "", "62.01", "21004", "0", "open"],  # min_value 1
        ["V10", "2024-01-10", "", "2512", "", "62.01", "21004", "1.5", "open"],  # not whole
        ["V11", "2024-01-10", "", "", "", "62.01", "21004", "1", "open"],  # no occupation
        ["V12", "2024-01-10", "", "110", "", "62.01", "21004", "1", "open"],  # ISCO 0110
        ["V13", "2024-01-10", "", "", "", "", "", "4", "open"],
    ]  # fmt: skip
    write("vacancies_codes.csv", table(vac_rows, ";", "\n", vac_header))
    act_header = ["activity_id", "pool", "date", "fonction", "public", "nombre",
                  "participants", "heures", "embauches"]  # fmt: skip
    act_rows = [
        ["A1", "technicity", "15/03/2024", "advanced_equipment", "employees", "2", "12", "1,5",
         ""],
        ["A2", "technicity", "15/03/2024", "job_matching", "job_seekers", "1", "8", "1.234,5",
         "3"],
        ["A3", "logisticity", "16/03/2024", "trade_information", "pupils", "1", "1.200", "2",
         ""],
        ["A4", "logisticity", "16/03/2024", "trade_information", "pupils", "1", "30", "-2,5",
         ""],
        ["A5", "logisticity", "16/03/2024", "trade_information", "pupils", "1", "30", "1.234",
         ""],  # thousands: this column uses a decimal comma
    ]  # fmt: skip
    write("pool_activities_decimal_comma.csv", table(act_rows, ";", "\r\n", act_header), "cp1252")
    js_header = ["mois", "isco", "rome", "commune", "sexe", "age", "duree", "niveau_etudes",
                 "aantal"]  # fmt: skip
    js_rows = [
        ["2024-01", "2512", "", "21004", "F", "<25", "<6m", "low", "12"],
        ["02/2024", "2512", "", "21004", "F", "<25", "<6m", "low", "13"],
        ["2024-03-31", "2512", "", "21004", "F", "<25", "<6m", "low", "14"],
        ["202404", "2512", "", "21004", "F", "<25", "<6m", "low", "15"],
        ["2024-13", "2512", "", "21004", "F", "<25", "<6m", "low", "15"],  # bad month
    ]  # fmt: skip
    write("jobseekers_months.csv", table(js_rows, ",", "\n", js_header))

    # -- file-level rejections ----------------------------------------------------------------
    write("empty.csv", b"")
    write("blank_only.csv", "\r\n \r\n\t\n")
    write("header_only.csv", line(ENROLMENT_HEADER, ";") + "\r\n")
    write("header_only_blank_rows.csv", line(ENROLMENT_HEADER, ";") + "\n;;;;\n\n")
    no_insz = [h for h in ENROLMENT_HEADER if h != "insz"]
    write("missing_column.csv", table([r[:1] + r[2:] for r in ROWS], ",", "\n", no_insz))
    write("duplicate_column.csv", table([[*r, r[1]] for r in ROWS], ",", "\n",
                                        [*ENROLMENT_HEADER, "NISS"]))  # fmt: skip
    write("headerless.csv", "\n".join(line(r, ",") for r in ROWS) + "\n")
    write("binary_nul.csv", b"enrolment_id,insz\x00\x00\x01\x02\n\x00\x00")
    write("undecodable.csv", line(ENROLMENT_HEADER, ";").encode() + b"\n\x81\x8d\x8f\x90;\x9d\n")
    write("bom_then_invalid.csv", codecs.BOM_UTF8 + b"enrolment_id;insz\n\xe9t\xe9;1\n")
    write("unbalanced_quote.csv", line(ENROLMENT_HEADER, ",") + '\nE1,"8507300332\n')
    write("ragged.csv", table(ROWS, ",") + ",".join(ROWS[0] + ["extra", "cells"]) + "\n")
    write("not_a_workbook.xlsx", table(ROWS, ","))
    write("broken_zip.xlsx", b"PK\x03\x04" + b"\x00garbage" * 10)


if __name__ == "__main__":
    main()
