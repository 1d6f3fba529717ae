"""How the meter is reached and secured: the transport and HLS options of every meter command.

``--com DEVICE [--baud N]`` runs HDLC on a serial line, ``--optical`` puts an IEC 62056-21
probe on that line (mode E sign-on first), ``--wrapper`` speaks the IEC 62056-47 wrapper on
TCP (port 4059 unless ``--port`` says otherwise). ``--auth hls-gmac`` associates with
HLS-GMAC and ciphers every APDU (security suite 0); ``--auth hls-sha256`` likewise, proving
the HLS secret, which is given like the LLS password (``--password-env``/``--password-prompt``).

Keys are never options: a key on the command line ends up in shell history and process
listings. They come from environment variables (``--auth-key-env VAR``,
``--block-key-env VAR``) or a prompt that does not echo; the system title is not secret.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING

from workbench.protocol.apdu import Mechanism
from workbench.security import Key, SystemTitle
from workbench.session.credentials import HLS_CLIENT, HlsCredentials
from workbench.session.transports import SERIAL_BAUDS, WRAPPER_PORT, TransportMaker

if TYPE_CHECKING:
    from workbench.cli.connection_options import UsageError

__all__ = ["AUTH_CHOICES", "DEFAULT_SYSTEM_TITLE", "add_link_options", "link_values",
           "report_link"]

AUTH_CHOICES = ("none", "lls", "hls-gmac", "hls-sha256")
_HLS = {"hls-gmac": Mechanism.HLS_GMAC, "hls-sha256": Mechanism.HLS_SHA256}
_WITH_PASSWORD = ("lls", "hls-sha256")  # the LLS password, or the HLS-SHA256 secret
DEFAULT_SYSTEM_TITLE = "5742430000000001"
"""'WBC' and a serial number of 1: the workbench's client system title unless told."""
_TCP_PORT = 3333


def add_link_options(group: argparse._ArgumentGroup) -> None:
    """Transport and security options, in the connection group."""
    group.add_argument("--com", metavar="DEVICE",
                       help="HDLC on this serial line instead of TCP (/dev/ttyUSB0, COM3)")
    group.add_argument("--baud", type=int, default=9600, choices=SERIAL_BAUDS, metavar="N",
                       help="serial line rate (9600); with --optical the highest rate to "
                            "switch to after the 300-baud sign-on")
    how = group.add_mutually_exclusive_group()
    how.add_argument("--optical", action="store_true",
                     help="an IEC 62056-21 optical probe on --com (mode E sign-on, then HDLC)")
    how.add_argument("--wrapper", action="store_true",
                     help="IEC 62056-47 wrapper on TCP, no HDLC (port 4059 unless --port)")
    group.add_argument("--auth", choices=AUTH_CHOICES, default=None,
                       help="authentication: none (client 16), lls (password; client 32), "
                            "hls-gmac (keys, every APDU ciphered; client 48), hls-sha256 (as "
                            "hls-gmac, proving the HLS secret given as the password); "
                            "default from --client and the password")
    group.add_argument("--system-title", metavar="HEX", default=DEFAULT_SYSTEM_TITLE,
                       help=f"our system title for hls-gmac, 16 hex digits "
                            f"({DEFAULT_SYSTEM_TITLE})")
    group.add_argument("--auth-key-env", metavar="VAR",
                       help="read the authentication key (32 hex digits) from $VAR; else asked")
    group.add_argument("--block-key-env", metavar="VAR",
                       help="read the block cipher key (32 hex digits) from $VAR; else asked")


def link_values(args: argparse.Namespace, has_password: bool,
                usage: type[UsageError]) -> dict[str, object]:
    """The settings these options decide: transport, device, baud, port, client, hls.

    Raises:
        UsageError (``usage``): options that contradict each other, a missing or bad key.
    """
    transport = _transport(args, usage)
    values: dict[str, object] = dict(transport=transport, device=args.com or "",
                                     baud=args.baud)
    if getattr(args, "port", None) is None:
        values["port"] = WRAPPER_PORT if transport == "wrapper" else _TCP_PORT
    auth = args.auth or ("lls" if has_password else "none")
    if auth in _WITH_PASSWORD and not has_password:
        what = "the password" if auth == "lls" else "the HLS secret"
        raise usage(f"--auth {auth} needs {what}",
                    "Pass --password-env VAR or --password-prompt.")
    if auth not in _WITH_PASSWORD and has_password and args.auth:
        raise usage(f"--auth {auth} takes no password",
                    "Drop --password-env/--password-prompt, or use --auth lls.")
    if auth in _HLS:
        values["hls"] = _credentials(args, usage, _HLS[auth])
        if args.client is None:
            values["client"] = HLS_CLIENT
    return values


def _transport(args: argparse.Namespace, usage: type[UsageError]) -> str:
    if args.optical and not args.com:
        raise usage("--optical needs the probe's serial port",
                    "Add --com DEVICE (for example --com /dev/ttyUSB0 or --com COM3).")
    if args.com and args.wrapper:
        raise usage("--wrapper runs on TCP, not on --com",
                    "Use --wrapper with --host/--port, or --com without --wrapper.")
    if args.optical:
        return "optical"
    return "serial" if args.com else ("wrapper" if args.wrapper else "tcp")


def _credentials(args: argparse.Namespace, usage: type[UsageError],
                 mechanism: Mechanism) -> HlsCredentials:
    try:
        title = SystemTitle.from_hex(args.system_title)
        auth = Key.from_hex(_key_text(args.auth_key_env, "authentication key", usage),
                            "authentication key")
        block = Key.from_hex(_key_text(args.block_key_env, "block cipher key", usage),
                             "block cipher key")
    except ValueError as exc:  # the message names the field and its length, never the value
        raise usage(str(exc), "Keys are 32 hex digits, the system title 16.") from None
    return HlsCredentials(title, auth, block, mechanism=mechanism)


def _key_text(variable: str | None, what: str, usage: type[UsageError]) -> str:
    if variable:
        value = os.environ.get(variable)
        if value is None:
            raise usage(f"environment variable {variable} is not set",
                        f"export {variable}=<32 hex digits> first, or leave the option out "
                        "to be asked.")
        return value
    if not sys.stdin.isatty():
        raise usage(f"the {what} is needed for HLS",
                    f"Pass --{'auth' if what.startswith('auth') else 'block'}-key-env VAR "
                    "(keys are never given on the command line).")
    return getpass.getpass(f"{what.capitalize()} (32 hex digits): ")


def report_link(maker: TransportMaker, *, as_json: bool) -> None:
    """What the optical probe's meter said about itself, on stderr (once per connect)."""
    ident = maker.identification
    if ident is None:
        return
    text = f"optical probe: {ident.describe()}"
    print(json.dumps({"optical": ident.describe()}) if as_json else text, file=sys.stderr)
