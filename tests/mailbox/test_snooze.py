"""Snooze: a message leaves the list for the Snoozed folder and comes back to the INBOX,
unread, when its time comes, woken by the Celery beat task; against the real Dovecot."""

from datetime import datetime, timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from mailbox import snooze_times, snoozing, tasks
from mailbox.models import SnoozedMessage
from mailbox.services import imap
from tests.mailbox.action_helpers import mailbox_with, messages_in, uids_of

SUBJECTS = ["Conseil de classe", "Sortie au musée"]


def snooze(client, folder_name, uids, **data):
    url = reverse("mailbox:messages-snooze", args=[folder_name])
    return client.post(url, {"uids": uids, **data})


def snoozed_reader(client, make_account, subject="Conseil de classe", preset="tomorrow"):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)
    uid = uids_of(reader, "INBOX", subject)
    with imap.session_for(reader.mail_account) as session:
        session.set_flags("INBOX", uid, ["\\Seen"])  # read, then snoozed
    response = snooze(client, "INBOX", uid, preset=preset)
    assert response.status_code == 302
    return reader


def make_due(reader):
    SnoozedMessage.objects.filter(user=reader).update(until=timezone.now() - timedelta(minutes=1))


def due_in_ten_minutes(reader):
    """Due at a time the stack's own beat has not reached yet (it runs every minute),
    so that only the test wakes it: returns that time."""
    until = timezone.now() + timedelta(minutes=10)
    SnoozedMessage.objects.filter(user=reader).update(until=until)
    return until


def test_a_snoozed_message_leaves_the_inbox_until_tomorrow_morning(client, make_account):
    reader = snoozed_reader(client, make_account)

    row = SnoozedMessage.objects.get(user=reader)
    local = timezone.localtime(row.until)
    assert set(messages_in(reader, "INBOX")) == {"Sortie au musée"}
    assert set(messages_in(reader, "Snoozed")) == {"Conseil de classe"}
    assert (local.date(), local.hour, local.minute) == (
        timezone.localdate() + timedelta(days=1),
        8,
        0,
    )
    assert row.original_folder == "INBOX"
    assert row.woken_at is None


def test_the_snoozed_page_lists_it_with_its_time(client, make_account):
    reader = snoozed_reader(client, make_account)

    page = client.get(reverse("mailbox:snoozed"))

    text = page.content.decode()
    assert "Conseil de classe" in text
    assert "Comes back" in text
    [(row, uid)] = page.context["snoozed"]
    assert uid == uids_of(reader, "Snoozed", "Conseil de classe")[0]
    tree = next(f for f in page.context["folders"] if f.name == "Snoozed")
    assert tree.special_use == "\\Snoozed"
    assert reverse("mailbox:snoozed") in text  # the folder tree leads here


def test_a_due_message_comes_back_to_the_inbox_unread(client, make_account):
    reader = snoozed_reader(client, make_account)
    then = due_in_ten_minutes(reader)

    woken = snoozing.wake_due(now=then)  # what beat runs every minute, ten minutes on
    again = snoozing.wake_due(now=then)

    back = messages_in(reader, "INBOX")
    assert woken == 1
    assert again == 0  # safe to run twice
    assert set(back) == {"Conseil de classe", "Sortie au musée"}
    assert not back["Conseil de classe"].is_seen
    assert messages_in(reader, "Snoozed") == {}
    assert SnoozedMessage.objects.get(user=reader).woken_at is not None


def test_a_message_not_yet_due_stays_snoozed(client, make_account):
    reader = snoozed_reader(client, make_account)

    woken = snoozing.wake_due()

    assert woken == 0
    assert set(messages_in(reader, "Snoozed")) == {"Conseil de classe"}


def test_the_celery_worker_wakes_due_messages(client, make_account):
    reader = snoozed_reader(client, make_account)
    make_due(reader)

    # The real worker; the stack's beat may get there first, which is as good.
    tasks.wake_snoozed_messages.delay().get(timeout=60)

    assert "Conseil de classe" in messages_in(reader, "INBOX")
    assert SnoozedMessage.objects.get(user=reader).woken_at is not None


def test_beat_runs_the_wake_up_every_minute():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "mailbox.tasks.wake_snoozed_messages"
    ]

    assert [entry["schedule"] for entry in entries] == [60.0]


