"""The part every capture writer shares: masking, flushing, and being a frame observer.

A writer is subscribed to the session's tracer, so it sees each frame the moment it crosses
the wire and writes it straight away, flushed: if the link drops or the application dies,
everything recorded so far is already in the file. (Flushed to the OS, not fsync'ed: an
fsync per frame would cost more than the link itself; only a power cut can lose the tail.)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TypeVar

from workbench.framelog import Dissector, FrameRecord, Masker

from .errors import CaptureError
from .model import CaptureHeader

__all__ = ["CaptureWriter"]

_T = TypeVar("_T")


class CaptureWriter(ABC):
    """Append-only writer of one capture file; call it (or :meth:`write`) with each frame.

    Args:
        path: file to write. Format-specific subclasses decide whether an existing file is
            continued (text captures) or replaced.
        header: session description written first.
        keep_secrets: write the LLS password as it was sent. Off by default: password bytes
            become ``*`` and the frame checks are recomputed.
        dissect: dissector used to find secret bytes (tests may pass their own).

    Raises:
        CaptureError: the file cannot be opened or written.
    """

    def __init__(self, path: str | Path, header: CaptureHeader, *, keep_secrets: bool = False,
                 dissect: Dissector | None = None) -> None:
        self.path = Path(path)
        self.header = header
        self.keep_secrets = keep_secrets
        self._masker = Masker(dissect)
        self._file: BinaryIO = self._guard(self._open)
        self.frames_written = 0

    def write(self, record: FrameRecord) -> None:
        """Append one frame (masked unless ``keep_secrets``) and flush it to the OS.

        Frames must come in the order they crossed the wire: the password of an AARQ split
        into segments is found across them (see :class:`~.masking.Masker`).
        """
        raw = record.raw if self.keep_secrets else self._masker.mask(record.raw)
        self._guard(lambda: self._write_frame(record, raw))
        self.frames_written += 1

    __call__ = write  # a writer is a FrameObserver: tracer.subscribe(writer)

    def close(self) -> None:
        """Close the file; safe to call twice."""
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> CaptureWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @abstractmethod
    def _open(self) -> BinaryIO:
        """Open the file and write the header if the file is new."""

    @abstractmethod
    def _write_frame(self, record: FrameRecord, raw: bytes) -> None:
        """Write one frame whose bytes (possibly masked) are ``raw``, then flush."""

    def _guard(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except OSError as exc:
            raise CaptureError(f"cannot write capture: {exc.strerror or exc}",
                               path=self.path) from exc
