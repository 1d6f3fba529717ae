"""The FRMR (frame reject) information field: why the peer refused one of our frames.

ISO/IEC 13239 (modulo 8, as IEC 62056-46 uses) gives it three bytes, least significant bit
first on the line::

    byte 0   the rejected frame's control field
    byte 1   bit 0: 0 | bits 1-3: the rejecting station's V(S) | bit 4: C/R | bits 5-7: V(R)
    byte 2   W (bit 0) control field invalid or not implemented, X (bit 1) information field
             not permitted, Y (bit 2) information field too long, Z (bit 3) invalid N(R)

Why it matters: a meter that answers FRMR is telling exactly what it disliked (a frame kind
it does not implement, a frame longer than its max info, a sequence number out of its
window); showing the flags named saves the engineer a trip to the standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.fields import HDLC, Recorder

from .control import FrameKind, control_fields

__all__ = ["FrmrInfo", "read_frmr"]

_FLAGS = (
    ("W", "control field invalid or not implemented"),
    ("X", "information field not permitted with that frame"),
    ("Y", "information field longer than the negotiated maximum"),
    ("Z", "N(R) names a frame never sent"),
)


@dataclass(frozen=True, slots=True)
class FrmrInfo:
    """A decoded FRMR information field; ``flags`` holds the letters set (W, X, Y, Z)."""

    rejected_control: int
    v_s: int
    v_r: int
    response: bool  # C/R: the rejected frame was a response (True) or a command
    flags: tuple[str, ...]

    def describe(self) -> str:
        """One sentence: which frame was rejected, why, and the rejecting station's state."""
        reasons = "; ".join(f"{flag}: {text}" for flag, text in _FLAGS if flag in self.flags)
        return (f"rejected control field {self.rejected_control:02X} "
                f"({_control_text(self.rejected_control)}), "
                f"{reasons or 'no reason flag set'}; the meter's V(S)={self.v_s}, "
                f"V(R)={self.v_r}")


def _control_text(byte: int) -> str:
    fields = control_fields(byte)
    if fields is None:
        return "not a control field of IEC 62056-46"
    kind, n_s, n_r, pf = fields
    numbers = (f" N(S)={n_s}" if kind is FrameKind.I else "") + (
        f" N(R)={n_r}" if kind in (FrameKind.I, FrameKind.RR, FrameKind.RNR) else "")
    return f"{kind.name}{numbers}{' P/F' if pf else ''}"


def read_frmr(info: bytes, rec: Recorder | None = None, at: int = 0) -> FrmrInfo | None:
    """Decode an FRMR information field at offset ``at``; None (with a warning) if not 3 bytes.

    Never raises: an FRMR is already an error report, and a short one is still worth showing.
    """
    if len(info) != 3:
        if rec:
            rec.warn(f"FRMR information is {len(info)} bytes, expected 3 (ISO/IEC 13239, "
                     "modulo 8); not decoded", at, len(info))
        return None
    control, state, reasons = info
    frmr = FrmrInfo(control, (state >> 1) & 7, state >> 5, bool(state & 0x10),
                    tuple(flag for bit, (flag, _) in enumerate(_FLAGS) if reasons >> bit & 1))
    if rec:
        with rec.subtree(HDLC.FRMR, at, frmr.describe()):
            rec.item(HDLC.FRMR_CONTROL, at, 1,
                     f"{control:02X} ({_control_text(control)})")
            rec.item(HDLC.FRMR_VS, at + 1, 1, str(frmr.v_s))
            rec.item(HDLC.FRMR_CR, at + 1, 1, "response" if frmr.response else "command")
            rec.item(HDLC.FRMR_VR, at + 1, 1, str(frmr.v_r))
            rec.item(HDLC.FRMR_FLAGS, at + 2, 1, ", ".join(
                f"{flag} ({text})" for flag, text in _FLAGS if flag in frmr.flags) or "none")
    return frmr
