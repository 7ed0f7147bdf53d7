"""A server that is down gives a clear page with a retry, in the user's language."""

from django.urls import reverse

from tests.servers import stopped


def test_mail_page_with_imap_down_shows_a_retry_page_in_french(stack, logged_in_client, caplog):
    url = reverse("mailbox:folder-detail", args=["INBOX"])
    with stopped(stack, "dovecot"):
        response = logged_in_client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert "Le serveur de messagerie n’a pas répondu" in page
    assert f'href="{url}"' in page  # the retry link
    assert "Traceback" not in page
    assert "service unavailable: service=imap" in caplog.text
    assert logged_in_client.get(url).status_code == 200  # back once the server is


def test_the_same_page_in_english(stack, logged_in_client):
    logged_in_client.cookies["django_language"] = "en"
    with stopped(stack, "dovecot"):
        response = logged_in_client.get(reverse("mailbox:home"), follow=True)

    assert response.status_code == 503
    assert "The mail server did not answer" in response.content.decode()


def test_htmx_requests_get_the_message_as_a_fragment(stack, logged_in_client):
    with stopped(stack, "dovecot"):
        response = logged_in_client.get(
            reverse("mailbox:folder-detail", args=["INBOX"]), headers={"HX-Request": "true"}
        )

    assert response.status_code == 503
    assert b"<html" not in response.content
    assert b'role="alert"' in response.content


def test_calendar_page_with_caldav_down(stack, logged_in_client):
    url = reverse("calendar_app:view", kwargs={"view": "month", "date": "2026-03-10"})
    assert logged_in_client.get(url).status_code == 200
    with stopped(stack, "radicale"):
        response = logged_in_client.get(url)

    assert response.status_code == 503
    assert "Le serveur d’agenda n’a pas répondu" in response.content.decode()
