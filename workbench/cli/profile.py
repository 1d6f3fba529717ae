"""``workbench profile OBIS (--from T --to T | --last N)``: load profile rows as they arrive.

Rows are written and flushed the moment they are decoded (CSV file, JSON Lines, or a
table on stdout), so an interrupted or failed read keeps every row received so far. A
progress line goes to stderr when it is a terminal. Register columns are scaled with their
scaler_unit, read once in one GET-with-list before the rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from contextlib import ExitStack
from typing import Any, TextIO

from workbench.cli.connection_options import (
    UsageError,
    add_connection_options,
    cli_command,
    open_client,
)
from workbench.cli.output import display_value, to_jsonable
from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.axdr import Data, DataType, as_datetime
from workbench.protocol.cosem import (
    CaptureObject,
    Obis,
    ObisError,
    ScaledValue,
    obis_name,
    unit_symbol,
)
from workbench.protocol.errors import ProtocolError
from workbench.session.client import DlmsClient
from workbench.session.profile import Row, profile_columns
from workbench.session.readings import REGISTER_CLASSES

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "profile", help="read a load profile or event log",
        description="Read profile generic rows by time range or the last N entries. Rows are "
                    "written as they arrive, so an interrupted read keeps what it received.")
    parser.add_argument("obis", help="profile OBIS code, e.g. 1-0:99.1.0.255")
    parser.add_argument("--from", dest="start", type=_moment, help="start time (ISO 8601)")
    parser.add_argument("--to", dest="end", type=_moment, help="end time (ISO 8601)")
    parser.add_argument("--last", type=int, help="the newest N entries")
    parser.add_argument("--csv", metavar="FILE", help="write rows to FILE as CSV")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date-time; write it like 2026-01-31T00:00") from None


def _column_name(column: CaptureObject, unit: str) -> str:
    name = obis_name(column.obis) or f"{column.obis}:{column.attribute}"
    return f"{name} [{unit}]" if unit else name


def _scalers(client: DlmsClient, columns: list[CaptureObject]) -> dict[int, tuple[int, int]]:
    """Column index → (scaler, unit) for register value columns, in one GET-with-list."""
    wanted = [i for i, c in enumerate(columns)
              if c.class_id in REGISTER_CLASSES and c.attribute == 2]
    if not wanted:
        return {}
    answers = client.get_many([AttributeDescriptor(columns[i].class_id, columns[i].obis, 3)
                               for i in wanted])
    out = {}
    for i, answer in zip(wanted, answers, strict=True):
        if isinstance(answer, Data) and answer.type == DataType.STRUCTURE:
            scaler, unit = (d.value for d in answer.value)  # type: ignore[union-attr]
            out[i] = (int(scaler), int(unit))  # type: ignore[call-overload]
    return out


class RowWriter:
    """Formats rows (timestamps decoded, registers scaled) and writes each batch at once."""

    def __init__(self, columns: list[CaptureObject], scalers: dict[int, tuple[int, int]],
                 mode: str, out: TextIO) -> None:
        self.names = [_column_name(c, unit_symbol(scalers[i][1]) if i in scalers else "")
                      for i, c in enumerate(columns)]
        self.scalers = scalers
        self.mode = mode
        self.out = out
        self.count = 0
        self._csv = csv.writer(out) if mode == "csv" else None
        if self._csv is not None:
            self._csv.writerow(self.names)
        elif mode == "table":
            print("  ".join(self.names), file=out)
        out.flush()

    def value(self, i: int, data: Data) -> Any:
        if i in self.scalers and isinstance(data.value, int | float):
            return ScaledValue(data.value, self.scalers[i][0], self.scalers[i][1]).value
        if data.type in (DataType.OCTET_STRING, DataType.DATE_TIME):
            try:
                return as_datetime(data).to_datetime().isoformat()
            except (ProtocolError, ValueError):
                return display_value(data)
        return data.to_python()

    def write(self, rows: list[Row]) -> None:
        for row in rows:
            values = [self.value(i, d) for i, d in enumerate(row)]
            if self._csv is not None:
                self._csv.writerow([to_jsonable(v) for v in values])
            elif self.mode == "json":
                print(json.dumps(dict(zip(self.names, to_jsonable(values), strict=False))),
                      file=self.out)
            else:
                print("  ".join(str(to_jsonable(v)) for v in values), file=self.out)
        self.count += len(rows)
        self.out.flush()


class Progress:
    """"rows 96/96 [#######---]" on stderr, only when stderr is a terminal."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()

    def update(self, count: int) -> None:
        if not self.enabled:
            return
        if self.total:
            filled = min(20, 20 * count // self.total)
            bar = f" [{'#' * filled}{'-' * (20 - filled)}]"
            text = f"rows {count}/{self.total}{bar}"
        else:
            text = f"rows {count}"
        print(f"\r{text}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def _check_args(args: argparse.Namespace) -> Obis:
    try:
        obis = Obis.parse(args.obis)
    except ObisError as exc:
        raise UsageError(str(exc), "Write the profile code like 1-0:99.1.0.255.") from exc
    if args.last is not None and (args.start or args.end):
        raise UsageError("--last cannot be combined with --from/--to",
                         "Ask either for the last N entries or for a time range.")
    if args.last is None and not (args.start or args.end):
        raise UsageError("say which rows to read",
                         "Give --from and --to (ISO times) or --last N.")
    if args.last is not None and args.last < 1:
        raise UsageError(f"--last {args.last} asks for no rows", "Give a positive count.")
    return obis


def _expected_rows(client: DlmsClient, obis: Obis, args: argparse.Namespace) -> int | None:
    if args.last is not None:
        return args.last
    if not (args.start and args.end):
        return None
    period = client.get(AttributeDescriptor(7, obis, 4)).value
    if not isinstance(period, int) or period <= 0:
        return None
    return int((args.end - args.start).total_seconds() // period) + 1


@cli_command
def run(args: argparse.Namespace) -> int:
    obis = _check_args(args)
    mode = "csv" if args.csv else "json" if args.json else "table"
    with ExitStack() as stack:
        out = stack.enter_context(open(args.csv, "w", newline="", encoding="utf-8")) \
            if args.csv else sys.stdout
        client = stack.enter_context(open_client(args))
        columns = profile_columns(client, obis)
        writer = RowWriter(columns, _scalers(client, columns), mode, out)
        progress = Progress(_expected_rows(client, obis, args))
        stack.callback(progress.done)

        def on_rows(rows: list[Row]) -> None:
            writer.write(rows)
            progress.update(writer.count)

        client.read_profile(obis, start=args.start, end=args.end, last=args.last,
                            on_rows=on_rows, columns=columns)
    if args.csv:
        print(f"{writer.count} rows written to {args.csv}", file=sys.stderr)
    return 0
