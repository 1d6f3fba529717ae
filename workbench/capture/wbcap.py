"""``.wbcap``: the workbench's line-based text capture format.

Why text: a capture must survive the application dying mid-session (every line is complete
on its own and flushed as written), be readable and diff-able by people, and be easy to
repair by hand. The format, version 1::

    #wbcap 1 {"created": "2026-11-25T10:00:00.000000Z", "meta": {"host": "10.0.0.5", ...}}
    2026-11-25T10:00:01.250000Z tx 7EA00A00020FF521935F0A7E
    2026-11-25T10:00:01.291000Z rx 7EA01E2100020FF573...7E optional note

* Line 1, the header: ``#wbcap``, the format version, then one JSON object with the
  capture start time and the ``meta`` facts (meter and link settings; never a password).
* Then one line per frame, four fields separated by single spaces: the time (ISO 8601,
  UTC, microseconds, ``Z``), the direction (``tx`` = client to meter, ``rx`` = meter to
  client), the frame bytes in hex (flags included), and an optional note (the rest of the
  line; ``\\``, newline and carriage return are written as ``\\\\``, ``\\n``, ``\\r``).
* Empty lines and lines starting with ``#`` after the header are ignored.

Password bytes are masked (``2A``) by the writer unless asked otherwise; see masking.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from workbench.session.trace import FrameRecord

from .errors import CaptureError, CaptureFormatError
from .model import FORMAT_VERSION, Capture, CaptureHeader
from .writer import CaptureWriter

__all__ = ["MAGIC", "WbcapWriter", "format_header", "format_record", "parse_wbcap",
           "read_wbcap"]

MAGIC = "#wbcap"
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"[\\\n\r]")
_UNESCAPE_RE = re.compile(r"\\[\\nr]")


class WbcapWriter(CaptureWriter):
    """Append frames to a ``.wbcap`` file; an existing capture is continued, not replaced."""

    def _open(self) -> BinaryIO:
        file = open(self.path, "ab")  # noqa: SIM115 - kept open for the session, closed in close()
        if file.tell() == 0:
            file.write(format_header(self.header).encode("utf-8"))
            file.flush()
        return file

    def _write_frame(self, record: FrameRecord, raw: bytes) -> None:
        self._file.write(format_record(record, raw).encode("utf-8"))
        self._file.flush()


def format_header(header: CaptureHeader) -> str:
    """The header line (with its newline)."""
    body = {"created": _format_time(header.created), "meta": header.meta}
    return f"{MAGIC} {header.version} {json.dumps(body, ensure_ascii=False)}\n"


def format_record(record: FrameRecord, raw: bytes | None = None) -> str:
    """One frame line (with its newline); ``raw`` overrides the record's bytes (masking)."""
    data = (record.raw if raw is None else raw).hex().upper()
    line = f"{_format_time(record.time)} {record.direction} {data}"
    if record.note:
        line += " " + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], record.note)
    return line + "\n"


def read_wbcap(path: str | Path, *, strict: bool = True) -> Capture:
    """Read a ``.wbcap`` file.

    Args:
        strict: raise on the first bad frame line; when False, skip bad lines and list
            them in ``Capture.problems`` (a capture cut short by a crash stays readable).

    Raises:
        CaptureFormatError: bad header, or (strict) a bad frame line; names the line.
        CaptureError: the file cannot be read.
    """
    try:
        with open(path, encoding="utf-8", errors="replace", newline="\n") as file:
            return parse_wbcap(file, path=path, strict=strict)
    except OSError as exc:
        raise CaptureError(f"cannot read capture: {exc.strerror or exc}", path=path) from exc


def parse_wbcap(lines: Iterable[str], *, path: str | Path | None = None,
                strict: bool = True) -> Capture:
    """Parse the lines of a ``.wbcap`` capture (see :func:`read_wbcap`)."""
    numbered = enumerate(lines, start=1)
    first = next(numbered, (1, ""))
    capture = Capture(_parse_header(first[1], path), [])
    for number, line in numbered:
        text = line.rstrip("\r\n")
        if not text or text.startswith("#"):
            continue
        try:
            capture.records.append(_parse_frame(text))
        except ValueError as exc:
            problem = CaptureFormatError(str(exc), path=path, line=number)
            if strict:
                raise problem from None
            capture.problems.append(problem)
    return capture


def _parse_header(line: str, path: str | Path | None) -> CaptureHeader:
    parts = line.rstrip("\r\n").split(" ", 2)
    if len(parts) < 3 or parts[0] != MAGIC:
        raise CaptureFormatError(f"not a workbench capture: the first line must start with "
                                 f"{MAGIC!r}", path=path, line=1)
    if not parts[1].isdigit() or not 1 <= int(parts[1]) <= FORMAT_VERSION:
        raise CaptureFormatError(f"capture format version {parts[1]!r} is not supported "
                                 f"(this workbench reads 1 to {FORMAT_VERSION})",
                                 path=path, line=1)
    try:
        body = json.loads(parts[2])
        return CaptureHeader(int(parts[1]), _parse_time(body["created"]), dict(body["meta"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise CaptureFormatError(f"bad header: {exc}", path=path, line=1) from None


def _parse_frame(text: str) -> FrameRecord:
    fields = text.split(" ", 3)
    if len(fields) < 3:
        raise ValueError(f"expected 'time direction hex [note]', got {text[:60]!r}")
    stamp, direction, data = fields[:3]
    if direction not in ("tx", "rx"):
        raise ValueError(f"direction must be 'tx' or 'rx', got {direction!r}")
    try:
        raw = bytes.fromhex(data)
    except ValueError:
        raise ValueError(f"frame bytes are not hex: {data[:40]!r}") from None
    if not raw:
        raise ValueError("frame has no bytes")
    note = _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group()], fields[3]) if len(fields) > 3 else ""
    return FrameRecord(_parse_time(stamp), direction, raw, note)


def _format_time(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> float:
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"time must be ISO 8601 like 2026-11-25T10:00:00.000000Z, "
                         f"got {text!r}") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()
