import pytest


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests check the wording of pages and errors in English, the source language;
    the French catalogue is checked by the browser tests (tests/browser), in French."""
    settings.LANGUAGE_CODE = "en"
