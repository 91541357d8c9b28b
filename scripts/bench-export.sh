#!/usr/bin/env bash
# Export benchmark: a full job-seeker export of the `large` demo data (1,000,000 job
# seekers) with `sibuser export` on a release build, timed with peak memory
# (`/usr/bin/time -v`), RUNS times (default 3). Rows per second are the rows written over
# the elapsed time of the whole process (start-up, migrations check and counting included).
# docs/benchmarks.md records the method and the results.
#
#   scripts/bench-export.sh [sqlite|postgres]
#   FORMAT=xlsx RUNS=1 scripts/bench-export.sh sqlite
#   PURPOSE="benchmark of the unmasked export" scripts/bench-export.sh postgres
#
# The seeded database is kept (target/bench-export/large.db, or the PostgreSQL database
# sibuser_bench_export_large) so that later runs skip the 4-10 minutes of seeding; remove
# it to seed again.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
RUNS=${RUNS:-3}
FORMAT=${FORMAT:-csv}
DATASET=${DATASET:-job-seekers}
PG=${SIBUSER_BENCH_POSTGRES_URL:-postgres://sibuser:sibuser@127.0.0.1:5432}

if [ -n "${SIBUSER_BIN:-}" ]; then
  bin=$SIBUSER_BIN
else
  cargo build --release --locked -q
  bin=target/release/sibuser
fi
keep=target/bench-export
mkdir -p "$keep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case "$BACKEND" in
  sqlite) export DATABASE_URL="sqlite://$PWD/$keep/large.db" ;;
  postgres)
    db=sibuser_bench_export_large
    if ! psql "$PG/postgres" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
    fi
    export DATABASE_URL="$PG/$db"
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_LOG=warn

echo "seeding the large demo data if needed ($BACKEND)"
/usr/bin/time -f "seed-demo: %e s, %M KB" $bin seed-demo --scale large

args=(export "$DATASET" --format "$FORMAT" --out "$work/export.$FORMAT")
[ -n "${PURPOSE:-}" ] && args+=(--purpose "$PURPOSE")

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-6s %10s %10s %10s %12s %10s %10s\n' run elapsed cpu "peak RSS" rows "rows/s" size
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -v $bin "${args[@]}" >"$work/out.txt" 2>"$work/time.txt"
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$work/time.txt")
  # The process's own CPU time (user and system): what the export costs when the machine
  # is busy with other work. The database server's time is not in it.
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2fs", s}' "$work/time.txt")
  rows=$(awk '/rows written/ {print $1}' "$work/out.txt")
  size=$(du -h "$work/export.$FORMAT" | cut -f1)
  printf '%-6s %9.2fs %10s %10s %12s %10.0f %10s\n' "$i" "$seconds" "$cpu" "$rss" "$rows" "$(echo "$rows / $seconds" | bc -l)" "$size"
done
head -c 400 "$work/export.$FORMAT" | head -n 3
