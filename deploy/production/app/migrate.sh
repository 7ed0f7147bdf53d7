#!/bin/sh
# The one-shot `migrate` service: bring the schema up to date, then let Dovecot read the
# three columns it needs to check logins (deploy/production/dovecot/dovecot-sql.conf.ext.in).
#
# The grant is repeated on every deploy because a migration that rebuilds accounts_user
# would drop it. The `dovecot` role is created by deploy/production/postgres/10-dovecot-role.sh.
set -eu

python manage.py migrate --noinput
python manage.py shell --no-imports --command "
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute('GRANT SELECT (username, password, is_active) ON accounts_user TO dovecot')
"
echo "Database migrated; dovecot may read accounts_user(username, password, is_active)."
