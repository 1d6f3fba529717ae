"""What a simulated meter is: its identity, secrets, timing and the faults it injects."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.protocol.hdlc import HdlcParameters, physical_from_serial
from workbench.simulator.faults import Fault, parse_fault
from workbench.simulator.quirks import SMALL_PDU, SMALL_PDU_SIZE, parse_quirk

__all__ = ["DEFAULT_PASSWORD", "MeterConfig"]

#: The LLS password of the Microstar meters in the vendor notes; used when none is given.
DEFAULT_PASSWORD = "2222222222"


@dataclass(frozen=True)
class MeterConfig:
    """Settings of one simulated meter.

    Attributes:
        serial: 12-digit serial; its last 4 digits are the HDLC physical address.
        password: LLS secret for clients 32 and 1 (never logged).
        idle_timeout: seconds of silence after which the meter drops the TCP connection.
        seed: makes measurements, history and fault choices reproducible.
        rtt_ms: simulated round-trip time added before every response.
        faults: :class:`Fault` objects or SPEC strings such as ``"drop-frame:5"``.
        max_pdu_size: the meter's own xDLMS max receive/send PDU size; GET responses
            longer than the negotiated size go out as datablocks.
        block_size: if set, the largest raw-data chunk per datablock (to force block
            transfer on short responses in tests).
        history_days: how much load-profile history exists when the meter starts.
        max_connections: TCP connections served at once; one more is closed at once (a
            bench meter serves one or a few, and every connection costs a thread).
        max_info: the largest HDLC information field the meter supports (both ways);
            the UA grants the smaller of this and the client's proposal.
        window: the largest HDLC window the meter supports (both ways), 1..7.
        quirks: names from :data:`~workbench.simulator.quirks.QUIRKS`; ``small-pdu``
            lowers ``max_pdu_size`` to 256.
        physical: the HDLC physical address when not the serial's last 4 digits (a replayed
            capture's meter).
        logical: the HDLC logical address (1 on Microstar meters).
    """

    serial: str = "000019001234"
    password: str = field(default=DEFAULT_PASSWORD, repr=False)
    idle_timeout: float = 180.0
    seed: int = 0
    rtt_ms: float = 0.0
    faults: tuple[Fault, ...] = ()
    max_pdu_size: int = 512
    block_size: int | None = None
    history_days: int = 60
    max_connections: int = 4
    max_info: int = 128
    window: int = 1
    quirks: tuple[str, ...] = ()
    physical: int | None = None
    logical: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", tuple(parse_fault(f) for f in self.faults))
        object.__setattr__(self, "quirks", tuple(dict.fromkeys(map(parse_quirk, self.quirks))))
        if SMALL_PDU in self.quirks:
            object.__setattr__(self, "max_pdu_size", min(self.max_pdu_size, SMALL_PDU_SIZE))
        if not self.serial.isdigit() or len(self.serial) < 4:
            raise ValueError(f"serial must be at least 4 digits, got {self.serial!r}")
        if self.idle_timeout <= 0:
            raise ValueError(f"idle_timeout must be positive, got {self.idle_timeout}")
        if self.max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, got {self.max_connections}")
        if not 32 <= self.max_info <= 2030:
            raise ValueError(f"max_info must be within 32..2030 bytes, got {self.max_info}")
        if not 1 <= self.window <= 7:
            raise ValueError(f"window must be within 1..7, got {self.window}")

    def has_quirk(self, name: str) -> bool:
        return name in self.quirks

    @property
    def hdlc_limits(self) -> HdlcParameters:
        """What the meter supports on the link, the same both ways; the UA grants the
        smaller of these and the client's SNRM proposal."""
        return HdlcParameters(self.max_info, self.max_info, self.window, self.window)

    @property
    def physical_address(self) -> int:
        """The HDLC physical address: the last 4 digits of the serial (Microstar rule)."""
        return physical_from_serial(self.serial) if self.physical is None else self.physical
