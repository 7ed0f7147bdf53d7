"""Writing a message in Chromium: recipient chips with suggestions, the rich-text editor
under our strict CSP, drafts that save themselves, sending; on a 360 px phone too."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from addressbook.models import CollectedAddress
from tests.browser.conftest import screenshot
from tests.mailbox.compose_helpers import folder_messages, wait_for_messages

pytestmark = pytest.mark.browser


@pytest.fixture
def jean(make_account):
    return make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")


@pytest.fixture
def open_compose(signed_in_page, jean):
    def open_at(width):
        page = signed_in_page("jean.dupont", "/mail/compose/", width=width, height=900)
        page.wait_for_selector(".ql-editor")
        return page

    return open_at


def wait_for_draft(user, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = folder_messages(user, "\\Drafts")
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("no draft was saved")


def test_a_formatted_message_is_autosaved_then_sent(open_compose, jean, make_account, settings):
    settings.UNDO_SEND_SECONDS = 2
    marie = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    page = open_compose(1280)

    to = page.get_by_role("combobox", name="To")
    to.fill("marie.martin@example.org, ")
    expect(page.locator("[data-recipient-row=to] .chip")).to_have_text(
        ["marie.martin@example.org×"]
    )
    page.get_by_label("Subject").fill("Sortie au musée")
    editor = page.locator(".ql-editor")
    editor.click()
    page.keyboard.type("Bonjour Marie, ")
    page.keyboard.press("Control+b")
    page.keyboard.type("rendez-vous à 9 h")
    page.keyboard.press("Control+b")
    page.keyboard.type(" devant le musée.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at", timeout=15_000)

    ((_uid, _flags, draft),) = folder_messages(jean, "\\Drafts")
    assert draft["Subject"] == "Sortie au musée"
    assert "<strong>rendez-vous à 9 h</strong>" in draft.get_body(("html",)).get_content()
    screenshot(page, "compose-editor-1280-en")

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    expect(page.get_by_text("Your message was sent.")).to_be_visible(timeout=30_000)

    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert "<strong>rendez-vous à 9 h</strong>" in received.get_body(("html",)).get_content()
    text = received.get_body(("plain",)).get_content()
    assert "Bonjour Marie, rendez-vous à 9 h devant le musée." in text
    assert folder_messages(jean, "\\Drafts") == []
    assert page.console_errors == []  # Quill ran under the CSP without a violation
    screenshot(page, "compose-sent-1280-en")


def test_a_draft_is_saved_when_the_page_is_left(open_compose, jean, live_server):
    page = open_compose(1280)
    page.get_by_label("Subject").fill("Écrit puis quitté")
    page.locator(".ql-editor").click()
    page.keyboard.type("Texte à ne pas perdre")

    page.goto(f"{live_server.url}/mail/")  # before the autosave delay: the beacon saves it

    ((_uid, _flags, draft),) = wait_for_draft(jean)
    assert draft["Subject"] == "Écrit puis quitté"
    assert "Texte à ne pas perdre" in draft.get_body(("plain",)).get_content()


def test_a_draft_is_saved_before_the_idle_sign_out(open_compose, jean):
    page = open_compose(1280)
    page.get_by_label("Subject").fill("Avant la déconnexion")

    page.evaluate("document.dispatchEvent(new CustomEvent('webmail:before-idle-logout'))")

    ((_uid, _flags, draft),) = wait_for_draft(jean)
    assert draft["Subject"] == "Avant la déconnexion"


def test_plain_text_mode_and_suggested_recipients_on_a_phone(open_compose, jean):
    CollectedAddress.objects.create(
        user=jean,
        address="helene.n-diaye@example.org",
        name="Hélène N'Diaye",
        use_count=3,
        last_used=timezone.now(),
    )
    page = open_compose(360)

    to = page.get_by_role("combobox", name="To")
    to.fill("hele")
    option = page.get_by_role("option", name="Hélène N'Diaye <helene.n-diaye@example.org>")
    expect(option).to_be_visible()
    to.press("ArrowDown")
    to.press("Enter")
    expect(page.locator("[data-recipient-row=to] .chip")).to_have_count(1)
    cc = page.get_by_role("combobox", name="Cc", exact=True)
    cc.fill("pas-une-adresse")
    cc.press("Enter")
    expect(page.locator("[data-recipient-row=cc] .chip-invalid")).to_have_count(1)
    page.get_by_role("button", name="Plain text").click()
    page.get_by_role("textbox", name="Message").fill("Texte brut")
    expect(page.locator(".ql-toolbar")).to_be_hidden()

    assert page.locator("#id_to-value").input_value() == (
        '"Hélène N\'Diaye" <helene.n-diaye@example.org>'
    )
    assert page.locator("#id_mode").input_value() == "text"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the compose page must not scroll sideways on a phone"
    assert page.console_errors == []
    screenshot(page, "compose-phone-360-en")


def test_choosing_another_identity_swaps_the_signature(open_compose, jean):
    from mailbox.models import Identity

    default = Identity.for_user(jean)[0]
    default.signature = "Jean Dupont\nProfesseur de mathématiques"
    default.save()
    other = Identity.objects.create(
        user=jean,
        address=jean.mail_address,
        display_name="Jean Dupont (professeur principal 3e B)",
        signature="Professeur principal de 3e B",
    )
    page = open_compose(1280)
    editor = page.locator(".ql-editor")
    expect(editor).to_contain_text("Professeur de mathématiques")

    page.get_by_label("From").select_option(str(other.pk))

    expect(editor).to_contain_text("Professeur principal de 3e B")
    expect(editor).not_to_contain_text("Professeur de mathématiques")
    assert page.console_errors == []
