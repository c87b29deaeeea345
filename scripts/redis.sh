#!/usr/bin/env bash
# Starts a private Redis for Dream Suite in run/ (unless one already answers on that port).
# Usage: scripts/redis.sh PORT   — prints the redis:// URL.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-6390}"
mkdir -p run
if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --dir "$PWD/run" --pidfile "$PWD/run/redis-$port.pid" --logfile "$PWD/run/redis-$port.log"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "redis://127.0.0.1:$port/0"
