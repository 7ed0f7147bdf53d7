"""Messages put straight into a real mailbox with IMAP APPEND, and read back as stored."""

from django.conf import settings
from imapclient import IMAPClient


def _client(user):
    client = IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False)
    client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
    return client


def append_messages(user, folder_name, raws):
    """APPEND each message, in order, to the folder (created if needed)."""
    with _client(user) as client:
        if not client.folder_exists(folder_name):
            client.create_folder(folder_name)
        for raw in raws:
            client.append(folder_name, raw)


def append_many(user, folder_name, raws, per_command=200):
    """APPEND many messages quickly: MULTIAPPEND (RFC 3502), per_command at a time."""
    with _client(user) as client:
        if not client.folder_exists(folder_name):
            client.create_folder(folder_name)
        for start in range(0, len(raws), per_command):
            client.multiappend(folder_name, raws[start : start + per_command])


def stored_messages(user, folder_name):
    """{uid: bytes} of every message, exactly as the server hands them out (BODY[])."""
    with _client(user) as client:
        client.select_folder(folder_name, readonly=True)
        uids = client.search("ALL")
        if not uids:
            return {}
        rows = client.fetch(uids, ["BODY.PEEK[]"])
    return {uid: rows[uid][b"BODY[]"] for uid in sorted(rows)}
