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

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [[ $status -eq 5 ]]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit $status
