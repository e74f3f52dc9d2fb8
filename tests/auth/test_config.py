"""The config file: typed settings, profiles, precise errors, comments kept on write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from b24tui.config import (
    NOTICE_KINDS,
    ConfigError,
    NotifySettings,
    ProfileSettings,
    load_settings,
    save_profile,
)
from b24tui.paths import config_file
from tests.auth.conftest import REPO_ROOT, Home

FULL = """\
# my b24tui settings
default_profile = "work"
refresh_interval = 30  # faster than the default
theme = "nord"
allow_plaintext_keyring = false
keyring_timeout = 2.5

[keys]
refresh = "r,f5"

[notifications]
sent_back = false
bell = true
desktop = "osc9"

[profiles.work]
portal = "acme.bitrix24.com"
user_id = 7

[profiles.home]
portal = "home.bitrix24.eu:8443"
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_gives_defaults_and_creates_nothing(home: Home) -> None:
    settings = load_settings()
    assert settings.path == home.config_file
    assert not settings.exists
    assert settings.default_profile == "default"
    assert settings.refresh_interval == 60.0
    assert settings.profile().name == "default"
    assert settings.profile().portal is None
    assert home.files() == []
    assert not home.config_file.parent.exists()


def test_every_setting_is_read_into_typed_values(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path / "c.toml", FULL))
    assert settings.exists
    assert settings.default_profile == "work"
    assert settings.refresh_interval == 30.0
    assert settings.theme == "nord"
    assert settings.keyring_timeout == 2.5
    assert dict(settings.keys) == {"refresh": "r,f5"}
    assert settings.notify == NotifySettings(
        kinds=frozenset(NOTICE_KINDS) - {"sent_back"}, bell=True, desktop="osc9"
    )
    assert settings.profile() == ProfileSettings("work", "acme.bitrix24.com", 7)
    assert settings.profile("home") == ProfileSettings("home", "home.bitrix24.eu:8443", None)
    assert settings.profile("other") == ProfileSettings("other")


def test_b24tui_config_points_at_another_file(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    other = _write(home.path / "elsewhere.toml", 'default_profile = "x"\n')
    monkeypatch.setenv("B24TUI_CONFIG", str(other))
    assert config_file() == other
    assert load_settings().default_profile == "x"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("colour = 'red'\n", "colour", "unknown key"),
        ("refresh_interval = 'fast'\n", "refresh_interval", "a number of seconds from 5 to 3600"),
        ("refresh_interval = 1\n", "refresh_interval", "a number of seconds from 5 to 3600"),
        ("allow_plaintext_keyring = 'yes'\n", "allow_plaintext_keyring", "true or false"),
        ("theme = ''\n", "theme", "a non-empty string"),
        ("[keys]\nrefresh = 5\n", "keys.refresh", "a non-empty string"),
        ("[profiles.work]\nuser_id = -1\n", "profiles.work.user_id", "a positive whole number"),
        ("[profiles.work]\nportal = 'https://a.b/'\n", "profiles.work.portal", "a host name"),
        ("[profiles.work]\ncode = 'x'\n", "profiles.work.code", "unknown key"),
        ("[profiles]\nwork = 3\n", "profiles.work", "a table"),
        ("[notifications]\nassigned = 1\n", "notifications.assigned", "true or false"),
        ("[notifications]\ndesktop = 'on'\n", "notifications.desktop", '"off", "osc9"'),
        ("[notifications]\nmentions = true\n", "notifications.mentions", "unknown key"),
    ],
)
def test_a_bad_key_or_value_names_file_key_and_expectation(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    path = _write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ")
    assert expected in message
    assert caught.value.key == key


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "config.toml", "theme = 'nord'\nrefresh_interval = \n")
    with pytest.raises(ConfigError, match=r"is not valid TOML .*line 2") as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path))


def test_saving_a_profile_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    path = _write(tmp_path / "config.toml", FULL)
    save_profile(path, ProfileSettings("work", "acme.bitrix24.com", 9))
    save_profile(path, ProfileSettings("lab", "lab.example.org", 2))
    text = path.read_text(encoding="utf-8")
    assert "# my b24tui settings" in text
    assert "# faster than the default" in text
    settings = load_settings(path)
    assert settings.default_profile == "work"
    assert settings.profile("work").user_id == 9
    assert settings.profile("lab") == ProfileSettings("lab", "lab.example.org", 2)
    assert settings.profile("home").portal == "home.bitrix24.eu:8443"
    assert dict(settings.keys) == {"refresh": "r,f5"}


def test_saving_into_a_missing_file_creates_it_and_can_set_the_default(home: Home) -> None:
    save_profile(
        home.config_file, ProfileSettings("work", "acme.bitrix24.com", 1), make_default=True
    )
    settings = load_settings()
    assert settings.default_profile == "work"
    assert settings.profile() == ProfileSettings("work", "acme.bitrix24.com", 1)
    assert "keyring" in home.config_file.read_text(
        encoding="utf-8"
    )  # the header says where secrets go
    assert [p.name for p in home.files()] == ["config.toml"]


def test_saving_refuses_an_invalid_profile_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="profile name"):
        save_profile(tmp_path / "c.toml", ProfileSettings("bad name"))
    assert not (tmp_path / "c.toml").exists()


def test_importing_the_core_has_no_side_effects_and_no_textual(home: Home) -> None:
    code = (
        "import sys, b24tui.auth, b24tui.config, b24tui.paths; "
        "sys.stdout.write(str('textual' in sys.modules))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert finished.stdout == "False"
    assert home.files() == []
