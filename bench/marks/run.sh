#!/bin/sh
# Marks benchmark: OMR marks on every sheet of a simplex mail run, with
# package pdfmarks (bench/marks/stamp: open, compute the marks of every
# sheet, write the output with one shared form for the mark) and with
# qpdf overlaying a one-page stamp of the same marks onto every page
# (qpdf IN --overlay STAMP --repeat=1 -- OUT). Prints wall time and peak
# RSS of each, and the ratio of ours to qpdf's.
#
#   bench/marks/run.sh [PAGES...]        (default: 10000)
#
# Needs qpdf and GNU time (Debian packages qpdf, time). WORK=DIR keeps the
# files in DIR instead of a temporary directory removed at the end;
# PROFILE=NAME picks another marks profile (default pb-omr).
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
profile=${PROFILE:-pb-omr}
go build -o "$WORK/stamp" ./bench/marks/stamp
[ $# -gt 0 ] || set -- 10000

# timed LABEL CMD...: runs CMD, appends "LABEL seconds maxrss_kb" to $WORK/times.
timed() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %M" -a -o "$WORK/times" "$@" >/dev/null
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(qpdf --version | head -1), $(go version | cut -d' ' -f3), profile $profile"
printf '%-8s %-9s %9s %11s %9s %11s %7s %9s %9s\n' pages input_MB ours_s ours_RSS_MB qpdf_s qpdf_RSS_MB ratio ours_MB qpdf_MB
for pages in "$@"; do
	in="$WORK/run-$pages.pdf"
	stamp="$WORK/stamp.pdf"
	: >"$WORK/times"
	"$WORK/stamp" -gen -pages "$pages" -profile "$profile" "$in" "$stamp"
	cat "$in" >/dev/null # into the page cache, for both
	for i in 1 2 3; do
		timed ours "$WORK/stamp" -profile "$profile" "$in" "$WORK/ours.pdf"
		timed qpdf qpdf "$in" --overlay "$stamp" --repeat=1 -- "$WORK/qpdf.pdf"
	done
	a=$(qpdf --show-npages "$WORK/ours.pdf")
	b=$(qpdf --show-npages "$WORK/qpdf.pdf")
	[ "$a" = "$pages" ] && [ "$b" = "$pages" ] || { echo "run.sh: ours has $a pages, qpdf's $b, want $pages" >&2; exit 1; }
	qpdf --check "$WORK/ours.pdf" >/dev/null
	awk -v pages="$pages" -v size="$(stat -c %s "$in")" -v osz="$(stat -c %s "$WORK/ours.pdf")" -v qsz="$(stat -c %s "$WORK/qpdf.pdf")" '
		# the best of three runs of each
		$1 == "qpdf" && (qs == "" || $2 < qs) { qs = $2; qm = $3 }
		$1 == "ours" && (os == "" || $2 < os) { os = $2; om = $3 }
		END { printf "%-8d %-9.1f %9.2f %11.0f %9.2f %11.0f %7.3f %9.1f %9.1f\n",
			pages, size/1048576, os, om/1024, qs, qm/1024, os/qs, osz/1048576, qsz/1048576 }' "$WORK/times"
done
echo "best of three runs each; ours: open, marks of every sheet, write and fsync one output; qpdf: no fsync"
