#!/usr/bin/env bash
# Requests a second of the sharing API's list endpoint (issue 16): a page of 100 job seekers
# with `Accept-Encoding: gzip`, as a partner's sync reads them, on a release build over
# loopback, measured with wrk (2 threads, 32 connections, 20 s) beside /healthz on the same
# server for the ratio. The first page and a page from the middle of the feed are measured;
# each request is a full one: key lookup, grants, change feed, the owner's read, masking,
# JSON, gzip, and the audit entry a read of personal data writes.
# docs/benchmarks.md records the results.
#
#   scripts/bench-api.sh [sqlite|postgres]
#   KEEP_DB=/tmp/large.db scripts/bench-api.sh sqlite          # an existing large demo
#   KEEP_DB=sibuser_bench_export_large scripts/bench-api.sh postgres
#
# Without KEEP_DB the large demo is seeded first (about 10 minutes). Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
PORT=${PORT:-18183}
DURATION=${DURATION:-20s}

bin=${SIBUSER_BIN:-target/release/sibuser}
[ -n "${SIBUSER_BIN:-}" ] || cargo build --release --locked -q
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

# A partner with a masked grant of job seekers, and its key (scripts/api-key.sh).
. scripts/api-key.sh
new_api_key bench masked job_seekers

case "$BACKEND" in
  sqlite)
    db=${KEEP_DB:-$work/bench.db}
    export DATABASE_URL="sqlite://$db"
    [ -s "$db" ] || $bin seed-demo --scale large >/dev/null
    $bin migrate >/dev/null 2>&1 || true
    run_sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.executescript(sys.argv[2]) if ";" in sys.argv[2].strip()[:-1] else c.execute(sys.argv[2]); c.commit(); [print(*row, sep="|") for row in (r.fetchall() if r else [])]' "$db" "$1"; }
    ;;
  postgres)
    eval "$(scripts/dev-postgres.sh --env)"
    name=${KEEP_DB:-sibuser_bench_api_$$}
    export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$name"
    if ! psql "$DATABASE_URL" -qc "SELECT 1 FROM job_seekers LIMIT 1" >/dev/null 2>&1; then
      psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
      $bin seed-demo --scale large >/dev/null
      psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null 2>&1
    fi
    run_sql() { psql "$DATABASE_URL" -qAtc "$1"; }
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_BIND="127.0.0.1:$PORT" SIBUSER_LOG=warn
# The per-key limit (20 a second by default) would measure the limiter, not the endpoint.
export SIBUSER_API_RATE=1000000

$bin serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 1
done
run_sql "$key_sql" >/dev/null
echo "job seekers: $(run_sql 'SELECT count(*) FROM job_seekers'), feed rows: $(run_sql "SELECT count(*) FROM record_versions WHERE dataset = 'job_seekers'")"

base="http://127.0.0.1:$PORT/api/v1/job-seekers"
auth="Authorization: Bearer $key"
first=$(curl -fsS -H "$auth" "$base?limit=100")
middle_cursor=$(
  python3 - "$base" "$key" <<'PY'
import base64, json, sys, urllib.request
base, key = sys.argv[1], sys.argv[2]
cursor = ""
# Half way through the feed, by pages of 1,000.
for _ in range(10):
    req = urllib.request.Request(base + "?limit=1000" + (f"&cursor={cursor}" if cursor else ""),
                                 headers={"Authorization": f"Bearer {key}"})
    body = json.load(urllib.request.urlopen(req))
    cursor = body["next_cursor"]
print(cursor)
PY
)
echo "first page: $(printf %s "$first" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(len(b["records"]), "records,", b["masking"])'), $(printf %s "$first" | wc -c) bytes, gzip $(curl -fsS -H "$auth" -H 'Accept-Encoding: gzip' "$base?limit=100" | wc -c) bytes"

measure() {
  local label=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -H 'Accept-Encoding: gzip' "$@" "$url")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx: %s\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}
measure "/healthz" "http://127.0.0.1:$PORT/healthz"
measure "first page of 100" "$base?limit=100" -H "$auth"
measure "page of 100, mid-feed" "$base?limit=100&cursor=$middle_cursor" -H "$auth"
echo "audit entries written: $(run_sql "SELECT count(*) FROM audit_log WHERE action = 'api.personal_read'")"
