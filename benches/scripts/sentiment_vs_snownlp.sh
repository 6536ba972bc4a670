#!/usr/bin/env bash
# Sentiment speed through SQL against SnowNLP, in the same run.
#
# Imports the real Chinese reviews (../shared/data/reviews: shopping_9cats_*,
# waimai_*) COPIES times into a scratch lake with `voxlake import`, then times
# whole `voxlake sql` processes over that table:
#   count(*)                         fixed cost: start, open the table, plan
#   sum(length(text))                the same plus reading every text (the scan baseline)
#   sum(sentiment_score(text))       the model over every text
#   sum(cardinality(tokenize(text))) jieba segmentation alone, for comparison
#   sentiment_score('好评')          fixed cost plus loading the models (no scan)
# each with the default threads and pinned to one core (`taskset -c 0`: the
# engine then sees one CPU and plans one partition). Reported: raw seconds,
# reviews/s, and net reviews/s after subtracting the scan baseline. Then
# SnowNLP `SnowNLP(text).sentiments` over SAMPLE of the same reviews on one core.
# CPU seconds are printed beside wall seconds because the machine is shared:
# reviews per CPU-second is the per-core speed that load from others does not hide.
#
# Usage: benches/scripts/sentiment_vs_snownlp.sh [COPIES] [SAMPLE] [RUNS]
#        (defaults 16 copies = 1,035,280 rows, 5000 SnowNLP reviews, median of 3)
# Needs: a release build (cargo build --release), python3 with snownlp, taskset,
# GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
copies=${1:-16}
sample=${2:-5000}
runs=${3:-3}
bin=$PWD/target/release/voxlake
here=$PWD/benches/scripts
work=$(mktemp -d /tmp/voxlake-sentiment.XXXXXX)
trap 'rm -rf "$work"' EXIT
export VOXLAKE_LOG=warn

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "binary: $(stat -c '%y' "$bin" | cut -d. -f1), git $(git rev-parse --short HEAD)"
echo "load before: $(uptime | sed 's/.*load average/load average/')"

# --- the table: real reviews, replicated, unique ids so ingest keeps every row
mkdir -p "$work/data"
cat > "$work/data/channels.toml" <<'EOF'
[channels.bench_reviews]
description = "Chinese review files for the sentiment speed bench (CSV)"
format = "csv"
language = "zh"
keep_extra = false
[channels.bench_reviews.fields]
source_id = "id"
text = "review"
EOF
python3 "$here/reviews_peer.py" csv "$work/reviews.csv" "$copies"
no_enrich=$("$bin" import --help | grep -q -- --no-enrich && echo --no-enrich || true)
"$bin" import "$work/reviews.csv" --channel bench_reviews $no_enrich --data "$work/data" 2>&1 | grep -v '^\s*line' | tail -1
rm "$work/reviews.csv"
files=$(find "$work/data/lake/feedback" -name '*.parquet' | wc -l)
echo "table: $(du -sh "$work/data/lake/feedback" | cut -f1), $files Parquet files"

q() { "$bin" sql "$1" --data "$work/data" --format csv | tail -1; }
rows=$(q "SELECT count(*) FROM feedback")
echo "rows in table: $rows"

# "wall cpu": median wall seconds and median CPU seconds (user + sys) of $runs
# runs of one query; $pin is empty or "taskset -c 0".
measure() {
    local query=$1 i
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e %U %S" -o "$work/time" $pin "$bin" sql "$query" --data "$work/data" --format csv > /dev/null
        tail -1 "$work/time" | awk '{print $1, $2 + $3}'
    done > "$work/times"
    printf "%s %s" "$(median 1)" "$(median 2)"
}
median() { cut -d' ' -f"$1" "$work/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

report() {
    local label=$1 cores=$2
    echo "--- voxlake sql, $label (median of $runs whole processes: wall s, CPU s = user + sys)"
    q "SELECT sentiment_score('好评')" > /dev/null   # warm the page cache and the model files
    local count scan senti tok load
    count=$(measure "SELECT count(*) FROM feedback")
    scan=$(measure "SELECT sum(length(text)) FROM feedback")
    senti=$(measure "SELECT sum(sentiment_score(text)) FROM feedback")
    tok=$(measure "SELECT sum(cardinality(tokenize(text))) FROM feedback")
    load=$(measure "SELECT sentiment_score('好评')")
    awk -v rows="$rows" -v cores="$cores" -v count="$count" -v scan="$scan" -v senti="$senti" \
        -v tok="$tok" -v load="$load" 'BEGIN {
        fixed("count(*)", count)
        fixed("sum(length(text))  (scan)", scan)
        fixed("sentiment_score(\x27好评\x27) (no scan)", load)
        split(scan, s, " ")
        line("sum(sentiment_score(text))", senti)
        line("sum(cardinality(tokenize(text)))", tok)
    }
    function fixed(name, wc,   a) {
        split(wc, a, " ")
        printf "%-33s wall %6.2f s  CPU %6.2f s\n", name, a[1], a[2]
    }
    function line(name, wc,   a, net, netcpu) {
        split(wc, a, " ")
        net = a[1] - s[1]; netcpu = a[2] - s[2]
        printf "%-33s wall %6.2f s  CPU %6.2f s | raw %7.0f reviews/s, %7.0f /core, %7.0f /CPU-s" \
            " | net of scan %7.0f reviews/s, %7.0f /core, %7.0f /CPU-s\n", \
            name, a[1], a[2], rows / a[1], rows / a[1] / cores, rows / a[2], \
            rows / net, rows / net / cores, rows / netcpu
        if (name ~ /sentiment/ && cores == 1) printf "%.0f %.0f %.0f\n", rows / a[1], rows / net, rows / a[2] > "/dev/fd/3"
    }' 3> "$work/one_core"
}

pin="" report "default threads ($(nproc) cores)" "$(nproc)"
pin="taskset -c 0" report "one core (taskset -c 0)" 1

echo "--- peer: SnowNLP 0.12, $sample reviews sampled from the same files, one core (taskset -c 0)"
taskset -c 0 python3 "$here/reviews_peer.py" snownlp "$sample" | tee "$work/snownlp"
snow=$(awk '{for (i = 2; i <= NF; i++) if ($i == "reviews/s;") print $(i - 1)}' "$work/snownlp")
snow_cpu=$(awk '{for (i = 2; i <= NF; i++) if ($i == "reviews/CPU-s") print $(i - 1)}' "$work/snownlp")
read -r raw net raw_cpu < "$work/one_core"
awk -v raw="$raw" -v net="$net" -v raw_cpu="$raw_cpu" -v snow="$snow" -v snow_cpu="$snow_cpu" 'BEGIN {
    printf "ratio to SnowNLP, one core, sum(sentiment_score(text)) through SQL: raw %.0fx, net of scan %.0fx (wall); raw %.0fx per CPU-second\n",
        raw / snow, net / snow, raw_cpu / snow_cpu }'
echo "load after: $(uptime | sed 's/.*load average/load average/')"
