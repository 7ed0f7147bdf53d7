import pytest

from calendar_app.services import dav


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests check the wording of pages and errors in English, the source language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def personal_calendar(account):
    """The account's first calendar, created on the real Radicale."""
    with dav.session_for(account.mail_account) as session:
        return session.create_calendar("Personal", color="#1a56a8")
