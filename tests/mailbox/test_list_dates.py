"""The date column of the message list: the time for today's mail, the day and month for
this year's, the full short date before; the whole date and time on hover, in the
user's time zone (Europe/Paris), whatever zone the server stamped."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import dateformat, timezone

from tests.mailbox.list_helpers import imap_client, raw_message

PARIS = ZoneInfo("Europe/Paris")


def time_element(content: str, subject: str) -> tuple[str, str, str]:
    """(datetime attribute, title, text) of the <time> in the row showing subject."""
    row = next(row for row in content.split("<tr") if subject in row)
    found = re.search(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', row)
    assert found, row
    return found.groups()


def test_each_row_shows_its_date_as_fits_its_age(jean, jean_client):
    now = timezone.localtime(timezone.now(), PARIS)
    today = now.replace(second=0, microsecond=0)  # Dovecot takes no date in the future
    yesterday = today - timedelta(days=1)
    old = datetime(2023, 3, 14, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    with imap_client(jean) as client:
        for subject, when in (("Today", today), ("Yesterday", yesterday), ("Old", old)):
            client.append("INBOX", raw_message(subject), msg_time=when)

    response = jean_client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    content = response.content.decode()
    assert time_element(content, "Today")[2] == dateformat.time_format(today, "P")
    this_year = yesterday.year == today.year  # not on 1 January
    day_format = "N j" if this_year else "m/d/Y"
    assert time_element(content, "Yesterday")[2] == dateformat.format(yesterday, day_format)
    # 10:00 in New York is 15:00 in Paris.
    assert time_element(content, "Old") == (
        "2023-03-14T15:00:00+01:00",
        "March 14, 2023, 3 p.m.",
        "03/14/2023",
    )
