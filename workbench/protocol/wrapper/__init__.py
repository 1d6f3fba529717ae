"""IEC 62056-47 TCP/UDP wrapper: the 8-byte header that replaces HDLC on IP networks.

Meters and data concentrators on port 4059 carry each APDU behind a header of four
big-endian 16-bit fields — version (1), source wPort, destination wPort, length — with no
HDLC, no CRC and no segmentation: the length says where the APDU ends. The client's wPort
is its SAP (16, 32, 1, 48…) and the meter's is the logical device (1 = management).
"""

from __future__ import annotations

from .frame import (
    HEADER_LENGTH,
    WRAPPER_VERSION,
    WrapperPdu,
    WrapperReader,
    decode_wrapper,
    encode_wrapper,
)

__all__ = [
    "HEADER_LENGTH",
    "WRAPPER_VERSION",
    "WrapperPdu",
    "WrapperReader",
    "decode_wrapper",
    "encode_wrapper",
]
