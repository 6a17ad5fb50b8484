#!/usr/bin/env bash
# Reports benchmark: a spool with JOBS completed jobs (1-3 pieces each,
# written by bench/jobs/history through the spool API), omsd on it, and
# `omsctl report volumes|postage` over the whole history, timed (the first
# report, which works every run out and stores its summary, and the best
# of three), with the pieces the report counts.
#
#   bench/reports/run.sh [JOBS]
#
# Needs: go, jq.
set -euo pipefail
JOBS=${1:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /var/tmp/omsd-bench-reports.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
command -v jq >/dev/null || { echo "missing jq (apt-get install jq)"; exit 1; }

cd "$ROOT"
go build -o "$W/omsd" ./cmd/omsd
go build -o "$W/omsctl" ./cmd/omsctl
go build -o "$W/history" ./bench/jobs/history
st="$W/state"
mkdir -p "$st"
cat > "$st/omsd.yaml" <<CONF
version: 1
state_dir: $st
log: {format: json, level: warn}
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - {name: default, printer: file, pieces: {method: whole}}
CONF
t0=$(date +%s.%N)
"$W/history" -jobs "$JOBS" -workers 64 "$st/spool"
echo "history of $JOBS jobs written in $(echo "$(date +%s.%N) - $t0" | bc) s"
"$W/omsd" --config "$st/omsd.yaml" > "$st/omsd.log" 2>&1 &
sock="$st/omsd.sock"
for _ in $(seq 300); do "$W/omsctl" --socket "$sock" status >/dev/null 2>&1 && break; sleep 0.1; done

for kind in volumes postage; do
  best= first=
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$W/omsctl" --socket "$sock" report "$kind" --from 2000-01-01 --to 2100-01-01 --by day --json > "$W/$kind.json"
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    [ -n "$first" ] || first=$t
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%-8s %7d runs  %8d pieces  first: %6.2f s  best of 3: %6.2f s\n' "$kind" \
    "$(jq .total.runs "$W/$kind.json")" "$(jq .total.pieces_in "$W/$kind.json")" "$first" "$best"
done
echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
