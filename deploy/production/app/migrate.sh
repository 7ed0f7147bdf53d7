#!/bin/sh
# The one-shot `migrate` service: bring the schema up to date, then let Dovecot read the
# columns it needs to check logins (deploy/production/dovecot/dovecot-sql.conf.ext.in),
# and Postfix (with the same login) those of the distribution lists
# (deploy/production/postfix/list-members.cf.in, list-access.cf.in).
#
# It may also write one column: when an app password was last accepted
# (deploy/production/dovecot/dovecot-sql-app-password-used.conf.ext.in).
#
# The grant is repeated on every deploy because a migration that rebuilds accounts_user
# would drop it. The `dovecot` role is created by deploy/production/postgres/10-dovecot-role.sh.
set -eu

python manage.py migrate --noinput
python manage.py shell --no-imports --command "
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        'GRANT SELECT (id, username, password, is_active, must_change_password,'
        ' two_factor_enabled, quota_mb) ON accounts_user TO dovecot')
    cursor.execute(
        'GRANT SELECT (user_id, prefix, password, revoked_at) ON accounts_apppassword TO dovecot')
    cursor.execute('GRANT UPDATE (last_used_at) ON accounts_apppassword TO dovecot')
    # Postfix expands distribution lists with the same login (deploy/production/postfix).
    cursor.execute(
        'GRANT SELECT (id, slug, is_active, accepts_outside_mail, outside_addresses)'
        ' ON addressbook_distributionlist TO dovecot')
    cursor.execute(
        'GRANT SELECT (distributionlist_id, user_id) ON addressbook_distributionlist_members'
        ' TO dovecot')
"
echo "Database migrated; dovecot may read the login columns of accounts_user and accounts_apppassword,"
echo "and record accounts_apppassword.last_used_at; postfix may read the distribution lists."
