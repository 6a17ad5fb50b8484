#!/bin/sh
# PDF benchmark: reorder a mail run by postal code into four outputs, with
# package pdf (bench/pdf/reorder) and with qpdf (--empty --pages IN <order>
# -- OUT, four runs), on the same input of 10,000 and 100,000 pages; and
# the time to index the pieces only. Prints wall time and peak RSS of each,
# and the ratio of ours to qpdf's.
#
#   bench/pdf/run.sh [PAGES...]        (default: 10000 100000)
#
# Needs qpdf and GNU time (Debian packages qpdf, time). WORK=DIR keeps the
# files in DIR instead of a temporary directory removed at the end.
set -eu
cd "$(dirname "$0")/../.."
for tool in qpdf /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool missing: apt-get install -y qpdf time" >&2; exit 1; }
done
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
go build -o "$WORK/mkrun" ./bench/pdf/mkrun
go build -o "$WORK/reorder" ./bench/pdf/reorder
[ $# -gt 0 ] || set -- 10000 100000

# timed LABEL CMD...: runs CMD, appends "LABEL seconds maxrss_kb" to $WORK/times.
timed() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %M" -a -o "$WORK/times" "$@" >/dev/null
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(qpdf --version | head -1), $(go version | cut -d' ' -f3)"
printf '%-8s %-9s %9s %10s %9s %10s %7s %9s %10s\n' pages input_MB ours_s ours_RSS_MB qpdf_s qpdf_RSS_MB ratio index_s index_RSS_MB
for pages in "$@"; do
	in="$WORK/run-$pages.pdf"
	ours="$WORK/ours-$pages"
	theirs="$WORK/qpdf-$pages"
	mkdir -p "$ours" "$theirs"
	: >"$WORK/times"
	"$WORK/mkrun" -pages "$pages" "$in"
	cat "$in" >/dev/null # into the page cache, for both
	"$WORK/reorder" -index-only -qpdf "$theirs" "$in" "$ours" >/dev/null

	timed index "$WORK/reorder" -index-only "$in" "$ours"
	timed ours "$WORK/reorder" "$in" "$ours"
	for i in 1 2 3 4; do
		timed qpdf qpdf "@$theirs/out$i.args"
	done
	for i in 1 2 3 4; do
		a=$(qpdf --show-npages "$ours/out$i.pdf")
		b=$(qpdf --show-npages "$theirs/out$i.pdf")
		[ "$a" = "$b" ] || { echo "run.sh: output $i: ours has $a pages, qpdf's $b" >&2; exit 1; }
		qpdf --check "$ours/out$i.pdf" >/dev/null
	done
	awk -v pages="$pages" -v size="$(stat -c %s "$in")" '
		$1 == "qpdf" { qs += $2; if ($3 > qm) qm = $3 }
		$1 == "ours" { os = $2; om = $3 }
		$1 == "index" { is = $2; im = $3 }
		END { printf "%-8d %-9.1f %9.2f %10.0f %9.2f %10.0f %7.3f %9.2f %10.0f\n",
			pages, size/1048576, os, om/1024, qs, qm/1024, os/qs, is, im/1024 }' "$WORK/times"
done
echo "qpdf: four runs one after the other, time summed, RSS the largest; ours: one process, outputs written in parallel and fsynced"
