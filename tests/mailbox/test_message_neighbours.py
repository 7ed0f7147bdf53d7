"""The message page's previous/next links and j/k follow the list it was opened from:
the folder in the user's order (arrival, a sorted order, conversations) or the search
results; "back" returns to the page of that list holding the message; after archiving,
the next message opens if the user chose so."""

import re

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap
from tests.mailbox.action_helpers import messages_in
from tests.mailbox.list_helpers import append, raw_message

COUNT = 7


@pytest.fixture
def reader(client, make_account):
    """Seven messages: arrival order 0..6, subject order the other way round."""
    owner = make_account()
    append(
        owner,
        *(raw_message(f"Note {COUNT - n} de service", day=n) for n in range(COUNT)),
        seen=True,
    )
    client.force_login(owner)
    return owner


def prefer(user, **fields):
    MailPreferences.objects.update_or_create(user=user, defaults={"page_size": 3, **fields})


def row_links(client, page=1):
    """The message links of a list page, as the page shows them."""
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]), {"page": page})
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'class="subject-text" href="([^"]+)"', response.content.decode())
    ]


def walk(client, url):
    """The subjects met from url following "Next" to the end of the list."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen.append(response.context["message"].subject)
        url = response.context.get("next_url")
    return seen


def list_subjects(client, pages):
    url = reverse("mailbox:folder-detail", args=["INBOX"])
    return [
        m.subject
        for n in range(1, pages + 1)
        for m in client.get(url, {"page": n}).context["page"].messages
    ]


@pytest.mark.parametrize(
    "preferences",
    [
        {},  # arrival, newest first: sequence numbers, no SORT
        {"sort_descending": False},
        {"sort_key": "subject"},
        {"sort_key": "date", "sort_descending": False},
    ],
)
def test_next_walks_the_whole_list_in_its_order(client, reader, preferences):
    prefer(reader, **preferences)

    walked = walk(client, row_links(client)[0])

    assert walked == list_subjects(client, 3)
    assert len(walked) == COUNT


def test_previous_and_back_lead_to_the_page_holding_the_message(client, reader):
    prefer(reader, sort_key="subject", sort_descending=False)
    first_of_page_two = row_links(client, page=2)[0]

    response = client.get(first_of_page_two)

    assert response.context["message"].subject == "Note 4 de service"
    previous = client.get(response.context["previous_url"]).context["message"]
    assert previous.subject == "Note 3 de service"  # the last row of page 1
    assert (
        response.context["back_url"] == reverse("mailbox:folder-detail", args=["INBOX"]) + "?page=2"
    )
    content = response.content.decode()
    assert 'aria-label="Previous message"' in content
    assert 'aria-label="Next message"' in content


def test_opening_messages_of_a_sorted_list_sorts_nothing_again(client, reader, monkeypatch):
    prefer(reader, sort_key="subject")
    links = row_links(client)  # the list is sorted once and cached

    def no_sort(self, key):
        raise AssertionError("the folder was sorted again")

    monkeypatch.setattr(imap.OpenFolder, "sorted_uids", no_sort)
    response = client.get(links[1])

    assert response.context["message"].subject == "Note 6 de service"
    assert (
        client.get(response.context["next_url"]).context["message"].subject == "Note 5 de service"
    )


def test_a_wrong_position_is_corrected_and_a_forged_token_ignored(client, reader):
    prefer(reader, sort_key="subject")
    uid = messages_in(reader, "INBOX")["Note 5 de service"].uid
    url = reverse("mailbox:message-detail", args=[uid, "INBOX"])

    wrong = client.get(url, {"pos": 0})
    forged = client.get(url, {"pos": "-3", "in": "../../x"})

    assert wrong.context["list_place"].position == 2
    assert forged.status_code == 200
    assert forged.context["list_place"].position == 2


def test_in_conversations_next_opens_the_next_conversation(client, make_account):
    owner = make_account()
    append(
        owner,
        raw_message("Sortie", day=1, Message_ID="<s1@example.org>"),
        raw_message("Cantine", day=2),
        raw_message(
            "Re: Sortie", day=3, In_Reply_To="<s1@example.org>", References="<s1@example.org>"
        ),
        raw_message("Conseil", day=4),
    )
    MailPreferences.objects.create(user=owner, conversations=True)
    client.force_login(owner)

    walked = walk(client, row_links(client)[0])

    assert walked == ["Conseil", "Re: Sortie", "Cantine"]


def test_after_a_move_the_previous_link_skips_the_message_that_went(client, reader):
    prefer(reader, sort_key="subject")
    links = row_links(client)
    gone = client.get(links[1]).context["uid"]
    client.post(reverse("mailbox:messages-archive", args=["INBOX"]), {"uids": [gone]})

    response = client.get(links[2])

    previous = client.get(response.context["previous_url"]).context["message"]
    assert previous.subject == "Note 7 de service"


def test_archiving_from_the_message_page_goes_back_to_the_list_by_default(client, reader):
    prefer(reader, sort_key="subject")
    page = client.get(row_links(client, page=2)[1])

    response = client.post(reverse("mailbox:messages-archive", args=["INBOX"]), hidden_fields(page))

    assert response["Location"] == reverse("mailbox:folder-detail", args=["INBOX"]) + "?page=2"


def test_archiving_opens_the_next_message_when_the_user_chose_so(client, reader):
    prefer(reader, sort_key="subject", open_next_after_action=True)
    page = client.get(row_links(client)[1])
    assert page.context["message"].subject == "Note 6 de service"

    response = client.post(
        reverse("mailbox:messages-archive", args=["INBOX"]), hidden_fields(page), follow=True
    )

    assert response.context["message"].subject == "Note 5 de service"
    previous = client.get(response.context["previous_url"]).context["message"]
    assert previous.subject == "Note 7 de service"
    assert "Note 6 de service" in messages_in(reader, "Archive")


def test_the_last_message_archived_opens_the_one_above(client, reader):
    prefer(reader, sort_key="subject", open_next_after_action=True)
    page = client.get(row_links(client, page=3)[0])
    assert page.context.get("next_url") is None

    response = client.post(
        reverse("mailbox:messages-archive", args=["INBOX"]), hidden_fields(page), follow=True
    )

    assert response.context["message"].subject == "Note 2 de service"


def hidden_fields(response):
    """The fields the message page's action form posts."""
    form = response.content.decode().split('<form class="message-actions"')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))


