#!/usr/bin/env bash
# Soak test: MINUTES minutes of a mixed workload at saturation against a release build with
# the demo data at a chosen scale, to find what only shows with time: memory that grows,
# latency that creeps up, errors that come with a growing table. scripts/soak.lua makes
# the mix: 80 % public search and vacancy pages, 15 % signed-in job seekers' pages (from
# SESSIONS different seekers), 5 % writes (applications and training enrolments, each a
# new pair that must succeed). Every request asks for gzip.
#
#   scripts/soak.sh [small|city|large] [sqlite|postgres]     # defaults: city sqlite
#   MINUTES=1 scripts/soak.sh small postgres                   # a short check
#   SIBUSER_BIN=/path/to/old/sibuser scripts/soak.sh           # another build
#
# wrk runs once a minute, MINUTES times back to back; after each run the server's RSS is
# read from /proc. One line a minute: req/s, p50, p99, errors (non-2xx/3xx and socket
# errors, counted as bench.sh counts them), RSS, and the statuses that were errors. Exits
# non-zero when there was any error or when the heap at the end is over 110 % of minute 2's
# (minute 1 warms caches and pools; growth after that is what a soak is for). The heap is
# the process's anonymous memory (RssAnon): VmRSS also counts the pages of the SQLite file
# the process has read through its memory map, which grow with the file and which the
# kernel takes back when it needs them; a leak shows in RssAnon. Both are printed.
#
# Writes at saturation are many: ~7000 a minute at city scale, so each of the 200 seekers
# gains ~35 applications a minute and their /pencaker/lamaran (which lists them all) grows
# with the run, ~1 kB of HTML per application; SESSIONS=1000 spreads them thinner. At
# small scale the pairs (54 seekers x 14 open vacancies) run out within seconds, and the
# rest of the write share becomes signed-in reads (the summary says how many).
#
# Only loopback traffic; every wrk run is bounded (60 s).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${1:-city}
BACKEND=${2:-sqlite}
MINUTES=${MINUTES:-10}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18191}
THREADS=2
# Signed-in seekers: enough that pages and writes are not one user's, few enough to sign
# in (argon2, sequentially) in well under a minute.
SESSIONS=${SESSIONS:-200}
# At most this many write pairs are prepared: 5 % of 4000 req/s for 10 minutes is 120 000;
# city scale has about 450 000 (200 seekers, 2300 open vacancies).
MAX_WRITES=${MAX_WRITES:-400000}
# wrk's default 2 s would count a slow answer as a socket error; at saturation the tail is
# what p99 is for, so only a request with no answer in 10 s is an error.
TIMEOUT=${TIMEOUT:-10s}
PASSWORD=demo-binjai-2026

need() { # command, Debian package
  command -v "$1" >/dev/null || { echo "soak: installing $2" >&2; apt-get install -y -qq "$2" >&2; }
}
need wrk wrk
need curl curl
[ "$BACKEND" = sqlite ] && need sqlite3 sqlite3

# SIBUSER_BIN runs another build (an older commit's, to compare on the same machine).
if [ -n "${SIBUSER_BIN:-}" ]; then
  bin=$SIBUSER_BIN
else
  cargo build --release --locked -q
  bin=target/release/sibuser
fi
work=$(mktemp -d)
db=""
cleanup() {
  local rc=$?
  # Whatever failed (a run with errors, a sign-in refused, the server gone): the server's
  # log, without its colours: the causes of failed requests counted, then its last lines.
  # The whole log is kept, as the work directory goes.
  if [ "$rc" -ne 0 ] && [ -s "$work/server.log" ]; then
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/soak-server.XXXXXX.log")
    sed 's/\x1b\[[0-9;]*m//g' "$work/server.log" >"$log"
    echo "--- server log, failed requests by cause:" >&2
    { grep -o 'cause=.*' "$log" | sort | uniq -c | sort -rn | awk 'NR <= 10' >&2; } || true
    echo "--- its last lines (all of it: $log):" >&2
    tail -n 20 "$log" >&2
  fi
  kill "${server:-0}" 2>/dev/null || true
  if [ -n "$db" ]; then
    sleep 1
    psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

case "$BACKEND" in
  sqlite)
    export DATABASE_URL="sqlite://$work/soak.db"
    sql() { sqlite3 -batch -noheader -separator ' ' "$work/soak.db" "$1"; }
    ;;
  postgres)
    eval "$(scripts/dev-postgres.sh --env)"
    db="sibuser_soak_$$"
    psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$db"
    sql() { psql "$DATABASE_URL" -XAtq -F ' ' -v ON_ERROR_STOP=1 -c "$1"; }
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_BIND="127.0.0.1:$PORT" SIBUSER_LOG=warn
base="http://127.0.0.1:$PORT"

