"""The field registry: keys are declared once, every recorded key is declared, and a label
can be reworded without changing any key a summary, filter or masking matches on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from workbench.protocol.apdu import (
    ActionResponseNormal,
    ActionResult,
    AttributeDescriptor,
    GetRequestNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    SetRequestWithList,
    encode_apdu,
    entry_access,
)
from workbench.protocol.axdr import Data
from workbench.protocol.dissect import dissect
from workbench.protocol.fields import DLMS, FIELDS, Field, Node, Recorder, lookup
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    encode_frame,
    server_address,
)

from .test_acse import AARQ_LLS

_DESC = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
APDUS = [
    LLC_REQUEST + AARQ_LLS,
    LLC_REQUEST + encode_apdu(GetRequestNormal(_DESC, entry_access(1, 10))),
    LLC_RESPONSE + encode_apdu(GetResponseWithList((Data.struct(Data.u32(5), Data.text("x")),
                                                    Data.octets(b"\x01\x02")))),
    LLC_RESPONSE + encode_apdu(GetResponseWithDatablock(False, 1, b"\x01\x02\x03")),
    LLC_REQUEST + encode_apdu(SetRequestWithList((_DESC,), (Data.u16(3),))),
    LLC_RESPONSE + encode_apdu(ActionResponseNormal(ActionResult.SUCCESS, Data.i8(-1))),
]


def _frames() -> bytes:
    return b"".join(encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234), b"\x21",
                                           info=info)) for info in APDUS)


def _keys(trees: list[Node]) -> list[str]:
    return [n.key for tree in trees for n in tree.walk()]


@contextmanager
def _relabelled() -> Iterator[None]:
    """Every registered label reworded for the duration (the dataclass is frozen on purpose;
    a test may reach around it, code may not)."""
    old = {key: f.label for key, f in FIELDS.items()}
    for f in FIELDS.values():
        object.__setattr__(f, "label", f"renamed {f.label}")
    try:
        yield
    finally:
        for key, f in FIELDS.items():
            object.__setattr__(f, "label", old[key])


def test_keys_are_dotted_lower_case_and_unique_labels_have_descriptions() -> None:
    for key, f in FIELDS.items():
        assert f.key == key and re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", key), key
        assert f.label and f.description, key
        assert lookup(key) is f
    assert lookup("no.such.key") is None


_LINK = bytes.fromhex("7E A0 07 03 03 93 8C 11 7E") + encode_frame(HdlcFrame(
    FrameKind.UA, b"\x21", server_address(1, 1234), info=HdlcParameters(256, 128, 1, 1).encode()))


def test_every_key_a_dissection_records_is_declared() -> None:
    trees = dissect(_LINK + _frames() + b"\x00\x7E\x7E" + _frames()[:20])
    keys = {k for k in _keys(trees) if k}
    assert keys - set(FIELDS) == set()
    assert {"dlms.instance_id", "dlms.attribute_id", "acse.authentication_value",
            "axdr.double_long_unsigned", "dlms.block_number", "llc", "hdlc.control.pf",
            "hdlc.params.max_info_tx", "expert.error"} <= keys


def test_a_renamed_label_changes_names_but_no_key() -> None:
    before = dissect(_frames())
    with _relabelled():
        after = dissect(_frames())
    assert _keys(after) == _keys(before)
    renamed = [a.name for b, a in zip(_walk(before), _walk(after), strict=True)
               if b.key.startswith(("dlms.", "acse.", "axdr.")) and a.name != b.name]
    assert renamed and all("renamed " in name for name in renamed)
    password = [n for tree in after for n in tree.walk() if n.key == "acse.authentication_value"]
    assert password and all(n.secret for n in password)  # masking finds it by key and flag


def _walk(trees: list[Node]) -> Iterator[Node]:
    for tree in trees:
        yield from tree.walk()


def test_declaring_a_key_twice_is_refused() -> None:
    from workbench.protocol.fields import registry
    with pytest.raises(ValueError, match="declared twice"):
        registry._f(DLMS.CLASS_ID.key, "again", "again")


def test_warning_nodes_are_distinct_from_errors() -> None:
    rec = Recorder("x")
    rec.item(DLMS.CLASS_ID, 0, 2, "8")
    node = rec.warn("month 0 read as unspecified", 2, 12)
    root = rec.finish()
    assert root.warnings() == [node] and root.errors() == []
    assert node.key == "expert.warning" and node.to_dict()["warning"] == node.value
    assert isinstance(DLMS.CLASS_ID, Field) and root.find_key("dlms.class_id") is not None
