#!/usr/bin/env bash
# Push throughput to the national sandbox on loopback (issue 17): the `city` demo data with
# the ministry granted all eight data sets unmasked, connected to a release-built
# `sibuser national-sandbox`. Each run queues every shared record (`sibuser sync resync`,
# not timed) and times `sibuser sync --once` pushing the whole queue: events per second are
# the events delivered over that process's elapsed time, start-up included. RUNS times
# (default 3). docs/benchmarks.md records the method and the results.
#
#   scripts/bench-sync.sh [sqlite|postgres]
#   BATCH=500 RUNS=1 scripts/bench-sync.sh postgres
#
# The seeded database is kept (target/bench-sync/city.db, or the PostgreSQL database
# sibuser_bench_sync_city); remove it to seed again.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
RUNS=${RUNS:-3}
BATCH=${BATCH:-1000}
PG=${SIBUSER_BENCH_POSTGRES_URL:-postgres://sibuser:sibuser@127.0.0.1:5432}

if [ -n "${SIBUSER_BIN:-}" ]; then
  bin=$SIBUSER_BIN
else
  cargo build --release --locked -q
  bin=target/release/sibuser
fi
keep=target/bench-sync
mkdir -p "$keep"
work=$(mktemp -d)
sandbox_pid=
trap '[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; rm -rf "$work"' EXIT
export SIBUSER_DATA_DIR=$work SIBUSER_LOG=warn

case "$BACKEND" in
  sqlite)
    export DATABASE_URL="sqlite://$PWD/$keep/city.db"
    fresh=$([ -f "$keep/city.db" ] && echo no || echo yes)
    sql() { sqlite3 "$keep/city.db" "$1"; }
    ;;
  postgres)
    db=sibuser_bench_sync_city
    fresh=no
    if ! psql "$PG/postgres" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
      fresh=yes
    fi
    export DATABASE_URL="$PG/$db"
    sql() { psql "$DATABASE_URL" -qAtc "$1"; }
    ;;
  *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;;
esac

if [ "$fresh" = yes ]; then
  echo "Seeding the city demo data ($BACKEND)..."
  "$bin" seed-demo --scale city
fi
partner=$(sql "SELECT id FROM partners WHERE kind = 'ministry' ORDER BY id LIMIT 1")
now=$(date -u '+%Y-%m-%d %H:%M:%S')
for d in job_seekers vacancies companies employed_residents training placements wlkp jkp; do
  sql "DELETE FROM partner_grants WHERE partner_id = $partner AND dataset = '$d'"
  sql "INSERT INTO partner_grants (partner_id, dataset, masking, granted_at) VALUES ($partner, '$d', 'unmasked', '$now')"
done

portal=$("$bin" sync keygen bench-portal)
seed=$(echo "$portal" | sed -n 's/^SIBUSER_SYNC_SIGNING_KEY=//p')
portal_public=$(echo "$portal" | tail -1)
sandbox=$("$bin" sync keygen bench-sandbox)
sandbox_seed=$(echo "$sandbox" | sed -n 's/^SIBUSER_SYNC_SIGNING_KEY=//p')
sandbox_public=$(echo "$sandbox" | tail -1)
port=$((20000 + RANDOM % 20000))
"$bin" national-sandbox --bind "127.0.0.1:$port" --signing-key "$sandbox_seed" \
  --peer-key "$portal_public" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/sandbox/state" >/dev/null && break
  sleep 0.1
done

export SIBUSER_SYNC_URL="http://127.0.0.1:$port/v1" SIBUSER_SYNC_PARTNER_ID=$partner \
  SIBUSER_SYNC_SIGNING_KEY=$seed SIBUSER_SYNC_PEER_KEYS=$sandbox_public SIBUSER_SYNC_BATCH=$BATCH

echo "backend=$BACKEND batch=$BATCH commit=$(git rev-parse --short HEAD)"
# Capture on, as a connected portal has it (so --once does not queue everything itself).
sql "UPDATE sync_state SET capture = TRUE"
for run in $(seq "$RUNS"); do
  "$bin" sync resync >/dev/null
  start=$(date +%s.%N)
  out=$("$bin" sync --once)
  end=$(date +%s.%N)
  delivered=$(echo "$out" | sed -n 's/.*: \([0-9]*\) events delivered.*/\1/p')
  sandbox_cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$sandbox_pid/stat")
  python3 -c "import sys; d=int('$delivered'); t=$end-$start; print(f'run $run: {d} events in {t:.2f} s = {d/t:,.0f} events/s (sandbox CPU so far {float(\"$sandbox_cpu\"):.1f} s)')"
done
curl -s "http://127.0.0.1:$port/sandbox/state"; echo
"$bin" sync verify
