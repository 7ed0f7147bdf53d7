#!/bin/sh
# Writes the two files Dovecot's auth needs but git must never hold, then starts Dovecot.
#   /run/dovecot-webmail/master-users        the webmail's master user, hashed from the
#                                            MAIL_MASTER_PASSWORD secret
#   /run/dovecot-webmail/dovecot-sql.conf.ext the SQL queries with MAIL_DOMAIN filled in and
#                                            the `connect` line with the dovecot role's password
set -eu

# Keep in step with the "internal" network in docker-compose.yml and dovecot.conf.
INTERNAL_SUBNET=172.29.53.0/24
OUT=/run/dovecot-webmail

fail() {
    echo "dovecot entrypoint: $*" >&2
    exit 1
}

read_secret() {  # read_secret NAME: the value of NAME, or of the file named by NAME_FILE
    file=$(eval "printf '%s' \"\${${1}_FILE:-}\"")
    if [ -n "$file" ]; then
        [ -r "$file" ] || fail "${1}_FILE=$file cannot be read."
        cat "$file"
    else
        eval "printf '%s' \"\${${1}:-}\""
    fi
}

MAIL_DOMAIN=${MAIL_DOMAIN:?MAIL_DOMAIN must be set}
MAIL_MASTER_USER=${MAIL_MASTER_USER:-webmail}
DB_HOST=${DB_HOST:-postgres}
DB_NAME=${DB_NAME:-webmail}
DB_USER=${DB_USER:-dovecot}

# These values go into SQL and into a passwd-file: accept only plain names.
printf '%s' "$MAIL_DOMAIN" | grep -Eqx '[a-z0-9]([a-z0-9.-]*[a-z0-9])?' \
    || fail "MAIL_DOMAIN=$MAIL_DOMAIN is not a lower-case domain name."
printf '%s' "$MAIL_MASTER_USER" | grep -Eqx '[a-z0-9_-]+' \
    || fail "MAIL_MASTER_USER=$MAIL_MASTER_USER may only hold a-z, 0-9, _ and -."

master_password=$(read_secret MAIL_MASTER_PASSWORD)
[ ${#master_password} -ge 32 ] \
    || fail "MAIL_MASTER_PASSWORD is missing or shorter than 32 characters."
db_password=$(read_secret DOVECOT_DB_PASSWORD)
[ -n "$db_password" ] || fail "DOVECOT_DB_PASSWORD (or DOVECOT_DB_PASSWORD_FILE) must be set."

install -d -o root -g dovecot -m 0750 "$OUT"
umask 027

# A fast salted hash is enough: the secret is long and random, and a slow one (Argon2)
# would cost ~0.1 s of CPU on every page of the webmail, which logs in for each request.
master_hash=$(doveadm pw -s SHA512-CRYPT -p "$master_password")
printf '%s:%s::::::allow_nets=%s\n' "$MAIL_MASTER_USER" "$master_hash" "$INTERNAL_SUBNET" \
    > "$OUT/master-users"

# libpq connection string: quote the password, escaping \ and '.
db_password_quoted=$(printf '%s' "$db_password" | sed -e "s/[\\\\']/\\\\&/g")
for conf in dovecot-sql.conf.ext dovecot-sql-app-passwords.conf.ext \
    dovecot-sql-app-password-used.conf.ext; do
    {
        printf "connect = host=%s dbname=%s user=%s password='%s'\n" \
            "$DB_HOST" "$DB_NAME" "$DB_USER" "$db_password_quoted"
        sed -e "s/@MAIL_DOMAIN@/$MAIL_DOMAIN/g" "/etc/dovecot/$conf.in"
    } > "$OUT/$conf"
done

chown root:dovecot "$OUT/master-users" "$OUT/dovecot-sql.conf.ext" \
    "$OUT/dovecot-sql-app-passwords.conf.ext" "$OUT/dovecot-sql-app-password-used.conf.ext"
chown vmail:vmail /var/vmail

exec "$@"
