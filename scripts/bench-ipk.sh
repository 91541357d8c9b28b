#!/usr/bin/env bash
# IPK statistics on the `large` demo data (1,000,000 job seekers, 100,000 vacancies): how
# long `sibuser ipk-report` takes for III/1 of last month and for a year of all eight forms,
# with every month before last signed off as the Dinas does each month (the demo's seed
# signs them; on a reused database the script signs what is not yet). Last month is still
# open: its flows are summed from the ledger, the closed months' from their kept sums, the
# carried-over figure from the stock kept at the end of the month before. Release build;
# each figure is the whole command, process start and database open included, timed by
# hyperfine. docs/benchmarks.md records the method and results.
#
#   scripts/bench-ipk.sh [sqlite|postgres]
#   SIBUSER_BENCH_DB=sqlite:///tmp/large.db scripts/bench-ipk.sh sqlite   # reuse a seeded database
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
RUNS=${RUNS:-5}
command -v hyperfine >/dev/null || { echo "bench-ipk: installing hyperfine" >&2; apt-get install -y -qq hyperfine >&2; }
cargo build --release --locked -q
bin=$PWD/target/release/sibuser
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SIBUSER_DATA_DIR=$work/data SIBUSER_LOG=warn

if [ -n "${SIBUSER_BENCH_DB:-}" ]; then
  export DATABASE_URL=$SIBUSER_BENCH_DB
else
  case "$BACKEND" in
    sqlite) export DATABASE_URL="sqlite://$work/bench.db" ;;
    postgres)
      eval "$(scripts/dev-postgres.sh --env)"
      db="sibuser_ipk_$$"
      psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
      export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$db"
      trap 'psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null; rm -rf "$work"' EXIT
      ;;
    *) echo "bench-ipk: backend is sqlite or postgres" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  "$bin" seed-demo --scale large >/dev/null
  echo "seed-demo --scale large: $(( $(date +%s) - start )) s"
fi

month() { date -u -d "$(date -u +%Y-%m-15) $1 month" +%Y-%m; }
last=$(month -1)
year_from=$(month -12)

time_it() { # label, then the command's arguments
  local label=$1; shift
  hyperfine --runs "$RUNS" --warmup 1 --style none --export-json "$work/h.json" \
    "$bin ipk-report $* --out $work/out.xlsx" >/dev/null
  python3 -c "import json,sys; r=json.load(open('$work/h.json'))['results'][0]; print(f'{sys.argv[1]}: mean {r[\"mean\"]*1000:.0f} ms, min {r[\"min\"]*1000:.0f} ms, max {r[\"max\"]*1000:.0f} ms')" "$label"
}

"$bin" check-config >/dev/null
# Sign off what is not signed yet, oldest first, up to the month before last (the seed has
# done it on a fresh database; signing a month twice is refused and changes nothing).
start=$(date +%s%N)
m=$(month -36)
before_last=$(month -2)
n=0
while ! [ "$m" \> "$before_last" ]; do
  "$bin" ipk-report --from "$m" --to "$m" --sign --out "$work/signed.xlsx" >/dev/null 2>&1 && n=$((n + 1))
  m=$(date -u -d "$m-15 +1 month" +%Y-%m)
done
echo "signed off $n months not signed before: $(( ($(date +%s%N) - start) / 1000000 )) ms in all"

# Another script (bench-dashboard.sh) may have signed last month on a reused database: its
# figures would then be read as signed, not computed.
if ! "$bin" ipk-report --from "$last" --to "$last" --form III/1 --out "$work/out.csv" | grep -q "Belum ditandatangani"; then
  echo "bench-ipk: $last is signed on this database, so its III/1 is read, not computed; use a fresh seed" >&2
fi
time_it "III/1, $last (open, the months before it closed)" --from "$last" --to "$last" --form III/1
time_it "all eight forms, $year_from to $last" --from "$year_from" --to "$last"
time_it "all eight forms, the quarter to $before_last (closed, not signed as a quarter)" \
  --from "$(month -4)" --to "$before_last"
# What every figure above includes besides the statistics.
hyperfine --runs "$RUNS" --warmup 1 --style none --export-json "$work/h.json" "$bin check-config" >/dev/null
python3 -c "import json; r=json.load(open('$work/h.json'))['results'][0]; print(f'process start and database open (check-config): mean {r[\"mean\"]*1000:.0f} ms')"
