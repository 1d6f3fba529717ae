"""`workbench batch` over a site of simulated meters: reasons for failures, others unharmed."""

from __future__ import annotations

import csv
import json
import socket
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.helpers import running_meter
from tests.session.conftest import PASSWORD
from workbench.cli import main
from workbench.commissioning.site import SiteError, parse_site


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_site_with_a_refused_and_a_wrong_password_meter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOOD_PW", PASSWORD)
    monkeypatch.setenv("BAD_PW", "1111111111")
    with ExitStack() as stack:
        serials = ("000019001234", "000019005678", "000019009012", "000019003456")
        ports = [stack.enter_context(running_meter(serial=s)).address[1] for s in serials]
        site = tmp_path / "site.csv"
        site.write_text(
            "name,host,port,serial,client,password_env\n"
            f"bay 1,127.0.0.1,{ports[0]},{serials[0]},,\n"
            f"bay 2,127.0.0.1,{ports[1]},{serials[1]},32,GOOD_PW\n"
            f"bay 3 (no answer),127.0.0.1,{_closed_port()},000019000001,,\n"
            f"bay 4,127.0.0.1,{ports[3]},{serials[3]},32,BAD_PW\n"
            f"bay 5,127.0.0.1,{ports[2]},{serials[2]},,\n", encoding="utf-8")
        out = tmp_path / "out"
        code = main(["batch", str(site), "--out", str(out), "--jobs", "3", "--report",
                     "--timeout", "1", "--retries", "1"])
    assert code == 1
    printed = capsys.readouterr()
    assert "3 of 5 meters read" in printed.out
    rows = {r["name"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert {n for n, r in rows.items() if r["status"] == "ok"} == {"bay 1", "bay 2", "bay 5"}
    assert rows["bay 2"]["serial"] == serials[1] and rows["bay 5"]["serial"] == serials[2]
    assert "refused" in rows["bay 3 (no answer)"]["reason"].lower()
    assert "password" in (rows["bay 4"]["reason"] + rows["bay 4"]["hint"]).lower()
    assert (out / "bay_1.html").exists() and (out / "bay_1.wbcap").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="bay_2.html"' in index and "bay 4" in index
    assert PASSWORD not in "".join(p.read_text(errors="ignore") for p in out.iterdir())
    readout = json.loads((out / "bay_1.readout.json").read_text(encoding="utf-8"))
    assert readout["identity"][0]["text"] == serials[0]


@pytest.mark.parametrize(("text", "message"), [
    ("host\n1.2.3.4\n", "line 1 must name the columns"),
    ("name,host,port\nx,h,99999\n", "line 2: port '99999'"),
    ("name,host\na,h\na,h\n", "repeats line 2"),
    ("name,host,password_env\na,h,my secret\n", "not an environment variable name"),
    ("name,host\n", "lists no meter"),
    ("name,host,colour\na,h,red\n", "colour"),
])
def test_a_bad_site_file_names_the_line(text: str, message: str) -> None:
    with pytest.raises(SiteError, match=message):
        parse_site(text)


def test_a_huge_or_binary_site_file_is_refused() -> None:
    with pytest.raises(SiteError, match="larger than"):
        parse_site(b"name,host\n" + b"a,b\n" * 400_000)
    with pytest.raises(SiteError, match="not UTF-8"):
        parse_site(b"name,host\n\xff\xfe,x\n")
