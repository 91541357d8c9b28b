#!/usr/bin/env bash
# The sharing API against its own OpenAPI document, with schemathesis (PyPI): every data set
# with a key that may read all eight unmasked, on the small demo, on SQLite and PostgreSQL.
# Fails on any 5xx, any response that breaks the document's schema, a wrong status code or
# content type, or an endpoint that answers without a key. `positive_data_acceptance` is left
# out: a cursor is opaque, so a random string the schema allows is rightly refused (400).
#
#   scripts/fuzz-api.sh [sqlite|postgres|both]     (MAX_EXAMPLES=100 by default)
#
# Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/.."

WHICH=${1:-both}
PORT=${PORT:-18184}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
venv=${SCHEMATHESIS_VENV:-target/test-tools/schemathesis}
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi

bin=${SIBUSER_BIN:-target/debug/sibuser}
[ -n "${SIBUSER_BIN:-}" ] || cargo build --locked -q
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

. scripts/api-key.sh
new_api_key fuzz unmasked

fuzz() {
  local backend=$1
  case "$backend" in
    sqlite)
      export DATABASE_URL="sqlite://$work/fuzz.db"
      $bin seed-demo --scale small >"$work/seed-$backend.log" 2>&1
      python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$work/fuzz.db" "$key_sql"
      ;;
    postgres)
      eval "$(scripts/dev-postgres.sh --env)"
      local name=sibuser_fuzz_$$
      export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$name"
      psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
      trap 'kill "${server:-0}" 2>/dev/null || true; sleep 1; psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS '"$name"' WITH (FORCE)" >/dev/null; rm -rf "$work"' EXIT
      $bin seed-demo --scale small >"$work/seed-$backend.log" 2>&1
      psql "$DATABASE_URL" -qc "$key_sql" >/dev/null
      ;;
  esac
  SIBUSER_DATA_DIR="$work/data" SIBUSER_BIND="127.0.0.1:$PORT" SIBUSER_LOG=warn \
    SIBUSER_API_RATE=100000 $bin serve >"$work/server-$backend.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 1
  done
  echo "== schemathesis on $backend"
  "$venv/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $key" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$MAX_EXAMPLES" --no-color
  kill "$server"; wait "$server" 2>/dev/null || true
  if grep -q "panicked" "$work/server-$backend.log"; then
    echo "the server panicked on $backend:"; grep -A3 panicked "$work/server-$backend.log"; exit 1
  fi
}

case "$WHICH" in
  sqlite|postgres) fuzz "$WHICH" ;;
  both) fuzz sqlite; fuzz postgres ;;
  *) echo "sqlite, postgres or both" >&2; exit 2 ;;
esac
