"""New mail without reloading: the folder page holds its folder's state, and a background
check against the real Dovecot says when it changed, with the unread counts and title."""

import re
import time

from django.urls import reverse

from tests.accounts.test_web_sessions import BACKGROUND, make_idle, sign_in
from tests.mail_helpers import send_mail_as


def page_state(response):
    return re.search(r'data-state="([^"]*)"', response.content.decode()).group(1)


def check(client, folder_name, state):
    url = reverse("mailbox:folder-changes", args=[folder_name])
    return client.get(url, {"state": state}, headers=BACKGROUND)


def unseen_of(data, folder_name):
    return next(f["unseen"] for f in data["folders"] if f["name"] == folder_name)


def test_delivered_mail_changes_the_state_the_counts_and_the_title(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account()
    send_mail_as(sender, [reader.mail_address], "Premier")
    client.force_login(reader)
    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))
    state = page_state(page)

    quiet = check(client, "INBOX", state).json()
    send_mail_as(sender, [reader.mail_address], "Second")
    changed = check(client, "INBOX", state).json()

    assert "<title>(1) Inbox – Webmail" in page.content.decode()
    assert "data-new-mail-rows" in page.content.decode()  # page 1, newest arrival first
    assert quiet["changed"] is False
    assert quiet["state"] == state
    assert changed["changed"] is True
    assert changed["state"] != state
    assert unseen_of(quiet, "INBOX") == 1
    assert unseen_of(changed, "INBOX") == 2
    assert changed["title"] == "(2) Inbox – Webmail"
    assert check(client, "INBOX", changed["state"]).json()["changed"] is False


def test_reading_elsewhere_changes_the_state_and_lowers_the_count(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account()
    send_mail_as(sender, [reader.mail_address], "Premier")
    client.force_login(reader)
    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))
    uid = page.context["page"].messages[0].uid

    client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))  # sets \Seen
    data = check(client, "INBOX", page_state(page)).json()

    assert data["changed"] is True
    assert unseen_of(data, "INBOX") == 0
    assert data["title"] == "Inbox – Webmail"


def test_checking_an_unknown_folder_is_not_found(client, make_account):
    client.force_login(make_account())

    assert check(client, "Nowhere", "").status_code == 404


def test_checking_for_new_mail_does_not_keep_an_idle_session_alive(client, make_account):
    sign_in(client, make_account())
    make_idle(client, 29 * 60)
    idle_since = client.session["last_activity"]

    first = check(client, "INBOX", "")
    after_check = client.session["last_activity"]
    make_idle(client, 30 * 60 + 5)  # the half hour ends: the checks did not move it
    last = check(client, "INBOX", "")

    assert first.status_code == 200
    assert after_check == idle_since
    assert time.time() - after_check > 29 * 60
    assert last.status_code == 401  # new_mail.js stops on this
