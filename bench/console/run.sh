#!/usr/bin/env bash
# Console benchmark: the web console's overview of an omsd with HISTORY
# completed jobs in its spool (written beforehand by bench/jobs/history
# through the spool API) and 20 printers — its time in the server
# (Server-Timing) and at the client — side by side with the local API's
# answers carrying the same data over the unix socket; then SSE clients
# connected (50 by default) while jobs are submitted: how long each stream
# takes to show a job's first event, and the overview again.
#
#   bench/console/run.sh [HISTORY] [SSE]
#
# Needs: go.
set -euo pipefail
HISTORY=${1:-100000}
SSE=${2:-50}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /var/tmp/omsd-bench-console.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

cd "$ROOT"
go build -o "$W/omsd" ./cmd/omsd
go build -o "$W/omsctl" ./cmd/omsctl
go build -o "$W/history" ./bench/jobs/history
go build -o "$W/load" ./bench/console/load

mkdir -p "$W/state/spool"
"$W/history" -jobs "$HISTORY" "$W/state/spool"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
  echo "version: 1"
  echo "state_dir: $W/state"
  echo "log: {level: warn}"
  echo "printers:"
  echo "  - {name: file, driver: file, file: {dir: out/file}}"
  for i in $(seq -w 2 20); do echo "  - {name: p$i, driver: file, file: {dir: out/p$i}}"; done
  echo "workflows:"
  echo "  - {name: default, printer: file, pieces: {method: whole}}"
  echo "console: {listen: \":$PORT\", users_file: users.yaml}"
} >"$W/omsd.yaml"
echo "bench-password" | "$W/omsctl" users add --file "$W/state/users.yaml" --role viewer bench >/dev/null

"$W/omsd" --config "$W/omsd.yaml" >"$W/omsd.log" 2>&1 &
for _ in $(seq 1 600); do
  "$W/omsctl" --socket "$W/state/omsd.sock" status >/dev/null 2>&1 && break
  sleep 0.1
done
echo "== $(nproc) cores, $(go version | cut -d' ' -f3), $HISTORY jobs in history, 20 printers, $(date -u +%F)"
"$W/omsctl" --socket "$W/state/omsd.sock" status | head -3
"$W/load" -url "https://127.0.0.1:$PORT" -user bench -password bench-password -socket "$W/state/omsd.sock" -sse "$SSE"
