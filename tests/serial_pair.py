"""A null-modem cable in software: two pseudo-terminals whose bytes are relayed both ways.

Tests open each end by its device path with the real serial transport (pyserial), so the
optical sign-on and HDLC over a serial line run with no hardware. Line settings (baud,
parity) are accepted by a pseudo-terminal but do not change the bytes.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty
from collections.abc import Iterator

__all__ = ["null_modem"]


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


@contextlib.contextmanager
def null_modem() -> Iterator[tuple[str, str]]:
    """Yield two device paths joined like a crossed serial cable."""
    m1, s1 = os.openpty()
    m2, s2 = os.openpty()
    for fd in (s1, s2):  # no echo, no CR/LF rewriting, as a real line would be
        tty.setraw(fd)
    paths = (os.ttyname(s1), os.ttyname(s2))
    stop = threading.Event()
    relay = threading.Thread(target=_relay, args=(m1, m2, stop), daemon=True,
                             name="null-modem")
    relay.start()
    try:
        yield paths
    finally:
        stop.set()
        relay.join(timeout=2)
        for fd in (m1, s1, m2, s2):
            with contextlib.suppress(OSError):
                os.close(fd)
