"""HLS-SHA256 (mechanism 6) with suite-0 ciphering: our client and gurux-dlms's against the
simulated meter, over loopback; the HLS secret is given like the LLS password."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.interop.keys import (
    AUTH_KEY,
    BLOCK_KEY,
    CLIENT_TITLE,
    HLS_SECRET,
    credentials,
    tcp_meter,
)
from workbench.protocol.apdu import AttributeDescriptor, Mechanism
from workbench.protocol.cosem import Obis
from workbench.session import AssociationRejected, ConnectionSettings, DlmsClient, FrameRecord
from workbench.session.settings import Secret

ENERGY = AttributeDescriptor(3, Obis(1, 1, 1, 8, 0, 255), 2)
SHA256 = Mechanism.HLS_SHA256


def _settings(port: int, secret: bytes = HLS_SECRET, **more: object) -> ConnectionSettings:
    return ConnectionSettings(port=port, client=48, timeout=3, retries=0,
                              password=Secret(secret.decode()),
                              hls=credentials(mechanism=SHA256), **more)  # type: ignore[arg-type]


@pytest.mark.parametrize("wrapper", [False, True], ids=["hdlc", "wrapper"])
def test_our_client_reads_the_meter_over_hls_sha256(wrapper: bool) -> None:
    frames: list[FrameRecord] = []
    with tcp_meter(wrapper=wrapper) as meter:
        more = {"transport": "wrapper"} if wrapper else {}
        with DlmsClient(_settings(meter.address[1], **more),
                        observers=[frames.append]) as client:
            assert isinstance(client.get(ENERGY).value, int)
            assert client.info is not None
            assert client.info.describe().startswith("client 48 (HLS-SHA256 (suite 0, ciphered))")
    wire = b"".join(f.raw for f in frames)
    assert HLS_SECRET not in wire  # proven, never sent
    assert bytes.fromhex("8B0760857405080206") in wire  # mechanism-name 2.16.756.5.8.2.6


def test_a_wrong_hls_secret_is_refused_with_a_hint_about_the_secret() -> None:
    with tcp_meter() as meter:
        with pytest.raises(AssociationRejected) as info:
            DlmsClient(_settings(meter.address[1], secret=b"not-the-secret")).connect()
        assert meter.security_state.client_counter > 0  # the ciphering itself was fine
    assert "HLS-SHA256" in info.value.message
    assert "HLS secret" in (info.value.hint or "")


def test_hls_sha256_without_the_secret_is_refused_before_connecting() -> None:
    with pytest.raises(ValueError, match="HLS secret"):
        DlmsClient(ConnectionSettings(client=48, hls=credentials(mechanism=SHA256)))


def test_the_cli_reads_with_hls_sha256_and_the_secret_from_the_environment() -> None:
    env = {**os.environ, "WB_AK": AUTH_KEY.hex(), "WB_EK": BLOCK_KEY.hex(),
           "WB_SECRET": HLS_SECRET.decode()}
    base = [sys.executable, "-m", "workbench", "read", "1-1:1.8.0.255", "--timeout", "3",
            "--auth", "hls-sha256", "--auth-key-env", "WB_AK", "--block-key-env", "WB_EK"]
    with tcp_meter() as meter:
        done = subprocess.run([*base, "--port", str(meter.address[1]),
                               "--password-env", "WB_SECRET"], capture_output=True,
                              text=True, env=env, timeout=60, check=False,
                              stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "1-1:1.8.0.255" in done.stdout
    missing = subprocess.run([*base, "--port", "1"], capture_output=True, text=True, env=env,
                             timeout=60, check=False, stdin=subprocess.DEVNULL)
    assert missing.returncode == 2 and "needs the HLS secret" in missing.stderr


@pytest.mark.oracle
def test_gurux_reads_our_meter_over_hls_sha256() -> None:
    pytest.importorskip("gurux_dlms")
    from gurux_dlms.enums import Authentication
    from gurux_dlms.objects import GXDLMSRegister

    from tests.gurux_session import hls_client

    with tcp_meter() as meter:
        peer = hls_client(meter.address, (CLIENT_TITLE, AUTH_KEY, BLOCK_KEY),
                          password=HLS_SECRET.decode(), mechanism=Authentication.HIGH_SHA256)
        try:
            peer.associate()
            energy = peer.read(GXDLMSRegister("1.1.1.8.0.255"), 2)
        finally:
            peer.close()
    assert isinstance(energy, int)


def test_simulate_offers_hls_sha256_with_a_secret_and_the_keys(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from workbench.cli.simulate_links import link_server
    from workbench.simulator.config import MeterConfig

    monkeypatch.setenv("WB_AK", AUTH_KEY.hex())
    monkeypatch.setenv("WB_EK", BLOCK_KEY.hex())
    monkeypatch.setenv("WB_SECRET", HLS_SECRET.decode())
    args = argparse.Namespace(com=None, optical=False, wrapper=False, host="127.0.0.1", port=0,
                              hls_client=48, auth_key_env=None, block_key_env=None,
                              hls_secret_env="WB_SECRET")
    with pytest.raises(ValueError, match="needs --auth-key-env and --block-key-env"):
        link_server(args, MeterConfig(), None)
    args.auth_key_env, args.block_key_env = "WB_AK", "WB_EK"
    security = link_server(args, MeterConfig(), None).security
    assert security is not None and security.secret == HLS_SECRET
    assert security.mechanisms == {Mechanism.HLS_GMAC, SHA256}
    assert HLS_SECRET.decode() not in repr(security)
