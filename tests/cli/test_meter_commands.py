"""The meter commands end to end: `workbench <command>` against the simulator over TCP."""

from __future__ import annotations

import csv
import datetime as dt
import json
import socket

import pytest

from tests.cli.conftest import PASSWORD
from tests.helpers import running_meter
from workbench.cli import main
from workbench.simulator.server import MeterServer


def run(meter: MeterServer, *args: str) -> int:
    return main([args[0], "--port", str(meter.address[1]), "--timeout", "1", *args[1:]])


def _assert_one_sentence_error(err: str) -> None:
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ")
    assert "Traceback" not in err


def test_read_shows_serial_voltage_in_volts_and_energy_in_wh(meter, capsys) -> None:
    code = run(meter, "read", "0-0:96.1.0.255", "1-1:32.7.0.255", "1-1:1.8.0.255")
    out = capsys.readouterr().out
    assert code == 0
    assert "000019001234" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert lines["1-1:32.7.0.255"][-2] == "V"
    assert lines["1-1:1.8.0.255"][-2] == "Wh"


def test_read_json_gives_scaled_and_raw_values(meter, capsys) -> None:
    assert run(meter, "read", "1-1:32.7.0.255", "3/1-1:32.7.0.255:3", "--json") == 0
    voltage, scaler_unit = json.loads(capsys.readouterr().out)
    assert voltage["unit"] == "V" and voltage["scaler"] == -1
    assert voltage["value"] == pytest.approx(voltage["raw"]["value"] / 10)
    assert scaler_unit["raw"]["type"] == "structure"


def test_read_wrong_explicit_class_explains_what_was_tried(meter, capsys) -> None:
    assert run(meter, "read", "1/1-1:32.7.0.255:2") == 1
    out = capsys.readouterr().out
    assert "tried class 1 (as you gave it)" in out
    assert "the object list says class 3" in out


def test_read_unknown_obis_is_a_usage_error_with_hint(meter, capsys) -> None:
    assert run(meter, "read", "1-1:99.99.9.255") == 2
    err = capsys.readouterr().err
    _assert_one_sentence_error(err)
    assert "not in this association's object list" in err


def test_read_bad_obis_text(meter, capsys) -> None:
    assert run(meter, "read", "1-1:32.7") == 2
    _assert_one_sentence_error(capsys.readouterr().err)


def test_objects_lists_classes_and_access(meter, capsys) -> None:
    assert run(meter, "objects") == 0
    out = capsys.readouterr().out
    clock_line = next(line for line in out.splitlines() if line.startswith("0-0:1.0.0.255"))
    assert "8 Clock" in clock_line and "r 1,2" in clock_line
    assert run(meter, "objects", "--json") == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["class"] for e in entries} >= {"Clock", "Register", "Profile generic"}


def test_profile_last_to_csv_writes_every_row(meter, tmp_path, capsys) -> None:
    target = tmp_path / "lp.csv"
    assert run(meter, "profile", "1-0:99.1.0.255", "--last", "10", "--csv", str(target)) == 0
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert len(rows) == 11  # header + 10
    assert "[Wh]" in ",".join(rows[0])
    assert "10 rows written" in capsys.readouterr().err


def test_profile_range_as_json_lines(meter, capsys) -> None:
    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    assert run(meter, "profile", "1-0:99.1.0.255", "--from", f"{day}T00:00",
               "--to", f"{day}T01:00", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 5  # 00:00 to 01:00 every 15 minutes, both ends included
    assert rows[0]["Clock"].startswith(f"{day}T00:00")


def test_profile_needs_a_selection(meter, capsys) -> None:
    assert run(meter, "profile", "1-0:99.1.0.255") == 2
    _assert_one_sentence_error(capsys.readouterr().err)


def test_set_on_public_client_is_refused_with_the_meters_answer(meter, capsys) -> None:
    assert run(meter, "set", "0-0:1.0.0.255:2", "datetime:2026-01-01T00:00") == 4
    err = capsys.readouterr().err
    _assert_one_sentence_error(err)
    assert "read-write-denied" in err


def test_set_with_password_from_env_writes_typed_value(meter, capsys) -> None:
    code = run(meter, "set", "0-0:1.0.0.255:7", "i8:30", "--client", "32",
               "--password-env", "METER_PW")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "wrote 30" in captured.out
    assert PASSWORD not in captured.out + captured.err


def test_set_infers_type_from_current_value(meter, capsys) -> None:
    assert run(meter, "set", "0-0:1.0.0.255:7", "45", "--client", "32",
               "--password-env", "METER_PW") == 0
    assert run(meter, "read", "0-0:1.0.0.255:7", "--json") == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("["):])[0]["value"] == 45


def test_set_rejects_values_that_do_not_fit(meter, capsys) -> None:
    assert run(meter, "set", "0-0:1.0.0.255:7", "i8:300") == 2
    assert "does not fit" in capsys.readouterr().err


def test_wrong_password_is_one_sentence_and_never_echoed(meter, capsys, monkeypatch) -> None:
    monkeypatch.setenv("BAD_PW", "1111111111")
    assert run(meter, "read", "0-0:96.1.0.255", "--client", "32",
               "--password-env", "BAD_PW") == 4
    err = capsys.readouterr().err
    _assert_one_sentence_error(err)
    assert "1111111111" not in err and "authentication" in err


def test_trace_masks_the_password(meter, capsys) -> None:
    assert run(meter, "read", "0-0:96.1.0.255", "--client", "32", "--password-env",
               "METER_PW", "--trace") == 0
    err = capsys.readouterr().err
    assert PASSWORD.encode().hex(" ") not in err
    assert "2a 2a 2a 2a" in err  # the masked password bytes


def test_action_and_clock_sync_for_management_client(meter, capsys) -> None:
    auth = ["--client", "1", "--password-env", "METER_PW"]
    assert run(meter, "action", "0-0:1.0.0.255:6", "i16:60", *auth) == 0
    assert "ran class 8 0-0:1.0.0.255 method 6" in capsys.readouterr().out
    assert run(meter, "clock", "--sync", "--json", *auth) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["synced"] and abs(report["drift_after_s"]) < 2
    assert report["drift_s"] > 50  # the clock was 60 s ahead before the sync
    assert report["after"]["drift"] == "within 1 s"  # the simulator sends whole seconds
    assert report["written"]


def test_clock_shows_drift(meter, capsys) -> None:
    assert run(meter, "clock") == 0
    out = capsys.readouterr().out
    assert "drift" in out and "meter" in out


def test_probe_finds_address_from_serial_and_explains_clients(capsys) -> None:
    with running_meter(serial="000019005678") as meter:
        code = main(["probe", f"127.0.0.1:{meter.address[1]}", "--serial", "19005678",
                     "--timeout", "0.3", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["physical"] == 5678
    outcomes = {(a["physical"], a["client"]): a["outcome"] for a in report["attempts"]}
    assert outcomes[(5678, 16)] == "associated"
    assert outcomes[(5678, 32)] == "rejected"  # no password given
    assert "password" in report["advice"] or "--client 16" in report["advice"]


def test_probe_scans_past_silent_addresses(capsys) -> None:
    with running_meter(serial="000019000017") as meter:
        code = main(["probe", f"127.0.0.1:{meter.address[1]}", "--timeout", "0.2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "wrong physical address" in out
    assert "Use --physical 17 --client 16" in out


def test_unreachable_meter_is_exit_3_with_hint(capsys) -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    assert main(["read", "--port", str(port), "0-0:96.1.0.255"]) == 3
    _assert_one_sentence_error(capsys.readouterr().err)
