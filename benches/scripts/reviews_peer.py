#!/usr/bin/env python3
"""Helper for sentiment_vs_snownlp.sh: the real Chinese reviews as a CSV for
`voxlake import`, and the SnowNLP peer timed over a sample of the same reviews.

  reviews_peer.py csv OUT COPIES     all Chinese reviews, COPIES times, one unique id per row
  reviews_peer.py snownlp SAMPLE     SnowNLP(text).sentiments over SAMPLE reviews, one thread

The reviews are read from ../shared/data/reviews (shopping_9cats_*, waimai_*),
never copied into the repository.
"""
import csv
import glob
import os
import random
import sys
import time

DATA = os.path.join(os.path.dirname(__file__), "../../../shared/data/reviews")
FILES = ["shopping_9cats_train.csv", "shopping_9cats_test.csv", "waimai_train.csv", "waimai_test.csv"]


def reviews():
    out = []
    for name in FILES:
        with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
            out += [row["review"] for row in csv.DictReader(f) if row["review"].strip()]
    return out


def write_csv(path, copies):
    texts = reviews()
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "review"])
        n = 0
        for _ in range(copies):
            for t in texts:
                w.writerow([f"r{n}", t])
                n += 1
    chars = sum(len(t) for t in texts)
    print(f"reviews: {len(texts)} distinct, {chars / len(texts):.1f} chars avg, x{copies} = {n} rows")


def snownlp(sample):
    texts = reviews()
    texts = random.Random(42).sample(texts, min(sample, len(texts)))
    from snownlp import SnowNLP

    SnowNLP("好").sentiments  # load the model outside the timing, as ANCHORS.md does
    start, cpu_start = time.perf_counter(), time.process_time()
    total = sum(SnowNLP(t).sentiments for t in texts)
    secs, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"snownlp: {len(texts)} reviews in {secs:.2f} s = {len(texts) / secs:.0f} reviews/s; "
          f"CPU {cpu:.2f} s = {len(texts) / cpu:.0f} reviews/CPU-s (sum of sentiments {total:.1f})")


if __name__ == "__main__":
    if sys.argv[1] == "csv":
        write_csv(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "snownlp":
        snownlp(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
