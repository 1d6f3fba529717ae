"""Data-notification and short-name APDUs we encode read the same in gurux-dlms (its client
for pushes, its XML translator for the rest); test oracle only, never shipped."""

from __future__ import annotations

import pytest

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXByteBuffer, GXDLMSClient, GXDLMSTranslator, GXReplyData  # noqa: E402
from gurux_dlms.enums import Authentication, InterfaceType, TranslatorOutputType  # noqa: E402

from workbench.protocol.apdu import DataAccessResult, decode_apdu, encode_apdu  # noqa: E402
from workbench.protocol.apdu.notify import (  # noqa: E402
    DataNotification,
    LongInvokeIdAndPriority,
)
from workbench.protocol.apdu.sn import (  # noqa: E402
    InformationReport,
    ReadRequest,
    VariableName,
    WriteRequest,
    WriteResponse,
)
from workbench.protocol.axdr import CosemDateTime, Data  # noqa: E402

pytestmark = pytest.mark.oracle


def test_gurux_reads_our_push_as_we_do() -> None:
    stamp = CosemDateTime(2024, 3, 5, 10, 0, 0, 0, 2, -60, 0)
    push = DataNotification(Data.struct(Data.octets(b"\x00\x00\x2A\x00\x00\xFF"),
                                        Data.u32(123456), Data.i16(-5)), stamp.encode(),
                            LongInvokeIdAndPriority(7, high_priority=True))
    client = GXDLMSClient(True, 16, 1, Authentication.NONE, None, InterfaceType.PDU)
    reply, notify = GXReplyData(), GXReplyData()
    client.getData(GXByteBuffer(encode_apdu(push)), reply, notify)
    assert [bytes(notify.value[0]), notify.value[1], notify.value[2]] == [
        b"\x00\x00\x2A\x00\x00\xFF", 123456, -5]
    xml = GXDLMSTranslator(TranslatorOutputType.SIMPLE_XML).pduToXml(encode_apdu(push))
    assert '<LongInvokeIdAndPriority Value="80000007" />' in xml
    assert '<DateTime Value="07E80305020A000000FFC400" />' in xml


@pytest.mark.parametrize("apdu, fragments", [
    (ReadRequest((VariableName(0x1008),)), ['<VariableName Value="1008" />']),
    (WriteRequest((VariableName(0x1008),), (Data.u16(7),)),
     ['<VariableName Value="1008" />', '<UInt16 Value="0007" />']),
    (WriteResponse((DataAccessResult.SUCCESS, DataAccessResult.READ_WRITE_DENIED)),
     ["<Success />", '<DataAccessError Value="ReadWriteDenied" />']),
    (InformationReport((VariableName(0x1008),), (Data.u16(7),)),
     ['<VariableName Value="1008" />', '<UInt16 Value="0007" />']),
])
def test_gurux_translates_our_short_name_apdus(apdu: object, fragments: list[str]) -> None:
    raw = encode_apdu(apdu)
    xml = GXDLMSTranslator(TranslatorOutputType.SIMPLE_XML).pduToXml(raw)
    assert all(f in xml for f in fragments), xml
    assert decode_apdu(raw) == apdu
