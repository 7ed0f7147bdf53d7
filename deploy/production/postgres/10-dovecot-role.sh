#!/bin/sh
# Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d).
# Creates the read-only login Dovecot uses to check passwords, which Postfix also uses to
# expand distribution lists; the migrate service (deploy/production/app/migrate.sh)
# grants it SELECT on the few columns they read and nothing else.
set -e

dovecot_password=$(cat /run/secrets/dovecot_db_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v dovecot_password="$dovecot_password" -v dbname="$POSTGRES_DB" <<'SQL'
CREATE ROLE dovecot LOGIN PASSWORD :'dovecot_password';
GRANT CONNECT ON DATABASE :"dbname" TO dovecot;
GRANT USAGE ON SCHEMA public TO dovecot;
SQL
