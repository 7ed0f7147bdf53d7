#!/bin/sh
# Entrypoint of the application image (web, worker, beat, migrate, radicale).
#
# Django reads DATABASE_URL without a password; libpq takes it from PGPASSWORD, which we
# load here from the Docker secret named by PGPASSWORD_FILE. The password then appears
# in no compose file, no .env and no `docker inspect` output.
set -eu

if [ -n "${PGPASSWORD_FILE:-}" ]; then
    if [ ! -r "$PGPASSWORD_FILE" ]; then
        echo "PGPASSWORD_FILE=$PGPASSWORD_FILE cannot be read." >&2
        exit 1
    fi
    PGPASSWORD=$(cat "$PGPASSWORD_FILE")
    export PGPASSWORD
fi

exec "$@"
