#!/usr/bin/env bash
# Time from `./mailroom serve` (jar already built) to the first 200 from /healthz, on embedded
# defaults in a fresh data directory. Usage: bench/startup.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
port=18025
"$here/mailroom" --version >/dev/null   # builds the jar if needed; not timed
for run in $(seq 1 "$runs"); do
  data="$(mktemp -d)"
  start=$(date +%s%N)
  MAILROOM_DATA_DIR="$data" MAILROOM_HTTP_LISTEN="127.0.0.1:$port" MAILROOM_ADMIN_KEY="bench-admin-key-0123456789" \
    "$here/mailroom" serve >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "run $run: server exited" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "run $run: $(( (end - start) / 1000000 )) ms to /healthz"
done
