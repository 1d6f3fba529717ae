"""What a simulated meter is: its identity, secrets, timing and the faults it injects."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.protocol.hdlc import physical_from_serial
from workbench.simulator.faults import Fault, parse_fault

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", tuple(parse_fault(f) for f in self.faults))
        if not self.serial.isdigit() or len(self.serial) < 4:
            raise ValueError(f"serial must be at least 4 digits, got {self.serial!r}")
        if self.idle_timeout <= 0:
            raise ValueError(f"idle_timeout must be positive, got {self.idle_timeout}")

    @property
    def physical_address(self) -> int:
        """The HDLC physical address: the last 4 digits of the serial (Microstar rule)."""
        return physical_from_serial(self.serial)
