import pytest

from accounts.backends import username_from_login


@pytest.mark.parametrize(
    ("login", "expected"),
    [
        ("jean.dupont", "jean.dupont"),
        (" Jean.Dupont ", "jean.dupont"),
        ("jean.dupont@example.org", "jean.dupont"),
        ("JEAN.DUPONT@EXAMPLE.ORG", "jean.dupont"),
        ("jean.dupont@ac-autre.fr", "jean.dupont@ac-autre.fr"),
    ],
)
def test_username_from_login(login, expected):
    assert username_from_login(login, "example.org") == expected
