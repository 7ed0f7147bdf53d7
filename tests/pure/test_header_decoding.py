"""Header values from real mail decode to readable text, never an exception."""

import pytest

from mailbox.parsing import decode_header_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"=?utf-8?q?R=C3=A9union_parents-professeurs?=", "Réunion parents-professeurs"),
        (b"=?ISO-8859-1?Q?Conseil_de_classe_=E0_17h?=", "Conseil de classe à 17h"),
        (b"=?utf-8?B?w4ljaGFuZ2Ugc2NvbGFpcmU=?=", "Échange scolaire"),
        ("Plain subject", "Plain subject"),
        (b"Caf\xc3\xa9 sans encodage", "Café sans encodage"),  # raw UTF-8 (RFC 6532)
        (b"Caf\xe9 latin-1 brut", "Café latin-1 brut"),  # undeclared 8-bit
        (b"=?unknown-charset?q?abc?=", "=?unknown-charset?q?abc?="),
        (b"=?utf-8?q?broken", "=?utf-8?q?broken"),
        (None, ""),
    ],
)
def test_decode_header_text(raw, expected):
    assert decode_header_text(raw) == expected
