#!/usr/bin/env bash
# File import throughput: `voxlake import` of the demo generator's rows against
# pyarrow reading the same NDJSON and writing zstd Parquet, in the same run.
# Usage: benches/scripts/import_vs_pyarrow.sh [ROWS]   (default 1,000,000)
# Needs: a release build (cargo build --release), python3 with pyarrow, GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
bin=target/release/voxlake
work=$(mktemp -d /tmp/voxlake-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; rows: $rows"
"$bin" generate --rows "$rows" --out "$work/demo.ndjson" 2>/dev/null
ls -la "$work/demo.ndjson" | awk '{printf "input: %.0f MB NDJSON\n", $5/1e6}'
sync

echo "--- voxlake import (cleaning, PII masking, dedup, Parquet (LZ4 until compaction), Delta commits)"
/usr/bin/time -f "voxlake peak RSS %M KB, wall %e s" \
  "$bin" import "$work/demo.ndjson" --channel native --no-enrich --data "$work/data" 2>&1 | grep -v '^\s*line' | tail -3

echo "--- peer: pyarrow read_json + write_table(zstd)"
/usr/bin/time -f "pyarrow peak RSS %M KB, wall %e s" python3 benches/scripts/pyarrow_peer.py "$work/demo.ndjson" "$work"
