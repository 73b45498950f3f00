"""`observatory user NAME --pool P` writes the users file the login reads."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from dashboard.auth import UsersFileError, _Users, set_user, verify_password


def test_set_user_adds_and_changes_a_manager(tmp_path: Path) -> None:
    users_file = tmp_path / "secrets" / "users.toml"
    set_user(users_file, "anna", "technicity", "correct horse battery")
    set_user(users_file, "bert", "digitalcity", "another long secret")
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    anna = _Users(users_file).get("anna")
    assert anna is not None and anna.pool == "technicity"
    assert anna.password_hash and verify_password("correct horse battery", anna.password_hash)
    assert "correct horse" not in users_file.read_text()
    set_user(users_file, "anna", "logisticity", "a brand new password")
    anna = _Users(users_file).get("anna")
    assert anna is not None and anna.pool == "logisticity"
    assert anna.password_hash and not verify_password("correct horse battery", anna.password_hash)
    bert = _Users(users_file).get("bert")
    assert bert is not None and bert.pool == "digitalcity"


@pytest.mark.parametrize(
    ("name", "password"), [("two words", "long enough pass"), ("anna", "short")]
)
def test_bad_names_and_short_passwords_are_refused(
    tmp_path: Path, name: str, password: str
) -> None:
    with pytest.raises(UsersFileError):
        set_user(tmp_path / "users.toml", name, "technicity", password)
    assert not (tmp_path / "users.toml").exists()
