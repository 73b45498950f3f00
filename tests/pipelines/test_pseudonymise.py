"""INSZ checks, the pseudonym key, and pseudonymisation (stable, keyed, nothing raw left)."""

from __future__ import annotations

import hmac
import stat
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.contracts import ENROLMENTS, PLACEMENTS
from pipelines.paths import DataPaths
from pipelines.pseudonymise import (
    KEY_ENV_VAR,
    MissingKey,
    create_key,
    insz_is_valid,
    insz_valid_expr,
    load_key,
    normalise_insz,
    normalised_insz_expr,
    pseudonym,
    pseudonymise,
)

KEY = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
OTHER_KEY = b"another key of enough length!"


def with_check(nine: str, post_2000: bool = False) -> str:
    base = int(nine) + (2_000_000_000 if post_2000 else 0)
    return nine + f"{97 - base % 97:02d}"


# ---------------------------------------------------------------------------------------------
# INSZ


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("85073003328", True),
        ("85.07.30-033.28", True),
        ("850730 033 28", True),
        ("85073003329", False),  # wrong check digits
        ("05010112385", True),  # born 2005: "2" prefixed for the check
        ("5010112385", True),  # same, leading zero lost in Excel
        ("05010112385.0", True),
        ("0501011238", False),  # too short once padded: check fails
        ("8507300332", False),
        ("850730033280", False),  # 12 digits
        ("85O73003328", False),  # letter O
        ("", False),
        (None, False),
        ("٨٥٠٧٣٠٠٣٣٢٨", False),  # Arabic-Indic digits are not INSZ digits
    ],
)
def test_insz_is_valid(text: str | None, valid: bool):
    assert insz_is_valid(text) is valid


def test_pre_2000_check_does_not_pass_as_post_2000():
    pre = with_check("850730033")
    post = with_check("850730033", post_2000=True)
    assert pre != post
    assert insz_is_valid(pre) and insz_is_valid(post)
    accepted = {c for c in range(100) if insz_is_valid(f"850730033{c:02d}")}
    assert accepted == {int(pre[9:]), int(post[9:])}


def test_normalise_insz():
    assert normalise_insz(" 85.07.30-033.28 ") == "85073003328"
    assert normalise_insz("850730/03328") == "85073003328"
    assert normalise_insz("5010112385") == "05010112385"
    assert normalise_insz("abc") is None
    assert normalise_insz(None) is None


@settings(max_examples=200, deadline=None)
@given(
    nine=st.integers(0, 999_999_999).map(lambda n: f"{n:09d}"),
    post_2000=st.booleans(),
    tamper=st.integers(0, 96),
    style=st.sampled_from(["plain", "dotted", "spaces", "float"]),
)
def test_vectorised_check_agrees_with_scalar(nine: str, post_2000: bool, tamper: int, style: str):
    good = with_check(nine, post_2000)
    bad = good[:9] + f"{(int(good[9:]) + tamper) % 100:02d}"
    texts = []
    for digits in (good, bad):
        if style == "dotted":
            digits = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"
        elif style == "spaces":
            digits = f"{digits[:6]} {digits[6:9]} {digits[9:]}"
        elif style == "float":
            digits = digits.lstrip("0") + ".0" if digits.strip("0") else digits
        texts.append(digits)
    frame = pl.DataFrame({"t": texts})
    got = frame.select(
        normalised_insz_expr(pl.col("t")).alias("n"),
        insz_valid_expr(normalised_insz_expr(pl.col("t"))).fill_null(False).alias("ok"),
    )
    assert got["n"].to_list() == [normalise_insz(t) for t in texts]
    assert got["ok"].to_list() == [insz_is_valid(t) for t in texts]
    if len(good.lstrip("0")) >= 9:  # Excel can only have dropped one or two leading zeros
        assert got["ok"][0] is True


# ---------------------------------------------------------------------------------------------
# Key


def test_load_key_from_environment_hex_or_text(tmp_path: Path):
    paths = DataPaths.under(tmp_path)
    assert load_key(paths, {KEY_ENV_VAR: KEY.hex()}) == KEY
    assert load_key(paths, {KEY_ENV_VAR: "  a passphrase of 20 b  "}) == b"a passphrase of 20 b"


def test_load_key_environment_wins_over_file(tmp_path: Path):
    paths = DataPaths.under(tmp_path)
    create_key(paths)
    assert load_key(paths, {KEY_ENV_VAR: KEY.hex()}) == KEY
    from_file = load_key(paths, {})
    assert len(from_file) == 32 and from_file != KEY
    assert load_key(paths, {KEY_ENV_VAR: "   "}) == from_file  # blank variable = not set


def test_load_key_missing_says_how_to_set_it(tmp_path: Path):
    paths = DataPaths.under(tmp_path)
    with pytest.raises(MissingKey) as caught:
        load_key(paths, {})
    message = str(caught.value)
    assert KEY_ENV_VAR in message and str(paths.key_file) in message


