"""``workbench decode HEX...``: explain captured bytes field by field, offline.

Input is hex in any common spelling (``7E A0 07 ...``, ``7e:a0:07``, ``7EA007``), from the
arguments, ``--file`` (hex text, raw binary, or a ``.wbcap``/``.pcapng`` capture, shown record
by record) or standard input (``-`` or no arguments). It may hold several frames and junk;
each becomes one tree. Exit status: 0 all frames valid,
1 problems found in the frames (or damaged lines skipped in a capture), 2 input that is not
usable at all (not hex, empty, no file, a capture damaged beyond reading: one line on stderr
naming the line or byte and what was expected). Password and key fields are masked.
"""

from __future__ import annotations

import argparse
import json
import os
import string
import sys
from pathlib import Path

from workbench.capture import CAPTURE_SUFFIXES, CaptureError, load_capture
from workbench.cli.decode_keys import add_key_options, dissector_from_args
from workbench.protocol.fields import Node

__all__ = ["InputError", "hex_tokens", "node_json", "parse_hex", "register", "render_tree"]

_SEPARATORS = " \t\r\n:,-"
_HEX_DIGITS = set(string.hexdigits)
_MASK = "***"
_MAX_HEX_BYTES = 8


class InputError(Exception):
    """The input cannot be read as bytes at all (exit status 2)."""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "decode", help="dissect HDLC frames given as hex",
        description="Dissect HDLC/DLMS frames given as hex (spaces, colons or none; several "
                    "frames allowed). Reads standard input with '-' or no HEX.")
    parser.add_argument("hex", nargs="*", metavar="HEX", help="bytes in hex, or '-' for stdin")
    parser.add_argument("--file", type=Path, metavar="F",
                        help="read hex text (or raw binary bytes) from file F; a .wbcap or "
                             ".pcapng capture is shown frame by frame")
    parser.add_argument("--json", action="store_true", help="print the trees as JSON")
    add_key_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        chunks, problems = _read_input(args)
        dissect = dissector_from_args(args)  # deciphers too when the keys are given
    except (InputError, ValueError) as exc:
        print(f"workbench decode: {exc}", file=sys.stderr)
        return 2
    results = [(label, data, dissect(data)) for label, data in chunks]
    _print_out(_render(results, args.json))
    errors = problems + _remarks(results, "error")
    for warning in _remarks(results, "warning"):
        print(f"warning: {warning}", file=sys.stderr)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


def _remarks(results: list[tuple[str, bytes, list[Node]]], kind: str) -> list[str]:
    """Every error (or tolerated deviation: warning) in the trees, prefixed by its record."""
    return [f"{label}{': ' if label else ''}{getattr(node, kind)}"
            for label, _, trees in results for tree in trees for node in tree.walk()
            if getattr(node, kind)]


def _render(results: list[tuple[str, bytes, list[Node]]], as_json: bool) -> str:
    """Hex input: the trees. Capture files: each record's trees under a heading."""
    captured = any(label for label, _, _ in results)
    if as_json:
        blocks = [{"record": label, "trees": _trees_json(trees, data)} if captured
                  else _trees_json(trees, data) for label, data, trees in results]
        flat = blocks if captured else [tree for block in blocks for tree in block]
        return json.dumps(flat, indent=2, ensure_ascii=False)
    lines: list[str] = []
    for label, data, trees in results:
        if captured:
            lines.append(f"== {label}")
        tokens = hex_tokens(trees, data)
        lines += [line for tree in trees for line in render_tree(tree, tokens)]
    return "\n".join(lines)


def _trees_json(trees: list[Node], data: bytes) -> list[dict]:
    tokens = hex_tokens(trees, data)
    return [node_json(tree, tokens) for tree in trees]


