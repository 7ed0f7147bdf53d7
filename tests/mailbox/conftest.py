import pytest


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests check the wording of pages and errors in English, the source language;
    the French catalogue is checked by the browser tests (tests/browser), in French."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def jean(make_account):
    """jean.dupont, who writes the messages of the compose tests."""
    return make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")


@pytest.fixture
def marie(make_account):
    return make_account(username="marie.martin", first_name="Marie", last_name="Martin")


@pytest.fixture
def jean_client(client, jean):
    client.force_login(jean)
    return client


@pytest.fixture
def no_undo_delay(settings):
    """Send at once, without the few seconds in which the user may still undo."""
    settings.UNDO_SEND_SECONDS = 0
