"""Capture files: frames saved to disk and read back (pure; no Qt).

Two formats: ``.wbcap`` (line-based text, the workbench's own; see :mod:`.wbcap`) and
``.pcapng`` (for Wireshark; see :mod:`.pcapng`). Writers mask the LLS password by default
(:mod:`.masking`) and flush every frame, so a crash loses nothing already recorded.
"""

from .errors import CaptureError, CaptureFormatError
from .files import load_capture, open_writer, save_capture
from .masking import MASK_BYTE, Masker, mask_frame, recompute_checks, secret_spans
from .model import FORMAT_VERSION, Capture, CaptureHeader
from .pcapng import PcapngWriter
from .pcapng_reader import parse_pcapng, read_pcapng
from .wbcap import WbcapWriter, parse_wbcap, read_wbcap
from .writer import CaptureWriter

__all__ = [
    "FORMAT_VERSION",
    "MASK_BYTE",
    "Capture",
    "CaptureError",
    "CaptureFormatError",
    "CaptureHeader",
    "CaptureWriter",
    "Masker",
    "PcapngWriter",
    "WbcapWriter",
    "load_capture",
    "mask_frame",
    "open_writer",
    "parse_pcapng",
    "parse_wbcap",
    "read_pcapng",
    "read_wbcap",
    "recompute_checks",
    "save_capture",
    "secret_spans",
]
