"""The URL of a message page opened from a list: the list travels as ?pos= (the row's
place in it, from 0), ?in= (the search results' token) and ?hl= (the words to mark),
all checked again by the message page (mailbox.forms.ListPlaceForm)."""

from urllib.parse import urlencode

from django.urls import reverse


def message_url(
    uid: int,
    folder_name: str,
    position: int | None = None,
    results: str = "",
    highlight: str = "",
) -> str:
    url = reverse("mailbox:message-detail", args=[uid, folder_name])
    return with_list_place(url, position, results, highlight)


def with_list_place(url: str, position: int | None, results: str, highlight: str) -> str:
    """url with the list's place added to it."""
    params: dict[str, object] = {}
    if position is not None:
        params["pos"] = position
    if results:
        params["in"] = results
    if highlight:
        params["hl"] = highlight
    return f"{url}?{urlencode(params)}" if params else url