def _print_out(text: str) -> None:
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `workbench decode ... | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _read_input(args: argparse.Namespace) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(label, bytes) chunks to dissect separately, and problems met while reading."""
    if args.file is not None:
        if args.hex:
            raise InputError("give HEX arguments or --file, not both")
        if args.file.suffix.lower() in CAPTURE_SUFFIXES:
            return _read_capture(args.file)
        try:
            raw = args.file.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {args.file}: {exc.strerror}") from None
        return [("", _bytes_from_file(raw))], []
    if not args.hex or args.hex == ["-"]:
        return [("", parse_hex(sys.stdin.read()))], []
    return [("", parse_hex(" ".join(args.hex)))], []


def _read_capture(path: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """One chunk per recorded frame, labelled with its number, direction and time."""
    try:
        capture = load_capture(path)
    except CaptureError as exc:
        raise InputError(f"damaged capture: {exc}") from None
    if not capture.records:
        if capture.problems:  # nothing readable: the first damage is the whole story
            raise InputError(f"damaged capture: {capture.problems[0]}")
        raise InputError(f"{path}: the capture holds no frames")
    chunks = [(f"#{i} {r.direction} t={r.time:.3f}" + (f" ({r.note})" if r.note else ""),
               r.raw) for i, r in enumerate(capture.records, 1)]
    problems = [f"skipped: {problem}" for problem in capture.problems]
    if capture.skipped > len(capture.problems):
        problems.append(f"{path}: {capture.skipped - len(capture.problems)} more damaged "
                        "lines skipped")
    return chunks, problems


def _bytes_from_file(raw: bytes) -> bytes:
    """Hex text when the file is all hex digits and separators, else the bytes themselves."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return raw
    if all(c in _HEX_DIGITS or c in _SEPARATORS for c in text):
        return parse_hex(text)
    return raw


def parse_hex(text: str) -> bytes:
    """Bytes from hex text; separators are whitespace, ``:``, ``,`` and ``-``; ``0x`` allowed.

    Raises:
        InputError: naming the first character that is not a hex digit (1-based column in
            the text) or saying the digits do not make whole bytes.
    """
    digits: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "0" and text[i + 1:i + 2] in ("x", "X") and _token_start(text, i):
            i += 2
            continue
        if c in _HEX_DIGITS:
            digits.append(c)
        elif c not in _SEPARATORS:
            raise InputError(f"not hex: {c!r} at character {i + 1} (where byte "
                             f"{len(digits) // 2} would be); expected hex digits 0-9 A-F")
        i += 1
    if not digits:
        raise InputError("no bytes given; expected hex such as 7E A0 07 03 03 93 8C 11 7E")
    if len(digits) % 2:
        raise InputError(f"odd number of hex digits ({len(digits)}): byte {len(digits) // 2} "
                         "is missing its second digit")
    return bytes.fromhex("".join(digits))


def _token_start(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] in _SEPARATORS


def hex_tokens(trees: list[Node], data: bytes) -> list[str]:
    """One hex token per input byte, ``**`` for bytes inside a secret field (passwords)."""
    tokens = [f"{b:02X}" for b in data]
    for tree in trees:
        for node in tree.walk():
            if node.secret:
                tokens[node.offset:node.end] = ["**"] * len(tokens[node.offset:node.end])
    return tokens


def _hex_of(node: Node, tokens: list[str]) -> str:
    shown = tokens[node.offset:node.offset + min(node.length, _MAX_HEX_BYTES)]
    return " ".join(shown) + (" …" if node.length > _MAX_HEX_BYTES else "")


def render_tree(node: Node, tokens: list[str], depth: int = 0) -> list[str]:
    """Indented lines ``offset  hex  name: value``; errors flagged ``<-- error``, tolerated
    deviations ``<-- warning: ...``."""
    value = _MASK if node.secret else node.value
    label = f"{node.name}: {value}" if value and value != node.error else node.name
    line = f"{node.offset:5}  {_hex_of(node, tokens):<{3 * _MAX_HEX_BYTES + 1}}  " \
           f"{'  ' * depth}{label}"
    if node.error:
        line += f"   <-- {node.error}"
    elif node.warning and node.warning != node.value:
        line += f"   <-- warning: {node.warning}"
    lines = [line]
    for child in node.children:
        lines += render_tree(child, tokens, depth + 1)
    return lines


def node_json(node: Node, tokens: list[str]) -> dict:
    """``Node.to_dict()`` plus the field's bytes as ``hex``; secrets masked."""
    d = node.to_dict()
    d["hex"] = " ".join(tokens[node.offset:node.end])
    if node.secret:
        d["value"] = _MASK
    if node.children:
        d["children"] = [node_json(c, tokens) for c in node.children]
    return d
