"""Access-denied advice that fits the client and the operation; access rights the meter did
not list are "not listed", not "no access"."""

from __future__ import annotations

import pytest

from workbench.protocol.apdu import ActionResult, DataAccessResult, data_access_advice
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import (
    NOT_LISTED,
    AttributeAccess,
    MethodAccess,
    Obis,
    access_text,
    parse_object_list,
)

DENIED = DataAccessResult.READ_WRITE_DENIED


@pytest.mark.parametrize("result, client, operation, text", [
    (DENIED, 16, "write", "the public client (16) may only read; connect as client 32 or 1 "
                          "with the LLS password for writing this attribute"),
    (ActionResult.READ_WRITE_DENIED, 16, "action",
     "the public client (16) may only read; connect as client 32 or 1 with the LLS password "
     "for invoking this method"),
    (DENIED, 16, "read", "the public client (16) may not read this attribute; connect as "
                         "client 32 or 1 with the LLS password, which may read more"),
    (DENIED, 32, "write", "the meter refuses writing this attribute to client 32: this "
                          "association's access rights do not allow it (see the rights in the "
                          "object list); some attributes are read-only to every client"),
    (DENIED, 1, "action", "the meter refuses invoking this method to client 1: this "
                          "association's access rights do not allow it (see the rights in the "
                          "object list); some methods are closed to every client"),
    (DataAccessResult.HARDWARE_FAULT, 16, "read",
     "the meter reports a hardware fault while reading this attribute — not an access-rights "
     "problem: retry later; if it persists the meter needs service"),
    (DataAccessResult.TEMPORARY_FAILURE, 32, "read", "the meter is busy — retry in a few seconds"),
    (ActionResult.LONG_ACTION_ABORTED, 32, "action",
     "the meter aborted the long action — invoke the method again"),
    (99, 32, "read", "the meter answered unknown (99)"),
])
def test_advice_fits_client_and_operation(result: int, client: int, operation: str,
                                          text: str) -> None:
    assert data_access_advice(result, client_sap=client, operation=operation) == text


def test_only_the_public_client_is_told_it_is_public() -> None:
    for client in (1, 32, 48):
        for operation in ("read", "write", "action"):
            advice = data_access_advice(DENIED, client_sap=client, operation=operation)
            assert "public" not in advice and f"client {client}" in advice


def _entry(attributes: list[Data], methods: list[Data]) -> Data:
    return Data.array([Data.struct(Data.u16(1), Data.u8(0), Data.octets(bytes(Obis.parse(
        "0-0:96.1.0.255").to_bytes())), Data.struct(Data.array(attributes),
                                                     Data.array(methods)))])


def test_empty_access_rights_are_not_listed_rather_than_no_access() -> None:
    (entry,) = parse_object_list(_entry([], []))
    assert not entry.rights_listed and entry.attribute_mode(2) is None
    assert access_text(entry.attribute_mode(2)) == NOT_LISTED == "not listed"
    assert entry.can_read(2)  # nothing said: the attribute may still be tried
    listed = Data.struct(Data.i8(2), Data.enum(0), Data.null())
    (closed,) = parse_object_list(_entry([listed], []))
    assert closed.rights_listed and not closed.can_read(2)
    assert access_text(closed.attribute_mode(2)) == "no access"


def test_access_modes_read_as_words() -> None:
    assert [access_text(AttributeAccess(i)) for i in (1, 3, 6)] == [
        "read-only", "read and write", "authenticated read and write"]
    assert access_text(AttributeAccess(0x0B)) == "read and write (access mode 0x0B)"
    assert access_text(MethodAccess(2)) == "authenticated access"
