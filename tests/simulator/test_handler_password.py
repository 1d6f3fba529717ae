"""The simulator checks an LLS password the way the client encodes it (Latin-1), so a
password with accents logs in; a wrong one, or one the simulator cannot hold, does not."""

from __future__ import annotations

import pytest

from tests.helpers import running_meter
from workbench.protocol.apdu import (
    Aare,
    Aarq,
    AssociationResult,
    InitiateRequest,
    Mechanism,
    decode_apdu,
    encode_apdu,
)
from workbench.session.client import DlmsClient
from workbench.session.errors import AssociationRejected
from workbench.session.settings import ConnectionSettings, Secret
from workbench.simulator.config import MeterConfig
from workbench.simulator.handler import RequestHandler
from workbench.simulator.meter import Meter

ACCENTED = "pässwörd"


def _associate(config_password: str, sent: bytes) -> Aare:
    handler = RequestHandler(Meter(MeterConfig(password=config_password)))
    aarq = Aarq(mechanism=Mechanism.LLS, password=sent, user_information=InitiateRequest())
    answer = decode_apdu(handler.handle(32, encode_apdu(aarq)).apdu)
    assert isinstance(answer, Aare)
    return answer


def test_accented_password_matches_the_latin1_bytes_the_client_sends() -> None:
    answer = _associate(ACCENTED, Secret(ACCENTED).reveal())
    assert answer.result == AssociationResult.ACCEPTED


@pytest.mark.parametrize("sent", [ACCENTED.encode("utf-8"), ACCENTED.encode("latin-1")[:-1], b""])
def test_other_bytes_are_an_authentication_failure(sent: bytes) -> None:
    answer = _associate(ACCENTED, sent)
    assert answer.result == AssociationResult.REJECTED_PERMANENT
    assert answer.diagnostic == 13  # authentication-failure


def test_a_simulator_password_outside_latin1_refuses_every_login(caplog) -> None:
    answer = _associate("pass€", "pass€".encode())
    assert answer.diagnostic == 13
    assert "not Latin-1" in caplog.text and "€" not in caplog.text


def test_accented_password_logs_in_over_tcp() -> None:
    with running_meter(password=ACCENTED) as meter:
        settings = ConnectionSettings(port=meter.address[1], client=32, timeout=2,
                                      password=Secret(ACCENTED))
        client = DlmsClient(settings)
        try:
            client.connect()
            assert client.info is not None
        finally:
            client.close()
        wrong = DlmsClient(ConnectionSettings(port=meter.address[1], client=32, timeout=2,
                                              password=Secret("passwörd")))
        with pytest.raises(AssociationRejected):
            wrong.connect()
        wrong.close()
