#!/usr/bin/env bash
# Installs (when missing) and starts a local PostgreSQL, and creates the role and database
# the tests use. Safe to run again. Prints the variables to export.
#
#   eval "$(scripts/dev-postgres.sh --env)"   # set them in this shell
set -euo pipefail

PG_USER=${SIBUSER_PG_USER:-sibuser}
PG_PASSWORD=${SIBUSER_PG_PASSWORD:-sibuser}
PG_DB=${SIBUSER_PG_DB:-sibuser_test}
PG_PORT=${SIBUSER_PG_PORT:-5432}

log() { echo "dev-postgres: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  log "installing PostgreSQL from Debian's packages"
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" {found=1} END {exit !found}'; then
  log "starting cluster $version/main"
  as_root pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 30); do
  if as_root su postgres -c "psql -p $PG_PORT -Atqc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

psql_admin() { as_root su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -Atq $*"; }

# CREATEDB: the test harness makes a fresh database for every test.
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'\"")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin "-c \"CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin "-c \"CREATE DATABASE $PG_DB OWNER $PG_USER\"" >&2
fi

url="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
if [ "${1:-}" = "--env" ]; then
  echo "export SIBUSER_TEST_POSTGRES_URL='$url'"
else
  log "ready: $url"
  echo "SIBUSER_TEST_POSTGRES_URL=$url"
fi
