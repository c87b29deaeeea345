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
# The local demo: the platforms' emulators are served by the app itself, with their well-known
# secrets (never in production), and every connector points at them.
export DREAMSUITE_DEMO="${DREAMSUITE_DEMO:-1}"
export MOUNT_SANDBOX="${MOUNT_SANDBOX:-0}"
# The app, the worker and the seed must agree on where the app is (OAuth callbacks, sandbox).
port="${PORT:-3000}"
export APP_URL="${APP_URL:-http://localhost:$port}"
export API_URL="${API_URL:-$APP_URL}"
export EMULATOR_URL="${EMULATOR_URL:-$API_URL/emulators}"
app_url="$APP_URL"; api_url="$API_URL"
if ! python -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', $port))" 2>/dev/null; then
  echo "Port $port is already in use (is Dream Suite already running?). Stop it, or choose another: PORT=3100 make run" >&2
  exit 1
fi

# The app and the worker must share one token key: make sure it exists before either starts.
python -c "from dreamsuite.crypto import fernet; fernet()"

echo "==> migrating the database"
alembic upgrade head

pids=()
cleanup() {
  # Each child leads its own process group, so reflex's server and bun go with it.
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "==> starting the worker (log: run/worker.log)"
setsid arq workers.main.WorkerSettings >run/worker.log 2>&1 &
pids+=($!)

echo "==> starting the app (log: run/app.log)"
# Production mode on one port: no hot reload, pages and backend (API, OAuth, admin) together.
setsid reflex run --env prod --single-port --frontend-port "$port" --loglevel warning >run/app.log 2>&1 &
app_pid=$!
pids+=($app_pid)

for _ in $(seq 600); do
  python -c "import httpx,sys; sys.exit(0 if httpx.get('$api_url/healthz').is_success and httpx.get('$app_url').is_success else 1)" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { echo "the app stopped; see run/app.log"; tail -20 run/app.log; exit 1; }
  sleep 0.5
done

# Seeding after the app is up runs the demo's OAuth flow against the app's own sandbox mount.
echo "==> seeding the demo artist"
python -m dreamsuite.seed

cat <<MSG

  Dream Suite is running at $app_url
  Demo login:  demo@dreamsuite.app  /  dreamsuite-demo
  Admin:       $api_url/admin/  (make an admin: .venv/bin/python -m dreamsuite.cli create-admin EMAIL)
  Logs:        run/app.log, run/worker.log   —   Ctrl-C stops everything.

MSG
wait "$app_pid"
