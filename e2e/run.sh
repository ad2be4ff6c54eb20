#!/usr/bin/env bash
# `make e2e`: the browser journeys against a fresh demo. A throwaway var dir (embedded SQLite),
# migrate, the demo, collectstatic; gunicorn in the background on a free port (or
# TONGXIN_E2E_PORT); pytest e2e/ with Playwright driving Debian's chromium; the server stopped
# and the var dir removed whatever happens (TONGXIN_E2E_KEEP=1 keeps it). Exits with pytest's code.
# Screenshots and the server's log land in e2e/artifacts/. Extra pytest arguments: E2E_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ARTIFACTS=e2e/artifacts

# Debian's chromium and the CJK fonts are system packages: installed here when missing and apt can.
if [[ -z "${TONGXIN_E2E_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null \
  && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
  echo "e2e: 安装 chromium 和中文字体（apt-get）……"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null
fi
CHROMIUM="${TONGXIN_E2E_CHROMIUM:-$(command -v chromium || true)}"
if [[ -z "$CHROMIUM" || ! -x "$CHROMIUM" ]]; then
  echo "找不到 chromium：请先 apt-get install -y chromium fonts-noto-cjk（或用 TONGXIN_E2E_CHROMIUM 指定）。" >&2
  exit 2
fi
export TONGXIN_E2E_CHROMIUM="$CHROMIUM"

VAR_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tongxin-e2e.XXXXXX")"
SERVER_PID=""
stop() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${TONGXIN_E2E_KEEP:-}" == 1 ]]; then
    echo "e2e: 保留了临时数据目录 $VAR_DIR"
  else
    rm -rf "$VAR_DIR"
  fi
}
trap stop EXIT

# The journeys change records: never the developer's var/ or database.
export TONGXIN_VAR_DIR="$VAR_DIR" TONGXIN_ENV=development
unset TONGXIN_DATABASE_URL
PORT="${TONGXIN_E2E_PORT:-$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export TONGXIN_E2E_URL="http://127.0.0.1:$PORT"

rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
echo "e2e: 准备演示数据（$VAR_DIR）"
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py demo > "$ARTIFACTS/demo.log"
$BIN/python manage.py collectstatic --noinput -v0

echo "e2e: 启动服务 $TONGXIN_E2E_URL"
$BIN/gunicorn tongxin.wsgi -b "127.0.0.1:$PORT" --workers 2 --threads 4 --timeout 300 \
  --access-logfile - > "$ARTIFACTS/server.log" 2>&1 &
SERVER_PID=$!
$BIN/python - "$TONGXIN_E2E_URL/login/" "$SERVER_PID" <<'EOF'
import os, sys, time, urllib.request

url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 120
while True:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            if response.status == 200:
                break
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("e2e: 服务未能启动，见 e2e/artifacts/server.log")
    if time.monotonic() > deadline:
        sys.exit("e2e: 服务 120 秒内没有响应，见 e2e/artifacts/server.log")
    time.sleep(0.5)
EOF

echo "e2e: 运行浏览器测试"
# shellcheck disable=SC2086 # E2E_ARGS is a list of pytest arguments
$BIN/pytest e2e -q ${E2E_ARGS:-}
