#!/usr/bin/env bash
# Web scan of the demo portal with wapiti, anonymously and signed in as each role.
#
#   scripts/scan.sh [SECONDS_PER_ROLE]     # default 180; CI runs it with 45
#   SCAN_ROLES="anonymous pencaker" scripts/scan.sh 60
#
# Seeds the demo into a fresh SQLite database once; then each role gets its own copy of it
# and its own `sibuser serve --demo` on loopback, so the roles can be scanned side by side
# (SCAN_LANES at once, default 2) and no role's scan sees what another's posted (the staff
# scans post their forms for real: providers switched off, companies rejected, users
# deactivated). Each demo login is signed in with curl, and wapiti gets that session
# cookie. The pages that end the session or ask for the current password are left out.
#
# The crawl keeps at most MAX_FILES_PER_DIR pages of each directory (default 25): the
# portal's pages come from a few dozen templates, and the demo's many vacancy, company
# and participant pages are one template each, so crawling all of them costs minutes and
# attacks nothing new.
#
# Afterwards it checks, in the server's access log, that each signed-in scan stayed
# signed in: wapiti silently drops a cookie it cannot use, and a scan that ran signed out
# would prove nothing. The role's own pages (/pencaker, /petugas, ...) must have answered
# wapiti's GETs, and the last of those GETs must not have been sent to the login page.
#
# Reports go to target/scan/ROLE.json; the script prints the findings of each and exits
# non-zero if any role has a vulnerability, an anomaly (a 500) or lost its session.
# wapiti comes from PyPI into a venv outside the clone (~/.cache), installed once.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-180}
files_per_dir=${MAX_FILES_PER_DIR:-25}
wapiti_version=3.2.3
venv=${WAPITI_VENV:-$HOME/.cache/sibuser/wapiti-$wapiti_version}
lanes=${SCAN_LANES:-2}
out=target/scan
first_port=18089

if [ ! -x "$venv/bin/wapiti" ]; then
  echo "scan.sh: installing wapiti3 $wapiti_version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "wapiti3==$wapiti_version" >&2
fi

cargo build --locked --quiet
rm -rf "$out" && mkdir -p "$out/demo"

# Starts the portal on DATA_DIR and PORT in the background and waits until it answers.
serve_on() {
  local data=$1 port=$2
  SIBUSER_DATA_DIR="$data" DATABASE_URL="sqlite://$data/scan.db" \
    SIBUSER_BIND="127.0.0.1:$port" SIBUSER_LOG=info SIBUSER_LOG_FORMAT=json \
    target/debug/sibuser serve --demo >"$data/server.log" 2>&1 &
  echo $! >"$data/server.pid"
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "scan.sh: the portal on port $port did not start; see $data/server.log" >&2
  return 1
}

stop() {
  local pid
  pid=$(cat "$1/server.pid")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}
trap 'for p in "$out"/*/server.pid; do [ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null; done; true' EXIT

# The demo is seeded once; a stopped server leaves a database that can be copied whole.
serve_on "$out/demo" "$first_port"
stop "$out/demo"
rm "$out/demo/server.log" "$out/demo/server.pid"

# Signs a demo login in on BASE and prints a cookie header value that holds a CSRF token.
session_of() {
  local base=$1 email=$2 jar="$3/cookies" token
  token=$(curl -fs -c "$jar" -b "$jar" "$base/masuk" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=demo-binjai-2026" "$base/masuk"
  # A page with a form, so the cookie carries this session's CSRF token from now on.
  curl -fs -o /dev/null -c "$jar" -b "$jar" "$base/akun"
  awk '$6 == "sibuser" { print "sibuser=" $7 }' "$jar"
}

# The route patterns only a role's session can open (src/routes.rs).
own_routes() {
  case $1 in
    pencaker) echo '^/pencaker' ;;
    perusahaan) echo '^/perusahaan/[a-z]' ;;
    lembaga) echo '^/lembaga' ;;
    mitra) echo '^/mitra' ;;
    admin) echo '^/admin' ;;
    *) echo '^/petugas' ;;
  esac
}