start=$(date +%s.%N)
$bin seed-demo --scale "$SCALE" >"$work/seed.log"
head -n 1 "$work/seed.log"
echo "seed-demo $SCALE on $BACKEND: $(echo "$(date +%s.%N) - $start" | bc) s"
# As in bench.sh: a freshly loaded PostgreSQL database has no statistics until autovacuum.
if [ "$BACKEND" = postgres ]; then psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null 2>&1; fi

$bin serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/readyz" >/dev/null || { echo "soak: the server did not come up" >&2; exit 1; }

# ---- The write pairs, from the database -------------------------------------------------
# The portal's day is Binjai's (UTC+7). Writes only go to vacancies and programmes still
# open tomorrow, so that a run crossing midnight does not meet a closing.
today=$(date -u -d '+7 hours' +%F)
data="$work/lua"
mkdir -p "$data"

# Seekers who may apply: what applications::seeker::problem_of asks (a confirmed e-mail
# address, and nothing missing from seekers::forms::checklist), on an active account.
sql "SELECT u.id, js.id, u.email, js.education_level, js.birth_date
     FROM users u
     JOIN user_roles r ON r.user_id = u.id AND r.role = 'job_seeker'
     JOIN job_seekers js ON js.user_id = u.id
     WHERE u.is_active AND u.email_verified_at IS NOT NULL AND u.email IS NOT NULL
       AND u.phone IS NOT NULL AND u.phone <> ''
       AND (js.nik IS NOT NULL OR js.nik_claim IS NOT NULL)
       AND js.sex IS NOT NULL AND js.birth_place IS NOT NULL AND js.birth_date IS NOT NULL
       AND js.marital_status IS NOT NULL AND js.religion IS NOT NULL
       AND js.address IS NOT NULL AND js.regency_code IS NOT NULL
       AND js.education_level IS NOT NULL AND trim(js.skills) <> ''
       AND js.desired_job_title_id IS NOT NULL
     ORDER BY u.id LIMIT $SESSIONS" >"$work/seekers.txt"
seeker_ids=$(awk '{print $2}' "$work/seekers.txt" | paste -sd, -)
[ -n "$seeker_ids" ] || { echo "soak: no seeker may apply in the $SCALE data" >&2; exit 1; }

# Open vacancies: published and not past closes_on (vacancies::Vacancy::is_open). All of
# them are the public share's vacancy pages; those open tomorrow too take applications.
sql "SELECT id, closes_on FROM vacancies WHERE status = 'published' AND closes_on >= '$today'
     ORDER BY id" >"$work/open.txt"
awk '{print $1}' "$work/open.txt" >"$data/vacancies.txt"
[ -s "$data/vacancies.txt" ] || { echo "soak: no open vacancy in the $SCALE data" >&2; exit 1; }
# Programmes taking enrolments (training::enrolment::registration_open, and an active
# provider), with what eligibility() checks.
sql "SELECT p.id, p.education_min, coalesce(p.age_min, -1), coalesce(p.age_max, -1), p.starts_on
     FROM training_programmes p JOIN training_providers tp ON tp.id = p.provider_id
     WHERE p.status = 'published' AND tp.is_active
       AND p.registration_opens_on <= '$today' AND p.registration_closes_on > '$today'
     ORDER BY p.id" >"$work/programmes.txt"
sql "SELECT job_seeker_id, vacancy_id FROM applications
     WHERE job_seeker_id IN ($seeker_ids)" >"$work/applied.txt"
sql "SELECT job_seeker_id, programme_id FROM training_enrolments
     WHERE job_seeker_id IN ($seeker_ids)" >"$work/enrolled.txt"

