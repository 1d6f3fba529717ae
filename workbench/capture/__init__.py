"""Capture files: frames saved to disk and read back (pure: no Qt, sockets or threads).

Two formats: ``.wbcap`` (line-based text, the workbench's own; see :mod:`.wbcap`) and
``.pcapng`` (for Wireshark; see :mod:`.pcapng` and :mod:`.pcapng_reader`). Writers mask the
LLS password by default (:mod:`workbench.framelog.masking`) and flush every frame, so a
crash loses nothing already recorded. Readers check every size and value the file decides
(:mod:`.limits`) and raise only typed errors (:class:`CaptureError`) naming the line or byte.
"""

from .errors import CaptureError, CaptureFormatError
from .files import CAPTURE_SUFFIXES, load_capture, open_writer, save_capture
from .model import FORMAT_VERSION, Capture, CaptureHeader
from .pcapng import PcapngWriter
from .pcapng_reader import parse_pcapng, read_pcapng
from .wbcap import WbcapWriter, parse_wbcap, read_wbcap
from .writer import CaptureWriter

__all__ = [
    "CAPTURE_SUFFIXES",
    "FORMAT_VERSION",
    "Capture",
    "CaptureError",
    "CaptureFormatError",
    "CaptureHeader",
    "CaptureWriter",
    "PcapngWriter",
    "WbcapWriter",
    "load_capture",
    "open_writer",
    "parse_pcapng",
    "parse_wbcap",
    "read_pcapng",
    "read_wbcap",
    "save_capture",
]
