#!/usr/bin/env bash
# Web scan of the demo portal with wapiti, anonymously and signed in as each role.
#
#   scripts/scan.sh [SECONDS_PER_ROLE]     # default 180
#
# Starts `sibuser serve --demo` on a fresh database on loopback, signs each demo login in
# with curl, and runs wapiti with that session cookie. The pages that end the session or
# ask for the current password are left out. Afterwards it checks, in the database, that
# each role's session was used through the scan (wapiti silently drops a cookie it cannot
# use, and a scan that ran signed out would prove nothing). Reports go to
# target/scan/ROLE.json; the script prints the findings of each and exits non-zero if any
# role has a vulnerability or an anomaly (a 500). wapiti comes from PyPI, in its own venv.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-180}
out=target/scan
venv=target/wapiti-venv
port=18089
base="http://127.0.0.1:$port"

if [ ! -x "$venv/bin/wapiti" ]; then
  echo "scan.sh: installing wapiti3 into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check wapiti3 >&2
fi

cargo build --quiet
rm -rf "$out" && mkdir -p "$out/data"
SIBUSER_DATA_DIR="$out/data" DATABASE_URL="sqlite://$out/data/scan.db" \
  SIBUSER_BIND="127.0.0.1:$port" SIBUSER_LOG=warn \
  target/debug/sibuser serve --demo >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 1
done

# Signs a demo login in and prints a cookie header value that holds a CSRF token.
session_of() {
  local email=$1 jar="$out/$1.jar" token
  token=$(curl -fs -c "$jar" -b "$jar" "$base/masuk" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=demo-binjai-2026" "$base/masuk"
  # A page with a form, so the cookie carries this session's CSRF token from now on.
  curl -fs -o /dev/null -c "$jar" -b "$jar" "$base/akun"
  awk '$6 == "sibuser" { print "sibuser=" $7 }' "$jar"
}

failed=0
# Staff last: their scans post the staff forms, which switch training providers off with
# their users (the operator), reject companies (the verifier) and deactivate users (the
# super admin), so the accounts those touch are scanned before.
for role in ${SCAN_ROLES:-anonymous pencaker perusahaan lembaga verifikator walidata operator admin}; do
  args=()
  if [ "$role" != anonymous ]; then
    cookie=$(session_of "$role@sibuser.example")
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/akun")" != 200 ]; then
      echo "$role: could not sign in"
      failed=1
      continue
    fi
    # Not --drop-set-cookie: with it wapiti sends no cookie at all. The portal re-sets the
    # same session's cookie (with a flash or a new CSRF token), which wapiti then keeps.
    args+=(-C "$cookie")
  fi
  "$venv/bin/wapiti" -u "$base/" --scope folder \
    -m xss,sql,permanentxss,redirect,crlf,http_headers,csp \
    -x "$base/keluar" -x "$base/akun/keluar-semua" -x "$base/pencaker/hapus-akun" \
    -x "$base/akun/sandi" -x "$base/akun/surel" \
    --max-scan-time "$seconds" --max-attack-time "$((seconds / 4))" --flush-session --no-bugreport \
    -f json -o "$out/$role.json" "${args[@]}" >"$out/$role.log" 2>&1 || true
  summary=$(python3 - "$out/$role.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
vulns = {k: len(v) for k, v in report.get("vulnerabilities", {}).items() if v}
anomalies = {k: len(v) for k, v in report.get("anomalies", {}).items() if v}
crawled = report.get("infos", {}).get("crawled_pages_nbr", "?")
print(f"{crawled} pages crawled; vulnerabilities: {vulns or 'none'}; anomalies: {anomalies or 'none'}")
sys.exit(1 if vulns or anomalies else 0)
PY
  ) || failed=1
  if [ "$role" != anonymous ]; then
    # Each signed-in page refreshes the session's last-seen time at most once a minute.
    used=$(sqlite3 "$out/data/scan.db" "SELECT COUNT(*) FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '$role@sibuser.example' AND s.last_seen_at > s.issued_at")
    if [ "$used" = 0 ]; then
      summary="$summary; NOT SIGNED IN during the scan"
      failed=1
    fi
  fi
  echo "$role: $summary"
done
exit $failed
