"""Settings helpers (pandai.env): good values are read, bad values fail loudly."""

import pytest

from pandai.env import ConfigError, env_bool, env_int, env_list, env_secret, env_str


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("FALSE", False)],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("PANDAI_T_BOOL", raw)
    assert env_bool("PANDAI_T_BOOL", not value) is value


@pytest.mark.parametrize("raw", ["ya", "2", "truee", "enabled"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("PANDAI_T_BOOL", raw)
    with pytest.raises(ConfigError, match="PANDAI_T_BOOL"):
        env_bool("PANDAI_T_BOOL", False)


def test_env_bool_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("PANDAI_T_BOOL", raising=False)
    assert env_bool("PANDAI_T_BOOL", True) is True
    monkeypatch.setenv("PANDAI_T_BOOL", "")
    assert env_bool("PANDAI_T_BOOL", False) is False


def test_env_int(monkeypatch):
    monkeypatch.delenv("PANDAI_T_INT", raising=False)
    assert env_int("PANDAI_T_INT", 7) == 7
    monkeypatch.setenv("PANDAI_T_INT", "30")
    assert env_int("PANDAI_T_INT", 7) == 30


@pytest.mark.parametrize("raw", ["3.5", "lima", "10m", "0x10"])
def test_env_int_refuses_non_integers(monkeypatch, raw):
    monkeypatch.setenv("PANDAI_T_INT", raw)
    with pytest.raises(ConfigError, match="PANDAI_T_INT"):
        env_int("PANDAI_T_INT", 1)


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("PANDAI_T_LIST", " a.example , ,b.example,")
    assert env_list("PANDAI_T_LIST", ["x"]) == ["a.example", "b.example"]
    monkeypatch.setenv("PANDAI_T_LIST", "  ")
    assert env_list("PANDAI_T_LIST", ["x"]) == ["x"]
    monkeypatch.delenv("PANDAI_T_STR", raising=False)
    assert env_str("PANDAI_T_STR", "d") == "d"


def test_env_secret_is_generated_once_private_and_then_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("PANDAI_T_SECRET", raising=False)
    monkeypatch.delenv("PANDAI_T_SECRET_FILE", raising=False)
    path = tmp_path / "sub" / "secret"
    first = env_secret("PANDAI_T_SECRET", path)
    assert len(first) >= 50
    assert path.stat().st_mode & 0o077 == 0
    assert env_secret("PANDAI_T_SECRET", path) == first


def test_env_secret_prefers_the_environment_then_a_file(monkeypatch, tmp_path):
    given = tmp_path / "given"
    given.write_text("from-file\n")
    monkeypatch.setenv("PANDAI_T_SECRET_FILE", str(given))
    monkeypatch.delenv("PANDAI_T_SECRET", raising=False)
    assert env_secret("PANDAI_T_SECRET", tmp_path / "unused") == "from-file"
    monkeypatch.setenv("PANDAI_T_SECRET", "from-env")
    assert env_secret("PANDAI_T_SECRET", tmp_path / "unused") == "from-env"
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root@localhost/pandai", "DATABASE_URL"),
        ("DEBUG", "kadang", "DEBUG"),
        ("PANDAI_PIN_MAX_TRIES", "tiga", "PANDAI_PIN_MAX_TRIES"),
    ],
)
def test_settings_refuse_to_start_on_a_bad_value(tmp_path, name, value, message):
    """The settings module itself fails at import, naming the variable."""
    import os
    import subprocess
    import sys

    env = {**os.environ, name: value, "PANDAI_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import pandai.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ConfigError" in done.stderr and message in done.stderr


def test_production_settings_hash_passwords_with_argon2():
    # Tests swap in a fast hasher (conftest); the settings module itself must keep argon2.
    import pandai.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
