"""Connection options shared by every meter command, and the one place errors become exit codes.

There is deliberately no ``--password VALUE`` option: a password on the command line ends
up in shell history and process listings. It comes from an environment variable
(``--password-env VAR``) or an interactive prompt (``--password-prompt``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from workbench.capture import CaptureError, CaptureHeader, CaptureWriter, open_writer
from workbench.cli.link_options import add_link_options, link_values, report_link
from workbench.framelog.masking import Masker
from workbench.protocol.errors import EncodeError, LocalProtocolError, ProtocolError
from workbench.protocol.hdlc import encode_address, physical_from_serial
from workbench.session.advice import CLI, protocol_error_text
from workbench.session.client import DlmsClient
from workbench.session.errors import (
    AccessDenied,
    AssociationRejected,
    Cancelled,
    ConnectFailed,
    LinkLost,
    NoResponse,
    SessionError,
)
from workbench.session.settings import ConnectionSettings, Secret
from workbench.session.trace import FrameObserver, FrameRecord
from workbench.session.transports import TransportMaker

__all__ = [
    "UsageError",
    "add_connection_options",
    "cli_command",
    "frame_observers",
    "open_client",
    "settings_from_args",
]

EXIT_USAGE = 2
EXIT_CONNECT = 3
EXIT_REFUSED = 4
EXIT_FAILED = 1
EXIT_CANCELLED = 130

_EXIT_CODES: tuple[tuple[type[SessionError], int], ...] = (
    (ConnectFailed, EXIT_CONNECT),
    (NoResponse, EXIT_CONNECT),
    (LinkLost, EXIT_CONNECT),
    (AssociationRejected, EXIT_REFUSED),
    (AccessDenied, EXIT_REFUSED),
    (Cancelled, EXIT_CANCELLED),
)


class UsageError(Exception):
    """A command-line value we cannot use (bad OBIS code, bad typed value ...)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def add_connection_options(parser: argparse.ArgumentParser, *, with_host: bool = True) -> None:
    """Add the options that say which meter to talk to and how."""
    group = parser.add_argument_group("connection")
    if with_host:
        group.add_argument("--host", default="127.0.0.1", help="meter or modem address")
        group.add_argument("--port", type=int, default=None,
                           help="TCP port (default 3333; 4059 with --wrapper)")
    group.add_argument("--serial", help="meter serial; its last 4 digits give the physical address")
    group.add_argument("--physical", type=int, help="HDLC physical address (default 1234)")
    group.add_argument("--logical", type=int, default=1, help="HDLC logical address (default 1)")
    group.add_argument("--client", type=int, default=None,
                       help="client SAP: 16 public (default), 32 or 1 with a password")
    pw = group.add_mutually_exclusive_group()
    pw.add_argument("--password-env", metavar="VAR", help="read the LLS password from $VAR")
    pw.add_argument("--password-prompt", action="store_true", help="ask for the LLS password")
    group.add_argument("--timeout", type=float, default=5.0, help="seconds per answer (5)")
    group.add_argument("--retries", type=int, default=3, help="resends of a lost frame (3)")
    group.add_argument("--max-info", type=int, default=128, metavar="N",
                       help="HDLC frame information size to propose, 32..2030 (128, what "
                            "Microstar meters grant)")
    group.add_argument("--window", type=int, default=1, metavar="N",
                       help="HDLC window to propose, 1..7 (1); the meter grants at most its own")
    add_link_options(group)
    group.add_argument("--trace", action="store_true", help="print every frame (hex) on stderr")
    _add_capture_option(group)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _add_capture_option(group: argparse._ArgumentGroup) -> None:
    """``--capture FILE`` for every meter command; a command that already records on its
    own terms (``report``: beside the report) keeps its option."""
    with contextlib.suppress(argparse.ArgumentError):
        group.add_argument("--capture", type=Path, metavar="FILE",
                           help="record every frame to FILE: .pcapng for Wireshark, else the "
                                "workbench's text capture; replaced if it exists; the "
                                "password masked")


def _password(args: argparse.Namespace) -> Secret | None:
    if getattr(args, "password_env", None):
        value = os.environ.get(args.password_env)
        if value is None:
            raise UsageError(f"environment variable {args.password_env} is not set",
                             f"export {args.password_env}=... first, or use --password-prompt.")
    elif getattr(args, "password_prompt", False):
        value = getpass.getpass("Meter password: ")
    else:
        return None
    try:
        return Secret(value)
    except ValueError as exc:  # the message never quotes the password
        raise UsageError(str(exc), "Meter passwords are Latin-1 text (ASCII digits on "
                         "Microstar meters); retype it without that character.") from None


def _physical(args: argparse.Namespace) -> int:
    if args.physical is not None:
        return args.physical
    if not args.serial:
        return 1234
    try:
        return physical_from_serial(args.serial)
    except EncodeError:
        raise UsageError(f"--serial {args.serial!r} does not end in 4 digits",
                         "Give the serial printed on the meter (its last 4 digits are the "
                         "physical address), or --physical N.") from None


def _check_address(option: str, value: int, size: int) -> None:
    """Refuse a value that does not fit one part of a ``size``-byte HDLC address.

    The encoder is the one place that knows the limits; asking it here turns what would be
    an encode failure deep in the session into a usage error that names the option.
    """
    try:
        encode_address(value, None, size)
    except EncodeError as exc:
        raise UsageError(f"{option} {value} does not fit a {size}-byte HDLC address",
                         f"Use a value in {exc.expected}.") from None


