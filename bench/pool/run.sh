#!/usr/bin/env bash
# Pool benchmark: one mail run of about 10,000 pieces (25,000 pages) split
# by omsd into chunks over a pool of 10 ippeveprinter instances, against
# sending the same chunk files with ipptool (print-job), one after another.
# Reports wall time, pieces per second and omsd's CPU time.
#
#   bench/pool/run.sh [PRINTERS] [PAGES]
#
# Needs: go, ippeveprinter and ipptool (cups-ipp-utils), dbus-daemon (dbus).
set -euo pipefail
N=${1:-10}
PAGES=${2:-25000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/omsd-bench-pool.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"' EXIT
for t in ippeveprinter ipptool dbus-daemon; do
  command -v $t >/dev/null || { echo "missing $t (apt-get install cups-ipp-utils dbus)"; exit 1; }
done

cd "$ROOT"
go build -o "$W/omsd" ./cmd/omsd
go build -o "$W/omsctl" ./cmd/omsctl
go run ./bench/pdf/mkrun -pages "$PAGES" "$W/run.pdf"

# A private D-Bus system bus for ippeveprinter.
cat > "$W/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=$W/bus.sock</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/><allow user="*"/></policy></busconfig>
CONF
dbus-daemon --config-file="$W/bus.conf" --fork --print-pid > "$W/bus.pid"
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$W/bus.sock
printf '#!/bin/sh\nexit 0\n' > "$W/print.sh"; chmod +x "$W/print.sh"

PORTS=()
start_printers() { # $1: spool dir prefix
  PORTS=()
  for i in $(seq 1 "$N"); do
    port=$((20000 + RANDOM % 20000))
    mkdir -p "$W/$1$i"
    ippeveprinter -r off -p "$port" -n localhost -d "$W/$1$i" -k -c "$W/print.sh" \
      -f application/pdf "bench $1$i" > "$W/$1$i.log" 2>&1 &
    PORTS+=("$port")
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 100); do curl -s -o /dev/null "http://localhost:$port/" && break; sleep 0.1; done
  done
}

start_printers p
{
  echo "version: 1"
  echo "state_dir: $W/omsd-data"
  echo "log: {format: json, level: info}"
  echo "printers:"
  for i in $(seq 1 "$N"); do
    echo "  - {name: p$i, driver: ipp, ipp: {uri: \"ipp://localhost:${PORTS[$((i-1))]}/ipp/print\", poll_interval: 100ms}}"
  done
  echo "pools:"
  echo "  - name: room"
  echo "    printers: [$(seq -s, -f 'p%g' 1 "$N")]"
  echo "    chunk_sheets: $(( (PAGES + N - 1) / N ))"
  echo "workflows:"
  echo "  - {name: run, printer: room, pieces: {method: bookmarks}}"
  echo "hot_folders:"
  echo "  - {dir: hot, workflow: run, scan_interval: 100ms, stable_scans: 1}"
} > "$W/omsd.yaml"
"$W/omsd" --config "$W/omsd.yaml" > "$W/omsd.log" 2>&1 &
OMSD=$!
SOCK="$W/omsd-data/omsd.sock"
for _ in $(seq 100); do "$W/omsctl" --socket "$SOCK" status >/dev/null 2>&1 && break; sleep 0.1; done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
c0=$(cpu $OMSD)
t0=$(date +%s.%N)
cp "$W/run.pdf" "$W/omsd-data/hot/.run.tmp" && mv "$W/omsd-data/hot/.run.tmp" "$W/omsd-data/hot/run.pdf"
while :; do
  st=$("$W/omsctl" --socket "$SOCK" jobs --json | grep -o '"state": "[a-z]*"' | head -1 || true)
  case "$st" in *completed*|*aborted*|*canceled*) break ;; esac
  sleep 0.05
done
t1=$(date +%s.%N)
c1=$(cpu $OMSD)
"$W/omsctl" --socket "$SOCK" jobs
PIECES=$("$W/omsctl" --socket "$SOCK" jobs --json | grep -o '"pieces": [0-9]*' | head -1 | grep -o '[0-9]*')
CHUNKS=$(ls "$W/omsd-data/spool/jobs/1/"*.chunk*.pdf | wc -l)
OMSD_WALL=$(echo "$t1 - $t0" | bc)
OMSD_CPU=$(echo "scale=2; ($c1 - $c0) / $TCK" | bc)
kill $OMSD; wait $OMSD || true

# Reference: the same chunk files, sent with ipptool one after another,
# round robin over fresh printers.
for p in $(jobs -p); do [ "$p" != "$(cat "$W/bus.pid")" ] && kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
start_printers r
t0=$(date +%s.%N)
i=0
for f in "$W/omsd-data/spool/jobs/1/"*.chunk*.pdf; do
  port=${PORTS[$((i % N))]}
  ipptool -f "$f" "ipp://localhost:$port/ipp/print" print-job.test > /dev/null
  i=$((i + 1))
done
t1=$(date +%s.%N)
IPPTOOL_WALL=$(echo "$t1 - $t0" | bc)
GOT_OMSD=$(ls "$W"/p*/*.pdf | wc -l)
GOT_REF=$(ls "$W"/r*/*.pdf | wc -l)
ANALYSE_MS=$(grep -o '"message":"job analysed"' -B0 "$W/omsd.log" >/dev/null; grep '"job analysed"' "$W/omsd.log" | grep -o '"took":[0-9.]*' | cut -d: -f2)
SEND_S=$(grep '"output sent"' "$W/omsd.log" | grep -o '"took":[0-9.]*' | cut -d: -f2 | sort -n | tail -1)

echo
echo "pieces $PIECES, pages $PAGES, chunks $CHUNKS over $N printers; documents received: omsd $GOT_OMSD, ipptool $GOT_REF"
echo "omsd: analysis and chunking ${ANALYSE_MS} ms; longest chunk send (Print-Job until job completed) ${SEND_S} ms"
printf "omsd (analyse, chunk, send in parallel, follow each job): %.2f s wall, %.0f pieces/s, omsd CPU %s s\n" \
  "$OMSD_WALL" "$(echo "$PIECES / $OMSD_WALL" | bc -l)" "$OMSD_CPU"
printf "ipptool print-job, same chunk files one after another:   %.2f s wall, %.0f pieces/s\n" \
  "$IPPTOOL_WALL" "$(echo "$PIECES / $IPPTOOL_WALL" | bc -l)"
kill "$(cat "$W/bus.pid")" 2>/dev/null || true
