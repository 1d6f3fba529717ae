"""``workbench simulate``: run the simulated Microstar meter until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from workbench.simulator.config import DEFAULT_PASSWORD, MeterConfig
from workbench.simulator.faults import FAULT_HELP, Fault, FaultError, parse_fault
from workbench.simulator.server import MeterServer

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


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate", help="run a simulated Microstar meter on TCP",
        description=_DESCRIPTION, epilog=FAULT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=3333,
                        help="TCP port (3333; 0 picks a free port)")
    parser.add_argument("--serial", default="000019001234", help="meter serial (000019001234)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="environment variable holding the LLS password "
                             f"(default password: the Microstar factory value, "
                             f"{len(DEFAULT_PASSWORD)} digits)")
    parser.add_argument("--idle-timeout", type=float, default=180.0, metavar="SECONDS",
                        help="drop a connection after this much silence (180)")
    parser.add_argument("--seed", type=int, default=0, help="makes values and faults repeatable")
    parser.add_argument("--rtt-ms", type=float, default=0.0, metavar="MS",
                        help="simulated round-trip time added before every response")
    parser.add_argument("--fault", type=_fault, action="append", default=[], metavar="SPEC",
                        help="inject a fault (repeatable); see the list below")
    parser.set_defaults(func=run)


def _password(args: argparse.Namespace) -> str:
    if not args.password_env:
        return DEFAULT_PASSWORD
    value = os.environ.get(args.password_env)
    if not value:
        raise SystemExit(f"workbench simulate: environment variable {args.password_env} "
                         "is not set or empty")
    return value


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = MeterConfig(serial=args.serial, password=_password(args),
                             idle_timeout=args.idle_timeout, seed=args.seed,
                             rtt_ms=args.rtt_ms, faults=tuple(args.fault))
    except ValueError as exc:
        print(f"workbench simulate: {exc}", file=sys.stderr)
        return 2
    server = MeterServer(config, args.host, args.port)
    try:
        server.start()
    except OSError as exc:
        print(f"workbench simulate: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    host, port = server.address
    print(f"listening on {host}:{port}", flush=True)
    try:
        while True:  # short sleeps: Ctrl-C is delivered promptly on every platform
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
