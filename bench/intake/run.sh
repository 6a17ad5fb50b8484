#!/bin/sh
# Intake benchmark (issue 17): omsd's LPD receiver and IPP server against
# the transport floor (curl POSTing the same file to a Go http.Server that
# discards it), and 200 concurrent LPR clients each sending a 100 KB job. omsd runs with
# a held queue so that only intake is measured; every job is fsynced in
# the spool before its acknowledgement. Usage: bench/intake/run.sh [SIZE_MB]
# OMSD_BIN=PATH runs that omsd binary instead of one built from this tree
# (to compare two versions in one sitting); OMSD_CPUPROFILE=PATH with
# OMSD_BIN built from bench/jobs/omsdprof writes a CPU profile.
set -eu
size_mb=${1:-1024}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /var/tmp/omsd-bench-intake-XXXXXX)
omsd_pid= floor_pid=
trap 'kill $omsd_pid $floor_pid 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$root"
if [ -n "${OMSD_BIN:-}" ]; then cp "$OMSD_BIN" "$work/omsd"; else go build -o "$work/omsd" ./cmd/omsd; fi
go build -o "$work/omsctl" ./cmd/omsctl
go build -o "$work/lprsend" ./bench/intake/lprsend
port=$((20000 + $$ % 20000))
ipp_port=$((port + 1))
cat > "$work/omsd.yaml" <<CFG
version: 1
log: {level: warn}
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - {name: held, printer: out, pieces: {method: whole}}
receivers:
  queues:
    - {name: bench, workflow: held, hold: true}
  lpd:
    listen: 127.0.0.1:$port
    max_document: 8GiB
    max_connections: 256
  ipp:
    listen: 127.0.0.1:$ipp_port
    max_document: 8GiB
CFG
(cd "$work" && exec ./omsd --config omsd.yaml >omsd.log 2>&1) &
omsd_pid=$!
until "$work/omsctl" --socket "$work/omsd-data/omsd.sock" status >/dev/null 2>&1; do sleep 0.2; done

echo "== 200 clients x 100 KB"
"$work/lprsend" -addr 127.0.0.1:$port -clients 200 -size 102400
echo "jobs in omsd: $("$work/omsctl" --socket "$work/omsd-data/omsd.sock" jobs --all --json | grep -o '"id":' | wc -l)"
grep VmHWM /proc/$omsd_pid/status

echo "== one ${size_mb} MB file"
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/big.bin"
"$work/lprsend" -addr 127.0.0.1:$port -file "$work/big.bin"
grep VmHWM /proc/$omsd_pid/status

echo "== the same ${size_mb} MB as a PDF over IPP (ipptool print-job.test)"
# The IPP server takes a queue's format only: the file gets a PDF header.
printf '%%PDF-1.7\n' > "$work/big.pdf"
cat "$work/big.bin" >> "$work/big.pdf"
start=$(date +%s.%N)
ipptool -T 600 -f "$work/big.pdf" "ipp://127.0.0.1:$ipp_port/ipp/print/bench" /usr/share/cups/ipptool/print-job.test
end=$(date +%s.%N)
echo "ipptool Print-Job: $(stat -c %s "$work/big.pdf") bytes in $(echo "$end - $start" | bc) s"
grep VmHWM /proc/$omsd_pid/status
floor() { # floor LABEL [LPRSEND FLAGS]: curl POSTs the file to an http.Server
  label=$1; shift
  rm -f "$work/floor.addr"
  "$work/lprsend" -floor 127.0.0.1:0 "$@" > "$work/floor.addr" &
  floor_pid=$!
  until [ -s "$work/floor.addr" ]; do sleep 0.1; done
  curl -s -o /dev/null -w "curl to an http.Server that $label: %{size_upload} bytes in %{time_total} s\n" \
    -H "Content-Type: application/octet-stream" -X POST -T "$work/big.bin" "http://$(cat "$work/floor.addr")/"
  kill $floor_pid; wait $floor_pid 2>/dev/null || true; floor_pid=
}
floor "discards it (transport floor)"
mkdir -p "$work/floor"
floor "writes and fsyncs it (storage floor)" -floor-dir "$work/floor"
