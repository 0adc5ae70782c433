#!/usr/bin/env bash
# Make sure a local PostgreSQL cluster runs and has a `whyno_test` database;
# print its URL. Installs Debian's postgresql package when it is missing and
# we are root. Everything goes to stderr except the URL.
set -euo pipefail

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL is not installed (install Debian's postgresql package)" >&2
        exit 1
    fi
    echo "installing PostgreSQL..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

cluster="$(pg_lsclusters --no-header | head -n 1)"
if [[ -z "$cluster" ]]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    pg_createcluster "$version" main >&2
    cluster="$(pg_lsclusters --no-header | head -n 1)"
fi
read -r version name port status _ <<<"$cluster"
if [[ "$status" != online* ]]; then
    pg_ctlcluster "$version" "$name" start >&2
fi
for _ in $(seq 1 30); do
    as_postgres psql -p "$port" -tAc "SELECT 1" >/dev/null 2>&1 && break
    sleep 1
done

if [[ -z "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'whyno'")" ]]; then
    as_postgres psql -p "$port" -qc "CREATE ROLE whyno LOGIN PASSWORD 'whyno' CREATEDB" >&2
fi
if [[ -z "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'whyno_test'")" ]]; then
    as_postgres psql -p "$port" -qc "CREATE DATABASE whyno_test OWNER whyno" >&2
fi
echo "postgresql://whyno:whyno@127.0.0.1:${port}/whyno_test"
