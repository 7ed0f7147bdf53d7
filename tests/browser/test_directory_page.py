"""The organisation directory in Chromium: search without accents, filter by
establishment, at 1280 px and on a 360 px phone."""

import pytest
from django.urls import reverse

from accounts.models import Establishment
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def colleagues(make_account):
    moulin = Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")
    curie = Establishment.objects.create(name="Lycée Marie Curie", uai="0340002B")
    make_account(
        "marie.martin", first_name="Marie", last_name="Martin", establishment=moulin, title="CPE"
    )
    make_account(
        "helene.lefevre",
        first_name="Hélène",
        last_name="Lefèvre",
        establishment=moulin,
        department="Lettres modernes",
        title="Professeure",
    )
    make_account(
        "marie-helene.dupre",
        first_name="Marie-Hélène",
        last_name="Dupré",
        establishment=curie,
        department="Vie scolaire",
        title="Conseillère principale d'éducation",
    )
    make_account("jerome.le-gall", first_name="Jérôme", last_name="Le Gall", establishment=curie)
    return moulin, curie


def open_directory(signed_in_page, live_server, width):
    page = signed_in_page("marie.martin", width=width)
    page.wait_for_url(lambda url: "login" not in url)
    page.goto(live_server.url + reverse("addressbook:directory"))
    return page


@pytest.mark.parametrize("width", [1280, 360])
def test_search_the_directory_without_accents(signed_in_page, live_server, colleagues, width):
    page = open_directory(signed_in_page, live_server, width)

    page.get_by_label("Search the directory").fill("helene")
    page.get_by_role("button", name="Search").click()

    rows = page.locator("table.directory tbody tr")
    assert rows.count() == 2
    assert "Marie-Hélène Dupré" in rows.nth(0).inner_text()
    assert "Hélène Lefèvre" in rows.nth(1).inner_text()
    assert "Lettres modernes" in rows.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
    screenshot(page, f"directory-search-{width}")

    page.get_by_label("Establishment").select_option(label="Collège Jean Moulin (0340001A)")
    page.get_by_role("button", name="Search").click()

    assert rows.count() == 1
    assert "Hélène Lefèvre" in rows.nth(0).inner_text()
