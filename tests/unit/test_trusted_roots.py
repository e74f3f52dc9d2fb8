"""Every client of a process checks portals against one set of root certificates, read once."""

from __future__ import annotations

import ssl
from pathlib import Path

import certifi
import pytest

from b24tui.api import B24Client, Webhook
from b24tui.api.client import trusted_roots

WEBHOOK = Webhook.parse("https://portal.example/rest/1/abcdefgh12345678/")


async def test_clients_share_the_roots_instead_of_reading_the_bundle_each() -> None:
    async with B24Client(WEBHOOK) as first, B24Client(WEBHOOK) as second:
        assert trusted_roots() is trusted_roots()
        assert first._http._transport._pool._ssl_context is trusted_roots()  # type: ignore[attr-defined]
        assert second._http._transport._pool._ssl_context is trusted_roots()  # type: ignore[attr-defined]


def test_ssl_cert_file_names_the_bundle_as_for_httpx(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    bundle = tmp_path / "company-ca.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    default = trusted_roots()
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    chosen = trusted_roots()
    assert chosen is not default, "a bundle named in SSL_CERT_FILE is read, not the default"
    assert isinstance(chosen, ssl.SSLContext)
    monkeypatch.delenv("SSL_CERT_FILE")
    assert trusted_roots() is default
