#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:PORT (5432 by default) for the role `postgres`
# without a password, with a database `test`: what the archive contract suite connects to
# (test/integration/archive-contract.test.ts). A server that answers already is left as it is,
# but for creating the database when it is missing. Otherwise Debian's postgresql is installed
# when absent, and the cluster on that port (the package's `main`; else a new one named CLUSTER)
# gets a trust line for 127.0.0.1 at the head of its pg_hba.conf and is started.
# Usage: bash .ci/postgres.sh [PORT] [CLUSTER]
set -euo pipefail
port="${1:-5432}"
name="${2:-main}"

pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$port"
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

if ! pg_answers; then
  if ! command -v pg_createcluster >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    echo "ci: installing postgresql"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  # The cluster set to this port, if there is one (the package creates `main` on 5432 without
  # starting it where services may not start, as in containers); else a new one.
  version="" cluster=""
  read -r version cluster < <(pg_lsclusters -h | awk -v p="$port" '$3 == p { print $1, $2; exit }') || true
  if [ -z "$cluster" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    cluster="$name"
    echo "ci: creating PostgreSQL $version cluster $cluster on port $port"
    pg_createcluster -p "$port" "$version" "$cluster" >/dev/null
  fi
  hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # newswatch CI: the tests connect without a password' "$hba"
  fi
  echo "ci: starting PostgreSQL $version/$cluster on 127.0.0.1:$port"
  # Started already (on another address) or not: either way it reads pg_hba.conf again.
  pg_ctlcluster "$version" "$cluster" start 2>/dev/null || pg_ctlcluster "$version" "$cluster" reload
  for _ in $(seq 1 100); do pg_answers && break; sleep 0.1; done
  pg_answers || { echo "ci: PostgreSQL did not answer on 127.0.0.1:$port" >&2; exit 1; }
fi

if ! command -v psql >/dev/null 2>&1; then
  echo "ci: installing postgresql-client"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
fi
psql_ci() { psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
if ! psql_ci -tAc 'SELECT 1' >/dev/null 2>&1; then
  echo "ci: PostgreSQL on 127.0.0.1:$port refuses the role postgres without a password; the tests need trust for 127.0.0.1" >&2
  exit 1
fi
if [ "$(psql_ci -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
  echo "ci: creating database test on 127.0.0.1:$port"
  psql_ci -c 'CREATE DATABASE test'
fi