def test_unsnooze_now_brings_it_back_at_once(client, make_account):
    reader = snoozed_reader(client, make_account)
    row = SnoozedMessage.objects.get(user=reader)

    response = client.post(reverse("mailbox:snoozed-wake", args=[row.pk]))

    assert response.status_code == 302
    assert not messages_in(reader, "INBOX")["Conseil de classe"].is_seen
    assert messages_in(reader, "Snoozed") == {}
    assert client.get(reverse("mailbox:snoozed")).context["snoozed"] == []


def test_another_users_snooze_cannot_be_woken(client, make_account):
    reader = snoozed_reader(client, make_account)
    row = SnoozedMessage.objects.get(user=reader)
    intruder = Client()
    intruder.force_login(make_account())

    response = intruder.post(reverse("mailbox:snoozed-wake", args=[row.pk]))

    assert response.status_code == 404
    assert set(messages_in(reader, "Snoozed")) == {"Conseil de classe"}


def test_a_chosen_time_is_read_in_the_users_time_zone(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)
    uid = uids_of(reader, "INBOX", "Sortie au musée")
    day = timezone.localdate() + timedelta(days=3)

    snooze(client, "INBOX", uid, preset="custom", until=f"{day:%Y-%m-%d}T14:30")

    until = timezone.localtime(SnoozedMessage.objects.get(user=reader).until)
    assert until.replace(tzinfo=None) == datetime.combine(day, datetime.min.time()).replace(
        hour=14, minute=30
    )
    assert str(until.tzinfo) == settings.TIME_ZONE


def test_a_time_in_the_past_is_refused_and_nothing_moves(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)
    uid = uids_of(reader, "INBOX", "Sortie au musée")
    yesterday = timezone.localdate() - timedelta(days=1)

    response = snooze(client, "INBOX", uid, preset="custom", until=f"{yesterday}T09:00")

    assert response.status_code == 422
    assert "Choose a time in the future, within a year." in response.content.decode()
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)
    assert not SnoozedMessage.objects.filter(user=reader).exists()


def test_snoozing_from_the_message_page_goes_back_to_the_list(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)
    [uid] = uids_of(reader, "INBOX", "Conseil de classe")
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    assert reverse("mailbox:messages-snooze", args=["INBOX"]) in page.content.decode()

    response = snooze(client, "INBOX", [uid], preset="next_week", back_to_message="1")

    assert response["Location"] == reverse("mailbox:folder-detail", args=["INBOX"])
    assert "Conseil de classe" in messages_in(reader, "Snoozed")


def test_a_message_without_message_id_cannot_be_snoozed(client, make_account):
    reader = mailbox_with(make_account, ["Conseil de classe"])
    with imap.session_for(reader.mail_account) as session:
        raw = b"From: Paul <paul@example.net>\r\nSubject: Sans identifiant\r\n\r\nBonjour.\r\n"
        session.append("INBOX", raw, [])
    client.force_login(reader)
    uids = uids_of(reader, "INBOX", "Conseil de classe", "Sans identifiant")

    response = snooze(client, "INBOX", uids, preset="tomorrow")

    assert response.status_code == 409
    assert "it has no identifier (Message-ID)" in response.content.decode()
    assert set(messages_in(reader, "INBOX")) == {"Conseil de classe", "Sans identifiant"}
    assert not SnoozedMessage.objects.filter(user=reader).exists()


def test_snoozing_is_for_a_few_messages_at_once(client, make_account, monkeypatch):
    monkeypatch.setattr("mailbox.snoozing.MAX_SNOOZED_AT_ONCE", 1)
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)

    response = client.post(
        reverse("mailbox:messages-snooze", args=["INBOX"]),
        {"all_in_folder": "1", "preset": "tomorrow"},
    )

    assert response.status_code == 409
    assert "Snooze at most 1 messages at once." in response.content.decode()
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)


def test_the_menu_shows_each_choice_with_its_day_and_time(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)

    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()

    panel = page.split('class="snooze-panel"')[1].split("</div>")[0]
    tomorrow = timezone.localdate() + timedelta(days=1)
    morning = datetime.combine(
        tomorrow, snooze_times.MORNING, tzinfo=timezone.get_current_timezone()
    )
    shown = f"{formats.date_format(morning, 'D j')} {formats.time_format(morning, 'TIME_FORMAT')}"
    assert f'<time datetime="{morning.isoformat()}">{shown}</time>' in panel
