"""A whole site from one CSV: every meter read on its own connection, a few at a time.

Why a bounded pool: a cabinet's meters often share one modem or one GPRS link, so reading
all of them at once would only make every one time out; ``jobs`` (default 4) connections
run at a time. One meter's failure (refused, wrong address, wrong password, timeout) is
recorded with its plain-language reason and never stops the others.

The CSV is untrusted input: its size, row count and field lengths are capped, and anything
wrong is a :class:`SiteError` naming the line and the column.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import physical_from_serial
from workbench.session.errors import SessionError
from workbench.session.settings import ConnectionSettings, Secret

__all__ = ["MAX_METERS", "MeterOutcome", "SiteError", "SiteMeter", "meter_settings", "parse_site",
           "run_site"]

MAX_BYTES = 1 << 20
MAX_METERS = 500
MAX_FIELD = 200
_COLUMNS = ("name", "host", "port", "serial", "physical", "client", "password_env")
_NAME = re.compile(r"^[\w .,/()#+-]{1,80}$")


class SiteError(ValueError):
    """The site CSV cannot be used; the message names the line and the column."""


@dataclass(frozen=True)
class SiteMeter:
    """One line of the site CSV."""

    line: int
    name: str
    host: str
    port: int
    serial: str = ""
    physical: int | None = None
    client: int | None = None
    password_env: str = ""

    @property
    def file_stem(self) -> str:
        """A file-name-safe version of the name, for the per-meter outputs."""
        return re.sub(r"[^\w.-]+", "_", self.name).strip("_") or f"meter{self.line}"


def meter_settings(meter: SiteMeter, *, timeout: float, retries: int,
                   environ: Mapping[str, str] = os.environ) -> ConnectionSettings:
    """The connection to one meter of the site: its address (physical from the serial, else
    1234; client 32 with a password, else 16), and its password read from the environment
    variable the CSV names (the CSV never holds a password).

    Raises:
        ValueError: that variable is not set.
    """
    password = None
    if meter.password_env:
        if meter.password_env not in environ:
            raise ValueError(f"environment variable {meter.password_env} is not set "
                             "(it holds this meter's password)")
        password = Secret(environ[meter.password_env])
    physical = meter.physical
    if physical is None:
        physical = physical_from_serial(meter.serial) if meter.serial else 1234
    client = meter.client if meter.client is not None else (32 if password else 16)
    return ConnectionSettings(host=meter.host, port=meter.port, physical=physical,
                              client=client, password=password, timeout=timeout,
                              retries=retries)


@dataclass(frozen=True)
class MeterOutcome:
    """What happened to one meter: ``result`` on success, ``error`` (and ``hint``) if not."""

    meter: SiteMeter
    result: object | None = None
    error: str = ""
    hint: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _int(text: str, line: int, column: str, low: int, high: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise SiteError(f"line {line}: {column} {text!r} is not a number in {low}..{high}")
    return int(text)


def _row(line: int, row: dict[str, str]) -> SiteMeter:
    values = {k: (v or "").strip() for k, v in row.items() if k is not None}
    for column, value in values.items():
        if len(value) > MAX_FIELD:
            raise SiteError(f"line {line}: {column} is longer than {MAX_FIELD} characters")
    name, host = values.get("name", ""), values.get("host", "")
    if not _NAME.match(name):
        raise SiteError(f"line {line}: name {name!r} must be 1-80 letters, digits, spaces "
                        "or . , / ( ) # + -")
    if not host:
        raise SiteError(f"line {line}: host is empty")
    env = values.get("password_env", "")
    if env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        raise SiteError(f"line {line}: password_env {env!r} is not an environment variable "
                        "name (the password itself never goes into the CSV)")
    return SiteMeter(line, name, host, _int(values.get("port", ""), line, "port", 1, 65535)
                     or 3333, values.get("serial", ""),
                     _int(values.get("physical", ""), line, "physical", 0, 0x3FFF),
                     _int(values.get("client", ""), line, "client", 1, 127), env)


def parse_site(text: str | bytes) -> list[SiteMeter]:
    """The meters of a site CSV (header line required; see ``_COLUMNS``).

    Raises:
        SiteError: too large, no or unknown header, a bad value, duplicate names.
    """
    if len(text) > MAX_BYTES:
        raise SiteError(f"the site file is larger than {MAX_BYTES // 1024} kB")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SiteError(f"the site file is not UTF-8 text (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in _COLUMNS]
    if "name" not in header or "host" not in header or unknown:
        raise SiteError("line 1 must name the columns: name, host and optionally port, serial, "
                        f"physical, client, password_env (found: {', '.join(header) or 'none'})")
    reader.fieldnames = header
    meters: list[SiteMeter] = []
    try:
        for row in reader:
            if len(meters) >= MAX_METERS:
                raise SiteError(f"more than {MAX_METERS} meters in one site file")
            if any((v or "").strip() for v in row.values() if isinstance(v, str)):
                meters.append(_row(reader.line_num, row))
    except csv.Error as exc:
        raise SiteError(f"line {reader.line_num}: {exc}") from None
    _unique(meters)
    if not meters:
        raise SiteError("the site file lists no meter")
    return meters


def _unique(meters: list[SiteMeter]) -> None:
    seen: dict[str, int] = {}
    for m in meters:
        if m.file_stem in seen:
            raise SiteError(f"line {m.line}: name {m.name!r} repeats line {seen[m.file_stem]}")
        seen[m.file_stem] = m.line


def run_site(meters: list[SiteMeter], read: Callable[[SiteMeter, threading.Event], object],
             *, jobs: int = 4, on_done: Callable[[MeterOutcome], None] | None = None,
             cancel: threading.Event | None = None) -> list[MeterOutcome]:
    """Read every meter with at most ``jobs`` at once; outcomes in the CSV's order.

    ``read`` returns the meter's result or raises; an exception's message (and its ``hint``
    attribute, the session errors have one) becomes the outcome's error.
    """
    cancel = cancel or threading.Event()
    outcomes: dict[int, MeterOutcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="site") as pool:
        futures = {pool.submit(_one, m, read, cancel): m for m in meters}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.meter.line] = outcome
            if on_done is not None:
                on_done(outcome)
    return [outcomes[m.line] for m in meters]


def _one(meter: SiteMeter, read: Callable[[SiteMeter, threading.Event], object],
         cancel: threading.Event) -> MeterOutcome:
    if cancel.is_set():
        return MeterOutcome(meter, error="cancelled before it started")
    try:
        return MeterOutcome(meter, result=read(meter, cancel))
    except (SessionError, ProtocolError, OSError, ValueError) as exc:  # recorded, never fatal
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return MeterOutcome(meter, error=str(message), hint=str(getattr(exc, "hint", "")))
