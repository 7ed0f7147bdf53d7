"""Shared setup for the message action tests: real mail in a real mailbox, read back
over IMAP."""

from django.conf import settings
from imapclient import IMAPClient

from mailbox.services import imap
from tests.mail_helpers import send_mail_as


def mailbox_with(make_account, subjects, **fields):
    """A new account whose INBOX holds one delivered message per subject (UIDs 1, 2...)."""
    sender = make_account(first_name="Sophie", last_name="Leroy")
    owner = make_account(**fields)
    for subject in subjects:
        send_mail_as(sender, [owner.mail_address], subject)
    return owner


def messages_in(user, folder_name):
    """{subject: MessageSummary} of the folder, read over IMAP."""
    with imap.session_for(user.mail_account) as session:
        page = session.fetch_page(folder_name, page_size=1000)
    return {message.subject: message for message in page.messages}


def uids_of(user, folder_name, *subjects):
    found = messages_in(user, folder_name)
    return [found[subject].uid for subject in subjects]


def create_folder(user, name):
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False) as client:
        client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        client.create_folder(name)
