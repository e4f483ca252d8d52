#!/usr/bin/env bash
# Installs what the client-apps tests need on a fresh Debian machine: a PostgreSQL server (the tests start
# their own throwaway cluster with /usr/lib/postgresql/<version>/bin/initdb and pg_ctl). Idempotent: does
# nothing when the binaries are already there. Run as root (the CI runs as root).
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
  echo "client-apps/ci-setup.sh: PostgreSQL server already installed: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends postgresql
# The Debian package starts its own cluster; the tests do not use it (they start theirs on 127.0.0.x).
echo "client-apps/ci-setup.sh: installed $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
