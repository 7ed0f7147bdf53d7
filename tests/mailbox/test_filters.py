"""Rules, out-of-office and forwarding, made in the pages, run by Dovecot's Sieve at
delivery (submission -> relay -> LMTP), as for any mail."""

import html
import json
import re
import socket
import time
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.urls import reverse
from django.utils import timezone

from mailbox import filters
from mailbox.models import Label
from mailbox.services import sieve, smtp
from mailbox.sieve_rules import (
    Action,
    Condition,
    FilterScript,
    Forwarding,
    Rule,
    Vacation,
    to_sieve,
)
from tests.mail_helpers import send_mail_as
from tests.mailbox.action_helpers import create_folder, messages_in
from tests.mailbox.test_labels import create_label, keywords_in


@pytest.fixture
def owner(client, make_account):
    user = make_account(first_name="Claire", last_name="Martin")
    client.force_login(user)
    return user


@pytest.fixture
def sender(make_account):
    return make_account(first_name="Sophie", last_name="Leroy")


def rule_post(name, conditions, actions, match_all="1"):
    data = {"name": name, "match_all": match_all, "enabled": "on"}
    data |= {"cond-TOTAL_FORMS": str(len(conditions)), "cond-INITIAL_FORMS": "0"}
    data |= {"act-TOTAL_FORMS": str(len(actions)), "act-INITIAL_FORMS": "0"}
    for number, condition in enumerate(conditions):
        data |= {f"cond-{number}-{key}": value for key, value in condition.items()}
    for number, action in enumerate(actions):
        data |= {f"act-{number}-{key}": value for key, value in action.items()}
    return data


def wait_for(check, seconds=10):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_a_rule_made_in_the_page_files_and_labels_matching_mail_only(client, owner, sender):
    create_folder(owner, "Classes")
    create_label(client, "Conseil")
    label = Label.objects.get(user=owner)
    data = rule_post(
        "Conseils de classe",
        [{"field": "subject", "match": "contains", "value": "conseil de classe"}],
        [{"kind": "move", "folder": "Classes"}, {"kind": "label", "label": label.keyword}],
    )

    response = client.post(reverse("mailbox:filter-create"), data)
    send_mail_as(sender, [owner.mail_address], "Conseil de classe du 3e B")
    send_mail_as(sender, [owner.mail_address], "Sortie scolaire")
    page = client.get(reverse("mailbox:filters")).content.decode()

    assert response.status_code == 302
    assert "Conseils de classe" in page
    assert list(messages_in(owner, "Classes")) == ["Conseil de classe du 3e B"]
    assert list(messages_in(owner, "INBOX")) == ["Sortie scolaire"]
    assert label.keyword in keywords_in(owner, "Classes")["Conseil de classe du 3e B"]


def test_a_rule_is_edited_in_its_form(client, owner):
    rule = rule_post("Ancien nom", [{"field": "from", "match": "is", "value": "a@b.fr"}], [])
    rule |= {"act-TOTAL_FORMS": "1", "act-0-kind": "mark_read"}
    client.post(reverse("mailbox:filter-create"), rule)
    url = reverse("mailbox:filter-edit", args=[0])
    form = client.get(url).content.decode()
    assert 'value="Ancien nom"' in form
    assert 'value="a@b.fr"' in form

    edited = rule | {"name": "Nouveau nom", "version": list_version(client)}
    response = client.post(url, edited)
    page = client.get(reverse("mailbox:filters")).content.decode()

    assert response.status_code == 302
    assert "Nouveau nom" in page
    assert "Ancien nom" not in page


def test_a_rule_without_an_action_is_refused_and_the_form_keeps_the_text(client, owner):
    data = rule_post("Sans action", [{"field": "from", "match": "is", "value": "a@b.fr"}], [])

    response = client.post(reverse("mailbox:filter-create"), data)

    assert response.status_code == 422
    assert "Add at least one action." in response.content.decode()
    assert 'value="a@b.fr"' in response.content.decode()


def test_add_condition_without_javascript_adds_a_row_and_saves_nothing(client, owner):
    data = rule_post("R", [{"field": "from", "match": "is", "value": "a@b.fr"}], [{}])
    data["add_condition"] = "1"

    response = client.post(reverse("mailbox:filter-create"), data)

    assert response.status_code == 200
    assert 'name="cond-1-value"' in response.content.decode()
    assert "No rules yet." in client.get(reverse("mailbox:filters")).content.decode()


