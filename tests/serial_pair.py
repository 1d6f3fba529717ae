"""A null-modem cable in software: two pseudo-terminals whose bytes are relayed both ways.

Tests open each end by its device path with the real serial transport (pyserial), so the
optical sign-on and HDLC over a serial line run with no hardware. Line settings (baud,
parity) are accepted by a pseudo-terminal but do not change the bytes.

Each end is reached through a symbolic link in a private folder, so an end can be
*unplugged* (its pseudo-terminal closed: whoever has it open gets an I/O error, and the
path no longer exists, as /dev/ttyUSB0 when a USB probe is pulled out) and *plugged back*
at the same path (a new pseudo-terminal behind the same name, as udev does).
"""

from __future__ import annotations

import contextlib
import os
import select
import tempfile
import threading
import tty
from collections.abc import Iterator
from pathlib import Path

__all__ = ["NullModem", "cable", "null_modem"]


def _relay(a: int, b: int, stop: threading.Event) -> None:
    while not stop.is_set():
        ready, _, _ = select.select([a, b], [], [], 0.05)
        for src in ready:
            dst = b if src == a else a
            try:
                data = os.read(src, 4096)
            except OSError:  # the other side closed: nothing more to carry
                continue
            with contextlib.suppress(OSError):
                os.write(dst, data)


class NullModem:
    """Two device paths joined like a crossed serial cable; either end can be unplugged.

    Attributes:
        paths: the two ends' device paths (stable across unplugging and plugging back).
    """

    def __init__(self, folder: Path) -> None:
        self.paths = (str(folder / "ttyA"), str(folder / "ttyB"))
        self._ends: list[tuple[int, int] | None] = [None, None]
        self._stop = threading.Event()
        self._relay: threading.Thread | None = None
        for end in (0, 1):
            self._open_end(end)
        self.hold(False)

    def hold(self, holding: bool = True) -> None:
        """Stop carrying bytes (they wait in the ends), or carry them again."""
        if self._relay is not None:
            self._stop.set()
            self._relay.join(timeout=2)
            self._relay = None
        ends = self._ends
        if holding or ends[0] is None or ends[1] is None:
            return
        self._stop = threading.Event()
        self._relay = threading.Thread(target=_relay, args=(ends[0][0], ends[1][0], self._stop),
                                       daemon=True, name="null-modem")
        self._relay.start()

    def unplug(self, end: int) -> None:
        """Pull end ``end`` (0 or 1) out: its path disappears, open handles fail."""
        self.hold()
        os.unlink(self.paths[end])
        fds, self._ends[end] = self._ends[end], None
        for fd in fds or ():
            with contextlib.suppress(OSError):
                os.close(fd)

    def plug_in(self, end: int) -> None:
        """Plug end ``end`` back: a fresh pseudo-terminal at the same path, relayed again.
        What the other end sent meanwhile went nowhere, as on a real line."""
        self._open_end(end)
        other = self._ends[1 - end]
        if other is not None:
            while select.select([other[0]], [], [], 0)[0]:
                os.read(other[0], 4096)
        self.hold(False)

    def close(self) -> None:
        self.hold()
        for end in (0, 1):
            fds, self._ends[end] = self._ends[end], None
            for fd in fds or ():
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _open_end(self, end: int) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR/LF rewriting, as a real line would be
        link = Path(self.paths[end])
        staged = link.with_suffix(".new")
        staged.symlink_to(os.ttyname(slave))
        staged.replace(link)
        self._ends[end] = (master, slave)


@contextlib.contextmanager
def null_modem() -> Iterator[tuple[str, str]]:
    """Yield two device paths joined like a crossed serial cable."""
    with cable() as modem:
        yield modem.paths


@contextlib.contextmanager
def cable() -> Iterator[NullModem]:
    """A :class:`NullModem` in a private folder, closed and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="null-modem-") as folder:
        modem = NullModem(Path(folder))
        try:
            yield modem
        finally:
            modem.close()
