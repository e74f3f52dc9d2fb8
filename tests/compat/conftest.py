"""Fixtures for running third-party Bitrix24 clients against the emulator.

``tls_emulator`` serves a fresh portal over HTTPS on 127.0.0.1 with a certificate from a
throw-away CA (``trustme``); ``ca_bundle`` is that CA as a PEM file a client can trust.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
import uvicorn

from b24tui.emulator import EmulatorApp
from b24tui.emulator.server import HOST, START_TIMEOUT, bind
from tests.conftest import ServedEmulator, demo_webhook_of


@pytest.fixture(scope="session")
def _certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    server = authority.issue_cert(HOST, "localhost")
    ca_file, server_file = folder / "ca.pem", folder / "server.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server.private_key_and_cert_chain_pem.write_to_path(str(server_file))
    return ca_file, server_file


@pytest.fixture
def ca_bundle(_certificates: tuple[Path, Path]) -> Path:
    """The PEM file of the CA that signed ``tls_emulator``'s certificate."""
    return _certificates[0]


@pytest.fixture
def tls_emulator(
    emulator_app: EmulatorApp, _certificates: tuple[Path, Path]
) -> Iterator[ServedEmulator]:
    """``emulator_app`` served over HTTPS on 127.0.0.1 for this test."""
    sock = bind()
    config = uvicorn.Config(
        emulator_app,
        host=HOST,
        port=sock.getsockname()[1],
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(_certificates[1]),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert server.started, "the TLS emulator did not start"
        yield ServedEmulator(
            base_url=f"https://{HOST}:{sock.getsockname()[1]}",
            app=emulator_app,
            portal=emulator_app.portal,
            webhook=demo_webhook_of(emulator_app.portal),
        )
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)
        sock.close()