def list_version(client):
    page = client.get(reverse("mailbox:filters")).content.decode()
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def change_rule(client, action, index):
    url = reverse(f"mailbox:filter-{action}", args=[index])
    return client.post(url, {"version": list_version(client)})


def test_rules_reorder_disable_and_delete(client, owner):
    for name in ("Premier", "Second"):
        rule = rule_post(name, [{"field": "subject", "match": "is", "value": name}], [])
        rule |= {"act-TOTAL_FORMS": "1", "act-0-kind": "mark_read"}
        assert client.post(reverse("mailbox:filter-create"), rule).status_code == 302

    change_rule(client, "down", 0)
    change_rule(client, "toggle", 0)
    page = client.get(reverse("mailbox:filters")).content.decode()
    assert page.index("Second") < page.index("Premier")
    assert page.count("disabled</span>") == 1

    change_rule(client, "delete", 1)
    page = client.get(reverse("mailbox:filters")).content.decode()
    assert "Premier" not in page
    assert change_rule(client, "delete", 5).status_code == 404


def test_a_list_changed_elsewhere_is_not_changed_by_position(client, owner):
    for name in ("Premier", "Second"):
        rule = rule_post(name, [{"field": "subject", "match": "is", "value": name}], [])
        rule |= {"act-TOTAL_FORMS": "1", "act-0-kind": "mark_read"}
        client.post(reverse("mailbox:filter-create"), rule)
    seen = list_version(client)
    change_rule(client, "down", 0)  # another tab: Second, Premier

    url = reverse("mailbox:filter-delete", args=[0])
    page = client.post(url, {"version": seen}, follow=True).content.decode()

    assert "Your filters were changed elsewhere, so nothing was done." in page
    assert "Premier" in page
    assert "Second" in page


def test_filter_messages_like_this_prefills_sender_and_subject(client, owner, sender):
    send_mail_as(sender, [owner.mail_address], "Réunion & parents")
    message_page = client.get(reverse("mailbox:message-detail", args=[1, "INBOX"]))
    link = re.search(r'href="([^"]*)">Filter messages like this', message_page.content.decode())

    form = client.get(html.unescape(link.group(1))).content.decode()

    assert f'value="{sender.mail_address}"' in form
    assert 'value="Réunion &amp; parents"' in form


def test_a_foreign_active_script_is_kept_in_ours(client, owner, sender):
    foreign = (
        'require ["fileinto"];\nif header :contains "subject" "urgent" {\n  fileinto "Urgent";\n}\n'
    )
    create_folder(owner, "Urgent")
    with sieve.session_for(owner.mail_account) as session:
        session.put_script(foreign, name="thunderbird")
    rule = rule_post("Lu", [{"field": "subject", "match": "contains", "value": "info"}], [])
    rule |= {"act-TOTAL_FORMS": "1", "act-0-kind": "mark_read"}

    client.post(reverse("mailbox:filter-create"), rule)
    send_mail_as(sender, [owner.mail_address], "Très urgent")
    page = client.get(reverse("mailbox:filters")).content.decode()

    assert "Rule written as a script" in page
    assert list(messages_in(owner, "Urgent")) == ["Très urgent"]
    with sieve.session_for(owner.mail_account) as session:
        assert session.list_scripts()[0] == sieve.SCRIPT_NAME


def test_a_broken_script_shows_the_servers_error_and_keeps_the_text(client, owner):
    broken = 'if header :contains "subject" "x" {\n  fileinto "Nowhere"\n}\n'
    client.post(reverse("mailbox:filter-script"), {"script": "keep;\n"})

    response = client.post(reverse("mailbox:filter-script"), {"script": broken})
    text = response.content.decode()

    assert response.status_code == 422
    assert "The server could not compile the script" in text
    assert "error" in text.split("server-error")[1].lower()  # Pigeonhole's own words
    assert "fileinto &quot;Nowhere&quot;" in text
    assert filters.load_text(owner.mail_account).strip() == "keep;"  # unchanged


def vacation_post(**overrides):
    today = timezone.localdate()
    data = {
        "vacation_enabled": "on",
        "start": (today - timedelta(days=1)).isoformat(),
        "end": (today + timedelta(days=1)).isoformat(),
        "subject": "Absente",
        "body": "Je suis absente jusqu'à lundi.",
        "days": "7",
    }
    return data | overrides


def replies_to(user):
    return [subject for subject in messages_in(user, "INBOX") if "Absente" in subject]


