"""``workbench simulate``: run the simulated Microstar meter until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.capture import CaptureError
from workbench.cli.simulate_links import add_simulator_link_options, link_server, where
from workbench.simulator import (
    DEFAULT_PASSWORD,
    FAULT_HELP,
    QUIRK_HELP,
    Fault,
    FaultError,
    MeterConfig,
    MeterServer,
    QuirkError,
    ReplayBook,
    ReplayMeter,
    load_replay,
    parse_fault,
    parse_quirk,
)

_DESCRIPTION = """\
Run a simulated Microstar DLMS/COSEM meter: HDLC over raw TCP, server logical address 1,
physical address = last 4 digits of the serial. Client 16 is public (read-only, no
password); clients 32 and 1 use LLS with the password. Clients with any other SAP get no
answer. Prints "listening on HOST:PORT" once ready; Ctrl-C stops it.
"""


def _fault(text: str) -> Fault:
    try:
        return parse_fault(text)
    except FaultError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _quirk(text: str) -> str:
    try:
        return parse_quirk(text)
    except QuirkError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be within {low}..{high}, got {value}")
        return value
    return parse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "simulate", help="run a simulated Microstar meter on TCP",
        description=_DESCRIPTION, epilog=f"{FAULT_HELP}\n{QUIRK_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _meter_options(parser)
    _link_options(parser)
    add_simulator_link_options(parser)
    parser.add_argument("--fault", type=_fault, action="append", default=[], metavar="SPEC",
                        help="inject a fault (repeatable); see the list below")
    parser.add_argument("--replay", metavar="FILE",
                        help="answer with the responses recorded in a .wbcap/.pcapng capture, "
                             "matched by the request's meaning (service, OBIS, attribute or "
                             "method, selective access); anything else is answered "
                             "object-undefined and logged")
    parser.add_argument("--quirk", type=_quirk, action="append", default=[], metavar="NAME",
                        help="behave like a real meter's known deviation (repeatable); "
                             "see the list below")
    parser.set_defaults(func=run)


def _meter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=None,
                        help="TCP port (3333, 4059 with --wrapper; 0 picks a free port)")
    parser.add_argument("--serial", default="000019001234", help="meter serial (000019001234)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="environment variable holding the LLS password "
                             f"(default password: the Microstar factory value, "
                             f"{len(DEFAULT_PASSWORD)} digits)")
    parser.add_argument("--idle-timeout", type=float, default=180.0, metavar="SECONDS",
                        help="drop a connection after this long without a valid frame for "
                             "this meter (180)")
    parser.add_argument("--seed", type=int, default=0, help="makes values and faults repeatable")
    parser.add_argument("--rtt-ms", type=float, default=0.0, metavar="MS",
                        help="simulated round-trip time added before every response")


def _link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-info", type=_bounded(32, 2030), default=128, metavar="N",
                        help="largest HDLC information field the meter supports, both ways "
                             "(128, as Microstar meters; 32..2030); the UA grants the smaller "
                             "of this and the client's SNRM proposal")
    parser.add_argument("--window", type=_bounded(1, 7), default=1, metavar="N",
                        help="largest HDLC window the meter supports (1, as Microstar "
                             "meters; 1..7); granted as the smaller of both sides")
    parser.add_argument("--max-connections", type=_bounded(1, 1000), default=4, metavar="N",
                        help="TCP clients served at once (4); one more is closed at once "
                             "and logged")


def _password(args: argparse.Namespace) -> str:
    if not args.password_env:
        return DEFAULT_PASSWORD
    value = os.environ.get(args.password_env)
    if not value:
        raise SystemExit(f"workbench simulate: environment variable {args.password_env} "
                         "is not set or empty")
    return value


def _config(args: argparse.Namespace, book: ReplayBook | None) -> MeterConfig:
    """The meter's settings from the options (and, when replaying, the capture's meter).

    Raises:
        ValueError: a setting out of range.
    """
    where: dict[str, Any] = {} if book is None else {
        "physical": book.physical, "logical": book.logical, "max_pdu_size": book.max_pdu_size}
    return MeterConfig(serial=args.serial, password=_password(args),
                       idle_timeout=args.idle_timeout, seed=args.seed, rtt_ms=args.rtt_ms,
                       faults=tuple(args.fault), max_info=args.max_info, window=args.window,
                       max_connections=args.max_connections, quirks=tuple(args.quirk),
                       **where)


def _server(args: argparse.Namespace) -> MeterServer:
    """The simulated meter, or the replay of a capture; start-up facts go to stderr.

    Raises:
        CaptureError: the capture to replay cannot be read.
        ValueError: a setting out of range.
    """
    book = load_replay(args.replay) if args.replay else None
    config = _config(args, book)
    if book is not None:
        print(book.describe(Path(args.replay).name), file=sys.stderr, flush=True)
    model = None if book is None else ReplayMeter(book, config)
    return link_server(args, config, model)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = _server(args)
        server.start()
    except (ValueError, CaptureError) as exc:
        print(f"workbench simulate: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"workbench simulate: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    try:
        _announce(server)
        while True:  # short sleeps: Ctrl-C is delivered promptly on every platform
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _announce(server: MeterServer) -> None:
    """The meter's settings on stderr, then "listening on" (the line scripts wait for)."""
    config = server.config
    print(f"link: max info {config.max_info}, window {config.window}, "
          f"max PDU {config.max_pdu_size}, up to {config.max_connections} connections; "
          f"quirks: {', '.join(config.quirks) or 'none'}", file=sys.stderr, flush=True)
    print(f"listening on {where(server)}", flush=True)
