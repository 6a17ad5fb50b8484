#!/bin/sh
# Marked output size: a PDF/VT mail run from bench/pdf/mkrun (pieces of 1-4
# pages, bookmarks, records, page labels, a shared font and logo), through
# `omsd process` with a workflow sorted by postal code, pieces from the
# records, and each shipped marks profile (and none). Prints each output's
# size and its ratio to the input's and to the unmarked output's, and
# checks every output with qpdf.
#
#   bench/marks/size.sh [PAGES]        (default: 10000)
#   bench/marks/size.sh --fop LETTERS  (composed letters: Apache FOP renders
#                                       bench/marks/fopletters; pieces from
#                                       the bookmarks)
#
# OMSD=BINARY measures another build of omsd (e.g. an earlier commit's).
# Needs qpdf (Debian package qpdf).
set -eu
cd "$(dirname "$0")/../.."
command -v qpdf >/dev/null || { echo "size.sh: qpdf missing: apt-get install -y qpdf" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
method=dpart sort="sort_by: [postal_code]"
if [ "${1:-}" = --fop ]; then
	command -v fop >/dev/null || { echo "size.sh: fop missing: apt-get install -y fop" >&2; exit 1; }
	go run ./bench/marks/fopletters -letters "${2:-1000}" >"$WORK/run.fo"
	fop -q -fo "$WORK/run.fo" -pdf "$WORK/run.pdf" >/dev/null 2>&1
	pages=$(qpdf --show-npages "$WORK/run.pdf")
	method=bookmarks sort=""
else
	pages=${1:-10000}
	go run ./bench/pdf/mkrun -pages "$pages" "$WORK/run.pdf"
fi
omsd=${OMSD:-}
if [ -z "$omsd" ]; then
	omsd=$WORK/omsd
	go build -o "$omsd" ./cmd/omsd
fi
in=$(stat -c %s "$WORK/run.pdf")
echo "input: $pages pages, $in bytes"
printf '%-16s %11s %9s %11s %9s\n' profile output_bytes ÷input ÷unmarked seconds
plain=0
for profile in none pb-omr quadient-omr datamatrix-fbp; do
	marks=""
	[ "$profile" = none ] || marks="    marks: {profile: $profile}"
	cat >"$WORK/$profile.yaml" <<YAML
version: 1
state_dir: $WORK/state-$profile
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: run
    format: pdf
    printer: file
    $sort
    pieces: {method: $method}
$marks
YAML
	start=$(date +%s.%N)
	"$omsd" process --config "$WORK/$profile.yaml" "$WORK/run.pdf" >/dev/null 2>"$WORK/log"
	end=$(date +%s.%N)
	set -- "$WORK/state-$profile"/out/*-run.pdf # named after the run's job ID
	[ $# -eq 1 ] && [ -f "$1" ] || { echo "size.sh: $profile: no single output in $WORK/state-$profile/out" >&2; exit 1; }
	out=$1
	qpdf --check "$out" >/dev/null
	size=$(stat -c %s "$out")
	[ "$profile" = none ] && plain=$size
	awk -v p="$profile" -v s="$size" -v i="$in" -v u="$plain" -v t0="$start" -v t1="$end" \
		'BEGIN { printf "%-16s %11d %9.3f %11.3f %9.2f\n", p, s, s/i, s/u, t1-t0 }'
done
