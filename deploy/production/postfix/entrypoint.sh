#!/bin/sh
# Fills MAIL_DOMAIN and MAIL_HOSTNAME into main.cf and the sender map, writes the list
# lookups with the database password, then starts Postfix.
set -eu

fail() {
    echo "postfix entrypoint: $*" >&2
    exit 1
}

MAIL_DOMAIN=${MAIL_DOMAIN:?MAIL_DOMAIN must be set}
MAIL_HOSTNAME=${MAIL_HOSTNAME:?MAIL_HOSTNAME must be set}
for name in "$MAIL_DOMAIN" "$MAIL_HOSTNAME"; do
    printf '%s' "$name" | grep -Eqx '[a-z0-9]([a-z0-9.-]*[a-z0-9])?' \
        || fail "$name is not a lower-case domain name."
done

# Sieve's vacation replies and redirects come from Dovecot, on port 10025 (master.cf):
# only its address may use that port.
dovecot_address=$(getent hosts dovecot-internal | awk '{ print $1; exit }')
[ -n "$dovecot_address" ] || fail "dovecot-internal does not resolve: start dovecot first."

# The domain inside a regular expression: escape its dots.
domain_regex=$(printf '%s' "$MAIL_DOMAIN" | sed -e 's/\./\\./g')
sed -e "s/@MAIL_DOMAIN@/$MAIL_DOMAIN/g" -e "s/@MAIL_HOSTNAME@/$MAIL_HOSTNAME/g" \
    -e "s/@DOVECOT_ADDRESS@/$dovecot_address/g" \
    /etc/postfix/webmail/main.cf.in > /etc/postfix/main.cf
cp /etc/postfix/webmail/master.cf /etc/postfix/master.cf
# Distribution lists: read from Django's tables with the mail servers' read-only login.
db_password=$(cat "${DB_PASSWORD_FILE:?DB_PASSWORD_FILE must be set}")
for name in list-members list-access; do
    target=/etc/postfix/$name.cf
    sed -e "s/@MAIL_DOMAIN@/$MAIL_DOMAIN/g" "/etc/postfix/webmail/$name.cf.in" > "$target"
    # Appended, not substituted: the password may hold any character.
    printf 'password = %s\n' "$db_password" >> "$target"
    chown root:postfix "$target"
    chmod 0640 "$target"
done
# Who may send as whom: jean.dupont[+tag]@<MAIL_DOMAIN> belongs to the login jean.dupont.
printf '/^([^@+]+)(\\+[^@]*)?@%s$/i ${1}\n' "$domain_regex" > /etc/postfix/sender_login.pcre

postfix check
exec "$@"
