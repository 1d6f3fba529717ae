"""Object lists as files (issue 13): ``objects --export`` writes the cache's JSON shape plus
meta; ``objects --import`` checks a file and stores it for the meter/client given, so
``read`` works without reading the list from the meter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.capture import load_capture
from workbench.cli import main
from workbench.session import ConnectionSettings, DlmsClient, object_file
from workbench.session.cache import ObjectCache
from workbench.session.object_file import ObjectFileError, entry_from_json, read_object_file
from workbench.simulator import ReplayMeter, load_replay
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer

ASSOCIATION_LIST_GET = bytes.fromhex("000f0000280000ff02")  # class 15, 0-0:40.0.0.255, attr 2




def _cli(meter: MeterServer, *args: str) -> int:
    return main([args[0], "--port", str(meter.address[1]), "--timeout", "1", *args[1:]])


def _exported(meter: MeterServer, tmp_path: Path) -> Path:
    path = tmp_path / "list.json"
    assert _cli(meter, "objects", "--export", str(path)) == 0
    return path


def test_export_writes_the_list_with_where_when_and_which_tool(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _exported(meter, tmp_path)
    shown = capsys.readouterr()
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == 1
    meta = payload["meta"]
    assert meta["client"] == 16 and f"127.0.0.1:{meter.address[1]}" in meta["meter"]
    assert meta["tool"].startswith("DLMS Workbench ") and meta["time"][:2] == "20"
    entries, _ = read_object_file(path)
    assert len(entries) == len(payload["entries"]) > 10
    assert f"wrote {len(entries)} objects to {path}" in shown.err
    assert any(str(e.obis) == "0-0:96.1.0.255" and e.class_id == 1 for e in entries)


def test_an_imported_list_serves_read_without_asking_the_meter(
        meter: MeterServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = _exported(meter, tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-pc"))  # an empty cache
    assert _cli(meter, "objects", "--import", str(path)) == 0
    assert "stored" in capsys.readouterr().out
    capture = tmp_path / "read.wbcap"
    assert _cli(meter, "read", "1-1:32.7.0.255", "--capture", str(capture)) == 0
    assert " V " in capsys.readouterr().out
    sent = b"".join(r.raw for r in load_capture(capture).records if r.direction == "tx")
    assert ASSOCIATION_LIST_GET not in sent  # the class came from the imported list


def _write(tmp_path: Path, payload: object) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return path


GOOD = {"class_id": 1, "version": 0, "obis": "0-0:96.1.0.255", "attributes": {"1": 1, "2": 1},
        "methods": {}}


@pytest.mark.parametrize("payload, text", [
    ("{not json", "not JSON"),
    ("[" * 100_000, "not JSON"),
    ('{"format": 1, "entries": [NaN]}', "not JSON"),
    ({"format": 2, "entries": []}, "format 2, expected 1"),
    ({"format": 1, "entries": {}}, "'entries' must be a list"),
    ({"format": 1, "entries": [GOOD, {**GOOD, "obis": "1-1:32.7"}]}, "entry 2: obis:"),
    ({"format": 1, "entries": [{**GOOD, "class_id": 70000}]},
     "entry 1 (0-0:96.1.0.255): class_id: 70000 is not a number 0..65535"),
    ({"format": 1, "entries": [{**GOOD, "attributes": {"²": 1}}]}, "is not an index 0..255"),
    ({"format": 1, "entries": [{**GOOD, "methods": {"1": 256}}]}, "methods[1]: 256"),
    ({"format": 1, "entries": [{**GOOD, "selectors": {"2": list(range(17))}}]},
     "at most 16 selectors"),
    ({"format": 1, "entries": [{**GOOD, "version": True}]}, "version: True"),
])
def test_a_bad_file_is_one_usage_error_naming_the_entry(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        payload: object, text: str) -> None:
    path = _write(tmp_path, payload)
    with pytest.raises(ObjectFileError) as info:
        read_object_file(path)
    assert text in str(info.value)
    assert _cli(meter, "objects", "--import", str(path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and text in err and "Traceback" not in err


def test_size_and_count_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, {"format": 1, "entries": [GOOD] * 3})
    monkeypatch.setattr(object_file, "MAX_ENTRIES", 2)
    with pytest.raises(ObjectFileError, match="3 entries, more than 2"):
        read_object_file(path)
    monkeypatch.setattr(object_file, "MAX_FILE_BYTES", 100)
    with pytest.raises(ObjectFileError, match="larger than 100 bytes"):
        read_object_file(path)


def test_the_entry_codec_round_trips_what_the_meter_sent(meter: MeterServer,
                                                         tmp_path: Path) -> None:
    entries, _ = read_object_file(_exported(meter, tmp_path))
    again = [entry_from_json(object_file.entry_to_json(e)) for e in entries]
    assert again == entries


def test_a_meter_that_cannot_send_its_list_is_read_through_an_imported_one(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The field meter is a replay of a capture that never asked for the object list, so it
    answers object-undefined to that GET; the list exported from a sister meter, imported
    for it, lets ``read`` find the class ids — and the session's read_or_stored too."""
    exported = _exported(meter, tmp_path)
    visit = tmp_path / "visit.wbcap"
    assert _cli(meter, "read", "3/1-1:32.7.0.255:2", "3/1-1:32.7.0.255:3",
                "--capture", str(visit)) == 0
    book = load_replay(visit)
    config = MeterConfig(physical=book.physical, logical=book.logical,
                         max_pdu_size=book.max_pdu_size)
    field = MeterServer(config, model=ReplayMeter(book, config)).start()
    try:
        capsys.readouterr()
        assert _cli(field, "objects") != 0
        assert "object-undefined" in capsys.readouterr().err
        assert _cli(field, "objects", "--import", str(exported)) == 0
        assert _cli(field, "read", "1-1:32.7.0.255") == 0
        assert " V " in capsys.readouterr().out
        host, port = field.address
        with DlmsClient(ConnectionSettings(host=host, port=port, timeout=1)) as client:
            entries = ObjectCache().read_or_stored(client)
        assert len(entries) == len(read_object_file(exported)[0])
    finally:
        field.stop()
