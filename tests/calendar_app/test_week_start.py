"""The first day of the week follows the language: Monday in French, Sunday in English
(Django's FIRST_DAY_OF_WEEK of each), in the month, week and mini-month views."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

WEEKS = [
    # language, first weekday's name, first day of the week of 10 March 2026, of its month grid
    ("fr", "lundi", "2026-03-09", "2026-02-23"),
    ("en", "Sunday", "2026-03-08", "2026-03-01"),
]


@pytest.fixture
def in_language(logged_in_client, personal_calendar):
    def page(language, view):
        logged_in_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        url = reverse("calendar_app:view", kwargs={"view": view, "date": "2026-03-10"})
        return logged_in_client.get(url).content.decode()

    return page


def first_header(html, table_class):
    table = re.search(rf'<table class="{table_class}">.*?</table>', html, re.S).group(0)
    return re.search(r'<th scope="col"><abbr title="([^"]+)"', table).group(1)


@pytest.mark.parametrize(("language", "weekday", "week_start", "grid_start"), WEEKS)
def test_the_week_view_starts_on_the_languages_first_day(
    in_language, language, weekday, week_start, grid_start
):
    page = in_language(language, "week")

    assert re.findall(r'class="tg-day[^"]*" data-date="([^"]+)"', page)[0] == week_start
    assert first_header(page, "mini-month") == weekday


@pytest.mark.parametrize(("language", "weekday", "week_start", "grid_start"), WEEKS)
def test_the_month_and_mini_month_start_on_the_languages_first_day(
    in_language, language, weekday, week_start, grid_start
):
    page = in_language(language, "month")

    assert first_header(page, "month-grid") == weekday
    assert first_header(page, "mini-month") == weekday
    first_cell = re.search(
        r'<table class="month-grid">.*?href="/calendar/day/([\d-]+)/"', page, re.S
    )
    assert first_cell.group(1) == grid_start
