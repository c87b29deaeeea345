#!/usr/bin/env bash
# `make cluster` / scripts/cluster.sh [BACKENDS=2] [WORKERS=2]: several Reflex backends and arq
# workers on one PostgreSQL (DATABASE_URL) and one Redis (REDIS_URL), behind HAProxy on PORT.
# Migrates once, exports the frontend once (served by one static server through the balancer),
# then starts everything; Ctrl-C stops all of it. Logs in run/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
backends="${1:-2}"
workers="${2:-2}"
scripts/install.sh --haproxy
export PATH="$PWD/.tools/bin:$PWD/.venv/bin:$PATH"

: "${DATABASE_URL:?set DATABASE_URL=postgresql://user@host/db (every process shares it)}"
: "${REDIS_URL:?set REDIS_URL=redis://host:6379/0 (queue, live updates and the pages state)}"
export DATABASE_URL REDIS_URL
# Reflex keeps each tab's state in Redis, so any backend serves any tab.
export REFLEX_REDIS_URL="${REFLEX_REDIS_URL:-$REDIS_URL}"
# One process per backend port: the balancer spreads the load, and the pools stay countable.
export GRANIAN_WORKERS=1
port="${PORT:-3000}"
static_port="${STATIC_PORT:-$((port + 9))}"
first_backend="${BACKEND_PORT:-$((port + 10))}"
export APP_URL="${APP_URL:-http://localhost:$port}"
export API_URL="${API_URL:-$APP_URL}"
export REFLEX_API_URL="$API_URL"
# The balancer adds X-Forwarded-For: login throttling reads the browser's address from it.
export TRUSTED_PROXY_HOPS="${TRUSTED_PROXY_HOPS:-1}"
export DREAMSUITE_DEMO="${DREAMSUITE_DEMO:-1}"
export MOUNT_SANDBOX="${MOUNT_SANDBOX:-0}"
if [ "$DREAMSUITE_DEMO" = 1 ]; then export EMULATOR_URL="${EMULATOR_URL:-$API_URL/emulators}"; fi
logs="${CLUSTER_LOGS:-run/cluster}"
mkdir -p "$logs"

python -c "from dreamsuite.crypto import fernet; fernet()"  # one token key for every process
python -m dreamsuite.cluster check "$backends" "$workers"
echo "==> migrating the database (once, before any process starts)"
alembic upgrade head
echo "==> exporting the frontend (log: $logs/export.log)"
reflex export --frontend-only --no-zip --env prod --loglevel warning >"$logs/export.log" 2>&1 \
  || { tail -20 "$logs/export.log"; exit 1; }

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
start() {  # start NAME COMMAND...: its own process group, so reflex's granian goes with it
  local name="$1"; shift
  setsid "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  echo "$!" >"$logs/$name.pid"
}

ready() {  # ready PORT: until the backend answers /ping (health), or a process stopped
  for _ in $(seq 600); do
    curl -fs "http://127.0.0.1:$1/ping" >/dev/null 2>&1 && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process stopped; see $logs/"; exit 1; }; done
    sleep 0.5
  done
  echo "the app process on port $1 did not answer; see $logs/"; exit 1
}

echo "==> starting $backends app processes, one after the other (health: /ping on each)"
ports=()
for i in $(seq "$backends"); do
  p=$((first_backend + i - 1)); ports+=("$p")
  # One at a time: each `reflex run` clears the local state folder as it starts, and two at once
  # trip over each other's files.
  start "app$i" reflex run --env prod --backend-only --backend-port "$p" --backend-host 127.0.0.1 --loglevel warning
  ready "$p"
done
for i in $(seq "$workers"); do start "worker$i" arq workers.main.WorkerSettings; done
start static uvicorn --factory dreamsuite.cluster:static_app --host 127.0.0.1 --port "$static_port" --log-level warning
python -m dreamsuite.cluster haproxy "$port" "$static_port" "${ports[@]}" >"$logs/haproxy.cfg"
start haproxy haproxy -db -f "$logs/haproxy.cfg"
for _ in $(seq 40); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the balancer does not answer; see $logs/haproxy.log"; exit 1; }
if [ "$DREAMSUITE_DEMO" = 1 ]; then echo "==> seeding the demo artist"; python -m dreamsuite.seed; fi

cat <<MSG

  Dream Suite: $backends app processes (ports ${ports[*]}), $workers workers, HAProxy at $APP_URL
  Logs: $logs/   —   Ctrl-C stops everything.

MSG
# A process that dies leaves the others serving (the balancer routes around a dead backend,
# the other workers take the queue): the cluster runs until it is stopped.
wait
