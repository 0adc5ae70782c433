#!/usr/bin/env bash
# Run the whole test suite on SQLite and on a real PostgreSQL server.
# WHYNO_TEST_POSTGRES_URL, when set, names the server; otherwise this script
# installs (if missing) and starts the machine's PostgreSQL and creates a test
# database. Under CI a missing PostgreSQL is an error, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${WHYNO_TEST_POSTGRES_URL:-}" ]]; then
    if url="$(bash scripts/postgres-for-tests.sh)"; then
        export WHYNO_TEST_POSTGRES_URL="$url"
    elif [[ -n "${CI:-}" ]]; then
        echo "error: could not start PostgreSQL for the tests (see above)" >&2
        exit 1
    else
        echo "warning: no PostgreSQL available; running the SQLite half of the suite only" >&2
    fi
fi

# Browser tests drive the system Chromium (never a downloaded one).
if ! command -v chromium >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium for the browser tests..." >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq chromium >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } \
            || echo "warning: could not install chromium" >&2
    fi
    if [[ -n "${CI:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
        echo "error: chromium is needed for the browser tests under CI" >&2
        exit 1
    fi
fi

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [[ $status -eq 5 ]]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit $status
