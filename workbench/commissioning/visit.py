"""One meter visited: connect, collect, disconnect, with every frame recorded to a capture."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from workbench.capture import CaptureHeader, open_writer
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings

from .collect import CollectOptions, collect_readout
from .readout import Readout

__all__ = ["file_sha256", "visit_meter"]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def visit_meter(settings: ConnectionSettings, meter: dict[str, object],
                options: CollectOptions, capture: Path,
                started: Callable[[DlmsClient], None] | None = None) -> Readout:
    """Connect, collect and disconnect, recording every frame to ``capture`` (masked).

    Args:
        started: told the client before it connects, so another thread can cancel it.

    Raises:
        SessionError: the meter could not be connected (sections failing later are recorded
            in the readout instead).
    """
    header = CaptureHeader.from_settings(settings, created=time.time())
    with open_writer(capture, header) as writer, \
            DlmsClient(settings, observers=(writer.write,)) as client:
        if started is not None:
            started(client)
        client.connect()
        readout = collect_readout(client, meter, options)
    readout.capture = {"path": str(capture), "sha256": file_sha256(capture)}
    return readout
