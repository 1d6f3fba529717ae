"""CRC-16/X.25: the catalogue check value, a bitwise oracle, and the vendor notes' frames."""

from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.hdlc import crc16, crc16_bytes


def bitwise_crc16_x25(data: bytes) -> int:
    """Textbook reflected CRC (poly 0x8408, init/xorout 0xFFFF), one bit at a time."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def test_catalogue_check_value():
    assert crc16(b"123456789") == 0x906E


def test_empty_input():
    assert crc16(b"") == bitwise_crc16_x25(b"") == 0x0000


@given(st.binary(max_size=300))
def test_matches_bitwise_oracle(data):
    assert crc16(data) == bitwise_crc16_x25(data)


def test_fcs_of_vendor_snrm_and_disc_low_byte_first():
    assert crc16_bytes(bytes.fromhex("A0 07 03 03 93")) == bytes.fromhex("8C 11")
    assert crc16_bytes(bytes.fromhex("A0 08 02 03 03 53")) == bytes.fromhex("09 B1")


def test_accepts_bytearray_and_memoryview():
    data = bytes.fromhex("A0 07 03 03 93")
    assert crc16(bytearray(data)) == crc16(memoryview(data)) == 0x118C
