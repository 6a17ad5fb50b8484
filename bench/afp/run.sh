#!/usr/bin/env bash
# How fast omsctl and omsd take an AFP mail run, against cat and cp on the
# same file, through the real binaries.
#
#   bench/afp/run.sh [PAGES...]        default: 100000 1000000
#
# Each run is generated once (bench/afp/gen: ~5 pages a piece, TLEs with
# ACCOUNT, NAME and POSTCODE, IMMs, an inline resource group with a form
# map of simplex, duplex, tumble and 2-up maps) under $BENCH_DIR (default
# /tmp/omsd-bench-afp) and read once to warm the page cache. omsd and
# omsctl are built with go build. Then, best of $ROUNDS (default 3) wall
# times, with a sync (untimed) before each round:
#
#   cat FILE > /dev/null    against  omsctl inspect FILE (index; summary and
#                                    the first 20 pieces) and
#                                    omsctl inspect --json FILE > /dev/null
#                                    (every piece)
#   cp FILE DIR/            against  omsd process --config bench.yaml FILE
#                                    (index, plan: presort by postcode,
#                                    duplex; 4 outputs split by sheets,
#                                    written and sent to a file printer)
#   cp FILE DIR/ && sync    for reference: omsd process writes each output
#                                    twice (the job's print file, then the
#                                    printer's copy), each fsynced
#
# and the largest peak RSS of each (/usr/bin/time, Debian package "time").
# bench/afp/indexrun drives package afp alone, for profiles (-cpuprofile).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${BENCH_DIR:-/tmp/omsd-bench-afp}
rounds=${ROUNDS:-3}

if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time missing: install the Debian package time" >&2
	exit 1
fi
mkdir -p "$dir"
go build -o "$dir/gen" ./bench/afp/gen
go build -o "$dir/omsctl" ./cmd/omsctl
go build -o "$dir/omsd" ./cmd/omsd

# The workflow omsd process runs: AFP, TLE POSTCODE as the postal code,
# Deutsche Post presort, duplex, four outputs by the envelope's sheets.
cat >"$dir/bench.yaml" <<YAML
version: 1
state_dir: $dir/state
printers:
  - {name: out, driver: file, file: {dir: $dir/out, link: true}}
workflows:
  - name: mailrun
    format: afp
    printer: out
    afp:
      fields: {POSTCODE: zip, ACCOUNT: customer_id}
    postage:
      carrier: deutschepost
      duplex: true
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C6/5, max_sheets: 8, weight_g: 5.0, format: standard, layers: 3}
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, customer_id: customer_id}
      splits:
        - {output: s1, max_sheets: 2}
        - {output: s2, max_sheets: 3}
        - {output: s3, max_sheets: 4}
      default_output: s4
YAML
mkdir -p "$dir/state" "$dir/out"

# measure PREP CMD...: runs PREP (untimed) then CMD with stdout to
# /dev/null, $rounds times; prints the best wall time in ms and the
# largest peak RSS in MB.
measure() {
	local prep=$1 best= rss=0 start end kb
	shift
	for _ in $(seq "$rounds"); do
		eval "$prep"
		start=$(date +%s%N)
		/usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null 2>>"$dir/stderr.log"
		end=$(date +%s%N)
		kb=$(tail -1 "$dir/rss")
		local ms=$(((end - start) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
		if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
	done
	echo "$best $((rss / 1024))"
}

ratio() { echo "$1 / $2" | bc -l; }

printf '%8s %11s | %5s %8s %5s %4s %7s %5s %4s | %5s %8s %8s %5s %4s\n' pages bytes \
	"cat" "inspect" ratio RSS "--json" ratio RSS "cp" "cp+sync" "process" ratio RSS
[ $# -gt 0 ] || set -- 100000 1000000
for pages in "$@"; do
	file="$dir/run-$pages.afp"
	[ -f "$file" ] || "$dir/gen" -pages "$pages" -o "$file" >/dev/null
	cat "$file" >/dev/null
	bytes=$(stat -c %s "$file")
	cpdir="$dir/cp"
	mkdir -p "$cpdir"
	clean="rm -rf '$cpdir'/* '$dir/out'/*; sync"
	read -r cat_ms _ < <(measure sync cat "$file")
	read -r ins_ms ins_rss < <(measure sync "$dir/omsctl" inspect "$file")
	read -r json_ms json_rss < <(measure sync "$dir/omsctl" inspect --json "$file")
	read -r cp_ms _ < <(measure "$clean" cp "$file" "$cpdir/")
	read -r cps_ms _ < <(measure "$clean" sh -c "cp '$file' '$cpdir/' && sync")
	read -r proc_ms proc_rss < <(measure "$clean" "$dir/omsd" process --config "$dir/bench.yaml" "$file")
	outputs=$(find "$dir/out" -name '*.afp' | wc -l)
	eval "$clean"
	printf '%8d %11d | %5d %8d %5.2f %4d %7d %5.2f %4d | %5d %8d %8d %5.2f %4d  (%d outputs)\n' "$pages" "$bytes" \
		"$cat_ms" "$ins_ms" "$(ratio "$ins_ms" "$cat_ms")" "$ins_rss" "$json_ms" "$(ratio "$json_ms" "$cat_ms")" "$json_rss" \
		"$cp_ms" "$cps_ms" "$proc_ms" "$(ratio "$proc_ms" "$cp_ms")" "$proc_rss" "$outputs"
done
