"""Where b24tui keeps its files: the platform's user directories (XDG on Linux).

Only paths are computed here; nothing is created. A directory is made by whoever first
writes into it, so a run that writes nothing leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "b24tui"
"""The directory name under each platform user directory."""

ENV_CONFIG = "B24TUI_CONFIG"
"""Names another config file instead of the one under :func:`config_dir`."""

ENV_WEBHOOK = "B24TUI_WEBHOOK_URL"
"""An inbound-webhook URL in the environment: overrides the keyring (headless, CI)."""

CONFIG_FILE_NAME = "config.toml"
LOG_FILE_NAME = "b24tui.log"


def config_dir() -> Path:
    """The user config directory, e.g. ``~/.config/b24tui``."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """The config file: ``$B24TUI_CONFIG`` when set, else ``config.toml`` in :func:`config_dir`."""
    env = os.environ if environ is None else environ
    override = env.get(ENV_CONFIG, "").strip()
    if override:
        return Path(override).expanduser()
    return config_dir() / CONFIG_FILE_NAME


def cache_dir() -> Path:
    """The user cache directory, e.g. ``~/.cache/b24tui``."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """The user state directory, e.g. ``~/.local/state/b24tui``."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def profile_state_file(profile: str) -> Path:
    """What the app remembers for ``profile`` (theme, last view, sort), e.g.
    ``~/.local/state/b24tui/profiles/work.json``; ``profile`` is a checked profile name."""
    return state_dir() / "profiles" / f"{profile}.json"


def profile_cache_file(profile: str) -> Path:
    """The snapshot of the portal as ``profile`` last saw it, for an instant start, e.g.
    ``~/.cache/b24tui/profiles/work.json``; ``profile`` is a checked profile name."""
    return cache_dir() / "profiles" / f"{profile}.json"


def demo_cache_file() -> Path:
    """The demo's snapshot cache (apart from every profile's), e.g.
    ``~/.cache/b24tui/demo.json``."""
    return cache_dir() / "demo.json"


def demo_state_file() -> Path:
    """What the demo remembers (apart from every profile), e.g.
    ``~/.local/state/b24tui/demo.json``."""
    return state_dir() / "demo.json"


def log_dir() -> Path:
    """The user log directory, e.g. ``~/.local/state/b24tui/log``."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    """The debug log (``--debug``), e.g. ``~/.local/state/b24tui/log/b24tui.log``; rotated
    copies sit beside it (``b24tui.log.1`` …)."""
    return log_dir() / LOG_FILE_NAME
