"""The caps every capture reader applies, and the checks on the values it takes from a file.

A capture arrives from anywhere (a colleague's mail, a vendor, a half-written file after a
crash), so every size the file decides is bounded before it is used, and every value is
checked to be one the rest of the workbench can show: a header's time must be a date,
a version a small integer, the JSON a flat object. A reader turns a failed check into a
:class:`~workbench.capture.errors.CaptureFormatError` naming the line or byte.

Limits (generous for any real session, small enough that a hostile file costs nothing):

* :data:`MAX_FILE_BYTES`: 256 MiB, about a million frames;
* :data:`MAX_LINE_CHARS`: 64 Ki characters per ``.wbcap`` line (a frame is at most 2 KiB);
* :data:`MAX_BLOCK_BYTES`: 1 MiB per pcapng block;
* :data:`MAX_JSON_DEPTH`: 4 levels of nesting in a header (it uses 2);
* :data:`~.model.MAX_PROBLEMS`: damaged lines a lenient read lists (the rest are counted).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, BinaryIO

from .errors import CaptureFormatError
from .model import FORMAT_VERSION, CaptureHeader, MetaValue

__all__ = ["LAST_TIME", "MAX_BLOCK_BYTES", "MAX_FILE_BYTES", "MAX_JSON_DEPTH",
           "MAX_LINE_CHARS", "BadValue", "check_size", "check_time", "check_version",
           "header_from_json", "load_json_object"]

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_LINE_CHARS = 64 * 1024
MAX_BLOCK_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 4
LAST_TIME = 253_402_300_799.0
"""9999-12-31 23:59:59 UTC: the last time a date can show."""


class BadValue(ValueError):
    """A value in a capture is not one the workbench accepts; the text says what was expected.

    Raised only by this module's checks; each reader turns it into a CaptureFormatError
    with the position, so it never escapes a reader.
    """


def check_size(file: BinaryIO, path: str | Path | None) -> None:
    """Refuse a file larger than :data:`MAX_FILE_BYTES` before reading any of it.

    Raises:
        CaptureFormatError: naming the size and the limit.
    """
    size = os.fstat(file.fileno()).st_size
    if size > MAX_FILE_BYTES:
        raise CaptureFormatError(f"the file is {size:,} bytes; captures up to "
                                 f"{MAX_FILE_BYTES:,} bytes can be opened", path=path, offset=0)


def check_time(value: object, what: str = "time") -> float:
    """``value`` as a POSIX time between 1970 and 9999 (what a date can show)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue(f"{what} must be a number of seconds, got {_short(value)}")
    if not (math.isfinite(value) and 0 <= value <= LAST_TIME):
        raise BadValue(f"{what} {_short(value)} is outside 1970..9999")
    return float(value)


def check_version(value: object) -> int:
    """``value`` as a capture format version this workbench reads."""
    if isinstance(value, bool) or not isinstance(value, int) \
            or not 1 <= value <= FORMAT_VERSION:
        raise BadValue(f"capture format version {_short(value)} is not supported "
                       f"(expected 1 to {FORMAT_VERSION})")
    return value


def load_json_object(text: str) -> dict[str, Any]:
    """Parse ``text`` as one JSON object, nested at most :data:`MAX_JSON_DEPTH` deep.

    The depth is checked by a linear scan before parsing, so ``[[[[...`` costs nothing and
    cannot exhaust the parser's recursion; ``Infinity``/``NaN`` and huge integers are refused.
    """
    if len(text) > MAX_LINE_CHARS:
        raise BadValue(f"header is longer than {MAX_LINE_CHARS} characters")
    depth = _nesting(text)
    if depth > MAX_JSON_DEPTH:
        raise BadValue(f"header JSON is nested {depth}+ levels deep (expected at most "
                       f"{MAX_JSON_DEPTH})")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
        raise BadValue(f"header is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BadValue(f"header must be a JSON object, got {type(value).__name__}")
    return value


def header_from_json(body: dict[str, Any], created: float, version: int) -> CaptureHeader:
    """The :class:`CaptureHeader` of an already checked time and version plus ``meta``."""
    meta = body.get("meta", {})
    if not isinstance(meta, dict):
        raise BadValue(f"header 'meta' must be an object, got {_short(meta)}")
    for key, value in meta.items():
        if not isinstance(value, MetaValue) or (isinstance(value, float)
                                                and not math.isfinite(value)):
            raise BadValue(f"header 'meta' value of {key!r} must be text or a number, "
                           f"got {_short(value)}")
    try:
        return CaptureHeader(version, created, dict(meta))
    except ValueError as exc:  # a key that looks like it holds a password
        raise BadValue(str(exc)) from None


def _nesting(text: str) -> int:
    """Deepest bracket nesting outside strings (stops counting past the limit)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> None:
    raise BadValue(f"header holds {name}, which is not a number")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
