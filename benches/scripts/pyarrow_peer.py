"""The peer for file import: pyarrow reading the same NDJSON and writing zstd Parquet.

Usage: python3 pyarrow_peer.py FILE.ndjson OUT_DIR
Prints rows, seconds and rows/s for read+write and for the write alone
(Arrow in memory -> zstd(1) Parquet, one thread), the way ANCHORS.md measured it.
"""
import sys
import time

import pyarrow as pa
import pyarrow.json as pj
import pyarrow.parquet as pq

path, out = sys.argv[1], sys.argv[2]
pa.set_cpu_count(2)
start = time.perf_counter()
table = pj.read_json(path)
read_done = time.perf_counter()
pq.write_table(table, f"{out}/peer.parquet", compression="zstd", compression_level=1)
end = time.perf_counter()
rows = table.num_rows
print(f"pyarrow rows {rows} | read+write {end - start:.2f} s, {rows / (end - start):,.0f} rows/s | "
      f"write only {end - read_done:.2f} s, {rows / (end - read_done):,.0f} rows/s")
