#!/usr/bin/env bash
# Checks every dependency against the RustSec advisory database snapshot in
# ../shared/advisory-db (no network needed) and against the licence policy in deny.toml.
# Installs cargo-deny when missing (about 7 minutes of build).
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot=${SIBUSER_ADVISORY_DB:-../shared/advisory-db}
[ -d "$snapshot" ] || { echo "audit: no advisory database at $snapshot" >&2; exit 2; }
command -v cargo-deny >/dev/null 2>&1 || cargo install --locked cargo-deny

# cargo-deny wants a git checkout under a name derived from the database URL.
db=target/advisory-db/advisory-db-3157b0e258782691
if [ ! -d "$db/.git" ] || [ "$snapshot" -nt "$db/.git" ]; then
  rm -rf "$db" && mkdir -p "$(dirname "$db")" && cp -r "$snapshot" "$db"
  git -C "$db" init -q && git -C "$db" add -A
  git -C "$db" -c user.email=audit@sibuser.local -c user.name=audit commit -qm snapshot
fi

cargo fetch --locked -q
cargo deny --offline check advisories licenses
