"""The config file: non-secret settings and profiles, in TOML.

Read with :mod:`tomllib` into a typed :class:`Settings`; written with ``tomlkit`` so the
comments and layout a person gave the file survive. Secrets never go here: they live in
the keyring (or ``B24TUI_WEBHOOK_URL``). Unknown keys and bad values are errors whose
message names the file, the key and what was expected::

    # ~/.config/b24tui/config.toml
    default_profile = "work"
    refresh_interval = 60          # seconds between background refreshes
    theme = "textual-dark"
    allow_plaintext_keyring = false
    keyring_timeout = 5            # seconds to wait for the keyring before giving up
    debug = false                  # true: a rotated log under the log dir (as --debug)

    [keys]                         # binding id = keys, for the keymap
    refresh = "r,f5"

    [limits]
    plan = "cloud"                 # "enterprise": the larger request bucket (250, 5/s)

    [notifications]                # each kind true (the default) or false
    assigned = true                # a task newly mine to do
    sent_back = true               # one of mine sent back for rework
    awaiting_control = true        # one I created, done, awaiting my control
    deadline_passed = true         # a deadline of mine passed
    workday_minimum = true         # the workday reached the schedule's minimum
    bell = false                   # ring the terminal's bell with each notice
    desktop = "off"                # "osc9" or "osc777": a desktop notification too

    [profiles.work]
    portal = "acme.bitrix24.com"
    user_id = 1
    read_only = false              # true: nothing is offered or sent that would write
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from b24tui.paths import config_file
from b24tui.state import write_atomically

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

__all__ = [
    "DEFAULT_KEYRING_TIMEOUT",
    "DEFAULT_PROFILE",
    "DEFAULT_REFRESH_INTERVAL",
    "NOTICE_KINDS",
    "ConfigError",
    "NotifySettings",
    "ProfileSettings",
    "Settings",
    "check_profile_name",
    "load_settings",
    "save_profile",
]

DEFAULT_PROFILE = "default"
"""The profile used when neither ``--profile`` nor ``default_profile`` names one."""
DEFAULT_REFRESH_INTERVAL = 60.0
"""Seconds between background refreshes."""
DEFAULT_KEYRING_TIMEOUT = 5.0
"""Seconds to wait for the keyring before reporting it as not answering."""

REFRESH_RANGE = (5.0, 3600.0)
KEYRING_TIMEOUT_RANGE = (0.5, 60.0)

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_HOST = re.compile(
    r"^(?=.{1,253}(?::\d{1,5})?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$"
)
_BINDING_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")

_TOP_KEYS = frozenset(
    {
        "default_profile",
        "refresh_interval",
        "theme",
        "allow_plaintext_keyring",
        "keyring_timeout",
        "debug",
        "keys",
        "limits",
        "notifications",
        "profiles",
    }
)
_LIMIT_KEYS = frozenset({"plan"})
NOTICE_KINDS = (
    "assigned",
    "sent_back",
    "awaiting_control",
    "deadline_passed",
    "workday_minimum",
)
"""The kinds of notice, each a key of ``[notifications]``."""
DesktopNotices = Literal["off", "osc9", "osc777"]
_NOTIFY_KEYS = frozenset({*NOTICE_KINDS, "bell", "desktop"})
PlanName = Literal["cloud", "enterprise"]
"""The portal plans whose rate limits the client paces by."""
_PROFILE_KEYS = frozenset({"portal", "user_id", "read_only"})

_HEADER = (
    "b24tui settings (no secrets here: webhook codes and tokens live in the keyring).",
    "See 'b24tui --help'. Unknown keys are errors.",
)


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file, the key and the fix."""

    path: Path
    key: str | None

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ProfileSettings:
    """One portal account: where it is and who the stored credential belongs to."""

    name: str
    portal: str | None = None
    """The portal's host, e.g. ``acme.bitrix24.com`` (no scheme, no path)."""
    user_id: int | None = None
    """The id of the user the webhook runs as."""
    read_only: bool = False
    """Whether this profile only reads: no write is offered or sent (as ``--read-only``)."""


@dataclass(frozen=True)
class NotifySettings:
    """``[notifications]``: which changes are told, and how beyond the toast."""

    kinds: frozenset[str] = frozenset(NOTICE_KINDS)
    """The kinds of notice turned on (:data:`NOTICE_KINDS`)."""
    bell: bool = False
    """Whether each notice rings the terminal's bell."""
    desktop: DesktopNotices = "off"
    """A desktop notification as well, by the terminal sequence it understands."""


