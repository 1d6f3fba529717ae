"""The ``workbench`` command line: one module per sub-command, each with ``register()``.

Each command module exposes ``register(subparsers) -> None`` which adds its parser and
sets ``func`` (``Callable[[argparse.Namespace], int]``) as a default. Adding a command means
adding its module name to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from workbench import __version__

COMMANDS: tuple[str, ...] = ("simulate", "probe", "read", "objects", "profile", "set", "action",
                             "clock")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Diagnostic workbench for DLMS/COSEM meters (HDLC over TCP).",
    )
    parser.add_argument("--version", action="version", version=f"DLMS Workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workbench.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    return int(args.func(args) or 0)
