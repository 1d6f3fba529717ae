"""`workbench report` end to end: the simulated meter, HTML + PDF + readout + capture."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.commissioning import readout_from_json
from workbench.simulator import ReplayMeter, load_replay
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer


def test_report_writes_html_pdf_readout_and_a_capture_it_names(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host, port = meter.address
    html, pdf = tmp_path / "bay2.html", tmp_path / "bay2.pdf"
    code = main(["report", "--host", host, "--port", str(port), "--out", str(html),
                 "--out", str(pdf), "--days", "1", "--note", "Seal 44120", "--json"])
    assert code == 0, capsys.readouterr().err
    data = json.loads(capsys.readouterr().out)
    # the simulated load swings through the day: a low power factor may warn, nothing fails
    assert data["verdict"] in ("pass", "warn")
    assert all(check["status"] != "fail" for check in data["checks"]), data["checks"]
    capture = tmp_path / "bay2.wbcap"
    digest = hashlib.sha256(capture.read_bytes()).hexdigest()
    assert data["readout"]["capture"] == {"path": str(capture), "sha256": digest}
    page = html.read_text(encoding="utf-8")
    assert digest in page and "Seal 44120" in page
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", raw)) >= 1
    readout = readout_from_json((tmp_path / "bay2.readout.json").read_text(encoding="utf-8"))
    assert readout.note == "Seal 44120" and readout.errors == {}


def test_an_unknown_output_kind_is_a_usage_error(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--out", str(tmp_path / "r.docx")]) == 2
    assert "neither .html nor .pdf" in capsys.readouterr().err


def test_an_unreachable_meter_fails_with_the_connect_exit_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--port", "1", "--timeout", "0.3", "--retries", "0",
                 "--out", str(tmp_path / "r.html")])
    assert code == 3
    assert "hint:" in capsys.readouterr().err


def test_a_meter_that_cannot_send_its_list_is_reported_through_an_imported_one(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A replay of a field visit that never asked for the object list answers it with
    object-undefined; the sister meter's exported list, imported, lets the report go on —
    and the report says which list it used."""
    port = str(meter.address[1])
    exported, visit = tmp_path / "list.json", tmp_path / "visit.wbcap"
    assert main(["objects", "--port", port, "--export", str(exported)]) == 0
    assert main(["read", "--port", port, "3/1-1:32.7.0.255:2", "3/1-1:32.7.0.255:3",
                 "--capture", str(visit)]) == 0
    book = load_replay(visit)
    config = MeterConfig(physical=book.physical, logical=book.logical,
                         max_pdu_size=book.max_pdu_size)
    field = MeterServer(config, model=ReplayMeter(book, config)).start()
    try:
        field_port = str(field.address[1])
        assert main(["objects", "--port", field_port, "--import", str(exported)]) == 0
        capsys.readouterr()
        main(["report", "--port", field_port, "--timeout", "1", "--days", "0",
              "--out", str(tmp_path / "field.html"), "--json"])
        data = json.loads(capsys.readouterr().out)
    finally:
        field.stop()
    readout = data["readout"]
    assert "objects" not in readout["errors"]
    assert any("stored for it (read earlier or imported) was used" in w
               for w in readout["warnings"])
    volts = [v for v in readout["values"] if v["obis"] == "1-1:32.7.0.255"]
    assert volts and volts[0]["unit"] == "V"  # read through the imported class ids
