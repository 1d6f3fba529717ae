"""What a capture file holds: a header describing the session, then the frames.

The header carries the meter and link settings so a capture can be understood months later,
but it is built from an allow-list of settings fields, never from the settings object as a
whole, so a password can never reach the disk through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from workbench.framelog import FrameRecord

from .errors import CaptureFormatError

__all__ = ["FORMAT_VERSION", "MAX_PROBLEMS", "Capture", "CaptureHeader", "MetaValue"]

FORMAT_VERSION = 1
"""Version written in every new capture; readers accept this version and older."""

MetaValue = str | int | float | bool
MAX_PROBLEMS = 100
"""Damaged lines a lenient read describes one by one; a file of garbage lists no more."""

_SAFE_SETTINGS = ("host", "port", "physical", "logical", "address_size", "client", "max_info")
_FORBIDDEN_WORDS = ("password", "secret", "passwd", "key")


class SettingsLike(Protocol):
    """The session settings :meth:`CaptureHeader.from_settings` reads (declared here so the
    capture layer needs nothing from the session layer; ConnectionSettings fits it)."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def physical(self) -> int: ...
    @property
    def logical(self) -> int: ...
    @property
    def address_size(self) -> int: ...
    @property
    def client(self) -> int: ...
    @property
    def max_info(self) -> int: ...
    @property
    def password(self) -> object: ...


@dataclass(frozen=True)
class CaptureHeader:
    """Session description stored at the top of a capture.

    Attributes:
        version: capture format version (see :data:`FORMAT_VERSION`).
        created: wall-clock time the capture was started (``time.time()``).
        meta: flat facts about the meter and the link ("host", "physical", "auth", ...).
            Keys that look like they hold a password are refused.
    """

    version: int = FORMAT_VERSION
    created: float = 0.0
    meta: dict[str, MetaValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in self.meta:
            if any(word in key.lower() for word in _FORBIDDEN_WORDS):
                raise ValueError(f"capture header refuses the field {key!r}: "
                                 "passwords and keys never go into a capture")

    @classmethod
    def from_settings(cls, settings: SettingsLike, *, created: float,
                      **extra: MetaValue) -> CaptureHeader:
        """Describe the session from its settings (allow-listed fields only) plus ``extra``."""
        meta: dict[str, MetaValue] = {name: getattr(settings, name) for name in _SAFE_SETTINGS}
        meta["auth"] = "lls" if settings.password is not None else "none"
        meta.update(extra)
        return cls(FORMAT_VERSION, created, meta)


@dataclass
class Capture:
    """A capture read back from disk.

    Attributes:
        header: the session description.
        records: the frames, in file order.
        problems: damaged lines or blocks that were skipped (lenient reading only); the
            first :data:`MAX_PROBLEMS`, the rest only counted in ``skipped``.
        skipped: how many damaged lines or blocks were skipped in all.
    """

    header: CaptureHeader
    records: list[FrameRecord]
    problems: list[CaptureFormatError] = field(default_factory=list)
    skipped: int = 0

    def add_problem(self, problem: CaptureFormatError) -> None:
        """Count one skipped line or block; keep its description while under the cap."""
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
