"""Where ``workbench simulate`` serves, and whether it offers HLS: the transport options.

``--com DEVICE`` serves HDLC on a serial device (``--optical``: answering the IEC 62056-21
sign-on first), ``--wrapper`` serves the IEC 62056-47 wrapper on TCP (port 4059 unless
``--port``). HLS-GMAC with suite 0 is offered to ``--hls-client`` (48) when both keys are
given, from environment variables only (``--auth-key-env``/``--block-key-env``), and
HLS-SHA256 as well when an HLS secret is given (``--hls-secret-env``).
"""

from __future__ import annotations

import argparse
import os

from workbench.security import Key
from workbench.simulator.config import MeterConfig
from workbench.simulator.handler import MeterModel
from workbench.simulator.secure import HLS_CLIENT, MeterSecurity, SecureMeterServer
from workbench.simulator.serial_server import SerialMeterServer
from workbench.simulator.server import MeterServer
from workbench.simulator.wrapper_server import WrapperMeterServer

__all__ = ["add_simulator_link_options", "link_server", "where"]

_TCP_PORT, _WRAPPER_PORT = 3333, 4059


def add_simulator_link_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("transport and security")
    group.add_argument("--com", metavar="DEVICE",
                       help="serve HDLC on this serial device instead of TCP")
    group.add_argument("--baud", type=int, default=9600, metavar="N",
                       help="serial line rate (9600; --optical starts at 300)")
    how = group.add_mutually_exclusive_group()
    how.add_argument("--optical", action="store_true",
                     help="answer the IEC 62056-21 mode E sign-on on --com before HDLC "
                          "(identification /MSR5\\2MS3P<serial>)")
    how.add_argument("--wrapper", action="store_true",
                     help="serve the IEC 62056-47 wrapper on TCP, no HDLC (port 4059)")
    group.add_argument("--hls-client", type=int, default=HLS_CLIENT, metavar="SAP",
                       help=f"client offered HLS-GMAC + suite 0 ciphering ({HLS_CLIENT})")
    group.add_argument("--auth-key-env", metavar="VAR",
                       help="environment variable with the HLS authentication key (hex)")
    group.add_argument("--block-key-env", metavar="VAR",
                       help="environment variable with the HLS block cipher key (hex)")
    group.add_argument("--hls-secret-env", metavar="VAR",
                       help="environment variable with the HLS secret: also offer HLS-SHA256 "
                            "(mechanism 6) to --hls-client")


def link_server(args: argparse.Namespace, config: MeterConfig,
                model: MeterModel | None) -> MeterServer:
    """The server the options ask for.

    Raises:
        ValueError: contradicting options, or a key that is missing or not 16 bytes.
    """
    if args.optical and not args.com:
        raise ValueError("--optical needs --com DEVICE")
    if args.com and args.wrapper:
        raise ValueError("--wrapper runs on TCP, not on --com")
    security = _security(args, config)
    if args.com:
        return SerialMeterServer(args.com, optical=args.optical, baud=args.baud,
                                 config=config, security=security, model=model)
    if args.port is None:
        args.port = _WRAPPER_PORT if args.wrapper else _TCP_PORT
    kind = WrapperMeterServer if args.wrapper else SecureMeterServer
    return kind(config, args.host, args.port, security=security, model=model)


def _security(args: argparse.Namespace, config: MeterConfig) -> MeterSecurity | None:
    if not args.auth_key_env and not args.block_key_env:
        if getattr(args, "hls_secret_env", None):
            raise ValueError("--hls-secret-env needs --auth-key-env and --block-key-env "
                             "(HLS-SHA256 still ciphers every APDU)")
        return None
    if not (args.auth_key_env and args.block_key_env):
        raise ValueError("HLS needs both --auth-key-env and --block-key-env")
    keys = [_key(var, what) for var, what in ((args.auth_key_env, "authentication key"),
                                               (args.block_key_env, "block cipher key"))]
    secret = _env(args.hls_secret_env, "HLS secret").encode() if getattr(
        args, "hls_secret_env", None) else None
    return MeterSecurity(keys[0], keys[1], MeterSecurity.title_for(config.serial),
                         client=args.hls_client, secret=secret)


def _key(variable: str, what: str) -> Key:
    return Key.from_hex(_env(variable, what), what)


def _env(variable: str, what: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise ValueError(f"environment variable {variable} ({what}) is not set or empty")
    return value


def where(server: MeterServer) -> str:
    """"127.0.0.1:3333", "127.0.0.1:4059 (wrapper)" or "/dev/ttyUSB0 (optical)"."""
    if isinstance(server, SerialMeterServer):
        return f"{server.device}{' (optical, mode E)' if server.optical else ''}"
    host, port = server.address
    return f"{host}:{port}{' (wrapper)' if isinstance(server, WrapperMeterServer) else ''}"
