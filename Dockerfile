# The webmail application image: web (gunicorn), worker and beat (Celery), the one-shot
# migrate step and Radicale all run from it (see docker-compose.yml, docs/deployment.md).
FROM python:3.11-slim-bookworm

# PYTHONPATH=/app puts the repository root before the standard library, so our `mailbox`
# app shadows the stdlib module (shared/STYLE.md §2). The app is never pip-installed.
ENV PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=webmail.settings \
    WEBMAIL_VAR_DIR=/app/var

# gettext: compilemessages needs msgfmt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 --user-group --create-home --home-dir /home/webmail \
       --shell /usr/sbin/nologin webmail

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. Same list as
# scripts/bootstrap.sh: [project].dependencies from pyproject.toml, without the dev extras.
COPY pyproject.toml ./
RUN python -c 'import tomllib; deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; print("\n".join(deps))' \
       > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# SECRET_KEY is set for these two commands only: without it settings.py would write a
# random key into var/ and bake it into the image.
# /app/media exists, owned by webmail, so that the compose volume mounted there is too.
RUN SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only-not-a-secret python manage.py compilemessages \
    && install -d -o webmail -g webmail /app/var /app/media /var/lib/radicale \
    && chmod 0755 deploy/production/app/entrypoint.sh

USER webmail
EXPOSE 8000
ENTRYPOINT ["/app/deploy/production/app/entrypoint.sh"]
CMD ["gunicorn", "webmail.wsgi", "--bind", "0.0.0.0:8000"]
