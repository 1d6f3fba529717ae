"""xDLMS APDUs for logical-name referencing: the public face of the ``xdlms_*`` modules.

The service families live in their own modules (``xdlms_initiate``, ``xdlms_get``,
``xdlms_set``, ``xdlms_action``; shared pieces in ``xdlms_types``); import from here.
Encoding and decoding of whole APDUs goes through :mod:`workbench.protocol.apdu`.
"""

from __future__ import annotations

from .xdlms_action import (
    ActionOutcome,
    ActionRequestNormal,
    ActionRequestWithList,
    ActionResponseNormal,
    ActionResponseWithList,
)
from .xdlms_get import (
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
)
from .xdlms_initiate import (
    PROPOSED_LN_CONFORMANCE,
    VAA_NAME_LN,
    VAA_NAME_SN,
    ConfirmedServiceError,
    Conformance,
    ExceptionResponse,
    InitiateRequest,
    InitiateResponse,
)
from .xdlms_set import (
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    SetRequestWithList,
    SetRequestWithListAndFirstDatablock,
    SetResponseDatablock,
    SetResponseLastDatablock,
    SetResponseLastDatablockWithList,
    SetResponseNormal,
    SetResponseWithList,
)
from .xdlms_types import (
    CLOCK,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    InvokeIdAndPriority,
    MethodDescriptor,
    SelectiveAccess,
    entry_access,
    range_access,
)

__all__ = [
    "CLOCK",
    "PROPOSED_LN_CONFORMANCE",
    "VAA_NAME_LN",
    "VAA_NAME_SN",
    "ActionOutcome",
    "ActionRequestNormal",
    "ActionRequestWithList",
    "ActionResponseNormal",
    "ActionResponseWithList",
    "ActionResult",
    "AttributeDescriptor",
    "ConfirmedServiceError",
    "Conformance",
    "DataAccessResult",
    "ExceptionResponse",
    "GetRequestNext",
    "GetRequestNormal",
    "GetRequestWithList",
    "GetResponseNormal",
    "GetResponseWithDatablock",
    "GetResponseWithList",
    "InitiateRequest",
    "InitiateResponse",
    "InvokeIdAndPriority",
    "MethodDescriptor",
    "SelectiveAccess",
    "SetRequestNormal",
    "SetRequestWithDatablock",
    "SetRequestWithFirstDatablock",
    "SetRequestWithList",
    "SetRequestWithListAndFirstDatablock",
    "SetResponseDatablock",
    "SetResponseLastDatablock",
    "SetResponseLastDatablockWithList",
    "SetResponseNormal",
    "SetResponseWithList",
    "entry_access",
    "range_access",
]
