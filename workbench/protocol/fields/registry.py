"""The field registry: every dissected field, declared once, with a stable dotted key.

Why a registry (as Wireshark's ``hf_register_info``): the frame summary, the frame-log
filter, capture masking and the docs find fields by *key* ("dlms.instance_id"); the tree
shows the *label* ("instance-id"). Keeping both here, apart from the decoders, means a label
can be reworded without breaking anything that matches on keys, and adding a field is one
line here plus the decode call that records it.

Decoders record with the :class:`Field` objects below (``rec.item(HDLC.CONTROL_PF, ...)``),
never with key strings built at run time; mypy therefore catches a misspelt field. Code that
only knows a key (a filter typed by the user) uses :func:`lookup`. A few fields are
repeated with an index ("[3]", "[0] double-long-unsigned"): the key stays the field's, the
index is added to the shown name by the caller (``label=``).

Namespaces follow the protocol stack: ``HDLC`` (IEC 62056-46 frames and parameters),
``WRAPPER`` (the IEC 62056-47 header used instead of HDLC on TCP), ``LLC``, ``ACSE``
(AARQ/AARE/RLRQ/RLRE), ``DLMS`` (xDLMS LN services and notifications of IEC 62056-5-3),
``SN`` (short-name services), ``SECURITY`` (ciphered and signed APDUs), ``GBT`` (general
block transfer), ``AXDR`` (the Data CHOICE) and ``EXPERT`` (the decoder's own remarks:
errors and warnings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ACSE", "AXDR", "DLMS", "EXPERT", "FIELDS", "GBT", "HDLC", "LLC", "SECURITY", "SN",
           "WRAPPER", "Field", "lookup"]


@dataclass(frozen=True, slots=True)
class Field:
    """One dissectable field: ``key`` for code and filters, ``label`` for people.

    Attributes:
        key: dotted, stable, lower case ("hdlc.control.pf"); never shown as the node name.
        label: the tree's name for the field, in the standard's spelling ("P/F").
        description: one sentence for tooltips and the field reference in the docs.
    """

    key: str
    label: str
    description: str


_FIELDS: dict[str, Field] = {}
FIELDS: Mapping[str, Field] = MappingProxyType(_FIELDS)
"""Every declared field by key (read-only)."""


def _f(key: str, label: str, description: str) -> Field:
    """Declare a field; a second declaration of the same key is a programming error."""
    if key in _FIELDS:
        raise ValueError(f"field key {key!r} declared twice")
    field = Field(key, label, description)
    _FIELDS[key] = field
    return field


def lookup(key: str) -> Field | None:
    """The field declared under ``key``, or None (for keys typed by a user)."""
    return _FIELDS.get(key)


class EXPERT:
    """What the decoder itself says about the bytes (Wireshark's "expert info")."""

    ERROR = _f("expert.error", "error", "Where decoding failed: what was expected, what came")
    WARNING = _f("expert.warning", "warning",
                 "A deviation from the standard that was tolerated; the value is still shown")


class HDLC:
    """HDLC frame format type 3 (IEC 62056-46)."""

    FRAME = _f("hdlc", "HDLC frame", "One frame between two 7E flags")
    FLAG = _f("hdlc.flag", "flag", "Frame delimiter 7E (also sent alone as idle fill)")
    FORMAT = _f("hdlc.format", "format", "Frame format field: type, segmentation, length")
    FORMAT_TYPE = _f("hdlc.format.type", "type", "Frame format type (0xA = type 3)")
    FORMAT_SEGMENTATION = _f("hdlc.format.segmentation", "segmentation",
                             "S bit: more segments of this information follow")
    FORMAT_LENGTH = _f("hdlc.format.length", "length",
                       "Frame length: bytes between the flags")
    DEST = _f("hdlc.dest", "destination address", "Address the frame is sent to")
    DEST_UPPER = _f("hdlc.dest.upper", "upper", "Upper HDLC address (logical device or client)")
    DEST_LOWER = _f("hdlc.dest.lower", "lower", "Lower HDLC address (physical device)")
    SRC = _f("hdlc.src", "source address", "Address of the sender")
    SRC_UPPER = _f("hdlc.src.upper", "upper", "Upper HDLC address (logical device or client)")
    SRC_LOWER = _f("hdlc.src.lower", "lower", "Lower HDLC address (physical device)")
    CONTROL = _f("hdlc.control", "control", "Control field: frame kind and sequence numbers")
    CONTROL_KIND = _f("hdlc.control.kind", "kind", "Frame kind (I, RR, RNR, SNRM, UA ...)")
    CONTROL_NS = _f("hdlc.control.ns", "N(S)", "Send sequence number of an I frame")
    CONTROL_NR = _f("hdlc.control.nr", "N(R)", "Receive sequence number: next frame expected")
    CONTROL_PF = _f("hdlc.control.pf", "P/F", "Poll/final bit")
    HCS = _f("hdlc.hcs", "HCS", "Header check sequence (CRC-16/X.25 of the header)")
    FCS = _f("hdlc.fcs", "FCS", "Frame check sequence (CRC-16/X.25 of the whole frame)")
    INFO = _f("hdlc.info", "information", "Information field")
    INFO_SEGMENT = _f("hdlc.info.segment", "information",
                      "Information field holding one segment of a longer APDU")
    REASSEMBLED = _f("hdlc.reassembled", "reassembled APDU",
                     "An APDU joined from the information fields of segmented frames")
    JUNK = _f("hdlc.junk", "junk", "Bytes outside any frame, skipped")
    IDLE = _f("hdlc.idle", "idle flag", "A lone 7E between frames")
    PARAMS = _f("hdlc.params", "HDLC parameters", "SNRM/UA parameter negotiation field")
    PARAMS_FORMAT = _f("hdlc.params.format", "format identifier",
                       "Format identifier of the negotiation field (81)")
    PARAMS_GROUP = _f("hdlc.params.group", "group identifier",
                      "Group identifier of the negotiation field (80)")
    PARAMS_LENGTH = _f("hdlc.params.length", "group length",
                       "Length of the parameter group that follows")
    PARAMS_MAX_INFO_TX = _f("hdlc.params.max_info_tx", "max info field TX",
                            "Longest information field the sender will transmit")
    PARAMS_MAX_INFO_RX = _f("hdlc.params.max_info_rx", "max info field RX",
                            "Longest information field the sender can receive")
    PARAMS_WINDOW_TX = _f("hdlc.params.window_tx", "window TX",
                          "Frames the sender will transmit before waiting for an RR")
    PARAMS_WINDOW_RX = _f("hdlc.params.window_rx", "window RX",
                          "Frames the sender can receive before it acknowledges")
    PARAMS_UNKNOWN = _f("hdlc.params.unknown", "unknown parameter",
                        "A negotiation parameter this decoder does not know (skipped)")
    FRMR = _f("hdlc.frmr", "FRMR information", "Why the peer rejected a frame")
    FRMR_CONTROL = _f("hdlc.frmr.control", "rejected control field",
                      "Control field of the frame that was rejected")
    FRMR_VS = _f("hdlc.frmr.vs", "V(S)", "The rejecting station's send state variable")
    FRMR_VR = _f("hdlc.frmr.vr", "V(R)", "The rejecting station's receive state variable")
    FRMR_CR = _f("hdlc.frmr.cr", "C/R", "Rejected frame was a command (0) or response (1)")
    FRMR_FLAGS = _f("hdlc.frmr.flags", "reason",
                    "W invalid control, X info not allowed, Y info too long, Z bad N(R)")


class WRAPPER:
    """The IEC 62056-47 wrapper header that carries an APDU over TCP/UDP instead of HDLC."""

    PDU = _f("wrapper", "Wrapper PDU", "IEC 62056-47 wrapper: 8-byte header, then one APDU")
    VERSION = _f("wrapper.version", "version", "wrapper protocol version (always 1)")
    SOURCE = _f("wrapper.source", "source wPort", "sender's wrapper port: the client SAP or "
                "the logical device")
    DESTINATION = _f("wrapper.destination", "destination wPort",
                     "receiver's wrapper port: the logical device or the client SAP")
    LENGTH = _f("wrapper.length", "length", "bytes of APDU after the header")


class LLC:
    """The LLC header in front of every APDU sent over HDLC."""

    HEADER = _f("llc", "LLC", "LLC header: E6 E6 00 request, E6 E7 00 response")


class ACSE:
    """Association control APDUs (BER coded)."""

    TAG = _f("acse.tag", "tag", "ACSE APDU tag")
    LENGTH = _f("acse.length", "length", "BER length of the ACSE APDU")
    PROTOCOL_VERSION = _f("acse.protocol_version", "protocol-version", "ACSE protocol version")
    CONTEXT = _f("acse.application_context_name", "application-context-name",
                 "Logical or short name referencing, with or without ciphering")
    CALLED_AP_TITLE = _f("acse.called_ap_title", "called-AP-title", "Server system title")
    CALLING_AP_TITLE = _f("acse.calling_ap_title", "calling-AP-title", "Client system title")
    RESPONDING_AP_TITLE = _f("acse.responding_ap_title", "responding-AP-title",
                             "Server system title")
    SENDER_REQUIREMENTS = _f("acse.sender_acse_requirements", "sender-acse-requirements",
                             "Whether the client authenticates")
    RESPONDER_REQUIREMENTS = _f("acse.responder_acse_requirements",
                                "responder-acse-requirements", "Whether the server authenticates")
    MECHANISM = _f("acse.mechanism_name", "mechanism-name", "Authentication mechanism")
    CALLING_AUTH = _f("acse.calling_authentication_value", "calling-authentication-value",
                      "Password (LLS) or client challenge (HLS)")
    RESPONDING_AUTH = _f("acse.responding_authentication_value",
                         "responding-authentication-value", "Server challenge (HLS)")
    PASSWORD = _f("acse.authentication_value", "password",
                  "The authentication value itself; secret, masked in captures")
    CHALLENGE = _f("acse.challenge", "challenge", "An HLS challenge")
    RESULT = _f("acse.result", "result", "Association accepted or rejected")
    DIAGNOSTIC = _f("acse.result_source_diagnostic", "result-source-diagnostic",
                    "Why the association was rejected")
    REASON = _f("acse.reason", "reason", "Release reason")
    USER_INFORMATION = _f("acse.user_information", "user-information",
                          "The xDLMS InitiateRequest/Response inside")
    UNKNOWN = _f("acse.unknown_element", "element (skipped)",
                 "An ACSE element this decoder does not interpret")


class DLMS:
    """xDLMS APDUs (IEC 62056-5-3): services, descriptors, results, blocks."""

    APDU = _f("dlms.apdu", "APDU", "One xDLMS or ACSE APDU")
    TAG = _f("dlms.tag", "tag", "APDU tag: which service")
    CHOICE = _f("dlms.choice", "choice", "Which variant of the service (normal, with-list ...)")
    INVOKE_ID = _f("dlms.invoke_id", "invoke-id-and-priority",
                   "Invoke id (bits 0-3), confirmed (bit 6), high priority (bit 7)")
    ATTRIBUTE_DESCRIPTOR = _f("dlms.attribute_descriptor", "attribute-descriptor",
                              "Which attribute: class id, logical name, attribute index")
    METHOD_DESCRIPTOR = _f("dlms.method_descriptor", "method-descriptor",
                           "Which method: class id, logical name, method index")
    CLASS_ID = _f("dlms.class_id", "class-id", "COSEM interface class")
    INSTANCE_ID = _f("dlms.instance_id", "instance-id", "Logical name (OBIS code)")
    ATTRIBUTE_ID = _f("dlms.attribute_id", "attribute-id", "Attribute index")
    METHOD_ID = _f("dlms.method_id", "method-id", "Method index")
    ACCESS_PRESENT = _f("dlms.access_selection.present", "access-selection present",
                        "Whether a selective access follows")
    ACCESS_SELECTION = _f("dlms.access_selection", "access-selection",
                          "Selective access: selector and parameters")
    ACCESS_SELECTOR = _f("dlms.access_selector", "access-selector",
                         "1 range_descriptor, 2 entry_descriptor")
    ACCESS_PARAMETERS = _f("dlms.access_parameters", "access-parameters",
                           "Parameters of the selective access")
    DATA = _f("dlms.data", "data", "A value read (Get-Data-Result)")
    VALUE = _f("dlms.value", "value", "A value written")
    PARAMETERS_PRESENT = _f("dlms.parameters.present", "parameters present",
                            "Whether method parameters follow")
    PARAMETERS = _f("dlms.parameters", "parameters", "Method invocation parameters")
    LIST_ITEM = _f("dlms.list_item", "item", "One item of a with-list request or response")
    DESCRIPTOR_COUNT = _f("dlms.descriptor_count", "attribute-descriptor-list count",
                          "Number of descriptors in a with-list request")
    METHOD_COUNT = _f("dlms.method_count", "method count",
                      "Number of methods in an ACTION with-list")
    VALUE_COUNT = _f("dlms.value_count", "value count", "Number of values in a SET with-list")
    PARAMETER_COUNT = _f("dlms.parameter_count", "parameter count",
                         "Number of method parameters in an ACTION with-list")
    RESULT_COUNT = _f("dlms.result_count", "result count", "Number of results in a list")
    RESULT_CHOICE = _f("dlms.result_choice", "result choice",
                       "Result CHOICE: [0] data or raw-data, [1] data-access-result")
    DATA_ACCESS_RESULT = _f("dlms.data_access_result", "data-access-result",
                            "Why reading or writing an attribute failed (0 = success)")
    ACTION_RESULT = _f("dlms.action_result", "action-result",
                       "Result of invoking a method (0 = success)")
    RETURN_PRESENT = _f("dlms.return_parameters.present", "return-parameters present",
                        "Whether return parameters follow the action result")
    RETURN_CHOICE = _f("dlms.return_parameters_choice", "return-parameters choice",
                       "Return parameters CHOICE: [0] data, [1] data-access-result")
    DATABLOCK = _f("dlms.datablock", "datablock", "One block of a long value")
    PBLOCK = _f("dlms.pblock", "pblock", "One block of long method parameters or return value")
    LAST_BLOCK = _f("dlms.last_block", "last-block", "True on the final block")
    BLOCK_NUMBER = _f("dlms.block_number", "block-number", "Number of the block (from 1)")
    RAW_DATA = _f("dlms.raw_data", "raw-data", "A slice of the A-XDR encoding of the value")
    # InitiateRequest / InitiateResponse / errors
    DEDICATED_KEY_PRESENT = _f("dlms.dedicated_key.present", "dedicated-key present",
                               "Whether a dedicated key follows")
    DEDICATED_KEY = _f("dlms.dedicated_key", "dedicated-key",
                       "Dedicated ciphering key; secret, masked in captures")
    RESPONSE_ALLOWED_PRESENT = _f("dlms.response_allowed.present", "response-allowed present",
                                  "Whether response-allowed is given (default true)")
    RESPONSE_ALLOWED = _f("dlms.response_allowed", "response-allowed",
                          "Whether the server answers confirmed services")
    QOS_PRESENT = _f("dlms.quality_of_service.present", "quality-of-service present",
                     "Whether a quality of service follows")
    PROPOSED_QOS = _f("dlms.proposed_quality_of_service", "proposed-quality-of-service",
                      "Quality of service the client proposes")
    NEGOTIATED_QOS = _f("dlms.negotiated_quality_of_service", "negotiated-quality-of-service",
                        "Quality of service the server agreed")
    PROPOSED_VERSION = _f("dlms.proposed_dlms_version", "proposed-dlms-version-number",
                          "DLMS version the client proposes (6)")
    NEGOTIATED_VERSION = _f("dlms.negotiated_dlms_version", "negotiated-dlms-version-number",
                            "DLMS version the server agreed")
    CONFORMANCE = _f("dlms.conformance", "conformance", "Services proposed or agreed")
    CLIENT_MAX_PDU = _f("dlms.client_max_receive_pdu_size", "client-max-receive-pdu-size",
                        "Longest APDU the client can receive")
    SERVER_MAX_PDU = _f("dlms.server_max_receive_pdu_size", "server-max-receive-pdu-size",
                        "Longest APDU the server can receive: requests must fit in it")
    VAA_NAME = _f("dlms.vaa_name", "vaa-name", "0x0007 logical names, 0xFA00 short names")
    SERVICE = _f("dlms.service", "service", "Confirmed service that failed")
    SERVICE_ERROR = _f("dlms.service_error", "service-error", "Kind of service error")
    ERROR_CODE = _f("dlms.error_code", "code", "Service error code within its kind")
    STATE_ERROR = _f("dlms.state_error", "state-error", "Exception-response state error")
    INVOCATION_COUNTER = _f("dlms.invocation_counter", "invocation-counter",
                            "Invocation counter the server expected")
    INITIATE = _f("dlms.initiate", "initiate", "xDLMS Initiate APDU in the user-information")
    # data-notification, event-notification, access
    LONG_INVOKE_ID = _f("dlms.long_invoke_id", "long-invoke-id-and-priority",
                        "Invoke id (bits 0-23), self-descriptive (28), break on error (29), "
                        "confirmed (30), high priority (31)")
    DATE_TIME = _f("dlms.date_time", "date-time", "Time stamp of the notification (may be empty)")
    TIME_PRESENT = _f("dlms.time.present", "time present", "Whether a time stamp follows")
    NOTIFICATION_BODY = _f("dlms.notification_body", "notification-body",
                           "The pushed value (a structure of the push object list)")
    ATTRIBUTE_VALUE = _f("dlms.attribute_value", "attribute-value", "The value that changed")
    ACCESS_BODY = _f("dlms.access_body", "access-body",
                     "Access-Request/-Response body (shown as bytes, not decoded)")
    NETWORK_ID = _f("dlms.gateway.network_id", "network-id", "Gateway: network of the device")
    PHYSICAL_ADDRESS = _f("dlms.gateway.address", "physical-device-address",
                          "Gateway: address of the device behind it")
    INNER_APDU = _f("dlms.inner_apdu", "APDU", "The APDU carried inside")


class SN:
    """Short-name referencing services (ReadRequest ... InformationReport)."""

    VARIABLE_COUNT = _f("sn.variable_count", "variable-access-specification count",
                        "Number of variables addressed")
    VARIABLE = _f("sn.variable", "variable-access-specification",
                  "Which variable, and how (name, selective access, block)")
    VARIABLE_KIND = _f("sn.variable_kind", "kind", "2 variable-name, 4 parameterized-access, "
                       "5 block-number-access, 6 read-data-block-access, 7 write-data-block-access")
    VARIABLE_NAME = _f("sn.variable_name", "variable-name", "Short name (base name + offset)")
    SELECTOR = _f("sn.selector", "selector", "Selective access selector")
    PARAMETER = _f("sn.parameter", "parameter", "Selective access parameter")
    DATA_COUNT = _f("sn.data_count", "list-of-data count", "Number of values")
    DATA = _f("sn.data", "data", "A value read, written or reported")
    RESULT_COUNT = _f("sn.result_count", "result count", "Number of results")
    RESULT = _f("sn.result", "result", "Read/write result CHOICE")
    DATA_ACCESS_ERROR = _f("sn.data_access_error", "data-access-error",
                           "Why reading or writing the variable failed")
    BLOCK_NUMBER = _f("sn.block_number", "block-number", "Number of a data block")
    LAST_BLOCK = _f("sn.last_block", "last-block", "True on the final block")
    RAW_DATA = _f("sn.raw_data", "raw-data", "A slice of the encoded value")
    CURRENT_TIME = _f("sn.current_time", "current-time", "Time of an information report")


class SECURITY:
    """Ciphered and signed APDUs: the security header and what it protects."""

    SYSTEM_TITLE = _f("security.system_title", "system-title", "Sender's system title")
    CONTENT_LENGTH = _f("security.content_length", "ciphered-content length",
                        "Bytes of security header, ciphertext and tag")
    CONTROL = _f("security.control", "security-control",
                 "Security control byte: suite, authentication, encryption, key set, compression")
    SUITE = _f("security.suite", "security suite", "Security suite id (bits 0-3)")
    AUTHENTICATED = _f("security.authenticated", "authentication", "Bit 4: authenticated")
    ENCRYPTED = _f("security.encrypted", "encryption", "Bit 5: encrypted")
    KEY_SET = _f("security.key_set", "key set", "Bit 6: 0 unicast, 1 broadcast key")
    COMPRESSED = _f("security.compressed", "compression", "Bit 7: compressed")
    INVOCATION_COUNTER = _f("security.invocation_counter", "invocation-counter",
                            "Frame counter of the sender (part of the IV)")
    CIPHERTEXT = _f("security.ciphertext", "ciphertext",
                    "The protected APDU (encrypted, or plain when only authenticated)")
    AUTH_TAG = _f("security.auth_tag", "authentication tag", "GCM tag (12 bytes)")
    TRANSACTION_ID = _f("security.transaction_id", "transaction-id", "General ciphering/signing")
    ORIGINATOR = _f("security.originator_system_title", "originator-system-title",
                    "System title of the sender")
    RECIPIENT = _f("security.recipient_system_title", "recipient-system-title",
                   "System title of the recipient")
    DATE_TIME = _f("security.date_time", "date-time", "Time of the general ciphering/signing")
    OTHER_INFORMATION = _f("security.other_information", "other-information",
                           "Additional information")
    KEY_INFO = _f("security.key_info", "key-info", "Which key: identified, wrapped or agreed")
    KEY_INFO_PRESENT = _f("security.key_info.present", "key-info present",
                          "Whether key-info follows")
    CONTENT = _f("security.content", "content", "The signed APDU")
    SIGNATURE = _f("security.signature", "signature", "Signature over the content")


class GBT:
    """General block transfer (0xE0)."""

    BLOCK_CONTROL = _f("gbt.block_control", "block-control",
                       "Last block (bit 7), streaming (bit 6), window (bits 0-5)")
    BLOCK_NUMBER = _f("gbt.block_number", "block-number", "Number of this block")
    BLOCK_NUMBER_ACK = _f("gbt.block_number_ack", "block-number-ack",
                          "Last block received from the peer")
    BLOCK_DATA = _f("gbt.block_data", "block-data", "A slice of the APDU being transferred")


class AXDR:
    """The A-XDR ``Data`` CHOICE; one key per data type, keyed by its tag in ``TYPES``."""

    TAG = _f("axdr.tag", "tag", "Data type tag")
    COUNT = _f("axdr.count", "count", "Number of elements of an array or structure")
    LENGTH = _f("axdr.length", "length", "Length of a string (bits for a bit-string)")
    VALUE = _f("axdr.value", "value", "The content of a string")
    TYPES: Mapping[int, Field] = MappingProxyType({tag: _f(
        f"axdr.{label.replace('-', '_')}", label, f"A-XDR {label} (tag {tag})")
        for tag, label in (
            (0, "null-data"), (1, "array"), (2, "structure"), (3, "boolean"),
            (4, "bit-string"), (5, "double-long"), (6, "double-long-unsigned"),
            (9, "octet-string"), (10, "visible-string"), (12, "utf8-string"), (13, "bcd"),
            (15, "integer"), (16, "long"), (17, "unsigned"), (18, "long-unsigned"),
            (19, "compact-array"), (20, "long64"), (21, "long64-unsigned"), (22, "enum"),
            (23, "float32"), (24, "float64"), (25, "date-time"), (26, "date"), (27, "time"),
            (255, "dont-care"))})
