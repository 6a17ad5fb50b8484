#!/usr/bin/env bash
# How fast omsctl transform renders AFP as PDF, against Apache FOP
# rendering the same document to PDF and qpdf copying a PDF of the same
# pages (the floor of writing that PDF).
#
#   bench/topdf/run.sh [LETTERS [PAGES...]]     default: 300 10000 100000
#
# 1. The letter run: bench/topdf/gen writes LETTERS letters (1 to 4 pages,
#    three fonts, a bordered table of 30 rows a page) as XSL-FO; FOP renders
#    it to AFP (untimed) and to PDF (timed); omsctl transform renders FOP's
#    AFP; qpdf copies FOP's PDF.
# 2. Generated text runs of PAGES pages (50 lines of text and a rule a page,
#    page groups of 5 pages): omsctl transform, and qpdf copying its PDF.
#
# Best of $ROUNDS (default 3) wall times, and the peak RSS of that round
# (/usr/bin/time, Debian package "time"), after one untimed run to warm
# the page cache. Files under $BENCH_DIR (default /tmp/omsd-bench-topdf).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${BENCH_DIR:-/tmp/omsd-bench-topdf}
rounds=${ROUNDS:-3}
letters=${1:-300}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)

for tool in /usr/bin/time fop qpdf pdfinfo; do
	if ! command -v "$tool" >/dev/null; then
		echo "run.sh: $tool missing: install the Debian packages time, fop, qpdf, poppler-utils" >&2
		exit 1
	fi
done
mkdir -p "$dir"
go build -o "$dir/gen" ./bench/topdf/gen
go build -o "$dir/omsctl" ./cmd/omsctl

# best CMD...: prints "SECONDS RSS_KB" of the fastest of $rounds runs.
best() {
	"$@" >/dev/null 2>&1 # warm-up
	local bt="" brss=""
	for _ in $(seq "$rounds"); do
		/usr/bin/time -f "%e %M" -o "$dir/time.out" "$@" >/dev/null 2>&1
		read -r t rss <"$dir/time.out"
		if [ -z "$bt" ] || awk -v a="$t" -v b="$bt" 'BEGIN{exit !(a<b)}'; then
			bt=$t brss=$rss
		fi
	done
	echo "$bt $brss"
}

row() { # name pages seconds rss
	awk -v n="$1" -v p="$2" -v s="$3" -v r="$4" 'BEGIN{printf "| %s | %d | %.2f s | %.0f pages/s | %.0f MB |\n", n, p, s, (s>0?p/s:0), r/1024}'
}

echo "| run | pages | wall | pages/s | peak RSS |"
echo "|---|---|---|---|---|"
"$dir/gen" fo "$letters" >"$dir/letters.fo"
fop -q -fo "$dir/letters.fo" -afp "$dir/letters.afp" >/dev/null 2>&1
fop -q -fo "$dir/letters.fo" -pdf "$dir/letters-fop.pdf" >/dev/null 2>&1
pages=$(pdfinfo "$dir/letters-fop.pdf" | awk '/^Pages:/{print $2}')
read -r t rss < <(best fop -q -fo "$dir/letters.fo" -pdf "$dir/letters-fop.pdf")
row "$letters letters: FOP FO→PDF" "$pages" "$t" "$rss"
read -r t rss < <(best "$dir/omsctl" transform "$dir/letters.afp" -o "$dir/letters.pdf")
row "$letters letters: omsctl transform AFP→PDF" "$pages" "$t" "$rss"
read -r t rss < <(best qpdf "$dir/letters-fop.pdf" "$dir/letters-qpdf.pdf")
row "$letters letters: qpdf copying FOP's PDF" "$pages" "$t" "$rss"

for n in "${sizes[@]}"; do
	[ -f "$dir/text-$n.afp" ] || "$dir/gen" afp "$n" >"$dir/text-$n.afp"
	read -r t rss < <(best "$dir/omsctl" transform "$dir/text-$n.afp" -o "$dir/text-$n.pdf")
	row "text run: omsctl transform AFP→PDF" "$n" "$t" "$rss"
	read -r t rss < <(best qpdf "$dir/text-$n.pdf" "$dir/text-$n-qpdf.pdf")
	row "text run: qpdf copying that PDF" "$n" "$t" "$rss"
done
