"""Fixtures for running third-party Bitrix24 clients against the emulator.

``tls_emulator`` serves a fresh portal over HTTPS on 127.0.0.1 the way
``b24tui emulator --tls`` does (a throwaway CA and certificate from
:mod:`b24tui.emulator.tls`); ``ca_bundle`` is that CA as a PEM file a client can trust.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from b24tui.emulator import EmulatorApp
from b24tui.emulator.server import serve_in_thread
from b24tui.emulator.tls import TlsMaterial, make_tls
from tests.conftest import ServedEmulator, demo_webhook_of


@pytest.fixture(scope="session")
def _tls(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def ca_bundle(_tls: TlsMaterial) -> Path:
    """The PEM file of the CA that signed ``tls_emulator``'s certificate."""
    return _tls.ca_file


@pytest.fixture
def tls_emulator(emulator_app: EmulatorApp, _tls: TlsMaterial) -> Iterator[ServedEmulator]:
    """``emulator_app`` served over HTTPS on 127.0.0.1 for this test."""
    with serve_in_thread(emulator_app, tls=_tls) as running:
        assert running.base_url.startswith("https://")
        yield ServedEmulator(
            base_url=running.base_url,
            app=emulator_app,
            portal=emulator_app.portal,
            webhook=demo_webhook_of(emulator_app.portal),
        )
