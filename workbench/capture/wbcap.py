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
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from workbench.framelog import DIRECTIONS, FrameRecord

from .errors import CaptureError, CaptureFormatError
from .limits import (
    MAX_LINE_CHARS,
    BadValue,
    check_size,
    check_time,
    header_from_json,
    load_json_object,
)
from .model import FORMAT_VERSION, Capture, CaptureHeader
from .writer import CaptureWriter

__all__ = ["MAGIC", "WbcapWriter", "format_header", "format_record", "parse_wbcap",
           "read_wbcap"]

MAGIC = "#wbcap"
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"[\\\n\r]")
_UNESCAPE_RE = re.compile(r"\\[\\nr]")
_VERSION_RE = re.compile("[0-9]{1,4}")  # ASCII digits only: int() also takes "²" and "٣"


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
        CaptureFormatError: bad header, a line longer than :data:`~.limits.MAX_LINE_CHARS`,
            a file over :data:`~.limits.MAX_FILE_BYTES`, or (strict) a bad frame line;
            names the line.
        CaptureError: the file cannot be read.
    """
    try:
        with open(path, "rb") as file:
            check_size(file, path)
            return parse_wbcap(_bounded_lines(file), path=path, strict=strict)
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
        except BadValue as exc:
            problem = CaptureFormatError(str(exc), path=path, line=number)
            if strict:
                raise problem from None
            capture.add_problem(problem)
    return capture


def _bounded_lines(file: BinaryIO) -> Iterator[str]:
    """The file's lines, decoded; a line past the cap is cut to ``MAX_LINE_CHARS + 1``.

    The rest of an over-long line is read and dropped in bounded pieces, so a file of one
    endless line costs no more memory than one normal line.
    """
    while line := file.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS and not line.endswith(b"\n"):
            while (rest := file.readline(MAX_LINE_CHARS)) and not rest.endswith(b"\n"):
                pass
        yield line.decode("utf-8", "replace")


def _parse_header(line: str, path: str | Path | None) -> CaptureHeader:
    parts = line.rstrip("\r\n").split(" ", 2)
    if len(parts) < 3 or parts[0] != MAGIC:
        raise CaptureFormatError(f"not a workbench capture: the first line must start with "
                                 f"{MAGIC!r}", path=path, line=1)
    if not _VERSION_RE.fullmatch(parts[1]) or not 1 <= int(parts[1]) <= FORMAT_VERSION:
        raise CaptureFormatError(f"capture format version {parts[1][:20]!r} is not supported "
                                 f"(this workbench reads 1 to {FORMAT_VERSION})",
                                 path=path, line=1)
    try:
        body = load_json_object(parts[2])
        created = _parse_time(body.get("created"), "header 'created'")
        return header_from_json(body, created, int(parts[1]))
    except BadValue as exc:
        raise CaptureFormatError(f"bad header: {exc}", path=path, line=1) from None


def _parse_frame(text: str) -> FrameRecord:
    if len(text) > MAX_LINE_CHARS:
        raise BadValue(f"line is longer than {MAX_LINE_CHARS} characters; expected "
                       "'time direction hex [note]'")
    fields = text.split(" ", 3)
    if len(fields) < 3:
        raise BadValue(f"expected 'time direction hex [note]', got {text[:60]!r}")
    stamp, direction, data = fields[:3]
    if direction not in DIRECTIONS:
        raise BadValue(f"direction must be 'tx' or 'rx', got {direction[:20]!r}")
    try:
        raw = bytes.fromhex(data)
    except ValueError:
        raise BadValue(f"frame bytes are not hex: {data[:40]!r}") from None
    if not raw:
        raise BadValue("frame has no bytes; expected hex such as 7EA00A...7E")
    note = _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group()], fields[3]) if len(fields) > 3 else ""
    return FrameRecord(_parse_time(stamp), DIRECTIONS[direction], raw, note)


def _format_time(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: object, what: str = "time") -> float:
    if not isinstance(text, str):
        raise BadValue(f"{what} must be ISO 8601 text like 2026-11-25T10:00:00.000000Z")
    try:
        stamp = datetime.fromisoformat(text[:64])
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return check_time(stamp.timestamp(), what)
    except (ValueError, OverflowError):  # not a date, or one Python cannot place in time
        raise BadValue(f"{what} must be ISO 8601 like 2026-11-25T10:00:00.000000Z "
                       f"(1970..9999), got {text[:40]!r}") from None
