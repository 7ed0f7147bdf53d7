"""In a real browser: the contacts list, a contact card and the form at 1280 and 360 px,
with the photo shown and no CSP or script error."""

import io

import pytest
from PIL import Image

from addressbook import contacts
from addressbook.vcards import Address, Contact
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def photo():
    out = io.BytesIO()
    image = Image.new("RGB", (300, 300), (40, 90, 160))
    image.paste((240, 200, 60), (100, 100, 200, 200))
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def user_with_contacts(make_account):
    user = make_account(first_name="Inès", last_name="Garcia")
    contacts.save_contact(
        user,
        Contact(
            formatted_name="Hélène Dubois",
            given_name="Hélène",
            family_name="Dubois",
            emails=(("work", "helene.dubois@ac-montpellier.fr"), ("home", "lene@example.net")),
            phones=(("cell", "+33 6 12 34 56 78"),),
            organisation="Collège Jean Moulin",
            title="Professeure de lettres",
            address=Address("3 rue des Écoles", "Montpellier", "34000", "", "France"),
            note="Salle 12, le mardi.",
            categories=("Collègues", "Lettres"),
        ),
        photo=contacts.PhotoChange(upload=photo()),
    )
    for name, email, category in [
        ("Marc Lefèvre", "marc.lefevre@example.org", "Parents"),
        ("Zoé Martin", "zoe.martin@ac-montpellier.fr", "Collègues"),
        ("Anne Le Gall", "anne.legall@example.org", "Parents"),
    ]:
        given, family = name.split(" ", 1)
        contacts.save_contact(
            user,
            Contact(
                formatted_name=name,
                given_name=given,
                family_name=family,
                emails=(("work", email),),
                categories=(category,),
            ),
        )
    return user


@pytest.fixture
def signed_in(signed_in_page, user_with_contacts):
    """signed_in(width, path): a page signed in as the user, at path (English wording)."""

    def open_at(width, path):
        page = signed_in_page(user_with_contacts.username, path, width=width)
        page.wait_for_url(f"**{path}")
        return page

    return open_at


@pytest.mark.parametrize("width", [1280, 360])
def test_contacts_pages_at_width(signed_in, width):
    page = signed_in(width, "/contacts/contacts/")
    assert page.locator(".contact-row").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"contacts-list-{width}")

    page.get_by_label("Search").fill("helene")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".contact-row").count() == 1
    page.get_by_role("link", name="Hélène Dubois").click()
    page.wait_for_selector("img.contact-photo")
    assert page.locator("img.contact-photo").evaluate("img => img.naturalWidth") > 0
    write = page.get_by_role("link", name="Write an e-mail")
    assert "to=helene.dubois%40ac-montpellier.fr" in write.get_attribute("href")
    screenshot(page, f"contact-detail-{width}")

    page.get_by_role("link", name="Edit").click()
    page.wait_for_selector("form.contact-form")
    assert page.get_by_label("First name").input_value() == "Hélène"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"contact-form-{width}")
    assert page.console_errors == []


def test_merge_and_import_pages_on_a_phone(signed_in, live_server, user_with_contacts, tmp_path):
    contacts.save_contact(
        user_with_contacts,
        Contact(formatted_name="Helene Dubois", emails=(("home", "lene@example.net"),)),
    )
    page = signed_in(360, "/contacts/contacts/duplicates/")
    page.get_by_role("link", name="Merge…").click()
    page.wait_for_selector("form.merge-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "contact-merge-360")
    page.get_by_role("button", name="Merge").click()
    page.wait_for_selector(".contact-card")
    assert "lene@example.net" in page.inner_text(".contact-fields")

    vcf = tmp_path / "two.vcf"
    vcf.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Claire Import\r\nEMAIL:claire@example.org\r\n"
        b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name\r\nEND:VCARD\r\n"
    )
    page.goto(f"{live_server.url}/contacts/contacts/import/")
    page.get_by_label("vCard file (.vcf)").set_input_files(str(vcf))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("1 contact imported.").wait_for(timeout=30000)  # htmx polls the task
    assert "Card 2: no name" in page.inner_text(".import-report")
    screenshot(page, "contact-import-report-360")
    assert page.console_errors == []
