"""Code → label tables shared by the dissector, the error messages and the object browser.

Why one module: a label for a protocol code must read the same in the frame tree, in an
error dialog and in the browser, so each is written once, here. Labels follow the spelling
of the DLMS Green/Blue Book ASN.1 (hyphenated); ``*_ADVICE`` tables hold the plain-language
sentence shown to the user, saying what the code means and what to try next.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ACSE_PROVIDER_DIAGNOSTICS",
    "ACSE_USER_DIAGNOSTICS",
    "ACSE_USER_DIAGNOSTIC_ADVICE",
    "ACTION_RESULTS",
    "ACTION_RESULT_ADVICE",
    "APDU_TAGS",
    "APPLICATION_CONTEXTS",
    "ASSOCIATION_RESULTS",
    "CONFIRMED_SERVICES",
    "CONFORMANCE_BITS",
    "DATA_ACCESS_RESULTS",
    "DATA_ACCESS_RESULT_ADVICE",
    "EXCEPTION_SERVICE_ERRORS",
    "EXCEPTION_STATE_ERRORS",
    "MECHANISMS",
    "SERVICE_ERRORS",
    "SERVICE_ERROR_KINDS",
    "Operation",
    "data_access_advice",
    "label",
]

APDU_TAGS: dict[int, str] = {
    0x01: "initiate-request",
    0x05: "read-request",
    0x06: "write-request",
    0x08: "initiate-response",
    0x0C: "read-response",
    0x0D: "write-response",
    0x0E: "confirmed-service-error",
    0x0F: "data-notification",
    0x16: "unconfirmed-write-request",
    0x18: "information-report-request",
    0x21: "glo-initiate-request",
    0x25: "glo-read-request",
    0x26: "glo-write-request",
    0x28: "glo-initiate-response",
    0x2C: "glo-read-response",
    0x2D: "glo-write-response",
    0x2E: "glo-confirmed-service-error",
    0x36: "glo-unconfirmed-write-request",
    0x38: "glo-information-report-request",
    0x41: "ded-initiate-request",
    0x45: "ded-read-request",
    0x46: "ded-write-request",
    0x48: "ded-initiate-response",
    0x4C: "ded-read-response",
    0x4D: "ded-write-response",
    0x4E: "ded-confirmed-service-error",
    0x56: "ded-unconfirmed-write-request",
    0x58: "ded-information-report-request",
    0x60: "AARQ",
    0x61: "AARE",
    0x62: "RLRQ",
    0x63: "RLRE",
    0xC0: "get-request",
    0xC1: "set-request",
    0xC2: "event-notification-request",
    0xC3: "action-request",
    0xC4: "get-response",
    0xC5: "set-response",
    0xC7: "action-response",
    0xC8: "glo-get-request",
    0xC9: "glo-set-request",
    0xCA: "glo-event-notification-request",
    0xCB: "glo-action-request",
    0xCC: "glo-get-response",
    0xCD: "glo-set-response",
    0xCF: "glo-action-response",
    0xD0: "ded-get-request",
    0xD1: "ded-set-request",
    0xD2: "ded-event-notification-request",
    0xD3: "ded-action-request",
    0xD4: "ded-get-response",
    0xD5: "ded-set-response",
    0xD7: "ded-action-response",
    0xD8: "exception-response",
    0xD9: "access-request",
    0xDA: "access-response",
    0xDB: "general-glo-ciphering",
    0xDC: "general-ded-ciphering",
    0xDD: "general-ciphering",
    0xDF: "general-signing",
    0xE0: "general-block-transfer",
    0xE6: "gateway-request",
    0xE7: "gateway-response",
}

APPLICATION_CONTEXTS: dict[int, str] = {
    1: "logical-name referencing",
    2: "short-name referencing",
    3: "logical-name referencing, ciphered",
    4: "short-name referencing, ciphered",
}

MECHANISMS: dict[int, str] = {
    0: "none (lowest level security)",
    1: "LLS (password)",
    2: "HLS (manufacturer specific)",
    3: "HLS-MD5",
    4: "HLS-SHA1",
    5: "HLS-GMAC",
    6: "HLS-SHA256",
    7: "HLS-ECDSA",
}

ASSOCIATION_RESULTS: dict[int, str] = {
    0: "accepted",
    1: "rejected (permanent)",
    2: "rejected (transient)",
}

ACSE_USER_DIAGNOSTICS: dict[int, str] = {
    0: "null",
    1: "no-reason-given",
    2: "application-context-name-not-supported",
    3: "calling-AP-title-not-recognized",
    4: "calling-AP-invocation-identifier-not-recognized",
    5: "calling-AE-qualifier-not-recognized",
    6: "calling-AE-invocation-identifier-not-recognized",
    7: "called-AP-title-not-recognized",
    8: "called-AP-invocation-identifier-not-recognized",
    9: "called-AE-qualifier-not-recognized",
    10: "called-AE-invocation-identifier-not-recognized",
    11: "authentication-mechanism-name-not-recognised",
    12: "authentication-mechanism-name-required",
    13: "authentication-failure",
    14: "authentication-required",
}

ACSE_USER_DIAGNOSTIC_ADVICE: dict[int, str] = {
    1: "the meter gave no reason",
    2: "the meter does not support this referencing (LN/SN) or ciphering — try logical-name "
       "referencing without ciphering",
    3: "the meter does not know this calling AP title (system title)",
    11: "the meter does not know this authentication mechanism — try LLS (password) or none",
    12: "this client address needs authentication — give a password (LLS), e.g. client 32 or 1",
    13: "wrong password, or this client address does not accept it",
    14: "this client address needs authentication — give a password or use the public client 16",
}

ACSE_PROVIDER_DIAGNOSTICS: dict[int, str] = {
    0: "null",
    1: "no-reason-given",
    2: "no-common-acse-version",
}

CONFORMANCE_BITS: dict[int, str] = {
    0: "reserved-zero",
    1: "general-protection",
    2: "general-block-transfer",
    3: "read",
    4: "write",
    5: "unconfirmed-write",
    6: "delta-value-encoding",
    7: "reserved-seven",
    8: "attribute0-supported-with-set",
    9: "priority-mgmt-supported",
    10: "attribute0-supported-with-get",
    11: "block-transfer-with-get-or-read",
    12: "block-transfer-with-set-or-write",
    13: "block-transfer-with-action",
    14: "multiple-references",
    15: "information-report",
    16: "data-notification",
    17: "access",
    18: "parameterized-access",
    19: "get",
    20: "set",
    21: "selective-access",
    22: "event-notification",
    23: "action",
}

DATA_ACCESS_RESULTS: dict[int, str] = {
    0: "success",
    1: "hardware-fault",
    2: "temporary-failure",
    3: "read-write-denied",
    4: "object-undefined",
    9: "object-class-inconsistent",
    11: "object-unavailable",
    12: "type-unmatched",
    13: "scope-of-access-violated",
    14: "data-block-unavailable",
    15: "long-get-aborted",
    16: "no-long-get-in-progress",
    17: "long-set-aborted",
    18: "no-long-set-in-progress",
    19: "data-block-number-invalid",
    250: "other-reason",
}

DATA_ACCESS_RESULT_ADVICE: dict[int, str] = {
    0: "the meter did it",
    1: "the meter reports a hardware fault for this object — retry later; if it persists the "
       "meter needs service",
    2: "the meter is busy — retry in a few seconds",
    3: "this association may not access the attribute — connect with a client address and "
       "password that has the right (e.g. management client 32/1 with LLS)",
    4: "the meter has no such object with this class id — check the class id; read the "
       "object list",
    9: "the object exists but not with this class id — check the class id against the object "
       "list",
    11: "the object exists but is not available now — retry later",
    12: "the value has the wrong data type for this attribute — read it first and write back "
        "the same type",
    13: "the access (e.g. the selective access range) is outside what the meter allows — "
        "narrow the range or read without selection",
    14: "the meter cannot provide this data block — restart the read",
    15: "the meter aborted the long read — restart the read",
    16: "the meter has no block read in progress — restart the read",
    17: "the meter aborted the long write — restart the write",
    18: "the meter has no block write in progress — restart the write",
    19: "the block number is not the one the meter expected — restart the transfer",
    250: "the meter refused for a reason it does not say — check the object list and access "
         "rights",
}

ACTION_RESULTS: dict[int, str] = {
    0: "success",
    1: "hardware-fault",
    2: "temporary-failure",
    3: "read-write-denied",
    4: "object-undefined",
    9: "object-class-inconsistent",
    11: "object-unavailable",
    12: "type-unmatched",
    13: "scope-of-access-violated",
    14: "data-block-unavailable",
    15: "long-action-aborted",
    16: "no-long-action-in-progress",
    250: "other-reason",
}

ACTION_RESULT_ADVICE: dict[int, str] = {
    **{k: v for k, v in DATA_ACCESS_RESULT_ADVICE.items() if k in ACTION_RESULTS},
    3: "this association may not invoke the method — connect with a client address and "
       "password that has the right (e.g. management client 32/1 with LLS)",
    12: "the method parameter has the wrong data type — check the method's parameter type",
    15: "the meter aborted the long action — invoke the method again",
    16: "the meter has no block action in progress — invoke the method again",
}

CONFIRMED_SERVICES: dict[int, str] = {
    1: "initiateError", 2: "getStatus", 3: "getNameList", 4: "getVariableAttribute",
    5: "read", 6: "write", 7: "getDataSetAttribute", 8: "getTIAttribute", 9: "changeScope",
    10: "start", 11: "stop", 12: "resume", 13: "makeUsable", 14: "initiateLoad",
    15: "loadSegment", 16: "terminateLoad", 17: "initiateUpLoad", 18: "upLoadSegment",
    19: "terminateUpLoad",
}

SERVICE_ERROR_KINDS: dict[int, str] = {
    0: "application-reference", 1: "hardware-resource", 2: "vde-state-error", 3: "service",
    4: "definition", 5: "access", 6: "initiate", 7: "load-data-set", 8: "change-scope",
    9: "task", 10: "other",
}

SERVICE_ERRORS: dict[int, dict[int, str]] = {
    0: {0: "other", 1: "time-elapsed", 2: "application-unreachable",
        3: "application-reference-invalid", 4: "application-context-unsupported",
        5: "provider-communication-error", 6: "deciphering-error"},
    1: {0: "other", 1: "memory-unavailable", 2: "processor-resource-unavailable",
        3: "mass-storage-unavailable", 4: "other-resource-unavailable"},
    2: {0: "other", 1: "no-dlms-context", 2: "loading-data-set", 3: "status-nochange",
        4: "status-inoperable"},
    3: {0: "other", 1: "pdu-size", 2: "service-unsupported"},
    4: {0: "other", 1: "object-undefined", 2: "object-class-inconsistent",
        3: "object-attribute-inconsistent"},
    5: {0: "other", 1: "scope-of-access-violated", 2: "object-access-violated",
        3: "hardware-fault", 4: "object-unavailable"},
    6: {0: "other", 1: "dlms-version-too-low", 2: "incompatible-conformance",
        3: "pdu-size-too-short", 4: "refused-by-the-VDE-Handler"},
    7: {0: "other", 1: "primitive-out-of-sequence", 2: "not-loadable",
        3: "dataset-size-too-large", 4: "not-awaited-segment", 5: "interpretation-failure",
        6: "storage-failure", 7: "data-set-not-ready"},
    9: {0: "other", 1: "no-remote-control", 2: "ti-stopped", 3: "ti-running", 4: "ti-unusable"},
}

EXCEPTION_STATE_ERRORS: dict[int, str] = {
    1: "service-not-allowed",
    2: "service-unknown",
}

EXCEPTION_SERVICE_ERRORS: dict[int, str] = {
    1: "operation-not-possible",
    2: "service-not-supported",
    3: "other-reason",
    4: "pdu-too-long",
    5: "deciphering-error",
    6: "invocation-counter-error",
}


def label(table: dict[int, str], code: int) -> str:
    """``table[code]``, or ``"unknown (N)"`` so an unexpected code still reads sensibly."""
    return table.get(code, f"unknown ({code})")


Operation = Literal["read", "write", "action"]
PUBLIC_CLIENT = 16
_DENIED, _HARDWARE_FAULT = 3, 1
_DOING = {"read": "reading this attribute", "write": "writing this attribute",
          "action": "invoking this method"}


def data_access_advice(result: int, *, client_sap: int, operation: Operation) -> str:
    """What a refused GET/SET/ACTION means for *this* client and operation, in one sentence.

    Why not the plain advice table: "read-write-denied" means something else to the public
    client (it may only read) than to client 32 (its rights for this attribute exclude it),
    and a hardware fault is never an access-rights problem.
    """
    doing = _DOING[operation]
    if result == _DENIED and client_sap == PUBLIC_CLIENT:
        if operation == "read":
            return ("the public client (16) may not read this attribute; connect as client 32 "
                    "or 1 with the LLS password, which may read more")
        return (f"the public client (16) may only read; connect as client 32 or 1 with the "
                f"LLS password for {doing}")
    if result == _DENIED:
        what = "methods are closed" if operation == "action" else "attributes are read-only"
        return (f"the meter refuses {doing} to client {client_sap}: this association's access "
                f"rights do not allow it (see the rights in the object list); some {what} to "
                "every client")
    if result == _HARDWARE_FAULT:
        return (f"the meter reports a hardware fault while {doing} — not an access-rights "
                "problem: retry later; if it persists the meter needs service")
    labels, advice = ((ACTION_RESULTS, ACTION_RESULT_ADVICE) if operation == "action"
                      else (DATA_ACCESS_RESULTS, DATA_ACCESS_RESULT_ADVICE))
    return advice.get(result) or f"the meter answered {label(labels, result)}"