def test_load_key_too_short(tmp_path: Path):
    paths = DataPaths.under(tmp_path)
    with pytest.raises(MissingKey, match="too short"):
        load_key(paths, {KEY_ENV_VAR: "short"})
    with pytest.raises(MissingKey, match="too short"):
        load_key(paths, {KEY_ENV_VAR: "00ff" * 3})  # 6 bytes of hex


def test_create_key_is_private_and_never_overwritten(tmp_path: Path):
    paths = DataPaths.under(tmp_path)
    path = create_key(paths)
    assert path == paths.key_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    assert len(bytes.fromhex(content.strip())) == 32
    with pytest.raises(FileExistsError):
        create_key(paths)
    assert path.read_text() == content
    other = create_key(DataPaths.under(tmp_path / "other"))
    assert other.read_text() != content


# ---------------------------------------------------------------------------------------------
# Pseudonymisation


def _validated_enrolments(inszs: list[str]) -> pl.DataFrame:
    n = len(inszs)
    columns: dict[str, pl.Series] = {}
    for f in ENROLMENTS.fields:
        if f.kind == "date":
            columns[f.name] = pl.Series(f.name, [date(1990, 5, 17)] * n, dtype=pl.Date)
        elif f.kind == "bool":
            columns[f.name] = pl.Series(f.name, [True] * n)
        else:
            columns[f.name] = pl.Series(f.name, [f"{f.name}{i}" for i in range(n)])
    frame = pl.DataFrame(columns).with_columns(pl.Series("insz", inszs))
    return frame.with_columns(pl.Series("_row_number", range(2, n + 2), dtype=pl.Int64))


def test_insz_becomes_person_id_and_birth_date_its_year():
    frame = _validated_enrolments(["85073003328", "90011512363"])
    out = pseudonymise(frame, ENROLMENTS, KEY)
    assert out.columns == [*ENROLMENTS.warehouse_columns, "_row_number"]
    assert "insz" not in out.columns and "birth_date" not in out.columns
    assert out.schema["birth_year"] == pl.Int32
    assert out["birth_year"].to_list() == [1990, 1990]
    expected = hmac.new(KEY, b"85073003328", "sha256").hexdigest()
    assert out["person_id"][0] == expected == pseudonym("85.07.30-033.28", KEY)
    assert out["start_date"].to_list() == frame["start_date"].to_list()


def test_no_raw_insz_survives_anywhere():
    inszs = ["85073003328", "90011512363", "05010112385", "78022845665"]
    out = pseudonymise(_validated_enrolments(inszs), ENROLMENTS, KEY)
    text = out.write_csv()
    for insz in inszs:
        assert insz not in text
        assert insz.lstrip("0") not in text


def test_pseudonyms_are_stable_and_key_dependent():
    frame = _validated_enrolments(["85073003328", "90011512363", "85073003328"])
    first = pseudonymise(frame, ENROLMENTS, KEY)["person_id"].to_list()
    again = pseudonymise(frame.reverse(), ENROLMENTS, KEY)["person_id"].to_list()[::-1]
    other = pseudonymise(frame, ENROLMENTS, OTHER_KEY)["person_id"].to_list()
    assert first == again
    assert first[0] == first[2] != first[1]
    assert set(first).isdisjoint(other)
    assert all(len(p) == 64 and int(p, 16) >= 0 for p in first)


def test_written_forms_of_one_insz_share_a_pseudonym():
    frame = _validated_enrolments(["85073003328", "85.07.30-033.28", "5010112385", "05010112385"])
    ids = pseudonymise(frame, ENROLMENTS, KEY)["person_id"].to_list()
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_placements_have_no_birth_date():
    frame = pl.DataFrame(
        {name: ["x"] for name in PLACEMENTS.names} | {"insz": ["85073003328"]}
    ).with_columns(pl.lit(date(2024, 1, 1)).alias("start_date"))
    out = pseudonymise(frame, PLACEMENTS, KEY)
    assert out.columns == list(PLACEMENTS.warehouse_columns)
    assert out["person_id"][0] == pseudonym("85073003328", KEY)


def test_unvalidated_insz_is_refused_without_showing_it():
    frame = _validated_enrolments(["85073003328", "not-an-insz-123"])
    with pytest.raises(ValueError) as caught:
        pseudonymise(frame, ENROLMENTS, KEY)
    assert "123" not in str(caught.value) and "85073003328" not in str(caught.value)


def test_short_key_refused():
    with pytest.raises(MissingKey):
        pseudonymise(_validated_enrolments(["85073003328"]), ENROLMENTS, b"short")


def test_many_people():
    n = 50_000
    inszs = [with_check(f"{i * 7919 % 10**9:09d}") for i in range(n)]
    frame = _validated_enrolments(inszs[:1]).select(pl.all().gather([0] * n))
    frame = frame.with_columns(pl.Series("insz", inszs))
    out = pseudonymise(frame, ENROLMENTS, KEY)
    assert out["person_id"].n_unique() == n
    assert out["person_id"][n - 1] == pseudonym(inszs[-1], KEY)