# Every pair not already in the database, shuffled (a fixed seed) so that each seeker's
# writes and each vacancy's applications spread over the run: "session kind id", where
# session is the seeker's line in seekers.txt (and in sessions.txt). There are far fewer
# enrolment pairs than application pairs (city: ~1300 against ~450 000); shuffled alike,
# most would sit past what a run uses, so they are spread over the writes a run is
# expected to send (5 % of ~3000 req/s, 150 a second) instead.
awk -v today="$today" -v expected=$((MINUTES * 60 * 150)) '
  function age(birth, on) { # full years on a day, both YYYY-MM-DD
    return substr(on, 1, 4) - substr(birth, 1, 4) - (substr(on, 6) < substr(birth, 6))
  }
  FILENAME ~ /seekers.txt$/   { n++; js[n] = $2; edu[n] = $4; born[n] = $5; next }
  FILENAME ~ /open.txt$/      { if ($2 > today) vac[++nv] = $1; next }
  FILENAME ~ /programmes.txt$/ { np++; pid[np] = $1; pedu[np] = $2; amin[np] = $3; amax[np] = $4; start[np] = $5; next }
  FILENAME ~ /applied.txt$/   { applied[$1 " " $2] = 1; next }
  FILENAME ~ /enrolled.txt$/  { enrolled[$1 " " $2] = 1; next }
  END {
    for (s = 1; s <= n; s++) {
      for (i = 1; i <= nv; i++)
        if (!((js[s] " " vac[i]) in applied)) apply[++na] = s " a " vac[i]
      for (i = 1; i <= np; i++) {
        if ((js[s] " " pid[i]) in enrolled || edu[s] < pedu[i]) continue
        if (amin[i] >= 0 && amax[i] >= 0) {
          a = age(born[s], start[i])
          if (a < amin[i] || a > amax[i]) continue
        }
        enrol[++ne] = s " e " pid[i]
      }
    }
    srand(20260101)
    spread = (na + ne > expected) ? expected / (na + ne) : 1
    for (i = 1; i <= na; i++) print rand(), apply[i]
    for (i = 1; i <= ne; i++) print rand() * spread, enrol[i]
  }' "$work/seekers.txt" "$work/open.txt" "$work/programmes.txt" "$work/applied.txt" "$work/enrolled.txt" \
  | sort -g -k1,1 | awk -v max="$MAX_WRITES" 'NR <= max {print $2, $3, $4}' >"$data/writes.txt"
pairs=$(wc -l <"$data/writes.txt")
enrol_pairs=$(awk '$2 == "e" {n++} END {print n + 0}' "$data/writes.txt")

# ---- Sign the seekers in ----------------------------------------------------------------
# Each as a browser would: the form for its CSRF token, the password, the front page the
# sign-in lands on. Signing in renews the session and drops its CSRF token, so the token
# wrk sends comes from a page fetched afterwards: the application form of the seeker's
# first vacancy, which must answer 200 (200 = nothing stands in the way, see
# applications::seeker::status_of), checking the selection above.
# (One awk, no `| head`: under pipefail a writer cut off by head fails the pipeline.)
form_token() { awk '!found && match($0, /name="csrf_token" value="[^"]*"/) { print substr($0, RSTART + 25, RLENGTH - 26); found = 1 }'; }
first_vacancy=$(awk '$2 == "a" {print $3; exit}' "$data/writes.txt")
echo "signing in $(wc -l <"$work/seekers.txt") seekers ..."
start=$(date +%s.%N)
: >"$data/sessions.txt"
i=0
while read -r _ _ email _; do
  i=$((i + 1))
  jar="$work/jar"
  rm -f "$jar"
  token=$(curl -fs -c "$jar" -b "$jar" "$base/masuk" | form_token)
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -c "$jar" -b "$jar" \
    --data-urlencode "csrf_token=$token" --data-urlencode "email=$email" \
    --data-urlencode "password=$PASSWORD" "$base/masuk")
  [ "$code" = "303 $base/saya" ] || { echo "soak: signing in $email answered $code" >&2; exit 1; }
  curl -fs -o /dev/null -c "$jar" -b "$jar" "$base/saya"
  # This seeker's first application pair, else any open vacancy (a seeker with no pair
  # left still reads pages).
  vacancy=$(awk -v s="$i" '$1 == s && $2 == "a" {print $3; exit}' "$data/writes.txt")
  vacancy=${vacancy:-$first_vacancy}
  page=$(curl -s -w '\n%{http_code}' -c "$jar" -b "$jar" "$base/lowongan/$vacancy/lamar")
  [ "$(tail -n 1 <<<"$page")" = 200 ] || {
    echo "soak: $email may not apply to vacancy $vacancy: GET /lowongan/$vacancy/lamar answered $(tail -n 1 <<<"$page")" >&2
    exit 1
  }
  token=$(form_token <<<"$page")
  cookie=$(awk '$6 == "sibuser" {print $7}' "$jar")
  [ -n "$token" ] && [ -n "$cookie" ] || { echo "soak: no session cookie or CSRF token for $email" >&2; exit 1; }
  echo "$cookie $token" >>"$data/sessions.txt"
done <"$work/seekers.txt"
echo "signed in $i seekers: $(echo "$(date +%s.%N) - $start" | bc) s"

# A few enrolment pairs checked the same way: the enrolment form answers 200 when nothing
# (window, seats, eligibility) stands in the way.
awk '$2 == "e" && n++ < 5' "$data/writes.txt" | while read -r s _ programme; do
  cookie=$(sed -n "${s}p" "$data/sessions.txt" | cut -d' ' -f1)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sibuser=$cookie" "$base/pelatihan/$programme/daftar")
  [ "$code" = 200 ] || { echo "soak: seeker $s may not enrol in programme $programme: $code" >&2; exit 1; }
