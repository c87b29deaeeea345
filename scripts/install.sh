#!/usr/bin/env bash
# Installs everything Dream Suite needs into the project folder (idempotent, quiet when done):
# uv in .tools/py, the locked Python packages in .venv, bun (Reflex's JS runtime) in .tools/bin,
# and the Debian packages asked for (--redis, --chromium, --haproxy) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

if [ ! -x .tools/py/bin/uv ]; then
  echo "==> installing uv into .tools/py"
  python3 -m venv .tools/py
  .tools/py/bin/pip install --quiet --disable-pip-version-check uv
fi

if [ ! -f .venv/.synced ] || [ uv.lock -nt .venv/.synced ] || [ pyproject.toml -nt .venv/.synced ]; then
  echo "==> installing Python packages (uv sync --frozen)"
  .tools/py/bin/uv sync --frozen --quiet
  touch .venv/.synced
fi

if [ ! -x .tools/bin/bun ]; then
  echo "==> installing bun into .tools/bin"
  npm install --silent -g --prefix "$PWD/.tools" bun@1.4.4 >/dev/null
fi

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ ! -f /tmp/.dreamsuite-apt-updated ]; then
    $sudo apt-get update -qq && touch /tmp/.dreamsuite-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

for want in "$@"; do
  case "$want" in
    --redis)
      command -v redis-server >/dev/null || { echo "==> installing redis-server (apt)"; apt_install redis-server; } ;;
    --chromium)
      [ -x /usr/bin/chromium ] || { echo "==> installing chromium (apt)"; apt_install chromium; } ;;
    --haproxy)
      command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || { echo "==> installing haproxy (apt)"; apt_install haproxy; } ;;
  esac
done
