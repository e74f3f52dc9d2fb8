"""The config's switches for a run: ``debug`` at the top, ``read_only`` per profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from b24tui.config import ConfigError, ProfileSettings, load_settings, save_profile

MODES = """\
debug = true

[profiles.work]
portal = "acme.bitrix24.com"
user_id = 7
read_only = true  # look, do not touch

[profiles.home]
portal = "home.bitrix24.eu"
"""


def test_debug_and_read_only_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MODES, encoding="utf-8")
    settings = load_settings(path)
    assert settings.debug is True
    assert settings.profile("work").read_only is True
    assert settings.profile("home").read_only is False
    assert settings.profile("elsewhere").read_only is False


def test_they_are_off_by_default(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml")
    assert settings.debug is False
    assert settings.profile().read_only is False


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('debug = "yes"\n', "debug"),
        ("[profiles.work]\nread_only = 1\n", "profiles.work.read_only"),
    ],
)
def test_a_bad_value_names_its_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="expected true or false") as caught:
        load_settings(path)
    assert caught.value.key == key


def test_a_new_login_keeps_the_profile_read_only(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MODES, encoding="utf-8")
    save_profile(path, ProfileSettings("work", portal="acme.bitrix24.com", user_id=8))
    assert "read_only = true  # look, do not touch" in path.read_text(encoding="utf-8")
    assert load_settings(path).profile("work").read_only is True
