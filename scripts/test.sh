#!/usr/bin/env bash
# `make test`: installs what is missing, starts what the tests need, runs every test.
# Database tests run on SQLite always and on PostgreSQL whenever one is reachable
# (TEST_DATABASE_URL, or a server on 127.0.0.1:5432 with database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --redis --chromium --haproxy
export PATH="$PWD/.tools/bin:$PWD/.venv/bin:$PATH"

if [ -z "${TEST_REDIS_URL:-}" ]; then
  candidate="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  if redis-cli -u "$candidate" ping >/dev/null 2>&1; then
    TEST_REDIS_URL="$candidate"
  else
    TEST_REDIS_URL="$(scripts/redis.sh 6391)"
  fi
fi
export TEST_REDIS_URL
echo "==> Redis for tests: $TEST_REDIS_URL"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pg="postgresql://postgres@127.0.0.1:5432/test"
  if python -c "import psycopg,sys; psycopg.connect('$pg', connect_timeout=2).close()" >/dev/null 2>&1; then
    export TEST_DATABASE_URL="$pg"
  fi
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "==> PostgreSQL for tests: $TEST_DATABASE_URL"
elif [ -n "${CI:-}" ]; then
  echo "==> PostgreSQL: none reachable, and CI must exercise it (set TEST_DATABASE_URL)" >&2
  exit 1
else
  echo "==> PostgreSQL: none reachable; database tests run on SQLite only (set TEST_DATABASE_URL)"
fi

# The slowest tests are listed at the end: a test idling on a timer shows up there.
exec python -m pytest -p no:cacheprovider --durations=15 "$@"
