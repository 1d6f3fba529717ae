"""Errors raised when a capture file cannot be read or written.

A capture is evidence: when a line or block is damaged the user must learn *where* (file,
line number or byte offset) and *what* was expected, so they can repair it or at least trust
the rest. These errors carry that position instead of a bare ``ValueError``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CaptureError", "CaptureFormatError"]


class CaptureError(Exception):
    """Base of every capture error (I/O problems are wrapped into it, with the path)."""

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        super().__init__(self._render())

    def _render(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class CaptureFormatError(CaptureError):
    """The file's content does not follow the format.

    Attributes:
        line: 1-based line number (text captures), or None.
        offset: byte offset of the damaged block (pcapng), or None.
    """

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, offset: int | None = None) -> None:
        self.line = line
        self.offset = offset
        super().__init__(message, path=path)

    def _render(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        return f"{', '.join(where)}: {self.message}" if where else self.message
