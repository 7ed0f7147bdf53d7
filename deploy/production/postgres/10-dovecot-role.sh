#!/bin/sh
# Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d).
# Creates the read-only login Dovecot uses to check passwords; the migrate service grants
# it SELECT on accounts_user(username, password, is_active) and nothing else.
set -e

dovecot_password=$(cat /run/secrets/dovecot_db_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v dovecot_password="$dovecot_password" -v dbname="$POSTGRES_DB" <<'SQL'
CREATE ROLE dovecot LOGIN PASSWORD :'dovecot_password';
GRANT CONNECT ON DATABASE :"dbname" TO dovecot;
GRANT USAGE ON SCHEMA public TO dovecot;
SQL
