#!/usr/bin/env bash
# make demo: start the local stack, migrate, seed the demo accounts and mail, serve the app.
# Ctrl-C stops the app and everything this script started; running it again reuses var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8000}
PYTHON=.venv/bin/python
export PYTHONPATH=. DJANGO_SETTINGS_MODULE=webmail.settings

$PYTHON manage.py migrate --noinput -v0
$PYTHON -m scripts.localstack up
trap '$PYTHON -m scripts.localstack down' EXIT
set -a; source var/stack.env; set +a
$PYTHON manage.py seed_demo
echo
echo "Webmail: http://127.0.0.1:${PORT}/  (Ctrl-C stops everything)"
$PYTHON manage.py runserver --noreload "127.0.0.1:${PORT}"
