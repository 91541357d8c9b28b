#!/usr/bin/env bash
# Runs the whole test suite on SQLite and PostgreSQL. Installs and starts a local
# PostgreSQL first when SIBUSER_TEST_POSTGRES_URL is not already set.
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

# The PostgreSQL half of every data test must run, not be skipped.
export SIBUSER_REQUIRE_POSTGRES=1

cargo test --all-targets --locked -- "$@"
