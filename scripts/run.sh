#!/usr/bin/env bash
# `make run`: install, migrate, seed the demo artist, start Redis (unless REDIS_URL is set),
# the arq worker and the Reflex app. Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --redis
export PATH="$PWD/.tools/bin:$PWD/.venv/bin:$PATH"
mkdir -p run

if [ -z "${REDIS_URL:-}" ]; then
  REDIS_URL="$(scripts/redis.sh 6390)"
fi
export REDIS_URL

echo "==> migrating the database"
alembic upgrade head
echo "==> seeding the demo artist"
python -m dreamsuite.seed

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "==> starting the worker (log: run/worker.log)"
arq workers.main.WorkerSettings >run/worker.log 2>&1 &
pids+=($!)

app_url="${APP_URL:-http://localhost:3000}"
cat <<MSG

  Dream Suite is starting at $app_url
  Demo login:  demo@dreamsuite.app  /  dreamsuite-demo
  Admin:       ${API_URL:-http://localhost:8000}/admin/  (create an admin: .venv/bin/python -m dreamsuite.cli create-admin EMAIL)

MSG
reflex run --loglevel warning &
pids+=($!)
wait "${pids[-1]}"
