#!/usr/bin/env bash
# How fast omsctl and omsd take an AFP mail run, against the bare field
# walk, cat and cp on the same file, through the real binaries.
#
#   bench/afp/run.sh [RUN...]        default: 100000 1000000 small:900000
#
# A RUN is a page count: bench/afp/gen writes ~5 pages a piece of ~1.4 KB
# each, TLEs with ACCOUNT, NAME and POSTCODE, IMMs, an inline resource
# group with a form map of simplex, duplex, tumble and 2-up maps; or
# small:PAGES, gen -small: 1 to 6 pages a piece of ~200 bytes each (900,000
# pages: ~300,000 pieces, ~10 million fields). Each run is generated once
# under $BENCH_DIR (default /tmp/omsd-bench-afp) and read once to warm the
# page cache. omsd, omsctl, walk and analyse are built with go build. Then,
# best of $ROUNDS (default 3) wall times, with a sync (untimed) before each
# round:
#
#   walk FILE               the floor: bench/afp/walk hops from field to
#                           field by the length and counts them
#   cat FILE > /dev/null    the bytes alone
#   omsctl inspect FILE     index on every core; summary and the first 20
#                           pieces
#   analyse bench.yaml FILE the analysis step as the daemon runs it:
#                           pipeline.Open (index) and Analyze (pieces and
#                           their metadata), bench/afp/analyse
#   omsctl inspect --json FILE > /dev/null   every piece
#   cp FILE DIR/, cp FILE DIR/ && sync, omsd process --config bench.yaml FILE
#                           (index, plan: presort by postcode, duplex; 4
#                           outputs split by sheets, written and sent to a
#                           file printer); PROCESS=0 leaves these out
#
#   indexrun -one FILE, indexrun FILE
#                           package afp's index alone, in one pass on one
#                           core and on every core
#
# The commands of one round run one after the other and each round's
# ratios are taken within it, so that they compare runs under the same
# load; the table shows best wall times, least CPU times (user + sys), the
# largest peak RSS (/usr/bin/time, Debian package "time") and the median
# and range of the ratios. bench/afp/indexrun also writes profiles
# (-cpuprofile).
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
go build -o "$dir/walk" ./bench/afp/walk
go build -o "$dir/analyse" ./bench/afp/analyse
go build -o "$dir/indexrun" ./bench/afp/indexrun

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
# /dev/null, $rounds times; prints the best wall time in ms, the largest
# peak RSS in MB and the least CPU time (user + sys) in ms.
measure() {
	local prep=$1 best= rss=0 cpu= start end kb u sy
	shift
	for _ in $(seq "$rounds"); do
		eval "$prep"
		start=$(date +%s%N)
		/usr/bin/time -f '%M %U %S' -o "$dir/rss" "$@" >/dev/null 2>>"$dir/stderr.log"
		end=$(date +%s%N)
		read -r kb u sy < <(tail -1 "$dir/rss")
		local ms=$(((end - start) / 1000000)) c
		c=$(echo "($u + $sy) * 1000 / 1" | bc)
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
		if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
		if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
	done
	echo "$best $((rss / 1024)) $cpu"
}

ratio() { echo "$1 / $2" | bc -l; }

# once CMD...: one timed run of CMD after a sync, stdout to /dev/null;
# prints the wall time in ms, the peak RSS in MB and the CPU time (user +
# sys) in ms.
once() {
	local start end kb u sy
	sync
	start=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$dir/rss" "$@" >/dev/null 2>>"$dir/stderr.log"
	end=$(date +%s%N)
	read -r kb u sy < <(tail -1 "$dir/rss")
	echo "$(((end - start) / 1000000)) $((kb / 1024)) $(echo "($u + $sy) * 1000 / 1" | bc)"
}

# median and range of the numbers on stdin: "MEDIAN (MIN–MAX)".
spread() { sort -g | awk '{a[NR]=$1} END {printf "%.2f (%.2f–%.2f)", a[int((NR+1)/2)], a[1], a[NR]}'; }

echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds"
echo "wall ms: best of the rounds; cpu ms: least; ÷walk: median (range) of each round's ratio, the"
echo "commands of a round run one after the other, so each ratio compares runs under the same load"
[ $# -gt 0 ] || set -- 100000 1000000 small:900000
procs=()
for run in "$@"; do
	case $run in
	small:*) pages=${run#small:} file="$dir/small-$pages.afp" small=-small ;;
	*) pages=$run file="$dir/run-$pages.afp" small= ;;
	esac
	# shellcheck disable=SC2086 # $small is one flag or none
	[ -f "$file" ] || "$dir/gen" $small -pages "$pages" -o "$file" >/dev/null
	cat "$file" >/dev/null
	declare -A cmds=(
		[walk]="'$dir/walk' '$file'"
		[cat]="cat '$file'"
		[inspect]="'$dir/omsctl' inspect '$file'"
		[analyse]="'$dir/analyse' '$dir/bench.yaml' mailrun '$file'"
		[one]="'$dir/indexrun' -one '$file'"
		[split]="'$dir/indexrun' '$file'"
		[json]="'$dir/omsctl' inspect --json '$file'"
	)
	declare -A best=() cpu=() rss=() wall=()
	ratios_ins=() ratios_ana=() ratios_split=()
	for _ in $(seq "$rounds"); do
		for k in walk cat inspect analyse one split json; do
			read -r ms r c < <(eval once "${cmds[$k]}")
			wall[$k]=$ms
			[ -n "${best[$k]:-}" ] && [ "${best[$k]}" -le "$ms" ] || best[$k]=$ms
			[ -n "${cpu[$k]:-}" ] && [ "${cpu[$k]}" -le "$c" ] || cpu[$k]=$c
			[ "${rss[$k]:-0}" -ge "$r" ] || rss[$k]=$r
		done
		ratios_ins+=("$(ratio "${wall[inspect]}" "${wall[walk]}")")
		ratios_ana+=("$(ratio "${wall[analyse]}" "${wall[walk]}")")
		ratios_split+=("$(ratio "${wall[split]}" "${wall[one]}")")
	done
	echo
	echo "$run: $(stat -c %s "$file") bytes, $("$dir/walk" "$file" | awk '{print $2}') fields"
	printf '  %-26s %6s %6s %5s  %s\n' "" "wall" "cpu" "RSS" "ratio"
	printf '  %-26s %6d %6d %5d\n' "walk (the floor)" "${best[walk]}" "${cpu[walk]}" "${rss[walk]}"
	printf '  %-26s %6d %6d %5d\n' "cat" "${best[cat]}" "${cpu[cat]}" "${rss[cat]}"
	printf '  %-26s %6d %6d %5d  ÷walk %s\n' "omsctl inspect" "${best[inspect]}" "${cpu[inspect]}" "${rss[inspect]}" "$(printf '%s\n' "${ratios_ins[@]}" | spread)"
	printf '  %-26s %6d %6d %5d  ÷walk %s\n' "analysis step (analyse)" "${best[analyse]}" "${cpu[analyse]}" "${rss[analyse]}" "$(printf '%s\n' "${ratios_ana[@]}" | spread)"
	printf '  %-26s %6d %6d %5d\n' "index, one pass (indexrun)" "${best[one]}" "${cpu[one]}" "${rss[one]}"
	printf '  %-26s %6d %6d %5d  ÷one pass %s\n' "index, every core" "${best[split]}" "${cpu[split]}" "${rss[split]}" "$(printf '%s\n' "${ratios_split[@]}" | spread)"
	printf '  %-26s %6d %6d %5d  ÷cat %.2f\n' "omsctl inspect --json" "${best[json]}" "${cpu[json]}" "${rss[json]}" "$(ratio "${best[json]}" "${best[cat]}")"
	procs+=("$run|$file")
done
[ "${PROCESS:-1}" != 0 ] || exit 0
printf '\n%14s | %5s %8s %8s %5s %4s\n' run "cp" "cp+sync" process "÷cp" RSS
for pf in "${procs[@]}"; do
	run=${pf%%|*} file=${pf#*|}
	cpdir="$dir/cp"
	mkdir -p "$cpdir"
	clean="rm -rf '$cpdir'/* '$dir/out'/*; sync"
	read -r cp_ms _ _ < <(measure "$clean" cp "$file" "$cpdir/")
	read -r cps_ms _ _ < <(measure "$clean" sh -c "cp '$file' '$cpdir/' && sync")
	read -r proc_ms proc_rss _ < <(measure "$clean" "$dir/omsd" process --config "$dir/bench.yaml" "$file")
	outputs=$(find "$dir/out" -name '*.afp' | wc -l)
	eval "$clean"
	printf '%14s | %5d %8d %8d %5.2f %4d  (%d outputs)\n' "$run" "$cp_ms" "$cps_ms" "$proc_ms" "$(ratio "$proc_ms" "$cp_ms")" "$proc_rss" "$outputs"
done
