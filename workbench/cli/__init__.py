"""The ``workbench`` command line: one module per sub-command, each with ``register()``.

Each command module exposes ``register(subparsers) -> None`` which adds its parser and
sets ``func`` (``Callable[[argparse.Namespace], int]``) as a default. Adding a command means
adding its module name to ``COMMANDS``. With no command, ``workbench`` opens the window.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from pathlib import Path

from workbench import __version__
from workbench.capture import CAPTURE_SUFFIXES

COMMANDS: tuple[str, ...] = ("simulate", "probe", "read", "objects", "profile", "set", "action",
                             "clock", "decode", "report", "compare", "batch")

EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: an internal software error
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl+C

log = logging.getLogger("workbench.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Diagnostic workbench for DLMS/COSEM meters (HDLC over TCP). "
        "Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"DLMS Workbench {__version__}")
    window = parser.add_argument_group("window")
    window.add_argument("--demo", action="store_true",
                        help="also start the built-in simulated meter and connect to it")
    window.add_argument("--screenshot", type=Path, metavar="FILE",
                        help="save a picture of the window to FILE and exit")
    window.add_argument("--after", type=float, default=3.0, metavar="SECONDS",
                        help="with --screenshot: wait this long first (default 3)")
    window.add_argument("--self-test", action="store_true",
                        help="start the simulated meter, connect, read, render offscreen, exit 0/1")
    window.add_argument("--offscreen", action="store_true",
                        help="render without a display (Qt offscreen platform)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workbench.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line (or the window); the exit code is what the process returns."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last resort: expected failures were handled below it
        _report_internal_error(exc)
        return EXIT_INTERNAL


def _run(argv: list[str] | None) -> int:
    capture = _capture_argument(sys.argv[1:] if argv is None else argv)
    if capture is not None:
        from workbench.ui.app import WindowOptions, run_window

        return run_window(WindowOptions(capture=capture))
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        from workbench.ui.app import WindowOptions, run_window

        return run_window(WindowOptions(demo=args.demo, screenshot=args.screenshot,
                                        after=args.after, self_test=args.self_test,
                                        offscreen=args.offscreen))
    return int(args.func(args) or 0)


def _capture_argument(argv: list[str]) -> Path | None:
    """``workbench FILE.wbcap`` (what a double-click on a capture runs) opens it in the window."""
    if len(argv) == 1 and Path(argv[0]).suffix.lower() in CAPTURE_SUFFIXES:
        return Path(argv[0])
    return None


def _report_internal_error(exc: Exception) -> None:
    """One line and a hint instead of a traceback a user can do nothing with.

    The traceback still goes to the log (debug level) and, with ``WORKBENCH_DEBUG=1``, to
    stderr, so a bug report can carry it.
    """
    log.debug("internal error", exc_info=exc)
    message = " ".join(str(exc).split())  # one line, whatever the exception holds
    print(f"internal error: {type(exc).__name__}{': ' if message else ''}{message}",
          file=sys.stderr)
    if os.environ.get("WORKBENCH_DEBUG") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    else:
        print("hint: this is a bug; run again with WORKBENCH_DEBUG=1 for the traceback, "
              "and report it.", file=sys.stderr)
