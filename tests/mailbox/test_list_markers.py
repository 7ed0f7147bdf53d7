"""What a row of the message list tells at a glance: answered, forwarded, with
attachments, and the start of the text after the subject. Rows shown once are kept in
Redis (mailbox/services/row_cache.py); their flags are always read fresh from IMAP."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import row_cache
from scripts.localstack import free_port
from tests.mailbox.list_helpers import append, imap_client, raw_message


def _row(content: str, subject: str) -> str:
    return next(row for row in content.split("<tr") if subject in row)


def _with_pdf(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Direction <direction@example.org>"
    message["To"] = "lecteur@example.org"
    message["Subject"] = subject
    message.set_content("Veuillez trouver le bulletin ci-joint.")
    message.add_attachment(
        b"%PDF-1.4 bulletin", maintype="application", subtype="pdf", filename="bulletin.pdf"
    )
    return message.as_bytes()


def _html_only(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Lettre <lettre@example.org>"
    message["Subject"] = subject
    message.set_content(
        "<html><body><h1>Rentrée</h1><p>Les <b>inscriptions</b> ouvrent lundi.</p></body></html>",
        subtype="html",
    )
    return message.as_bytes()


def _inbox(jean_client):
    return jean_client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()


def test_a_message_with_an_attachment_shows_a_paperclip(jean, jean_client):
    append(jean, _with_pdf("Bulletin"), raw_message("Sans pièce jointe"))

    content = _inbox(jean_client)

    assert 'aria-label="Has attachments"' in _row(content, "Bulletin")
    assert "Has attachments" not in _row(content, "Sans pièce jointe")


def test_answered_and_forwarded_messages_are_marked(jean, jean_client):
    append(jean, *(raw_message(s) for s in ("Répondu", "Transféré", "Ni l'un ni l'autre")))
    with imap_client(jean) as client:
        client.select_folder("INBOX")
        answered, forwarded, _ = client.search(["ALL"])
        client.add_flags([answered], [b"\\Answered"])
        client.add_flags([forwarded], [b"$Forwarded"])

    content = _inbox(jean_client)

    assert 'aria-label="Answered"' in _row(content, "Répondu")
    assert 'aria-label="Forwarded"' in _row(content, "Transféré")
    plain = _row(content, "Ni l&#x27;un ni l&#x27;autre")
    assert "Answered" not in plain
    assert "Forwarded" not in plain


def test_each_row_shows_the_start_of_its_text(jean, jean_client):
    append(
        jean,
        raw_message("Conseil de classe", body="La réunion est déplacée à jeudi 17 h."),
        _html_only("Lettre d'information"),
    )

    content = _inbox(jean_client)

    assert '<span class="preview">La réunion est déplacée à jeudi 17 h.</span>' in _row(
        content, "Conseil de classe"
    )
    html_row = _row(content, "Lettre d&#x27;information")
    assert "Les inscriptions ouvrent lundi." in html_row
    assert "<b>" not in html_row.split('class="preview"')[1]


def test_a_row_seen_once_is_kept_and_its_flags_stay_current(jean, jean_client):
    append(jean, raw_message("Sortie au musée", sender="Marie Curie <marie@example.org>"))
    assert "unread" in _row(_inbox(jean_client), "Sortie au musée")
    with imap_client(jean) as client:
        client.select_folder("INBOX")
        (uid,) = client.search(["ALL"])
        uidvalidity = client.folder_status("INBOX", [b"UIDVALIDITY"])[b"UIDVALIDITY"]
        client.add_flags([uid], [b"\\Seen"])  # read in Thunderbird meanwhile

    kept = row_cache.read(jean.mail_account, "INBOX", uidvalidity, [uid])
    assert kept[uid]["subject"] == "Sortie au musée"
    assert kept[uid]["sender_name"] == "Marie Curie"
    row = _row(_inbox(jean_client), "Sortie au musée")
    assert 'class="unread' not in row
    assert "Marie Curie" in row


def test_without_redis_rows_are_fetched_whole(jean, jean_client, settings):
    append(jean, _with_pdf("Bulletin"))
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    content = _inbox(jean_client)

    assert 'aria-label="Has attachments"' in _row(content, "Bulletin")
    assert "Veuillez trouver le bulletin ci-joint." in _row(content, "Bulletin")


@pytest.mark.parametrize("preferences", [{"sort_key": "subject"}, {"conversations": True}])
def test_sorted_lists_and_conversations_show_the_same_markers(jean, jean_client, preferences):
    append(jean, _with_pdf("Bulletin"), raw_message("Autre"))
    MailPreferences.objects.update_or_create(user=jean, defaults=preferences)

    content = _inbox(jean_client)

    assert 'aria-label="Has attachments"' in _row(content, "Bulletin")
    assert "Veuillez trouver le bulletin ci-joint." in _row(content, "Bulletin")


def test_markup_in_a_subject_sender_or_text_is_shown_as_text(jean, jean_client):
    append(
        jean,
        raw_message(
            '<img src=x onerror="alert(1)"> Réunion',
            sender='"<b>Eve</b> & co" <eve@example.org>',
            body="<script>alert('preview')</script> Ordre du jour",
        ),
    )

    row = _row(_inbox(jean_client), "Réunion").split("</tr>")[0]

    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Réunion" in row
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in row
    assert "&lt;script&gt;alert(&#x27;preview&#x27;)&lt;/script&gt; Ordre du jour" in row
    assert "<img" not in row
    assert "<script" not in row
    assert "<b>" not in row
