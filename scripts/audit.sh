#!/usr/bin/env bash
# Checks every dependency against the RustSec advisory database snapshot in
# ../shared/advisory-db (no network needed), the licence policy, duplicate crates and the
# sources in deny.toml. Installs cargo-deny once, when missing (about 7 minutes of build);
# CI runs it on every run, so the binary is kept in ~/.cargo/bin between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# The snapshot beside the project, or where the machines keep it (a CI clone lives elsewhere).
snapshot=${SIBUSER_ADVISORY_DB:-}
if [ -z "$snapshot" ]; then
  for candidate in ../shared/advisory-db /work/shared/advisory-db; do
    if [ -d "$candidate" ]; then snapshot=$candidate; break; fi
  done
fi
[ -n "$snapshot" ] && [ -d "$snapshot" ] ||
  { echo "audit: no advisory database (set SIBUSER_ADVISORY_DB)" >&2; exit 2; }
command -v cargo-deny >/dev/null 2>&1 || cargo install --locked cargo-deny@0.20.2

# cargo-deny wants a git checkout under a name derived from the database URL.
db=target/advisory-db/advisory-db-3157b0e258782691
if [ ! -d "$db/.git" ] || [ "$snapshot" -nt "$db/.git" ]; then
  rm -rf "$db" && mkdir -p "$(dirname "$db")" && cp -r "$snapshot" "$db"
  git -C "$db" init -q && git -C "$db" add -A
  git -C "$db" -c user.email=audit@sibuser.local -c user.name=audit commit -qm snapshot
fi

cargo fetch --locked -q
cargo deny --offline check advisories licenses bans sources
