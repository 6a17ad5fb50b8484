#!/bin/sh
# AFP marks benchmark: OMR marks on every sheet of an AFP mail run with
# package afpmarks (bench/marks/afpmark: index on every core, the pieces
# written through afp.WriteOutput with the marks' page hook, which
# computes each sheet's marks as the output reaches it and adds one
# presentation text object of rules to each marked page, fsync), against
# cp of the same file, and cp followed by sync.
#
#   bench/marks/afp.sh [PAGES...]        (default: 1000000)
#
# The run comes from bench/afp/gen (about 5 pages a piece, simplex,
# duplex and 2-up sheets; 1,000,000 pages are 1.4 GB). Needs GNU time
# (Debian package time). WORK=DIR keeps the files in DIR instead of a
# temporary directory under /tmp removed at the end; PROFILE=NAME picks
# another profile (default pb-omr).
set -eu
cd "$(dirname "$0")/../.."
command -v /usr/bin/time >/dev/null || { echo "afp.sh: /usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
profile=${PROFILE:-pb-omr}
go build -o "$WORK/afpmark" ./bench/marks/afpmark
go build -o "$WORK/gen" ./bench/afp/gen
[ $# -gt 0 ] || set -- 1000000

# timed LABEL CMD...: runs CMD, appends "LABEL seconds maxrss_kb cpu_seconds"
# (user + system) to $WORK/times.
timed() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %M %U %S" -a -o "$WORK/times" "$@" >"$WORK/stdout"
	# afpmark's own split: the seconds of the marked output, index apart
	sed -n 's/^index .*, marked output \([0-9.]*\) s$/write \1 0/p' "$WORK/stdout" >>"$WORK/times"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3), profile $profile"
printf '%-8s %-9s %8s %7s %10s %11s %9s %9s %9s %8s %10s %8s %8s\n' pages input_MB cp_s cp+sync ours_s ours_RSS_MB ratio_cp ratio_sync output_MB write_s write/sync cpu_sync cpu_ours
for pages in "$@"; do
	in="$WORK/run-$pages.afp"
	: >"$WORK/times"
	"$WORK/gen" -pages "$pages" -o "$in" >/dev/null
	cat "$in" >/dev/null # into the page cache, for both
	for i in 1 2 3; do
		rm -f "$WORK/cp.afp" "$WORK/ours.afp"; sync
		timed cp cp "$in" "$WORK/cp.afp"
		rm -f "$WORK/cp.afp"; sync
		timed cpsync sh -c "cp '$in' '$WORK/cp.afp' && sync"
		rm -f "$WORK/cp.afp"; sync
		timed ours "$WORK/afpmark" -profile "$profile" "$in" "$WORK/ours.afp"
	done
	awk -v pages="$pages" -v size="$(stat -c %s "$in")" -v osz="$(stat -c %s "$WORK/ours.afp")" '
		# the best of three runs of each
		$1 == "cp" && (cs == "" || $2 < cs) { cs = $2 }
		$1 == "cpsync" && (ss == "" || $2 < ss) { ss = $2; sc = $4 + $5 }
		$1 == "ours" && (os == "" || $2 < os) { os = $2; om = $3; oc = $4 + $5 }
		$1 == "write" && (ws == "" || $2 < ws) { ws = $2 }
		END { printf "%-8d %-9.1f %8.2f %7.2f %10.2f %11.0f %9.2f %9.2f %9.1f %8.2f %10.2f %8.2f %8.2f\n",
			pages, size/1048576, cs, ss, os, om/1024, os/cs, os/ss, osz/1048576, ws, ws/ss, sc, oc }' "$WORK/times"
	rm -f "$in" "$WORK/ours.afp" "$WORK/cp.afp"
done
echo "best of three runs each; ours: index, marks of every sheet as the output reaches it, write and fsync the output; cp: no fsync"
echo "write_s: ours without the index (the marked output's write and fsync alone), write/sync its ratio to cp && sync"
echo "cpu_sync, cpu_ours: user + system seconds of those runs (the kernel's writeback threads not counted)"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
