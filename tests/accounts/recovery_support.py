"""Helpers for the recovery tests: an account that can recover, the CAPTCHA, sent mail."""

from __future__ import annotations

import email
import json
import re
import time
from datetime import date
from email import policy

from captcha.models import CaptchaStore
from django.conf import settings
from django.urls import reverse
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from accounts.provisioning import hash_numen
from mailbox.services import imap

NUMEN = "17E0123456ABC"
BIRTH_DATE = date(1980, 4, 23)


def recoverable_account(make_account, **fields):
    """An account with a NUMEN, a date of birth and a backup address outside MAIL_DOMAIN."""
    fields.setdefault("numen_hash", hash_numen(NUMEN))
    user = make_account(
        first_name="Hélène",
        last_name="N'Diaye",
        birth_date=BIRTH_DATE,
        language="en",
        **fields,
    )
    if not user.backup_email:
        user.backup_email = f"{user.username}@backup.test"
        user.save(update_fields=["backup_email"])
    return user


def answers(user, **overrides) -> dict[str, str]:
    data = {
        "login": user.username,
        "last_name": "n’diaye",  # typed differently from the record on purpose
        "numen": NUMEN.lower(),
        "birth_date": BIRTH_DATE.isoformat(),
    }
    data.update(overrides)
    return data


def solve_captcha(client) -> dict[str, str]:
    """Open the form and answer its CAPTCHA as a person reading the image would."""
    page = client.get(reverse("accounts:recovery")).content.decode()
    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def submit_recovery(client, user, **overrides):
    data = {**answers(user, **overrides), **solve_captcha(client)}
    return client.post(reverse("accounts:recovery"), data)


def without_csrf(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


def captured_messages(stack, recipient: str) -> list[email.message.EmailMessage]:
    found = []
    for envelope_path in sorted(stack.capture_dir.glob("*.json")):
        if recipient in json.loads(envelope_path.read_text())["rcpt_to"]:
            raw = envelope_path.with_suffix(".eml").read_bytes()
            found.append(email.message_from_bytes(raw, policy=policy.default))
    return found


def wait_for_captured(stack, recipient: str, count: int = 1, timeout: float = 20):
    """The messages captured for `recipient`, once there are `count` (the worker sends)."""
    deadline = time.monotonic() + timeout
    while True:
        found = captured_messages(stack, recipient)
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"no mail for {recipient} after {timeout} s"
            return found
        time.sleep(0.3)


def recovery_link_and_code(stack, user) -> tuple[str, str]:
    body = wait_for_captured(stack, user.backup_email)[-1].get_content()
    path = re.search(r"https?://[^/\s]+(/accounts/recovery/link/[\w-]+/)", body).group(1)
    code = re.search(r"^([A-Z2-9]{6})\r?$", body, re.MULTILINE).group(1)
    return path, code


def imap_login_works(username: str, password: str) -> bool:
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=10) as client:
        try:
            client.login(username, password)
        except LoginError:
            return False
        return True


def wait_for_inbox_subject(user, subject: str, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with imap.session_for(user.mail_account) as session:
            page = session.fetch_page("INBOX")
        if any(message.subject == subject for message in page.messages):
            return True
        time.sleep(0.5)
    return False
