#!/usr/bin/env python3
"""Dashboard query set: Voxlake over HTTP against DuckDB in-process, same run.

Usage:
  benches/scripts/dashboard_vs_duckdb.py --data DIR [--bin target/release/voxlake]
      [--queries ../shared/bench/queries.sql] [--hot-runs 5] [--clients 20] [--seconds 60]

DIR is a Voxlake data dir whose `feedback` table was written by `voxlake import`
(see benches/scripts/build_bench_table.sh). The script
  1. starts `voxlake serve` on a free loopback port with an analyst key,
  2. per query: Voxlake cold (first run after start), then DuckDB cold, then
     hot medians of N runs each (HTTP round trip to the last byte, Arrow IPC),
  3. runs `--clients` concurrent analysts over the mix for `--seconds`,
  4. prints a Markdown table with per-query medians, the geometric mean of the
     ratios, peak RSS of the server and of this (DuckDB) process.

DuckDB reads exactly the Parquet files of the table's current Delta version
(replayed from `_delta_log`), hive-partitioned, TimeZone UTC, as in
../shared/ANCHORS.md. The literals of Q6 (customer) and Q7 (product) are
replaced by the busiest customer and product of the data, the same for both.
"""

import argparse
import json
import math
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb


def parse_queries(path):
    text = Path(path).read_text()
    queries = []
    for block in re.split(r"\n(?=-- Q\d+:)", text):
        m = re.match(r"-- (Q\d+): (.*)\n", block)
        if not m:
            continue
        body = "\n".join(l for l in block.splitlines() if not l.startswith("--")).strip().rstrip(";")
        queries.append((m.group(1), m.group(2), body))
    return queries


def active_files(table_dir):
    """Replay the Delta log (JSON commits; checkpoints via pyarrow) to the live file list."""
    log = Path(table_dir) / "_delta_log"
    files = set()
    start = -1
    last = log / "_last_checkpoint"
    if last.exists():
        import pyarrow.parquet as pq

        version = json.loads(last.read_text())["version"]
        for cp in sorted(log.glob(f"{version:020d}.checkpoint*.parquet")):
            for row in pq.read_table(cp, columns=["add"]).column("add").to_pylist():
                if row:
                    files.add(row["path"])
        start = version
    for commit in sorted(log.glob("*.json")):
        if int(commit.stem) <= start:
            continue
        for line in commit.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                files.add(action["add"]["path"])
            elif "remove" in action:
                files.discard(action["remove"]["path"])
    from urllib.parse import unquote

    return [str(Path(table_dir) / unquote(p)) for p in sorted(files)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data):
        out = subprocess.run(
            [binary, "keys", "create", "--role", "analyst", "--name", f"bench-{os.getpid()}", "--data", data],
            check=True, capture_output=True, text=True,
        ).stdout
        self.key = out.strip().splitlines()[-1].strip()
        self.url = f"http://127.0.0.1:{free_port()}"
        env = dict(os.environ, RUST_LOG="warn")
        self.proc = subprocess.Popen(
            [binary, "serve", "--data", data, "--http", self.url.removeprefix("http://"), "--compact-every-minutes", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def query(self, sql):
        body = json.dumps({"sql": sql, "format": "arrow"}).encode()
        request = urllib.request.Request(
            self.url + "/v1/sql", data=body,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            size = len(response.read())
        return (time.perf_counter() - started) * 1000, size

    def peak_rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def duck_time(con, sql):
    started = time.perf_counter()
    con.execute(sql).to_arrow_table()
    return (time.perf_counter() - started) * 1000


def concurrency(server, queries, clients, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def analyst(offset):
        i = offset
        while time.perf_counter() < deadline:
            sql = queries[i % len(queries)][2]
            i += 1
            try:
                ms, _ = server.query(sql)
                with lock:
                    latencies.append(ms)
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(str(e))

    started = time.perf_counter()
    threads = [threading.Thread(target=analyst, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
    return len(latencies) / elapsed, p(0.5), p(0.99), len(errors), errors[:3]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--bin", default="target/release/voxlake")
    ap.add_argument("--queries", default="../shared/bench/queries.sql")
    ap.add_argument("--hot-runs", type=int, default=5)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=60)
    args = ap.parse_args()

    files = active_files(Path(args.data) / "lake" / "feedback")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    file_list = "[" + ",".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    con.execute(f"CREATE VIEW feedback AS SELECT * FROM read_parquet({file_list}, hive_partitioning=true)")
    rows = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
    customer = con.execute(
        "SELECT customer_id FROM feedback WHERE customer_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    product = con.execute(
        "SELECT product FROM feedback WHERE product IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    queries = []
    for qid, title, sql in parse_queries(args.queries):
        sql = re.sub(r"customer_id = \d+", f"customer_id = {customer}", sql)
        sql = re.sub(r"product = '[^']*'", f"product = '{product}'", sql)
        queries.append((qid, title, sql))
    con.close()
    print(f"rows: {rows:,}; files: {len(files)}; Q6 customer {customer}; Q7 product {product}", flush=True)

    server = Server(args.bin, args.data)
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(f"CREATE VIEW feedback AS SELECT * FROM read_parquet({file_list}, hive_partitioning=true)")
    results = []
    try:
        for qid, title, sql in queries:
            vox_cold, size = server.query(sql)
            duck_cold = duck_time(con, sql)
            vox_hot = statistics.median(server.query(sql)[0] for _ in range(args.hot_runs))
            duck_hot = statistics.median(duck_time(con, sql) for _ in range(args.hot_runs))
            results.append((qid, title, vox_cold, vox_hot, duck_cold, duck_hot))
            print(f"{qid}: voxlake cold {vox_cold:.0f} hot {vox_hot:.0f} ms | duckdb cold {duck_cold:.0f} hot {duck_hot:.0f} ms ({size} bytes)", flush=True)
        rss_after_set = server.peak_rss_mb()
        qps, p50, p99, errors, samples = concurrency(server, queries, args.clients, args.seconds)
        rss = server.peak_rss_mb()
    finally:
        server.stop()

    duck_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("| query | Voxlake cold | Voxlake hot | DuckDB cold | DuckDB hot | hot ratio |")
    print("|---|---|---|---|---|---|")
    ratios = []
    for qid, title, vc, vh, dc, dh in results:
        ratios.append(vh / dh)
        print(f"| {qid} {title} | {vc:.0f} | {vh:.0f} | {dc:.0f} | {dh:.0f} | {vh / dh:.2f} |")
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    cold_geo = math.exp(sum(math.log(r[2] / r[4]) for r in results) / len(results))
    print(f"\ngeometric mean hot ratio (Voxlake/DuckDB): {geo:.2f}; cold: {cold_geo:.2f}; worst hot ratio: {max(ratios):.2f}")
    print(f"peak RSS: voxlake server {rss_after_set:.0f} MB after the query set, {rss:.0f} MB after concurrency; DuckDB (this python process) {duck_rss:.0f} MB")
    print(f"concurrency: {args.clients} clients x {args.seconds} s over the mix: {qps:.2f} queries/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, errors {errors} {samples}")


if __name__ == "__main__":
    sys.exit(main())
