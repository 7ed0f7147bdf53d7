"""Send later: the message waits in the server (survives restarts: it is a row), is
listed and cancellable, and the beat's sweep hands it to a worker when its time comes."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailbox import outbox
from mailbox.models import OutboxItem
from mailbox.scheduling import next_working_morning
from tests.mailbox.compose_helpers import (
    compose_data,
    folder_messages,
    wait_for_messages,
    wait_for_outbox,
)


def later(days=2):
    return timezone.localtime() + timedelta(days=days)


def schedule(client, data, when):
    data = {**data, "send_at": when.strftime("%Y-%m-%dT%H:%M")}
    return client.post(reverse("mailbox:send-later"), data)


def test_a_scheduled_message_waits_is_listed_and_can_be_cancelled(jean_client, jean, marie):
    data = compose_data(jean, to="marie.martin@example.org", subject="Pour lundi", body="x")

    response = schedule(jean_client, data, later())

    item = OutboxItem.objects.get(user=jean)
    assert response["Location"] == reverse("mailbox:outbox-item", args=[item.pk])
    assert item.status == "queued"
    assert item.send_at > timezone.now() + timedelta(days=1)
    assert "Will be sent on" in jean_client.get(response["Location"]).content.decode()
    listing = jean_client.get(reverse("mailbox:outbox")).content.decode()
    assert "Pour lundi" in listing
    assert len(folder_messages(jean, "\\Drafts")) == 1  # kept until it leaves

    jean_client.post(reverse("mailbox:outbox-cancel", args=[item.pk]))

    item.refresh_from_db()
    assert item.status == "cancelled"
    assert folder_messages(marie, "INBOX") == []


def test_the_sweep_sends_a_message_whose_time_has_come(jean_client, jean, marie):
    data = compose_data(jean, to="marie.martin@example.org", subject="C'est l'heure", body="x")
    schedule(jean_client, data, later())
    # The time passes (as after a restart: the row is all there is).
    OutboxItem.objects.filter(user=jean).update(send_at=timezone.now() - timedelta(seconds=5))

    assert outbox.send_due_items() == 1  # what the beat runs every 30 s

    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert received["Subject"] == "C'est l'heure"
    assert folder_messages(jean, "\\Drafts") == []


def test_a_time_in_the_past_is_refused_with_the_text_kept(jean_client, jean):
    data = compose_data(jean, to="marie.martin@example.org", subject="Hier", body="Mon texte")

    response = schedule(jean_client, data, timezone.localtime() - timedelta(hours=1))

    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose a date and time in the future." in page
    assert "Mon texte" in page
    assert not OutboxItem.objects.exists()


def test_deliver_at_the_next_working_morning(jean_client, jean, settings):
    data = compose_data(jean, to="marie.martin@example.org", subject="Demain", body="x")

    jean_client.post(reverse("mailbox:send-next-morning"), data)

    item = OutboxItem.objects.get(user=jean)
    expected = next_working_morning(timezone.localtime(), settings.WORKING_HOURS_START)
    assert item.send_at == expected
    assert timezone.localtime(item.send_at).hour == 8
    assert item.status == "queued"
