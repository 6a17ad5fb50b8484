#!/usr/bin/env bash
# Sidecar benchmark: mailpiece.FromSidecar on generated indexes of tiny
# pieces just under the 64 MiB limit, with the code at BEFORE (a git
# revision, default 3c5bbc6, the last without streamed sidecars) and with the
# working tree. Peak RSS from GNU time.
#
#   bench/sidecar/run.sh [BEFORE]
#
# Needs: go, GNU time (/usr/bin/time, package time).
set -euo pipefail
BEFORE=${1:-3c5bbc6}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/omsd-bench-sidecar.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)"; exit 1; }

cd "$ROOT"
go build -o "$W/after" ./bench/sidecar
mkdir "$W/src"
git archive "$BEFORE" | tar -x -C "$W/src"
mkdir -p "$W/src/bench/sidecar"
cp bench/sidecar/main.go "$W/src/bench/sidecar/"
(cd "$W/src" && go build -o "$W/before" ./bench/sidecar)

for args in "-format json -n 1900000" "-format json -n 1200000 -meta 1" \
            "-format csv -n 6000000" "-format csv -n 4000000 -meta 1"; do
  for v in before after; do
    /usr/bin/time -v "$W/$v" $args 2>"$W/time" | sed "s/^/$v: /"
    grep -E "Maximum resident|Elapsed" "$W/time" | sed "s/^\s*/$v:   /"
  done
done
