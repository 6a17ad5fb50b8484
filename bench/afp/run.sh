#!/usr/bin/env bash
# How fast package afp indexes and splits an AFP mail run, against cat and
# cp on the same file.
#
#   bench/afp/run.sh [PAGES...]        default: 100000 1000000
#
# Each run is generated once (bench/afp/gen) under $BENCH_DIR (default
# /tmp/omsd-bench-afp) and read once to warm the page cache. Then, best of
# $ROUNDS (default 3) wall-clock times:
#
#   cat FILE > /dev/null         against  $index FILE
#   cp FILE DIR/                 against  $split FILE DIR  (index, sort by
#                                          postcode, write 4 outputs)
#
# with the peak RSS of index and split (/usr/bin/time, Debian package
# "time"). index and split run bench/afp/indexrun; point them at omsctl
# inspect / omsd process to measure those.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${BENCH_DIR:-/tmp/omsd-bench-afp}
rounds=${ROUNDS:-3}

index=("$dir/indexrun")         # + FILE
split=("$dir/indexrun" -n 4)    # + FILE DIR

if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time missing: install the Debian package time" >&2
	exit 1
fi
mkdir -p "$dir"
go build -o "$dir/gen" ./bench/afp/gen
go build -o "$dir/indexrun" ./bench/afp/indexrun

# measure PREP CMD...: runs PREP (untimed) then CMD, $rounds times; prints
# the best wall time in ms and the largest peak RSS in MB.
measure() {
	local prep=$1 best= rss=0 start end kb
	shift
	for _ in $(seq "$rounds"); do
		eval "$prep"
		start=$(date +%s%N)
		/usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null
		end=$(date +%s%N)
		kb=$(tail -1 "$dir/rss")
		local ms=$(((end - start) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
		if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
	done
	echo "$best $((rss / 1024))"
}

printf '%9s %12s | %7s %9s %6s %7s | %7s %9s %6s %7s\n' pages bytes "cat ms" "index ms" ratio "RSS MB" "cp ms" "split ms" ratio "RSS MB"
[ $# -gt 0 ] || set -- 100000 1000000
for pages in "$@"; do
	file="$dir/run-$pages.afp"
	[ -f "$file" ] || "$dir/gen" -pages "$pages" -o "$file" >/dev/null
	cat "$file" >/dev/null
	bytes=$(stat -c %s "$file")
	out="$dir/out-$pages"
	mkdir -p "$out"
	# sync before each round: no writeback of an earlier round runs meanwhile
	read -r cat_ms _ < <(measure sync cat "$file")
	read -r index_ms index_rss < <(measure sync "${index[@]}" "$file")
	read -r cp_ms _ < <(measure "rm -f '$out'/*; sync" cp "$file" "$out/")
	read -r split_ms split_rss < <(measure "rm -f '$out'/*; sync" "${split[@]}" "$file" "$out")
	rm -rf "$out"
	printf '%9d %12d | %7d %9d %6.2f %7d | %7d %9d %6.2f %7d\n' "$pages" "$bytes" \
		"$cat_ms" "$index_ms" "$(echo "$index_ms / $cat_ms" | bc -l)" "$index_rss" \
		"$cp_ms" "$split_ms" "$(echo "$split_ms / $cp_ms" | bc -l)" "$split_rss"
done
