#!/usr/bin/env bash
# Jobs benchmark: FILES small PDFs (1-3 pages, one piece each) dropped at
# once into a hot folder with a file printer, end to end until every job is
# completed: jobs/s and omsd's CPU time (user+sys from /proc), with an empty
# spool and with HISTORY completed jobs in it (written beforehand by
# bench/jobs/history through the spool API). Side by side: cupsd as a plain
# process with a raw queue to a file: device, `lp` of the same files (4 at
# a time), until `lpstat -o` shows none.
#
#   bench/jobs/run.sh [FILES] [HISTORY]
#
# BASE=REV also runs the omsd of git revision REV (e.g. main) on the empty
# spool, built in a temporary worktree. SCRAPE=N runs only omsd on the empty
# spool, N times without and N times with /metrics scraped every second on
# the API socket (curl), alternating, to measure what the scrapes cost.
# Needs: go, cupsd, lp, lpstat, lpadmin (cups, cups-client), jq.
set -euo pipefail
FILES=${1:-2000}
HISTORY=${2:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /var/tmp/omsd-bench-jobs.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${BASE:-}" ] && git -C "$ROOT" worktree remove --force "$W/base-src" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
for t in cupsd lp lpstat lpadmin jq; do
  command -v $t >/dev/null || { echo "missing $t (apt-get install cups cups-client jq)"; exit 1; }
done

cd "$ROOT"
go build -o "$W/omsd" ./cmd/omsd
go build -o "$W/omsctl" ./cmd/omsctl
go build -o "$W/history" ./bench/jobs/history
go run ./bench/jobs/gen -files "$FILES" "$W/files"
if [ -n "${BASE:-}" ]; then
  git worktree add --detach "$W/base-src" "$BASE" >/dev/null 2>&1
  (cd "$W/base-src" && go build -o "$W/omsd-base" ./cmd/omsd)
fi

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
RESULTS=()

# run_omsd NAME BINARY HISTORY [SCRAPE]: one end-to-end run on a fresh
# state dir; with SCRAPE=1, /metrics is fetched every second meanwhile.
run_omsd() {
  local name=$1 bin=$2 hist=$3 scrape=${4:-0} st="$W/$1"
  rm -rf "$st"
  mkdir -p "$st/stage"
  cat > "$st/omsd.yaml" <<CONF
version: 1
state_dir: $st
log: {format: json, level: warn}
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - {name: default, printer: file, pieces: {method: whole}}
hot_folders:
  - {dir: hot, workflow: default, scan_interval: 100ms, stable_scans: 1}
CONF
  if [ "$hist" -gt 0 ]; then
    "$W/history" -jobs "$hist" -workers 64 "$st/spool"
  fi
  cp "$W/files/"*.pdf "$st/stage/"
  "$bin" --config "$st/omsd.yaml" > "$st/omsd.log" 2>&1 &
  local pid=$! sock="$st/omsd.sock"
  for _ in $(seq 300); do "$W/omsctl" --socket "$sock" status >/dev/null 2>&1 && break; sleep 0.1; done
  local want=$((hist + FILES)) c0 t0 c1 t1 done=0 scraper=
  if [ "$scrape" = 1 ]; then
    (while :; do curl -sf --unix-socket "$sock" http://omsd/metrics -o "$st/metrics.txt" || echo "scrape failed"; sleep 1; done) &
    scraper=$!
  fi
  c0=$(cpu $pid)
  t0=$(date +%s.%N)
  find "$st/stage" -name '*.pdf' -exec mv -t "$st/hot" {} +
  while :; do
    done=$("$W/omsctl" --socket "$sock" status --json | jq '[.jobs.completed, .jobs.aborted, .jobs.canceled] | map(. // 0) | add')
    [ "$done" -ge "$want" ] && break
    kill -0 $pid 2>/dev/null || { echo "$name: omsd exited"; tail "$st/omsd.log"; exit 1; }
    sleep 0.2
  done
  t1=$(date +%s.%N)
  c1=$(cpu $pid)
  [ -n "$scraper" ] && { kill $scraper; wait $scraper 2>/dev/null || true; }
  local completed outs
  completed=$("$W/omsctl" --socket "$sock" status --json | jq '.jobs.completed // 0')
  outs=$(ls "$st/out" | wc -l)
  kill $pid; wait $pid || true
  local wall cpus
  wall=$(echo "$t1 - $t0" | bc)
  cpus=$(echo "scale=2; ($c1 - $c0) / $TCK" | bc)
  RESULTS+=("$(printf '%-28s %6d files  %7d history  %7.2f s  %6.1f jobs/s  omsd CPU %6.2f s  completed %d, outputs %d' \
    "$name" "$FILES" "$hist" "$wall" "$(echo "$FILES / $wall" | bc -l)" "$cpus" "$((completed - hist))" "$outs")")
  echo "${RESULTS[-1]}"
  rm -rf "$st/spool/jobs" "$st/out"
}

# run_cups: the same files through cupsd, a raw queue to a file: device.
run_cups() {
  local c="$W/cups" port
  mkdir -p "$c"/{spool,tmp,state,cache,log}
  port=$((20000 + RANDOM % 20000))
  cat > "$c/cupsd.conf" <<CONF
LogLevel warn
Listen 127.0.0.1:$port
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
MaxJobs 0
PreserveJobHistory No
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
  cat > "$c/cups-files.conf" <<CONF
SystemGroup root
FileDevice Yes
ServerRoot $c
RequestRoot $c/spool
TempDir $c/tmp
StateDir $c/state
CacheDir $c/cache
AccessLog $c/log/access_log
ErrorLog $c/log/error_log
PageLog $c/log/page_log
CONF
  cupsd -f -c "$c/cupsd.conf" -s "$c/cups-files.conf" &
  local pid=$!
  export CUPS_SERVER=127.0.0.1:$port
  for _ in $(seq 100); do lpstat -r 2>/dev/null | grep -q 'is running' && break; sleep 0.1; done
  lpadmin -p q -E -v file:///dev/null
  local c0 t0 c1 t1
  c0=$(cpu $pid)
  t0=$(date +%s.%N)
  ls "$W/files/"*.pdf | xargs -P 4 -n 1 lp -d q > /dev/null
  while [ -n "$(lpstat -o q 2>/dev/null)" ]; do sleep 0.2; done
  t1=$(date +%s.%N)
  c1=$(cpu $pid)
  local done
  done=$(grep -c '^q ' "$c/log/page_log" 2>/dev/null || true)
  kill $pid; wait $pid || true
  unset CUPS_SERVER
  local wall cpus
  wall=$(echo "$t1 - $t0" | bc)
  cpus=$(echo "scale=2; ($c1 - $c0) / $TCK" | bc)
  RESULTS+=("$(printf '%-28s %6d files  %7d history  %7.2f s  %6.1f jobs/s  cupsd CPU %5.2f s  page log lines %s' \
    "cupsd 2.4, lp x4, raw queue" "$FILES" 0 "$wall" "$(echo "$FILES / $wall" | bc -l)" "$cpus" "$done")")
  echo "${RESULTS[-1]}"
}

if [ -n "${SCRAPE:-}" ]; then
  command -v curl >/dev/null || { echo "missing curl"; exit 1; }
  for i in $(seq "$SCRAPE"); do
    run_omsd "omsd-empty-$i" "$W/omsd" 0
    run_omsd "omsd-empty-scraped-$i" "$W/omsd" 0 1
  done
  echo
  echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%s\n' "${RESULTS[@]}"
  exit 0
fi
[ -z "${CUPS_ONLY:-}" ] && run_omsd omsd-empty "$W/omsd" 0
if [ -n "${BASE:-}" ]; then
  run_omsd "omsd-$BASE-empty" "$W/omsd-base" 0
fi
[ -z "${CUPS_ONLY:-}" ] && run_omsd omsd-history "$W/omsd" "$HISTORY"
run_cups

echo
echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${RESULTS[@]}"
