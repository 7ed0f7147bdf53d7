"""In a real browser on a 360 px phone: make a group from contacts with the keyboard and
mouse, see it listed, and open compose addressed to it."""

import pytest
from playwright.sync_api import expect

from addressbook import contacts
from addressbook.vcards import Contact
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def user_with_contacts(make_account):
    user = make_account(first_name="Inès", last_name="Garcia")
    for name, address in [
        ("Hélène Dubois", "helene.dubois@example.org"),
        ("Marc Lefèvre", "marc.lefevre@example.org"),
        ("Zoé Martin", "zoe.martin@example.org"),
    ]:
        contacts.save_contact(
            user, Contact(formatted_name=name, emails=(("work", address),), categories=("Lettres",))
        )
    return user


def test_make_a_group_on_a_phone(signed_in_page, user_with_contacts):
    page = signed_in_page(user_with_contacts.username, "/contacts/contacts/groups/", width=360)
    page.wait_for_load_state("load")
    page.get_by_role("link", name="New group").click()
    page.wait_for_load_state("load")
    page.get_by_label("Group name").fill("Équipe de lettres")
    page.get_by_label("Hélène Dubois <helene.dubois@example.org>").check()
    page.get_by_label("Zoé Martin <zoe.martin@example.org>").focus()
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "contact-group-form-360")
    page.get_by_role("button", name="Save").click()

    row = page.locator(".group-row")
    expect(row).to_contain_text("Équipe de lettres")
    expect(row).to_contain_text("2 members: Hélène Dubois, Zoé Martin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "contact-groups-360")
    row.get_by_role("link", name="Write to the group").click()
    page.wait_for_load_state("load")
    expect(page.locator(".chip-list").first).to_contain_text("Équipe de lettres")
    assert page.console_errors == []


def test_make_a_group_from_the_ticked_contacts(signed_in_page, user_with_contacts):
    page = signed_in_page(user_with_contacts.username, "/contacts/contacts/", width=360)
    page.wait_for_load_state("load")
    page.get_by_label("Choose Marc Lefèvre for a group").check()
    page.get_by_label("Choose Zoé Martin for a group").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "contacts-list-ticked-360")
    page.get_by_role("button", name="Make a group of the ticked contacts").click()
    page.wait_for_load_state("load")

    expect(page.get_by_label("Marc Lefèvre <marc.lefevre@example.org>")).to_be_checked()
    expect(page.get_by_label("Zoé Martin <zoe.martin@example.org>")).to_be_checked()
    expect(page.get_by_label("Hélène Dubois <helene.dubois@example.org>")).not_to_be_checked()
    page.get_by_label("Group name").fill("Sortie au musée")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".group-row")).to_contain_text("2 members: Marc Lefèvre, Zoé Martin")
    assert page.console_errors == []
