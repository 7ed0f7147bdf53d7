"""The user's login on the mail, calendar and contacts servers, as the services see it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MailAccount:
    username: str
    address: str