def test_vacation_answers_a_sender_once(client, owner, sender):
    response = client.post(reverse("mailbox:out-of-office"), vacation_post())
    send_mail_as(sender, [owner.mail_address], "Première question")
    first = wait_for(lambda: replies_to(sender))
    send_mail_as(sender, [owner.mail_address], "Deuxième question")
    time.sleep(1)

    assert response.status_code == 302
    assert first == ["Absente"]
    assert replies_to(sender) == ["Absente"]
    assert len(messages_in(owner, "INBOX")) == 2


def test_vacation_never_answers_a_mailing_list(client, owner, sender):
    client.post(reverse("mailbox:out-of-office"), vacation_post())
    message = EmailMessage()
    message["From"] = sender.mail_address
    message["To"] = owner.mail_address
    message["Subject"] = "Lettre d'information"
    message["List-Id"] = "Parents d'élèves <parents.college.example>"
    message.set_content("Bonjour à tous.")
    smtp.send(sender.mail_account, message.as_bytes(), [owner.mail_address])
    time.sleep(1)
    after_list = replies_to(sender)
    send_mail_as(sender, [owner.mail_address], "Question directe")

    assert after_list == []
    assert wait_for(lambda: replies_to(sender)) == ["Absente"]  # the same sender, directly
    assert len(messages_in(owner, "INBOX")) == 2


def test_vacation_is_silent_outside_its_dates(client, owner, sender):
    yesterday = timezone.localdate() - timedelta(days=1)
    past = {"start": (yesterday - timedelta(days=5)).isoformat(), "end": yesterday.isoformat()}
    client.post(reverse("mailbox:out-of-office"), vacation_post(**past))
    send_mail_as(sender, [owner.mail_address], "Question")
    time.sleep(1)

    assert replies_to(sender) == []
    assert list(messages_in(owner, "INBOX")) == ["Question"]


def captured_for(stack, address):
    return (
        [
            path
            for path in stack.capture_dir.glob("*.json")
            if address in json.loads(path.read_text())["rcpt_to"]
        ]
        if stack.capture_dir.exists()
        else []
    )


@pytest.mark.parametrize("keep_copy", [True, False])
def test_forwarding_with_or_without_a_copy(client, owner, sender, stack, keep_copy):
    target = f"claire.{keep_copy}.{time.time_ns()}@ailleurs.example"
    data = {"days": "7", "forwarding_enabled": "on", "forward_to": target}
    if keep_copy:
        data["keep_copy"] = "on"

    response = client.post(reverse("mailbox:out-of-office"), data)
    send_mail_as(sender, [owner.mail_address], "Pour Claire")

    assert response.status_code == 302
    assert len(wait_for(lambda: captured_for(stack, target))) == 1
    expected = ["Pour Claire"] if keep_copy else []
    assert list(messages_in(owner, "INBOX")) == expected


def test_forwarding_to_oneself_is_refused(client, owner):
    data = {"days": "7", "forwarding_enabled": "on", "forward_to": owner.mail_address}

    response = client.post(reverse("mailbox:out-of-office"), data)

    assert response.status_code == 422
    assert "Forwarding to yourself would loop." in response.content.decode()


def test_every_condition_and_action_the_page_offers_compiles_on_the_server(owner):
    every = Rule(
        name="Tout",
        match_all=False,
        conditions=[
            Condition("from", "contains", 'Sophie "la" \\ Leroy'),
            Condition("from", "is", "sophie@exemple.fr"),
            Condition("to_cc", "matches", "*@college.fr"),
            Condition("subject", "is", "Conseil"),
            Condition("header", "contains", "urgent", header_name="X-Priority"),
            Condition("size", "over", "2048"),
            Condition("size", "under", "10"),
        ],
        actions=[Action(kind, "x@ailleurs.example") for kind in ("forward", "forward_copy")]
        + [Action("move", "Classes"), Action("label", "$label_x")]
        + [Action(kind) for kind in ("mark_read", "keep", "discard", "stop")],
    )
    vacation = Vacation(True, "Absent", 'Dit "bonjour"\n\\o/', [owner.mail_address], 3)
    script = FilterScript(
        items=[every], vacation=vacation, forwarding=Forwarding(True, "y@ailleurs.example", True)
    )

    with sieve.session_for(owner.mail_account) as session:
        session.put_script(to_sieve(script))  # raises ScriptRejected if it does not compile


def test_filters_with_the_sieve_server_down_show_a_retry_page(client, owner, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.SIEVE_PORT = closed.getsockname()[1]  # bound, not listening: refused

        response = client.get(reverse("mailbox:filters"))

    assert response.status_code == 503
    assert "The filters server did not answer" in response.content.decode()
