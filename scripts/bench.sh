#!/usr/bin/env bash
# Load benchmark of the portal's pages with wrk, on a release build with the demo data at a
# chosen scale. Every page is measured four ways: on one keep-alive connection
# (`wrk -t1 -c1`) and on CONNECTIONS of them (`wrk -t2 -cN`), each without and with
# `Accept-Encoding: gzip` (what every browser sends). Prints two lines per page, c=1 and c=N;
# docs/benchmarks.md records the method and results.
#
#   scripts/bench.sh [small|city|large] [sqlite|postgres]
#   SIBUSER_BIN=/path/to/old/sibuser scripts/bench.sh city sqlite   # another build
#
# Only loopback traffic; every wrk run is bounded: DURATION seconds with N connections,
# DURATION_ONE seconds on one connection.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${1:-city}
BACKEND=${2:-sqlite}
DURATION=${DURATION:-10}
DURATION_ONE=${DURATION_ONE:-5}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18181}

command -v wrk >/dev/null || { echo "bench: installing wrk" >&2; apt-get install -y -qq wrk >&2; }

# SIBUSER_BIN runs another build (an older commit's, to compare on the same machine).
if [ -n "${SIBUSER_BIN:-}" ]; then
  bin=$SIBUSER_BIN
else
  cargo build --release --locked -q
  bin=target/release/sibuser
fi
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

case "$BACKEND" in
  sqlite) export DATABASE_URL="sqlite://$work/bench.db" ;;
  postgres)
    eval "$(scripts/dev-postgres.sh --env)"
    db="sibuser_bench_$$"
    psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$db"
    trap 'kill "${server:-0}" 2>/dev/null || true; sleep 1; psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"' EXIT
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_BIND="127.0.0.1:$PORT" SIBUSER_LOG=warn

start=$(date +%s.%N)
$bin seed-demo --scale "$SCALE" >"$work/seed.log"
head -n 1 "$work/seed.log"
echo "seed-demo $SCALE on $BACKEND: $(echo "$(date +%s.%N) - $start" | bc) s"
# A freshly loaded PostgreSQL database has no statistics or visibility map until autovacuum
# gets to it; a live one has both. Vacuum now so that the runs measure the portal.
if [ "$BACKEND" = postgres ]; then psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null 2>&1; fi

$bin serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

# The first open vacancy, for its page.
vacancy=$(curl -fs "http://127.0.0.1:$PORT/lowongan" | grep -o 'href="/lowongan/[0-9]*"' | head -n 1 | grep -o '[0-9]*')

GZIP=(-H 'Accept-Encoding: gzip')
wrk_run() { # threads, connections, seconds, then wrk arguments: "req/s p50 p99 errors"
  local out rps p50 p99 errors
  out=$(wrk -t"$1" -c"$2" -d"$3s" --latency "${@:4}")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {for (i = 4; i <= NF; i += 2) n += $i} END {print n + 0}' <<<"$out")
  echo "$rps $p50 $p99 $errors"
}
row() { # name, threads, connections, seconds, then wrk arguments: one line, plain and gzip
  local name=$1 threads=$2 conns=$3 secs=$4 rps p50 p99 err grps g50 g99 gerr; shift 4
  read -r rps p50 p99 err < <(wrk_run "$threads" "$conns" "$secs" "$@")
  read -r grps g50 g99 gerr < <(wrk_run "$threads" "$conns" "$secs" "${GZIP[@]}" "$@")
  printf '%-36s %5s %9s %9s %9s %9s %9s %9s %7s\n' "$name" "$conns" "$rps" "$p50" "$p99" \
    "$grps" "$g50" "$g99" $((err + gerr))
}
run() { # name, then wrk arguments: a line for one connection, one for CONNECTIONS
  row "$1" 1 1 "$DURATION_ONE" "${@:2}"
  row "" 2 "$CONNECTIONS" "$DURATION" "${@:2}"
}

printf '%-36s %5s %29s %29s %7s\n' "" "" "---------- plain ----------" "---------- gzip -----------" ""
printf '%-36s %5s %9s %9s %9s %9s %9s %9s %7s\n' page conns req/s p50 p99 req/s p50 p99 errors
for page in /healthz /readyz / /tentang "/static/css/app.css" /lowongan "/lowongan/$vacancy" "/lowongan?q=staf"; do
  run "$page" "http://127.0.0.1:$PORT$page"
done
# Keyword plus three filters, sixteen different searches in turn.
run "search (kw+3 filters)" -s scripts/bench-search.lua "http://127.0.0.1:$PORT"

# The same searches with no keyword match kept (SIBUSER_SEARCH_CACHE=0): every search goes
# to the full-text index, the worst case of a stream of different keywords.
kill "$server"; wait "$server" 2>/dev/null || true
SIBUSER_SEARCH_CACHE=0 $bin serve >"$work/server-nocache.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
run "/lowongan?q=staf, no cache" "http://127.0.0.1:$PORT/lowongan?q=staf"
run "search, no cache" -s scripts/bench-search.lua "http://127.0.0.1:$PORT"

# Training: the public programme search and page (wrk), then the staff's and a provider's
# pages one request at a time, signed in (median of five, in milliseconds).
kill "$server"; wait "$server" 2>/dev/null || true
$bin serve >"$work/server-training.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
programme=$(curl -fs "http://127.0.0.1:$PORT/pelatihan" | grep -o 'href="/pelatihan/[0-9]*"' | head -n 1 | grep -o '[0-9]*' || true)
for page in /pelatihan "/pelatihan?q=pelatihan" "/pelatihan?kejuruan=ti&biaya=gratis" "/pelatihan/$programme"; do
  run "$page" "http://127.0.0.1:$PORT$page"
done

jar="$work/cookies"
sign_in() { # email
  rm -f "$jar"
  token=$(curl -fs -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/masuk" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=demo-binjai-2026" "http://127.0.0.1:$PORT/masuk"
}
median() { # curl arguments: the median of five request times, in milliseconds
  for _ in 1 2 3 4 5; do curl -fs -o /dev/null -b "$jar" -w '%{time_total}\n' "$@"; done \
    | sort -n | sed -n 3p | awk '{printf "%.1f", $1 * 1000}'
}
timed() { # name, path: plain and gzip, each the median of five requests that must be 200s
  local code
  code=$(curl -s -o /dev/null -b "$jar" -w '%{http_code}' "http://127.0.0.1:$PORT$2")
  [ "$code" = 200 ] || { echo "bench: $2 answered $code" >&2; exit 1; }
  printf '%-28s %7s ms %7s ms\n' "$1" "$(median "http://127.0.0.1:$PORT$2")" \
    "$(median -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$2")"
}
echo
printf '%-28s %10s %10s\n' "signed in, one at a time" plain gzip
sign_in operator@sibuser.example
year=$(date +%Y)
timed "staff programmes" /petugas/pelatihan/program
timed "staff outcomes (year)" "/petugas/pelatihan/hasil?tahun=$year"
finished=$(curl -fs -b "$jar" "http://127.0.0.1:$PORT/petugas/pelatihan/hasil?tahun=$year" | grep -o 'href="/petugas/pelatihan/program/[0-9]*"' | head -n 1 | grep -o '[0-9]*' || true)
timed "a programme's participants" "/petugas/pelatihan/program/$finished"
sign_in lembaga@sibuser.example
timed "provider outcomes (year)" "/lembaga/hasil?tahun=$year"
