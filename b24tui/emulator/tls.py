"""Throwaway TLS for the emulator: a private CA and a certificate for this machine.

``b24tui emulator --tls`` serves HTTPS with a certificate for ``localhost``,
``127.0.0.1`` and ``::1`` signed by a CA made for this run alone; a client trusts it by
loading the CA file (``B24Client(..., ca_file=...)``). The files are written readable by
the owner only and removed with their directory when the emulator stops.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme

__all__ = ["CERT_NAMES", "TlsMaterial", "make_tls", "throwaway_tls"]

CERT_NAMES: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
"""The names the server certificate is valid for."""


@dataclass(frozen=True)
class TlsMaterial:
    """The files a TLS server and its clients need."""

    ca_file: Path
    """The CA certificate (PEM) a client must trust."""
    cert_file: Path
    """The server certificate and its chain (PEM)."""
    key_file: Path
    """The server's private key (PEM)."""


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that only the owner can read (0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def make_tls(directory: Path) -> TlsMaterial:
    """Create a CA and a server certificate for :data:`CERT_NAMES` in ``directory``."""
    authority = trustme.CA(organization_name="b24tui emulator")
    issued = authority.issue_cert(*CERT_NAMES)
    material = TlsMaterial(
        ca_file=directory / "ca.pem",
        cert_file=directory / "server.pem",
        key_file=directory / "server.key",
    )
    _write_private(material.ca_file, authority.cert_pem.bytes())
    chain = b"".join(blob.bytes() for blob in issued.cert_chain_pems)
    _write_private(material.cert_file, chain)
    _write_private(material.key_file, issued.private_key_pem.bytes())
    return material


@contextmanager
def throwaway_tls() -> Iterator[TlsMaterial]:
    """TLS material in a private temporary directory, removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="b24tui-emulator-tls-") as directory:
        yield make_tls(Path(directory))
