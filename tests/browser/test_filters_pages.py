"""Filters and out-of-office in Chromium, in French: a rule made from a message, at 1280
and 360 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_hostile_message import sign_in
from tests.mail_helpers import send_mail_as
from tests.mailbox.action_helpers import create_folder, messages_in

pytestmark = pytest.mark.browser


def no_overflow(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, overflow


def test_a_rule_made_from_a_message_in_chromium_files_the_next_one(page, live_server, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account(first_name="Marie", last_name="Martin")
    create_folder(reader, "Classes")
    send_mail_as(sender, [reader.mail_address], "Conseil de classe")
    sign_in(page, live_server, reader)
    page.locator("tr[data-uid] a").first.click()

    page.get_by_role("link", name="Filtrer les messages similaires").click()
    page.get_by_label("Nom de la règle").fill("Paul Girard")
    header_name = page.locator(".filter-row .field-header_name").first
    address = page.locator(".filter-row .field-address").first
    expect(header_name).to_be_hidden()  # the script shows only what the chosen field uses
    page.locator("input[name='cond-1-value']").fill("")  # keep only the sender
    page.locator("select[name='act-0-kind']").select_option("move")
    expect(address).to_be_hidden()
    page.locator("select[name='act-0-folder']").select_option("Classes")
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(500)  # the side menu slides away on a phone
    no_overflow(page, 360)
    screenshot(page, "filters-rule-form-360")
    page.get_by_role("button", name="Enregistrer la règle").click()
    page.get_by_text("La règle est enregistrée.").wait_for()
    send_mail_as(sender, [reader.mail_address], "Autre sujet")

    no_overflow(page, 360)
    screenshot(page, "filters-list-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "filters-list-1280")
    assert list(messages_in(reader, "Classes")) == ["Autre sujet"]
    assert page.console_errors == []


def test_out_of_office_and_script_pages_at_360_px(page, live_server, make_account):
    reader = make_account(first_name="Marie", last_name="Martin")
    send_mail_as(reader, [reader.mail_address], "Bienvenue")
    sign_in(page, live_server, reader)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/mail/out-of-office/")
    page.get_by_label("Répondre automatiquement").check()
    page.locator("#id_body").fill("Je suis absente jusqu'au 2 janvier.")
    page.locator("form.stacked-form button[type=submit]").click()
    page.get_by_text("Vos paramètres d’absence et de transfert sont enregistrés.").wait_for()
    no_overflow(page, 360)
    screenshot(page, "out-of-office-360")

    page.goto(f"{live_server.url}/mail/filters/script")
    page.get_by_label("Script Sieve").fill('fileinto "Nowhere"')
    page.get_by_role("button", name="Vérifier et enregistrer").click()
    page.get_by_text("Le serveur n’a pas pu compiler le script").wait_for()
    no_overflow(page, 360)
    screenshot(page, "filters-script-error-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "filters-script-error-1280")
    assert [error for error in page.console_errors if "422" not in error] == []  # the refusal
