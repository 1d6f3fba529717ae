"""Choosing the capture format: by file name when writing, by content when reading."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workbench.framelog import Dissector, FrameRecord

from .errors import CaptureError
from .model import Capture, CaptureHeader
from .pcapng import SHB, PcapngWriter
from .pcapng_reader import read_pcapng
from .wbcap import MAGIC, WbcapWriter, read_wbcap
from .writer import CaptureWriter

__all__ = ["CAPTURE_SUFFIXES", "load_capture", "open_writer", "save_capture"]

_PCAPNG_SUFFIXES = (".pcapng", ".pcap", ".ntar")
CAPTURE_SUFFIXES = frozenset({".wbcap", ".pcapng"})
"""The names a capture file is recognised by (opening one, comparing one, decoding one)."""


def open_writer(path: str | Path, header: CaptureHeader, *, keep_secrets: bool = False,
                dissect: Dissector | None = None) -> CaptureWriter:
    """Open a writer for ``path``: pcapng for ``.pcapng``, the text format otherwise.

    Raises:
        CaptureError: the file cannot be opened.
    """
    kind = PcapngWriter if Path(path).suffix.lower() in _PCAPNG_SUFFIXES else WbcapWriter
    return kind(path, header, keep_secrets=keep_secrets, dissect=dissect)


def save_capture(path: str | Path, records: Iterable[FrameRecord], header: CaptureHeader, *,
                 keep_secrets: bool = False, dissect: Dissector | None = None) -> int:
    """Write ``records`` to a new capture at ``path``; return how many frames were written.

    Raises:
        CaptureError: the file cannot be written.
    """
    target = Path(path)
    if target.suffix.lower() not in _PCAPNG_SUFFIXES and target.exists():
        target.unlink()  # "save" means a fresh file; the text writer would continue it
    with open_writer(target, header, keep_secrets=keep_secrets, dissect=dissect) as writer:
        for record in records:
            writer.write(record)
        return writer.frames_written


def load_capture(path: str | Path, *, strict: bool = False) -> Capture:
    """Read a capture in either format, recognised by its first bytes.

    Args:
        strict: see :func:`~workbench.capture.wbcap.read_wbcap`. Lenient by default: a
            capture cut short by a crash loads, with the damage listed in ``problems``.

    Raises:
        CaptureFormatError: the file is neither format, or is damaged beyond reading.
        CaptureError: the file cannot be read.
    """
    try:
        with open(path, "rb") as file:
            start = file.read(len(MAGIC))
    except OSError as exc:
        raise CaptureError(f"cannot read capture: {exc.strerror or exc}", path=path) from exc
    if start[:4] == SHB.to_bytes(4, "little") or start[:4] == SHB.to_bytes(4, "big"):
        return read_pcapng(path, strict=strict)
    return read_wbcap(path, strict=strict)
