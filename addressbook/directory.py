"""The organisation directory: every active account, read from our own database."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet


def search_directory(query: str, limit: int = 100) -> QuerySet:
    users = get_user_model().objects.filter(is_active=True)
    for word in query.split():
        users = users.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username")[:limit]
