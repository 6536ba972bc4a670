#!/usr/bin/env bash
# Build the benchmark table through Voxlake's own ingest path and report the
# import's speed and peak RSS: `voxlake generate` ROWS rows of demo feedback,
# then `voxlake import` them into DIR (kept, for dashboard_vs_duckdb.py).
# Usage: benches/scripts/build_bench_table.sh ROWS DIR
# Needs: a release build (cargo build --release -p voxlake), GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:?rows}
dir=${2:?data dir}
bin=target/release/voxlake
mkdir -p "$dir"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; rows: $rows"
/usr/bin/time -f "generate: wall %e s, peak RSS %M KB" "$bin" generate --rows "$rows" --out "$dir/demo.ndjson" 2>&1 | tail -1
ls -la "$dir/demo.ndjson" | awk '{printf "input: %.0f MB NDJSON\n", $5/1e6}'
sync
/usr/bin/time -f "import: wall %e s, peak RSS %M KB" \
  "$bin" import "$dir/demo.ndjson" --channel native --data "$dir" 2>&1 | grep -v '^\s*line' | tail -4
du -sh "$dir/lake/feedback" | awk '{print "table on disk: " $1}'
