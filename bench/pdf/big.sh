#!/bin/sh
# Large-PDF benchmark: an image-heavy PDF (bench/pdf/mkbig: one image
# XObject of 4 MiB per page) split into four outputs of consecutive pages
# with package pdf (bench/pdf/bigsplit, outputs written in parallel and
# fsynced), next to "cp IN OUT && sync OUT" of the same bytes (sync of
# the file, as ours fsyncs its outputs: a bare sync would also flush
# whatever else the machine has written), in one run.
# Prints wall time and peak RSS of each and the ratio of ours to cp's.
#
#   bench/pdf/big.sh [SIZE_MIB...]      (default: 4096)
#
# Each size is run TRIES times (default 2); the first output of the
# first pass must pass qpdf --check, and the outputs must hold the
# input's pages. QPDF=1 also times qpdf (--empty --pages IN RANGE -- OUT,
# four runs, then sync of the four). BIGSPLIT=FILE times that build of
# the driver instead (another commit's, for before and after). Needs GNU
# time (Debian package time) and qpdf. The input and outputs take about
# twice SIZE of disk, in a temporary directory under WORK (default
# TMPDIR or /tmp), removed at the end.
set -eu
cd "$(dirname "$0")/../.."
for tool in qpdf /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "big.sh: $tool missing: apt-get install -y qpdf time" >&2; exit 1; }
done
WORK=$(mktemp -d "${WORK:-${TMPDIR:-/tmp}}/bigpdf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
go build -o "$WORK/mkbig" ./bench/pdf/mkbig
if [ -n "${BIGSPLIT:-}" ]; then
	cp "$BIGSPLIT" "$WORK/bigsplit"
else
	go build -o "$WORK/bigsplit" ./bench/pdf/bigsplit
fi
[ $# -gt 0 ] || set -- 4096

timed() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %M" -a -o "$WORK/times" "$@" >/dev/null
}

# copy times cp and sync of the copy; split times ours, after reading the
# input into the page cache for each.
copy() {
	cat "$in" >/dev/null
	timed cp sh -c "cp '$in' '$WORK/cp/copy.pdf' && sync '$WORK/cp/copy.pdf'"
	rm -f "$WORK/cp/copy.pdf"
	sync
}
split() {
	cat "$in" >/dev/null
	timed ours "$WORK/bigsplit" "$in" "$WORK/ours"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-9s %-5s %8s %11s %8s %9s %7s %8s %11s\n' MiB pages try ours_s ours_RSS_MB cp_s cp_RSS_MB ratio qpdf_s qpdf_RSS_MB
for size in "$@"; do
	in="$WORK/big.pdf"
	"$WORK/mkbig" -size "$size" "$in"
	pages=$(qpdf --show-npages "$in")
	sync
	for try in $(seq "${TRIES:-2}"); do
		: >"$WORK/times"
		mkdir -p "$WORK/ours" "$WORK/cp" "$WORK/qpdf"
		# cp and ours take turns at going first: the disk is still busy
		# with the deletion of what the other wrote.
		[ $((try % 2)) = 0 ] || copy
		split
		[ $((try % 2)) = 1 ] || copy
		if [ "$try" = 1 ]; then
			qpdf --check "$WORK/ours/out1.pdf" >/dev/null # minutes a GiB: one of the four
		fi
		got=0
		for i in 1 2 3 4; do
			got=$((got + $(qpdf --show-npages "$WORK/ours/out$i.pdf")))
		done
		[ "$got" = "$pages" ] || { echo "big.sh: the outputs have $got pages, the input $pages" >&2; exit 1; }
		rm -rf "$WORK/ours"
		sync
		if [ -n "${QPDF:-}" ]; then
			cat "$in" >/dev/null
			q=$((pages / 4))
			timed qpdf sh -c "qpdf --empty --pages '$in' 1-$q -- '$WORK/qpdf/1.pdf' &&
				qpdf --empty --pages '$in' $((q + 1))-$((2 * q)) -- '$WORK/qpdf/2.pdf' &&
				qpdf --empty --pages '$in' $((2 * q + 1))-$((3 * q)) -- '$WORK/qpdf/3.pdf' &&
				qpdf --empty --pages '$in' $((3 * q + 1))-z -- '$WORK/qpdf/4.pdf' && sync '$WORK'/qpdf/*.pdf"
			rm -rf "$WORK/qpdf"
			sync
		fi
		awk -v size="$size" -v pages="$pages" -v try="$try" '
			$1 == "cp" { cs = $2; cm = $3 }
			$1 == "ours" { os = $2; om = $3 }
			$1 == "qpdf" { qs = $2; qm = $3 }
			END { q = qs == "" ? "-" : sprintf("%.2f", qs); qr = qm == "" ? "-" : sprintf("%.0f", qm / 1024)
				printf "%-8d %-9d %-5d %8.2f %11.0f %8.2f %9.0f %7.2f %8s %11s\n",
				size, pages, try, os, om / 1024, cs, cm / 1024, os / cs, q, qr }' "$WORK/times"
	done
	rm -f "$in"
done
echo "ours: one process, four outputs written in parallel, each fsynced; cp: cp then sync of the copy; qpdf: four runs then sync of the outputs"
