"""The real clamd of the stack detects the EICAR test file and passes clean files."""

from mailbox.services import antivirus

# Built from two halves so that no file in the repository is itself the test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def test_eicar_is_found_and_named(stack):
    verdict = antivirus.scan_bytes(EICAR)

    assert not verdict.clean
    assert "Eicar" in verdict.signature


def test_a_clean_file_passes(stack):
    assert antivirus.scan_bytes(b"%PDF-1.4 bulletin trimestriel\n" * 1000).clean