def _check_values(values: dict[str, object]) -> None:
    """Range checks for the options whose bad values the OS or the encoder would meet late."""
    port = values.get("port")
    if isinstance(port, int) and not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port", "Use a value in 1..65535.")
    size = values.get("address_size", ConnectionSettings.address_size)
    if size in (1, 2, 4):  # any other size is refused by ConnectionSettings itself
        _check_address("--logical", values["logical"], size)  # type: ignore[arg-type]
        if size != 1:  # a 1-byte server address carries no physical part
            _check_address("--physical", values["physical"], size)  # type: ignore[arg-type]
    _check_address("--client", values["client"], 1)  # type: ignore[arg-type]


def settings_from_args(args: argparse.Namespace, **overrides: object) -> ConnectionSettings:
    """Build the session settings from parsed options (``overrides`` win).

    Raises:
        UsageError: a value that cannot work (address or port out of range, a serial without
            digits, a password that is not Latin-1); the message names the option.
    """
    password = _password(args)
    client = args.client if args.client is not None else (32 if password else 16)
    values: dict[str, object] = dict(
        host=args.host, port=args.port, physical=_physical(args), logical=args.logical,
        client=client, password=password, timeout=args.timeout, retries=args.retries,
        max_info=getattr(args, "max_info", 128), window=getattr(args, "window", 1),
    )
    values.update(link_values(args, password is not None, UsageError))
    values.update(overrides)
    _check_values(values)
    try:
        return ConnectionSettings(**values)  # type: ignore[arg-type]
    except ValueError as exc:
        raise UsageError(str(exc), "Fix the option value and run the command again.") from exc


def _print_frame(masker: Masker, record: FrameRecord) -> None:
    """``--trace`` output; the AARQ password is masked exactly as in saved captures (one
    masker per connection, fed every frame, follows an AARQ split over segments)."""
    note = f"  ({record.note})" if record.note else ""
    print(f"{record.direction.upper()} {masker.mask(record.raw).hex(' ')}{note}", file=sys.stderr)


@contextlib.contextmanager
def frame_observers(args: argparse.Namespace, settings: ConnectionSettings
                    ) -> Iterator[list[FrameObserver]]:
    """What watches the frames, as the options say: ``--trace`` on stderr, ``--capture``
    into a file (closed when the block ends, after the client's DISC)."""
    observers: list[FrameObserver] = []
    if getattr(args, "trace", False):
        observers.append(functools.partial(_print_frame, Masker()))
    path = getattr(args, "capture", None)
    if path is None:
        yield observers
        return
    with _capture_writer(Path(path), settings) as writer:
        yield [*observers, writer.write]


def _capture_writer(path: Path, settings: ConnectionSettings) -> CaptureWriter:
    """A fresh capture file for this run; masking is the writer's default."""
    header = CaptureHeader.from_settings(settings, created=time.time(), tool="workbench cli")
    try:
        path.unlink(missing_ok=True)  # a new recording, as File → Save capture writes
        return open_writer(path, header)
    except (CaptureError, OSError) as exc:
        raise UsageError(f"cannot write the capture {path}: {exc}",
                         "Give --capture a path in a folder you can write to.") from exc


@contextlib.contextmanager
def open_client(args: argparse.Namespace, **overrides: object) -> Iterator[DlmsClient]:
    """Connect and associate as the options say; always release the link afterwards."""
    settings = settings_from_args(args, **overrides)
    maker = TransportMaker(settings)
    with frame_observers(args, settings) as observers:
        client = DlmsClient(settings, observers=observers, transport_factory=maker)
        try:
            report_warnings(client.connect().warnings, as_json=getattr(args, "json", False))
            report_link(maker, as_json=getattr(args, "json", False))
            yield client
        finally:
            client.close()


def report_warnings(warnings: tuple[str, ...], *, as_json: bool = False) -> None:
    """What the session tolerated (a UA with odd parameters ...), one line each on stderr:
    ``warning: TEXT``, or with ``--json`` a JSON object ``{"warning": TEXT}`` per line, so a
    script reading stdout gets clean output and still sees every deviation."""
    for text in warnings:
        line = json.dumps({"warning": text}) if as_json else f"warning: {text}"
        print(line, file=sys.stderr)


def report_error(message: str, hint: str) -> None:
    """The one error format: a plain sentence, then what to try."""
    print(f"error: {message.rstrip('.')}.", file=sys.stderr)
    print(f"hint: {hint}", file=sys.stderr)


def cli_command(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command; turn every expected failure into one sentence + hint and an exit code."""

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except UsageError as exc:
            report_error(str(exc), exc.hint)
            return EXIT_USAGE
        except SessionError as exc:
            report_error(exc.message, exc.hint)
            return next((code for kind, code in _EXIT_CODES if isinstance(exc, kind)), EXIT_FAILED)
        except ProtocolError as exc:  # ours: a value that cannot be encoded; else the meter's
            report_error(*protocol_error_text(exc, CLI))
            return EXIT_USAGE if isinstance(exc, LocalProtocolError) else EXIT_FAILED
        except KeyboardInterrupt:
            report_error("interrupted", "Nothing received so far was lost.")
            return EXIT_CANCELLED
        except BrokenPipeError:
            return EXIT_FAILED

    return wrapper
