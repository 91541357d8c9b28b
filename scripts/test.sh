#!/usr/bin/env bash
# Runs the whole test suite: every data test on SQLite and on PostgreSQL, mail through a real
# SMTP server, and the browser tests in Chromium with axe-core. Installs what is missing
# (PostgreSQL, Chromium, chromedriver and a Java runtime from Debian's packages, aiosmtpd
# from PyPI, axe-core and the Nu HTML checker from npm) and starts a local PostgreSQL
# unless SIBUSER_TEST_POSTGRES_URL is set.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh pages::         # only tests whose name contains "pages::"
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIBUSER_TEST_POSTGRES_URL:-}" ]; then
  eval "$(scripts/dev-postgres.sh --env)"
fi
# Mail tests deliver through a real SMTP server on loopback (aiosmtpd).
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "test.sh: installing aiosmtpd for the mail tests" >&2
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd >&2
fi

# Browser tests: Debian's Chromium and chromedriver, and axe-core for accessibility checks.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "test.sh: installing chromium and chromium-driver" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >&2
fi
AXE_VERSION=4.14.1
tools=target/test-tools
if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ] \
  || ! grep -q "\"version\": \"$AXE_VERSION\"" "$tools/node_modules/axe-core/package.json"; then
  echo "test.sh: installing axe-core $AXE_VERSION" >&2
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund --prefix . "axe-core@$AXE_VERSION" >&2)
fi
# The Nu HTML checker (vnu) for the pages the browser tests visit: a Java program.
VNU_VERSION=26.9.27
if ! command -v java >/dev/null 2>&1; then
  echo "test.sh: installing a Java runtime for the Nu HTML checker" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq default-jre-headless >&2
fi
if [ ! -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ] \
  || ! grep -q "\"version\": \"$VNU_VERSION\"" "$tools/node_modules/vnu-jar/package.json"; then
  echo "test.sh: installing vnu-jar $VNU_VERSION" >&2
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund --prefix . "vnu-jar@$VNU_VERSION" >&2)
fi
export SIBUSER_BROWSER_TESTS=1
SIBUSER_AXE_JS="$(pwd)/$tools/node_modules/axe-core/axe.min.js"
export SIBUSER_AXE_JS
SIBUSER_VNU_JAR="$(pwd)/$tools/node_modules/vnu-jar/build/dist/vnu.jar"
export SIBUSER_VNU_JAR

# The PostgreSQL half of every data test must run, not be skipped.
export SIBUSER_REQUIRE_POSTGRES=1

cargo test --all-targets --locked -- "$@"
