#!/usr/bin/env bash
# README.md's "Deploying on PostgreSQL with gunicorn", from the built assets
# (build/static) on a fresh PostgreSQL database: collectstatic with the manifest storage,
# migrate and check --deploy with production settings, then gunicorn on a free local
# port, and the sign-in page fetched through it as the TLS-ending proxy would ask for it,
# with every static file it names. The database, the var directory and gunicorn go
# again however it ends. Run by `make check-production` (PG_TEST_URL names the server).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=keywork.example.org
maintenance=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=keywork_check_production_$$
var=$(mktemp -d "${TMPDIR:-/tmp}/keywork-check-production.XXXXXX")
gunicorn_pid=
started=$SECONDS

fail() {
  echo "check-production: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$gunicorn_pid" ]; then
    kill "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
    if [ "$status" -ne 0 ] && [ -s "$var/gunicorn.log" ]; then
      echo "--- gunicorn's log ---" >&2
      tail -n 40 "$var/gunicorn.log" >&2
    fi
  fi
  psql "$maintenance" -Atqc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null ||
    echo "check-production: could not drop the database $db" >&2
  rm -rf "$var"
  if [ "$status" -eq 0 ]; then
    echo "check-production: the production deploy works ($((SECONDS - started)) s)"
  else
    echo "check-production: FAILED" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production, as the README sets it up; nothing of the caller's own configuration.
unset DEBUG SECURE_SSL_REDIRECT KEYWORK_PRIVATE_DIR KEYWORK_TRUSTED_PROXIES CSRF_TRUSTED_ORIGINS
export KEYWORK_ENV=production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=$HOST
export KEYWORK_BASE_URL=https://$HOST
export DATABASE_URL=${maintenance%/*}/$db
export KEYWORK_VAR_DIR=$var

psql "$maintenance" -Atqc "CREATE DATABASE $db" >/dev/null
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py check --deploy --fail-level WARNING

# Port 0: the system picks a free port, and gunicorn's log says which.
.venv/bin/gunicorn keywork.wsgi --bind 127.0.0.1:0 --workers 2 --no-control-socket \
  >"$var/gunicorn.log" 2>&1 &
gunicorn_pid=$!
port=
for _ in $(seq 100); do
  kill -0 "$gunicorn_pid" 2>/dev/null || fail "gunicorn stopped as it started"
  port=$(sed -n 's|.*Listening at: http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$var/gunicorn.log")
  [ -n "$port" ] && break
  sleep 0.2
done
[ -n "$port" ] || fail "gunicorn did not start listening within 20 s"

# GET a path through gunicorn as the proxy in front would send it; prints the status.
fetch() {
  curl --silent --show-error --max-time 20 --output "$2" --write-out '%{http_code}' \
    --header "Host: $HOST" --header "X-Forwarded-Proto: https" \
    "http://127.0.0.1:$port$1"
}

page=$var/sign-in.html
status=$(fetch /sign-in/ "$page")
[ "$status" = 200 ] || fail "GET /sign-in/ answered $status, not 200"
grep -q '<h1[^>]*>Sign in to Keywork</h1>' "$page" ||
  fail "the sign-in page has no 'Sign in to Keywork' heading"
grep -qE '<link rel="stylesheet" href="/static/keywork/keywork\.[0-9a-f]{12}\.css"' "$page" ||
  fail "the sign-in page has no link to the hashed stylesheet"
# Every static file the page names is a hashed name from the manifest, and is served.
mapfile -t files < <(grep -oE '(href|src)="/static/[^"]+"' "$page" | cut -d'"' -f2 | sort -u)
for file in "${files[@]}"; do
  [[ $file =~ \.[0-9a-f]{12}\.[a-z0-9]+$ ]] || fail "$file is not a hashed static file"
  status=$(fetch "$file" "$var/static-file")
  [ "$status" = 200 ] || fail "GET $file answered $status, not 200"
  [ -s "$var/static-file" ] || fail "GET $file answered with nothing"
done
echo "check-production: /sign-in/ and its ${#files[@]} static files served by gunicorn"