# Scans one role on its own copy of the demo; writes ROLE.summary and fails on a finding.
scan_role() {
  local role=$1 port=$2 dir="$out/$1" started base="http://127.0.0.1:$2" cookie args=()
  started=$(date +%s)
  cp -a "$out/demo" "$dir"
  serve_on "$dir" "$port" || { echo "$role: the portal did not start" >"$dir.summary"; return 1; }
  if [ "$role" != anonymous ]; then
    cookie=$(session_of "$base" "$role@sibuser.example" "$dir")
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/akun")" != 200 ]; then
      echo "$role: could not sign in" >"$dir.summary"
      stop "$dir"
      return 1
    fi
    # Not --drop-set-cookie: with it wapiti sends no cookie at all. The portal re-sets the
    # same session's cookie (with a flash or a new CSRF token), which wapiti then keeps.
    args+=(-C "$cookie")
  fi
  local from_line
  from_line=$(wc -l <"$dir/server.log")
  "$venv/bin/wapiti" -u "$base/" --scope folder \
    -m xss,sql,permanentxss,redirect,crlf,http_headers,csp \
    -x "$base/keluar" -x "$base/akun/keluar-semua" -x "$base/pencaker/hapus-akun" \
    -x "$base/akun/sandi" -x "$base/akun/surel" \
    --max-files-per-dir "$files_per_dir" \
    --max-scan-time "$seconds" --max-attack-time "$((seconds / 6))" --flush-session --no-bugreport \
    -f json -o "$out/$role.json" "${args[@]}" >"$out/$role.log" 2>&1 || true
  stop "$dir"
  tail -n "+$((from_line + 1))" "$dir/server.log" >"$out/$role.requests"
  local status=0 summary
  summary=$(python3 - "$role" "$out/$role.json" "$out/$role.requests" "$(own_routes "$role")" <<'PY'
import json, re, sys
role, report_path, requests_path, own = sys.argv[1:]
report = json.load(open(report_path))
vulns = {k: len(v) for k, v in report.get("vulnerabilities", {}).items() if v}
anomalies = {k: len(v) for k, v in report.get("anomalies", {}).items() if v}
crawled = report.get("infos", {}).get("crawled_pages_nbr", "?")
requests, own_gets = 0, []
for line in open(requests_path):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    span = event.get("span") or {}
    if event.get("message") not in ("request", "request failed") or "http.route" not in span:
        continue
    requests += 1
    if span.get("http.method") == "GET" and re.match(own, span["http.route"]):
        own_gets.append(event.get("status"))
bad = bool(vulns or anomalies)
text = (f"{crawled} pages crawled, {requests} requests; "
        f"vulnerabilities: {vulns or 'none'}; anomalies: {anomalies or 'none'}")
if role != "anonymous":
    answered = sum(1 for s in own_gets if s == 200)
    text += f"; {answered} of {len(own_gets)} GETs of its own pages answered"
    if answered == 0 or own_gets[-1] == 303:
        text += "; SIGNED OUT during the scan"
        bad = True
print(text)
sys.exit(1 if bad else 0)
PY
  ) || status=1
  rm -rf "$dir"
  echo "$role: $summary ($(($(date +%s) - started)) s)" >"$out/$role.summary"
  return $status
}

# The longest scans first, so the lanes end together.
roles=(${SCAN_ROLES:-admin operator walidata lembaga verifikator pencaker perusahaan mitra anonymous})
pids=()
for i in "${!roles[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$lanes" ]; do wait -n || true; done
  scan_role "${roles[$i]}" "$((first_port + 1 + i))" &
  pids+=($!)
done
failed=0
for i in "${!roles[@]}"; do
  wait "${pids[$i]}" || failed=1
  cat "$out/${roles[$i]}.summary"
done
exit $failed
