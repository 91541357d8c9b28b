#!/usr/bin/env bash
# Times the staff dashboard, the open-data pages and the data steward's IPK pages (twelve
# months of tables, one form, the workbook of all eight) on the demo data at a chosen scale, on a
# release build: each page as the median of five requests, plain and with
# `Accept-Encoding: gzip`, and the first request after start (nothing kept yet) on its own.
# The month before this one is signed off first, as the data steward does, so that open
# data has something to publish (run bench-ipk.sh before this on a reused database: it
# wants that month still open). docs/benchmarks.md records the results.
#
#   scripts/bench-dashboard.sh [small|city|large] [sqlite|postgres]
#   KEEP_DB=/tmp/large.db scripts/bench-dashboard.sh large sqlite   # seed once, then reuse
#
# Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${1:-large}
BACKEND=${2:-sqlite}
PORT=${PORT:-18182}

# SIBUSER_BIN runs another build; by default this tree's, built now.
bin=${SIBUSER_BIN:-target/release/sibuser}
[ -n "${SIBUSER_BIN:-}" ] || cargo build --release --locked -q
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

seed() {
  start=$(date +%s.%N)
  $bin seed-demo --scale "$SCALE" >"$work/seed.log"
  head -n 1 "$work/seed.log"
  echo "seed-demo $SCALE on $BACKEND: $(echo "$(date +%s.%N) - $start" | bc) s"
}
case "$BACKEND" in
  sqlite)
    db=${KEEP_DB:-$work/bench.db}
    export DATABASE_URL="sqlite://$db"
    [ -s "$db" ] || seed
    close_sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$db" "$1"; }
    ;;
  postgres)
    eval "$(scripts/dev-postgres.sh --env)"
    name=${KEEP_DB:-sibuser_bench_$$}
    export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$name"
    if ! psql "$DATABASE_URL" -qc "SELECT 1 FROM ipk_facts LIMIT 1" >/dev/null 2>&1; then
      psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
      seed
      psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null 2>&1
    fi
    [ -n "${KEEP_DB:-}" ] || trap 'kill "${server:-0}" 2>/dev/null || true; sleep 1; psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null; rm -rf "$work"' EXIT
    close_sql() { psql "$DATABASE_URL" -qc "$1" >/dev/null; }
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_BIND="127.0.0.1:$PORT" SIBUSER_LOG=warn

# The month before this one signed off, and so every month before it, as the data steward
# does (a fresh demo has every month but that one signed; signing it again is refused and
# changes nothing).
$bin ipk-report --from "$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)" \
  --to "$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)" --sign --out "$work/signed.xlsx" >/dev/null 2>&1 || true
echo "ledger facts: $(case "$BACKEND" in
  sqlite) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM ipk_facts').fetchone()[0])" "$db" ;;
  postgres) psql "$DATABASE_URL" -tAc "SELECT count(*) FROM ipk_facts" ;;
esac)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
start_server() {
  $bin serve >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
  # The background jobs' first pass (card expiry, job-alert digests over the whole demo)
  # runs at start: wait until the server idles (under 0.1 s of CPU in 2 s, at most 10 min)
  # so that the pages are measured alone.
  local before after
  for _ in $(seq 1 300); do
    before=$(cpu_ticks); sleep 2; after=$(cpu_ticks)
    [ $((after - before)) -lt 10 ] && break
  done
}
start_server

jar="$work/cookies"
token=$(curl -fs -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/masuk" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=walidata@sibuser.example" --data-urlencode "password=demo-binjai-2026" "http://127.0.0.1:$PORT/masuk"

once() { # curl arguments: one request's time in milliseconds (it must answer 200)
  curl -fs -o /dev/null -b "$jar" -w '%{time_total}\n' "$@" | awk '{printf "%.1f", $1 * 1000}'
}
median() { # curl arguments: the median of five request times, in milliseconds
  for _ in 1 2 3 4 5; do curl -fs -o /dev/null -b "$jar" -w '%{time_total}\n' "$@"; done \
    | sort -n | sed -n 3p | awk '{printf "%.1f", $1 * 1000}'
}
size() { # path: the gzipped body's size in KB
  curl -fs -b "$jar" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1" | wc -c | awk '{printf "%.1f", $1 / 1024}'
}
timed() { # name, path
  local first
  first=$(once -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$2")
  printf '%-34s %9s ms %9s ms %9s ms %7s KB\n' "$1" "$first" \
    "$(median "http://127.0.0.1:$PORT$2")" \
    "$(median -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$2")" "$(size "$2")"
}

echo
printf '%-34s %12s %12s %12s %10s\n' "page" "first (gzip)" "plain" "gzip" "gzip size"
timed "dashboard" /petugas/dasbor
timed "dashboard, kecamatan" "/petugas/dasbor?kecamatan=12.75.03"
timed "dashboard, kecamatan and sex" "/petugas/dasbor?kecamatan=12.75.03&jenis_kelamin=P"
timed "IPK index, 12 months" "/petugas/statistik?dari=$(date -d "$(date +%Y-%m-15) -12 month" +%Y-%m)&sampai=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)"
timed "IPK III/1, 12 months" "/petugas/statistik/iii-1?dari=$(date -d "$(date +%Y-%m-15) -12 month" +%Y-%m)&sampai=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)"
timed "IPK all forms, 12 months, XLSX" "/petugas/statistik/semua/xlsx?dari=$(date -d "$(date +%Y-%m-15) -12 month" +%Y-%m)&sampai=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)"
timed "open data, list" /data-terbuka
for dataset in pencari-kerja-umur pencari-kerja-pendidikan pencari-kerja-kecamatan lowongan-kbji penempatan-kbli penempatan-kecamatan; do
  timed "$dataset" "/data-terbuka/$dataset"
done
timed "pencari-kerja-umur.csv" /data-terbuka/pencari-kerja-umur.csv
timed "penempatan-kbli.json" /data-terbuka/penempatan-kbli.json

# The dashboard once the ledger has grown by one fact (what a card issued at the counter
# does): the kept sums are stale, so this request sums the ledger again.
close_sql "INSERT INTO ipk_facts (flow, subject, occurred_on, period, correction, male, female, either, recorded_at) VALUES ('seeker_registered', 'bench:1', CURRENT_DATE, $(date +%Y%m), FALSE, 1, 0, 0, CURRENT_TIMESTAMP)"
printf '%-34s %9s ms\n' "dashboard after one new fact" "$(once -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/petugas/dasbor")"
