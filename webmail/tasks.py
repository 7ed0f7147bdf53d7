from celery import shared_task

from mailbox.services import smtp
from webmail.errors import SubmissionServerUnavailable
from webmail.system_mail import build_system_message, system_account


@shared_task
def ping() -> str:
    """A round trip through Redis and a worker: proves tasks really run."""
    return "pong"


@shared_task(
    autoretry_for=(SubmissionServerUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_system_mail(to: str, subject: str, body: str) -> None:
    """Submit one system message; a server outage is retried with backoff."""
    sender = system_account()
    smtp.send(sender, build_system_message(to, subject, body, sender), [to])
