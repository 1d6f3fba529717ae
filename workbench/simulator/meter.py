"""One simulated meter: its state (clock, supply, buffers) and access-checked GET/SET/ACTION.

All connections share one :class:`Meter`; a lock serialises requests, so a disconnect by one
client is seen at once by the others and the clock never moves mid-request.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable

from workbench.protocol.apdu import (
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    MethodDescriptor,
    SelectiveAccess,
)
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import MethodAccess, Obis
from workbench.simulator.association import attribute_access, method_access
from workbench.simulator.catalog import build_objects
from workbench.simulator.clock import MeterClock
from workbench.simulator.config import MeterConfig
from workbench.simulator.objects import CosemError, CosemObject, Ctx, ProfileGeneric
from workbench.simulator.profile import EventLog, LoadProfile
from workbench.simulator.quirks import INVALID_DATETIME
from workbench.simulator.values import MeasurementModel, Supply

__all__ = ["Meter"]

log = logging.getLogger("workbench.simulator")


class Meter:
    """The meter behind every connection of a :class:`~workbench.simulator.server.MeterServer`.

    Args:
        config: identity, password, seed and history length.
        time_source: wall clock in epoch seconds (tests may pass a fixed one).
    """

    def __init__(self, config: MeterConfig,
                 time_source: Callable[[], float] = time.time) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.clock = MeterClock(time_source)
        boot = self.clock.now()
        self.supply = Supply(MeasurementModel(config.seed))
        history = config.history_days * 86_400
        invalid_dates = config.has_quirk(INVALID_DATETIME)
        self.events = EventLog(config.seed, boot - history, boot, invalid_dates=invalid_dates)
        self.load_profile = LoadProfile(self.supply, self.events, boot, config.history_days,
                                        invalid_dates=invalid_dates)
        self.objects: dict[Obis, CosemObject] = {o.obis: o for o in build_objects(self)}

    def accepts_password(self, given: bytes | None) -> bool:
        """Compare as the client encodes (Latin-1, one byte per character, like ``Secret``),
        in constant time so the answer's timing says nothing about how much was right."""
        try:
            expected = self.config.password.encode("latin-1")
        except UnicodeEncodeError:  # no client can send it; the config check is not ours
            log.warning("the simulator password is not Latin-1 text; every LLS login fails")
            return False
        return given is not None and hmac.compare_digest(given, expected)

    def context(self, client_sap: int, management: bool) -> Ctx:
        """A request context with the meter time frozen for the request."""
        return Ctx(self.clock.now(), client_sap, management)

    def _find(self, class_id: int, obis: Obis) -> CosemObject:
        obj = self.objects.get(obis)
        if obj is None:
            raise CosemError(DataAccessResult.OBJECT_UNDEFINED, f"no object {obis}")
        if obj.class_id != class_id:
            raise CosemError(DataAccessResult.OBJECT_CLASS_INCONSISTENT,
                             f"{obis} is class {obj.class_id}, not {class_id}")
        return obj

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None,
            ctx: Ctx) -> Data | DataAccessResult:
        """Read one attribute: the value, or why not."""
        with self.lock:
            try:
                obj = self._find(desc.class_id, desc.obis)
                if not attribute_access(obj, desc.attribute, ctx.management).can_read:
                    raise CosemError(DataAccessResult.READ_WRITE_DENIED, "no read access")
                if access is not None:
                    return self._get_selected(obj, desc.attribute, access, ctx)
                return obj.get(desc.attribute, ctx)
            except CosemError as exc:
                return exc.result

    @staticmethod
    def _get_selected(obj: CosemObject, attr: int, access: SelectiveAccess, ctx: Ctx) -> Data:
        if not isinstance(obj, ProfileGeneric) or access.selector not in obj.selectors.get(
                attr, ()):
            raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE,
                             f"selective access {access.selector} not supported here")
        return obj.read_selected(attr, ctx, access)

    def set(self, desc: AttributeDescriptor, value: Data, ctx: Ctx) -> DataAccessResult:
        """Write one attribute; success or why not."""
        with self.lock:
            try:
                obj = self._find(desc.class_id, desc.obis)
                if not attribute_access(obj, desc.attribute, ctx.management).can_write:
                    raise CosemError(DataAccessResult.READ_WRITE_DENIED, "no write access")
                obj.write(desc.attribute, value, ctx)
            except CosemError as exc:
                return exc.result
            return DataAccessResult.SUCCESS

    def action(self, desc: MethodDescriptor, param: Data | None,
               ctx: Ctx) -> tuple[ActionResult, Data | None]:
        """Invoke one method; the result and its optional return data."""
        with self.lock:
            try:
                obj = self._find(desc.class_id, desc.obis)
                if method_access(obj, desc.method, ctx.management) is MethodAccess.NO_ACCESS:
                    raise CosemError(DataAccessResult.READ_WRITE_DENIED, "no method access")
                return ActionResult.SUCCESS, obj.invoke(desc.method, param, ctx)
            except CosemError as exc:
                return ActionResult(int(exc.result)), None