@dataclass(frozen=True)
class Settings:
    """Everything the config file can say, with defaults for what it does not."""

    path: Path
    """The file these settings came from (it may not exist)."""
    exists: bool = False
    """Whether the file existed when read."""
    default_profile: str = DEFAULT_PROFILE
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    """Seconds between background refreshes."""
    theme: str | None = None
    """A Textual theme name, or ``None`` for the app's default."""
    allow_plaintext_keyring: bool = False
    """Whether a keyring backend that stores secrets unencrypted may be used."""
    keyring_timeout: float = DEFAULT_KEYRING_TIMEOUT
    """Seconds to wait for the keyring (a locked collection must never hang the app)."""
    debug: bool = False
    """Whether to write the debug log (as ``--debug``)."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id to key list, for the keymap (``{"refresh": "r,f5"}``)."""
    profiles: Mapping[str, ProfileSettings] = field(default_factory=lambda: MappingProxyType({}))
    plan: PlanName = "cloud"
    """The portal's plan, for pacing: ``"cloud"`` (every plan but Enterprise) or
    ``"enterprise"`` (``[limits] plan``)."""
    notify: NotifySettings = NotifySettings()
    """``[notifications]``."""

    def profile(self, name: str | None = None) -> ProfileSettings:
        """The profile ``name`` (default: :attr:`default_profile`), empty if not configured."""
        chosen = name or self.default_profile
        return self.profiles.get(chosen) or ProfileSettings(chosen)


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile (letters, digits, ``_.-``; up to 64), else ValueError."""
    if not _PROFILE_NAME.match(name):
        raise ValueError(
            f"profile name {name!r} is not valid: use letters, digits, '_', '.' or '-' "
            "(up to 64, starting with a letter or digit)"
        )
    return name


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the config file; a missing file gives the defaults (nothing is created).

    Raises:
        ConfigError: the file is not valid TOML, has an unknown key or a bad value.
    """
    target = path if path is not None else config_file(environ)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return Settings(path=target)
    except OSError as error:
        raise ConfigError(target, None, f"cannot be read ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(target, None, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(target, None, f"is not valid TOML ({error})") from None
    return _parse(target, data)


def _parse(path: Path, data: Mapping[str, Any]) -> Settings:
    reader = _Reader(path)
    reader.no_unknown_keys(data, _TOP_KEYS, prefix="")
    default_profile = reader.string(data, "default_profile", DEFAULT_PROFILE)
    if not _PROFILE_NAME.match(default_profile):
        reader.fail("default_profile", "a profile name (letters, digits, '_', '.', '-')")
    return Settings(
        path=path,
        exists=True,
        default_profile=default_profile,
        refresh_interval=reader.number(
            data, "refresh_interval", DEFAULT_REFRESH_INTERVAL, REFRESH_RANGE, "seconds"
        ),
        theme=reader.optional_string(data, "theme"),
        allow_plaintext_keyring=reader.boolean(data, "allow_plaintext_keyring", False),
        keyring_timeout=reader.number(
            data, "keyring_timeout", DEFAULT_KEYRING_TIMEOUT, KEYRING_TIMEOUT_RANGE, "seconds"
        ),
        debug=reader.boolean(data, "debug", False),
        keys=MappingProxyType(reader.keys(data)),
        profiles=MappingProxyType(reader.profiles(data)),
        plan=reader.plan(data),
        notify=reader.notify(data),
    )


class _Reader:
    """Typed reads of the parsed TOML that fail with the file, key and expected value."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, expected: str, value: Any = None) -> NoReturn:
        got = "" if value is None else f", got {_describe(value)}"
        raise ConfigError(self.path, key, f"expected {expected}{got}")

    def no_unknown_keys(self, table: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
        for key in table:
            if key not in known:
                allowed = ", ".join(sorted(known))
                raise ConfigError(self.path, prefix + key, f"unknown key (known keys: {allowed})")

    def string(self, table: Mapping[str, Any], key: str, default: str, prefix: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.fail(prefix + key, "a non-empty string", value)
        return str(value).strip()

    def optional_string(self, table: Mapping[str, Any], key: str, prefix: str = "") -> str | None:
        if key not in table:
            return None
        return self.string(table, key, "", prefix)

    def boolean(self, table: Mapping[str, Any], key: str, default: bool, prefix: str = "") -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(prefix + key, "true or false", value)
        return bool(value)

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        default: float,
        bounds: tuple[float, float],
        unit: str,
    ) -> float:
        value = table.get(key, default)
        low, high = bounds
        in_range = isinstance(value, int | float) and low <= value <= high
        if isinstance(value, bool) or not in_range:
            self.fail(key, f"a number of {unit} from {low:g} to {high:g}", value)
        return float(value)

    def keys(self, data: Mapping[str, Any]) -> dict[str, str]:
        table = data.get("keys", {})
        if not isinstance(table, Mapping):
            self.fail("keys", 'a table of binding id = "keys"', table)
        keys: dict[str, str] = {}
        for binding in table:
            if not _BINDING_ID.match(binding):
                self.fail(f"keys.{binding}", "a binding id such as refresh or quit")
            keys[binding] = self.string(table, binding, "", prefix="keys.")
        return keys

    def plan(self, data: Mapping[str, Any]) -> PlanName:
        table = data.get("limits", {})
        if not isinstance(table, Mapping):
            self.fail("limits", "a table with plan", table)
        self.no_unknown_keys(table, _LIMIT_KEYS, prefix="limits.")
        plan = self.string(table, "plan", "cloud", prefix="limits.")
        if plan == "enterprise":
            return "enterprise"
        if plan != "cloud":
            self.fail("limits.plan", '"cloud" or "enterprise"', plan)
        return "cloud"

    def notify(self, data: Mapping[str, Any]) -> NotifySettings:
        table = data.get("notifications", {})
        if not isinstance(table, Mapping):
            self.fail("notifications", "a table of kind = true or false", table)
        self.no_unknown_keys(table, _NOTIFY_KEYS, prefix="notifications.")
        prefix = "notifications."
        kinds = frozenset(
            kind for kind in NOTICE_KINDS if self.boolean(table, kind, True, prefix=prefix)
        )
        desktop = self.string(table, "desktop", "off", prefix=prefix)
        if desktop not in ("off", "osc9", "osc777"):
            self.fail(prefix + "desktop", '"off", "osc9" or "osc777"', desktop)
        return NotifySettings(
            kinds=kinds,
            bell=self.boolean(table, "bell", False, prefix=prefix),
            desktop="osc9" if desktop == "osc9" else "osc777" if desktop == "osc777" else "off",
        )

    def profiles(self, data: Mapping[str, Any]) -> dict[str, ProfileSettings]:
        table = data.get("profiles", {})
        if not isinstance(table, Mapping):
            self.fail("profiles", "a table of [profiles.NAME] tables", table)
        profiles: dict[str, ProfileSettings] = {}
        for name, body in table.items():
            key = f"profiles.{name}"
            if not _PROFILE_NAME.match(name):
                self.fail(key, "a profile name of letters, digits, '_', '.', '-'")
            if not isinstance(body, Mapping):
                self.fail(key, "a table with portal and user_id", body)
            self.no_unknown_keys(body, _PROFILE_KEYS, prefix=key + ".")
            portal = self.optional_string(body, "portal", prefix=key + ".")
            if portal is not None and not _HOST.match(portal):
                self.fail(
                    key + ".portal", "a host name such as acme.bitrix24.com (no https://, no path)"
                )
            user_id = body.get("user_id")
            if user_id is not None and (
                isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0
            ):
                self.fail(key + ".user_id", "a positive whole number", user_id)
            read_only = self.boolean(body, "read_only", False, prefix=key + ".")
            profiles[name] = ProfileSettings(
                name=name, portal=portal, user_id=user_id, read_only=read_only
            )
        return profiles


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def save_profile(path: Path, profile: ProfileSettings, *, make_default: bool = False) -> None:
    """Record ``profile``'s portal and user id in the config file, keeping everything else.

    The file and its directory are created if missing; the write is atomic.

    Raises:
        ConfigError: the existing file is not valid TOML or cannot be written.
    """
    # tomlkit only here: reading the config (every start) needs only tomllib.
    import tomlkit
    from tomlkit.items import Table

    check_profile_name(profile.name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, f"cannot be read ({error})") from None
    try:
        document = tomlkit.parse(text) if text is not None else _new_document()
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(path, None, f"is not valid TOML ({error})") from None
    if make_default:
        document["default_profile"] = profile.name
    profiles = document.get("profiles")
    if profiles is None:
        profiles = tomlkit.table(is_super_table=True)
        document["profiles"] = profiles
    elif not isinstance(profiles, Table):
        raise ConfigError(path, "profiles", "expected a table of [profiles.NAME] tables")
    entry = profiles.get(profile.name)
    if entry is None:
        entry = tomlkit.table()
        profiles[profile.name] = entry
    elif not isinstance(entry, Table):
        raise ConfigError(path, f"profiles.{profile.name}", "expected a table")
    for key, value in (("portal", profile.portal), ("user_id", profile.user_id)):
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    _write_atomically(path, tomlkit.dumps(document))


def _new_document() -> TOMLDocument:
    import tomlkit

    document = tomlkit.document()
    for line in _HEADER:
        document.add(tomlkit.comment(line))
    return document


def _write_atomically(path: Path, text: str) -> None:
    try:
        write_atomically(path, text)
    except OSError as error:
        raise ConfigError(path, None, f"cannot be written ({error.strerror})") from None
