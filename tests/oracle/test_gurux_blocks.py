"""SET and ACTION sized to a small server PDU: our planners cut them into exactly the
datablock / pblock APDUs gurux-dlms's client sends (test oracle only, never shipped)."""

from __future__ import annotations

import pytest

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXDLMSClient  # noqa: E402
from gurux_dlms.enums import Authentication, InterfaceType  # noqa: E402
from gurux_dlms.enums import DataType as GxType  # noqa: E402
from gurux_dlms.objects import GXDLMSData, GXDLMSScriptTable  # noqa: E402

from workbench.protocol.apdu import (  # noqa: E402
    ActionRequestNormal,
    ActionRequestWithFirstPblock,
    ActionRequestWithPblock,
    AttributeDescriptor,
    MethodDescriptor,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    decode_apdu,
    encode_apdu,
    plan_action,
    plan_set,
)
from workbench.protocol.axdr import Data  # noqa: E402

pytestmark = pytest.mark.oracle


def _client(max_pdu: int) -> GXDLMSClient:
    client = GXDLMSClient(True, 1, 1, Authentication.LOW, "2222222222", InterfaceType.PDU)
    client.negotiatedConformance = client.proposedConformance
    client.settings.maxPduSize = max_pdu
    return client


@pytest.mark.parametrize("size, max_pdu", [(765, 256), (2000, 512), (230, 256), (240, 128)])
def test_set_in_datablocks_matches_gurux(size: int, max_pdu: int) -> None:
    obj = GXDLMSData("0.0.96.1.0.255")
    obj.value = bytes(range(256)) * (size // 256) + bytes(size % 256)
    obj.setDataType(2, GxType.OCTET_STRING)
    theirs = [bytes(frame) for frame in _client(max_pdu).write(obj, 2)]
    ours = plan_set(AttributeDescriptor(1, "0-0:96.1.0.255", 2), Data.octets(obj.value),
                    max_pdu=max_pdu)
    assert [encode_apdu(r) for r in ours] == theirs
    assert all(len(raw) <= max_pdu for raw in theirs)
    if len(ours) > 1:
        assert isinstance(ours[0], SetRequestWithFirstDatablock)
        assert all(isinstance(r, SetRequestWithDatablock) for r in ours[1:])
        assert [decode_apdu(raw) for raw in theirs] == ours


@pytest.mark.parametrize("size, max_pdu", [(600, 256), (100, 256), (1500, 1024)])
def test_action_in_pblocks_matches_gurux(size: int, max_pdu: int) -> None:
    script = GXDLMSScriptTable("0.0.10.0.0.255")
    params = bytes(range(200)) * (size // 200) + bytes(size % 200)
    theirs = [bytes(frame) for frame in _client(max_pdu).method(script, 1, params,
                                                                  GxType.OCTET_STRING)]
    ours = plan_action(MethodDescriptor(9, "0-0:10.0.0.255", 1), Data.octets(params),
                       max_pdu=max_pdu)
    assert [encode_apdu(r) for r in ours] == theirs
    kinds = [type(r) for r in ours]
    assert kinds == [ActionRequestNormal] or (
        kinds[0] is ActionRequestWithFirstPblock
        and set(kinds[1:]) <= {ActionRequestWithPblock} and ours[-1].last_block)
