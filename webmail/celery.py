"""The Celery app: workers and beat run with `PYTHONPATH=.` (STYLE.md §2)."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

app = Celery("webmail")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def open_a_new_imap_connection_per_task(**kwargs):
    """Tasks are rare per user and may delete or recreate a mailbox: no connection is
    kept between them (mailbox/services/imap_pool.py is for the web processes)."""
    from mailbox.services import imap

    imap.keep_connections(False)
