"""Webhook URLs and OAuth endpoints: parsing, URL building and never showing the secret."""

from __future__ import annotations

import pytest

from b24tui.api import EndpointError, OAuthToken, Webhook, is_loopback_host, redact

CODE = "s3cr3tc0de9a8b7c"


@pytest.mark.parametrize(
    "url",
    [
        f"https://acme.bitrix24.com/rest/7/{CODE}/",
        f"https://acme.bitrix24.com/rest/7/{CODE}",
        f"  https://acme.bitrix24.com/rest/7/{CODE}/  ",
        f"HTTPS://ACME.bitrix24.com/rest/7/{CODE}/",
        f"https://acme.bitrix24.com/rest/7/{CODE}/profile",
        f"https://acme.bitrix24.com/rest/7/{CODE}/profile.json",
        f"https://acme.bitrix24.com/rest/7/{CODE}/department.get.json?ID=42",
        f"https://acme.bitrix24.com/rest/api/7/{CODE}/",
        f"acme.bitrix24.com/rest/7/{CODE}/",
    ],
)
def test_webhook_forms_people_paste_are_accepted(url: str) -> None:
    hook = Webhook.parse(url)
    assert hook.host == "acme.bitrix24.com"
    assert hook.user_id == 7
    assert hook.code == CODE
    assert hook.v1_base_url == f"https://acme.bitrix24.com/rest/7/{CODE}/"
    assert hook.v3_base_url == f"https://acme.bitrix24.com/rest/api/7/{CODE}/"
    assert hook.base_url == "https://acme.bitrix24.com"


def test_method_urls_for_both_generations() -> None:
    hook = Webhook.parse(f"https://acme.bitrix24.com:8443/rest/7/{CODE}/")
    assert hook.host == "acme.bitrix24.com:8443"
    assert hook.method_url("tasks.task.get", "v1") == (
        f"https://acme.bitrix24.com:8443/rest/7/{CODE}/tasks.task.get"
    )
    assert hook.method_url("tasks.task.update", "v3") == (
        f"https://acme.bitrix24.com:8443/rest/api/7/{CODE}/tasks.task.update"
    )
    assert hook.auth_params() == {}


@pytest.mark.parametrize(
    "url",
    [
        f"http://127.0.0.1:8080/rest/1/{CODE}/",
        f"http://127.5.6.7/rest/1/{CODE}/",
        f"http://localhost:9000/rest/1/{CODE}/",
        f"http://[::1]:9000/rest/1/{CODE}/",
    ],
)
def test_plain_http_is_accepted_for_loopback(url: str) -> None:
    hook = Webhook.parse(url)
    assert hook.base_url.startswith("http://")
    assert hook.method_url("profile", "v1").startswith("http://")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"http://acme.bitrix24.com/rest/1/{CODE}/", "requires https://"),
        (f"http://10.0.0.5/rest/1/{CODE}/", "plain http"),
        (f"ftp://acme.bitrix24.com/rest/1/{CODE}/", "must start with https://"),
        (f"https://acme.bitrix24.com/api/1/{CODE}/", "does not start with /rest/"),
        ("https://acme.bitrix24.com/rest/1/", "missing"),
        (f"https://acme.bitrix24.com/rest/0/{CODE}/", "positive number"),
        (f"https://acme.bitrix24.com/rest/abc/{CODE}/", "positive number"),
        (f"https://acme.bitrix24.com/rest/1/{CODE}/a/b/", "extra path segments"),
        (f"https://user:pw@acme.bitrix24.com/rest/1/{CODE}/", "user name or password"),
        ("", "empty"),
        (f"https:///rest/1/{CODE}/", "no host"),
    ],
)
def test_bad_webhook_urls_say_what_is_wrong_without_the_code(url: str, says: str) -> None:
    with pytest.raises(EndpointError) as caught:
        Webhook.parse(url)
    message = str(caught.value)
    assert says in message
    assert CODE not in message
    assert isinstance(caught.value, ValueError)


def test_a_code_with_odd_characters_is_refused_without_echoing_it() -> None:
    with pytest.raises(EndpointError) as caught:
        Webhook.parse("https://acme.bitrix24.com/rest/1/se%20cret!/")
    assert "se cret" not in str(caught.value)
    assert "secret" not in str(caught.value).replace(" ", "")


def test_webhook_repr_and_str_hide_the_code() -> None:
    hook = Webhook.parse(f"https://acme.bitrix24.com/rest/7/{CODE}/")
    for text in (repr(hook), str(hook), f"{hook}", f"{hook!r}", repr([hook])):
        assert CODE not in text
        assert "acme.bitrix24.com" in text
    assert str(hook) == "https://acme.bitrix24.com/rest/7/***/"
    assert hook.redacted_url == str(hook)


def test_oauth_token_builds_rest_urls_and_sends_auth() -> None:
    token = OAuthToken("https://acme.bitrix24.com/rest/", "tok-abcdef123456", refresh_token="rf-9")
    assert token.host == "acme.bitrix24.com"
    assert token.method_url("tasks.task.list", "v1") == (
        "https://acme.bitrix24.com/rest/tasks.task.list"
    )
    assert token.method_url("tasks.task.update", "v3") == (
        "https://acme.bitrix24.com/rest/api/tasks.task.update"
    )
    assert token.auth_params() == {"auth": "tok-abcdef123456"}
    assert set(token.secrets()) == {"tok-abcdef123456", "rf-9"}
    for text in (repr(token), str(token)):
        assert "tok-abcdef123456" not in text
        assert "rf-9" not in text


@pytest.mark.parametrize("portal", ["acme.bitrix24.com", "https://acme.bitrix24.com"])
def test_oauth_token_accepts_a_bare_host(portal: str) -> None:
    assert OAuthToken(portal, "t").v1_base_url == "https://acme.bitrix24.com/rest/"


def test_oauth_token_refuses_plain_http_to_a_remote_portal() -> None:
    with pytest.raises(EndpointError, match="https"):
        OAuthToken("http://acme.bitrix24.com/rest/", "tok")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("10.0.0.1", False),
        ("128.0.0.1", False),
        ("localhost.evil.com", False),
        ("acme.bitrix24.com", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_redact_masks_webhook_paths_auth_values_and_known_secrets() -> None:
    text = (
        f"POST https://a.example/rest/7/{CODE}/tasks.task.get and "
        f"https://a.example/rest/api/7/{CODE}/x ?auth=tok123&x=1 tok-known"
    )
    masked = redact(text, ("tok-known",))
    assert CODE not in masked
    assert "tok123" not in masked
    assert "tok-known" not in masked
    assert "https://a.example/rest/7/***/tasks.task.get" in masked
