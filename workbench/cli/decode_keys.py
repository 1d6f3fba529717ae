"""``workbench decode`` with keys: ciphered APDUs shown in clear under the ciphered tree.

Keys only from environment variables (``--block-key-env``, ``--auth-key-env``), never from
the command line; the output shows what they reveal, never the keys.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from workbench.protocol.dissect import dissect
from workbench.protocol.fields import Node
from workbench.security import Key, SystemTitle
from workbench.security.reveal import Revealer

__all__ = ["add_key_options", "dissector_from_args"]


def add_key_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ciphered APDUs (HLS, security suite 0)")
    group.add_argument("--block-key-env", metavar="VAR",
                       help="decipher glo-/general-glo-ciphered APDUs with the block cipher "
                            "key in $VAR (32 hex digits); needs --auth-key-env too")
    group.add_argument("--auth-key-env", metavar="VAR",
                       help="the authentication key in $VAR (32 hex digits)")
    group.add_argument("--system-title", metavar="HEX", action="append", default=[],
                       help="a sender's system title (16 hex digits; repeatable), when the "
                            "AARQ/AARE that carry them are not in the input")


def dissector_from_args(args: argparse.Namespace) -> Callable[[bytes], list[Node]]:
    """The plain dissector, or one that also deciphers when the keys are given.

    Raises:
        ValueError: one key without the other, an unset variable, a malformed key or title
            (the message never quotes a key).
    """
    if not args.block_key_env and not args.auth_key_env:
        return dissect
    if not (args.block_key_env and args.auth_key_env):
        raise ValueError("deciphering needs both --block-key-env and --auth-key-env")
    block = Key.from_hex(_env(args.block_key_env), "block cipher key")
    auth = Key.from_hex(_env(args.auth_key_env), "authentication key")
    titles = tuple(SystemTitle.from_hex(t) for t in args.system_title)
    return Revealer(block, auth, titles).dissect


def _env(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise ValueError(f"environment variable {variable} is not set or empty")
    return value
