"""One place stores a checked credential, webhook or OAuth, and notes its profile."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from b24tui.api import OAuthToken, Webhook
from b24tui.auth import MemoryStore, OAuthCredential, VerifiedLogin, WebhookCredential, save_login
from b24tui.auth.oauth import VerifiedOAuthLogin
from b24tui.config import load_settings
from b24tui.models import Profile

URL = "https://acme.bitrix24.com/rest/7/s3cr3tc0de42xyz/"
OAUTH = OAuthCredential(
    portal="https://beta.bitrix24.com/rest/",
    access_token="access-AAAA1111",
    refresh_token="refresh-BBBB2222",
    expires_at=datetime(2026, 3, 16, 10, 30, tzinfo=UTC),
    client_id="local.app.1",
    client_secret="client-secret-CCCC3333",
)
SCOPES = frozenset({"task", "user", "timeman"})


def _webhook_login() -> VerifiedLogin:
    credential = WebhookCredential(URL)
    return VerifiedLogin(credential, Webhook.parse(URL), Profile(7, name="Anna"), SCOPES)


def _oauth_login() -> VerifiedOAuthLogin:
    token = OAuthCredential.endpoint(OAUTH)
    assert isinstance(token, OAuthToken)
    return VerifiedOAuthLogin(OAUTH, token, Profile(9, name="Boris"), SCOPES)


def test_a_webhook_and_a_token_pair_are_stored_and_noted_the_same_way(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    store = MemoryStore()

    assert save_login(_webhook_login(), store, "work", load_settings(config)) is None
    assert save_login(_oauth_login(), store, "other", load_settings(config)) is None

    assert store.load("work") == WebhookCredential(URL)
    assert store.load("other") == OAUTH
    settings = load_settings(config)
    assert settings.default_profile == "work"
    work, other = settings.profile("work"), settings.profile("other")
    assert (work.portal, work.user_id) == ("acme.bitrix24.com", 7)
    assert (other.portal, other.user_id) == ("beta.bitrix24.com", 9)


def test_a_config_that_cannot_be_written_warns_but_keeps_the_credential(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("not = [valid toml\n", encoding="utf-8")
    store = MemoryStore()
    settings = load_settings(tmp_path / "missing.toml")
    broken = type(settings)(path=config)

    webhook_warning = save_login(_webhook_login(), store, "work", broken)
    oauth_warning = save_login(_oauth_login(), store, "other", broken)

    assert webhook_warning is not None
    assert webhook_warning.startswith("the webhook is stored, but the config was not updated")
    assert oauth_warning is not None
    assert oauth_warning.startswith("the tokens are stored, but the config was not updated")
    assert store.load("work") == WebhookCredential(URL)
    assert store.load("other") == OAUTH
