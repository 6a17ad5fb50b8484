#!/usr/bin/env bash
# How fast the archive takes an AFP mail run, against cp of the same file.
#
#   bench/archive/run.sh [PAGES...]        default: 100000 1000000
#
# Each run is generated once (bench/afp/gen, ~5 pages a piece) under
# $BENCH_DIR (default /tmp/omsd-bench-archive) and read once to warm the
# page cache. Then, with a sync before each:
#
#   cp FILE DIR/ && sync        against  archiverun: every page group cut out
#                                        with the run's resources (split_s),
#                                        framed, zstd-compressed, written in
#                                        32 MB segments, fsynced, entered in
#                                        the ledger and indexed (archive_s);
#                                        then searches and a get (medians of
#                                        21), and a reindex
#
# with the peak RSS of archiverun (/usr/bin/time, Debian package "time").
# bench/archive/indexcmp (a module of its own) compares the index engines.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${BENCH_DIR:-/tmp/omsd-bench-archive}
if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time missing: install the Debian package time" >&2
	exit 1
fi
mkdir -p "$dir"
go build -o "$dir/gen" ./bench/afp/gen
go build -o "$dir/archiverun" ./bench/archive/archiverun

for pages in "${@:-100000 1000000}"; do
	run="$dir/run-$pages.afp"
	[ -f "$run" ] || "$dir/gen" -pages "$pages" -o "$run"
	cat "$run" > /dev/null
	rm -rf "$dir/cp" "$dir/archive"
	mkdir -p "$dir/cp"
	sync
	start=$(date +%s.%N)
	cp "$run" "$dir/cp/" && sync
	cp_s=$(echo "$(date +%s.%N) - $start" | bc)
	sync
	figures=$(/usr/bin/time -f '%M' -o "$dir/rss" "$dir/archiverun" -in "$run" -dir "$dir/archive")
	echo "pages=$pages cp_sync_s=$cp_s archiverun_peak_rss_kb=$(cat "$dir/rss") $figures"
done