done

count_writes() { sql "SELECT (SELECT count(*) FROM applications) + (SELECT count(*) FROM training_enrolments)"; }
writes_before=$(count_writes)

echo "$SCALE on $BACKEND: $MINUTES min, $CONNECTIONS connections, $(wc -l <"$data/sessions.txt") seekers signed in," \
  "$(wc -l <"$data/vacancies.txt") open vacancies, $pairs write pairs ($enrol_pairs enrolments)"

# ---- The soak ---------------------------------------------------------------------------
printf '%6s %9s %9s %9s %7s %7s %9s %9s  %s\n' minute req/s p50 p99 errors writes "heap MiB" "RSS MiB" "error statuses"
cursors=$(printf '0 %.0s' $(seq 1 "$THREADS"))
total_requests=0 total_errors=0 exhausted=0 writes_sent=0 rss_base="" rss="" heap_base="" heap=""
declare -A statuses redirects
for minute in $(seq 1 "$MINUTES"); do
  out=$(SOAK_DATA="$data" wrk -t"$THREADS" -c"$CONNECTIONS" -d60s --timeout "$TIMEOUT" --latency \
    -s scripts/soak.lua "$base" -- $cursors)
  echo "$out" >"$work/wrk-$minute.txt"
  kill -0 "$server" 2>/dev/null || { echo "soak: the server is gone in minute $minute" >&2; exit 1; }
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
  heap=$(awk '/^RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
  if [ "$minute" -le 2 ]; then rss_base=$rss heap_base=$heap; fi

  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {for (i = 4; i <= NF; i += 2) n += $i} END {print n + 0}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cursors=$(awk '$1 == "soak-cursors" {$1 = ""; print}' <<<"$out")
  [ -n "$cursors" ] || { echo "soak: wrk did not finish minute $minute:" >&2; echo "$out" >&2; exit 1; }
  sent=$(awk '{for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' <<<"$cursors")
  writes=$((sent - writes_sent)) writes_sent=$sent
  exhausted=$((exhausted + $(awk '$1 == "soak-exhausted" {print $2}' <<<"$out")))
  while read -r _ code n; do statuses[$code]=$((${statuses[$code]:-0} + n)); done < <(grep '^soak-status ' <<<"$out")
  while read -r _ to n; do redirects[$to]=$((${redirects[$to]:-0} + n)); done < <(grep '^soak-redirect ' <<<"$out")
  bad=$(awk '$1 == "soak-status" && ($2 < 200 || $2 >= 400) {printf "%s%s×%s", sep, $2, $3; sep = " "}' <<<"$out")
  socket=$(awk '/Socket errors/ {print $3, $4, $5, $6, $7, $8, $9, $10}' <<<"$out")

  total_requests=$((total_requests + requests))
  total_errors=$((total_errors + errors))
  printf '%6s %9s %9s %9s %7s %7s %9s %9s  %s\n' "$minute" "$rps" "$p50" "$p99" "$errors" "$writes" "$heap" "$rss" \
    "$bad${socket:+ socket: $socket}"
done

writes_after=$(count_writes)
growth=$(awk -v a="$heap" -v b="$heap_base" 'BEGIN {printf "%.1f", 100 * a / b}')
rss_growth=$(awk -v a="$rss" -v b="$rss_base" 'BEGIN {printf "%.1f", 100 * a / b}')
echo
echo "requests: $total_requests, errors: $total_errors"
echo "statuses: $(for k in "${!statuses[@]}"; do echo "$k×${statuses[$k]}"; done | sort -n | paste -sd' ' -)"
echo "303 to: $(for k in "${!redirects[@]}"; do echo "$k×${redirects[$k]}"; done | sort | paste -sd' ' -)"
echo "writes: $writes_sent sent, $((writes_after - writes_before)) made (new applications and enrolments), of $pairs pairs"
if [ "$exhausted" -gt 0 ]; then
  echo "note: the write pairs ran out; $exhausted writes became signed-in reads (more seekers or vacancies: SESSIONS, a larger scale)"
fi
echo "heap (RssAnon): $heap MiB at the end, $heap_base MiB at minute $((MINUTES < 2 ? MINUTES : 2)): $growth %"
echo "RSS (with mapped file pages): $rss MiB at the end, $rss_base MiB at minute $((MINUTES < 2 ? MINUTES : 2)): $rss_growth %"

status=0
if [ "$total_errors" -gt 0 ]; then echo "FAIL: $total_errors errors" >&2; status=1; fi
if awk -v g="$growth" 'BEGIN {exit !(g > 110)}'; then echo "FAIL: the heap grew to $growth % of minute 2's" >&2; status=1; fi
exit "$status"