def test_search_results_lead_from_message_to_message_and_back(client, reader):
    results = client.get(reverse("mailbox:search", args=["INBOX"]), {"q": "service"})
    links = re.findall(r'class="subject-text" href="([^"]+)"', results.content.decode())
    assert len(links) == COUNT

    first = client.get(links[0].replace("&amp;", "&"))
    second = client.get(first.context["next_url"])

    assert "in=" in first.context["next_url"]
    assert [first.context["message"].subject, second.context["message"].subject] == [
        "Note 1 de service",
        "Note 2 de service",
    ]
    assert "Back to the results" in second.content.decode()
    back = client.get(second.context["back_url"])
    assert back.context["query"].text == "service"


def test_archiving_a_search_result_opens_the_next_result(client, reader):
    prefer(reader, open_next_after_action=True)
    results = client.get(reverse("mailbox:search", args=["INBOX"]), {"q": "service"})
    first_link = re.search(r'class="subject-text" href="([^"]+)"', results.content.decode())[1]
    first = client.get(first_link.replace("&amp;", "&"))

    response = client.post(
        reverse("mailbox:messages-archive", args=["INBOX"]), hidden_fields(first), follow=True
    )

    assert response.context["message"].subject == "Note 2 de service"
    assert "Back to the results" in response.content.decode()
    assert response.context.get("previous_url") is None  # the archived one left the results
    assert client.get(response.context["next_url"]).context["message"].subject == (
        "Note 3 de service"
    )
