#!/usr/bin/env bash
# The dashboard's speed targets (issue #5), measured on the real app under
# Xvfb against a running server: process start → first frame, start → the
# first page's numbers, every page switch and filter change → its numbers
# drawn, and frame times while the explorer scrolls through its rows.
#
# The app plays the scenario itself (`--speed-run`, see
# dashboard/src/timings/speed_run.rs) and writes JSON lines (`--timings`);
# this script runs it RUNS times and prints median / p95 / max per action.
#
# Usage: speed.sh URL API_KEY
# Needs: Xvfb (Debian's xvfb, with Mesa's GL), python3. Environment: RUNS
# (default 3), BIN (the dashboard binary; default: build it in release under
# CARGO_TARGET_DIR), OUT (keep the JSON lines there), DISPLAY_NUMBER (98).
set -euo pipefail

url="${1:?usage: speed.sh URL API_KEY}"
key="${2:?usage: speed.sh URL API_KEY}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${RUNS:-3}"
display=":${DISPLAY_NUMBER:-98}"
work="$(mktemp -d)"
out="${OUT:-$work/out}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${BIN:-}" ]]; then
  (cd "$root" && cargo build --release -p voxlake-dashboard --bin voxlake-dashboard)
  BIN="${CARGO_TARGET_DIR:-$root/target}/release/voxlake-dashboard"
fi
mkdir -p "$out"
curl -sf "$url/healthz" >/dev/null || { echo "no server at $url" >&2; exit 1; }

Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
pids+=($!)
sleep 1

for run in $(seq 1 "$runs"); do
  echo "run $run/$runs …" >&2
  DISPLAY="$display" XDG_DATA_HOME="$work/xdg" HOME="$work" \
    timeout 900 "$BIN" --url "$url" --api-key "$key" --page overview --lang en --fresh \
    --speed-run --timings "$out/run-$run.jsonl" >"$out/run-$run.log" 2>&1
done

python3 - "$out"/run-*.jsonl <<'EOF'
import json, sys

events = [json.loads(line) for path in sys.argv[1:] for line in open(path)]

def stats(name, xs, target=None):
    if not xs:
        print(f"{name:<44} (no samples)")
        return
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    med = xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    goal = f"  target {target}" if target else ""
    print(f"{name:<44} n={len(xs):<5} median {med:8.1f}  p95 {p95:8.1f}  max {xs[-1]:8.1f} ms{goal}")

def of(kind, **match):
    return [e for e in events if e["event"] == kind and all(e.get(k) == v for k, v in match.items())]

print("action (ms from the input to its numbers on screen)")
stats("start -> first frame", [e["ms"] for e in of("first_frame")], "< 1000")
stats("start -> Overview numbers", [e["ms"] for e in of("ready", cause="start")], "< 1000")
for cause, label in [("switch", "switch"), ("filter", "filter (channel) on")]:
    for queried in (True, False):
        ready = of("ready", cause=cause, queried=queried)
        for page in sorted({e["page"] for e in ready}):
            tag = "" if queried else " (data held)"
            stats(f"{label} {page}{tag}", [e["ms"] for e in ready if e["page"] == page], "< 1000")
    stats(f"{label} (all)", [e["ms"] for e in of("ready", cause=cause)], "< 1000")
for what in ("explorer still", "explorer scroll"):
    frames = of("frame", what=what)
    rows = "; ".join(sorted({e["what"] for e in of("note") if e["what"].startswith("scrolled")}))
    print(f"\n{what}" + (f" ({rows}, 100 rows per frame)" if what.endswith("scroll") else " (baseline: same page, no scrolling)"))
    stats("  time in the app (logic + UI)", [e["ui_ms"] for e in frames if e["ui_ms"] is not None], "<= 16.7")
    stats("  frame cost (+ tessellation, GL calls)", [e["cost_ms"] for e in frames], "<= 16.7")
    stats("  frame interval (+ buffer swap, Xvfb)", [e["interval_ms"] for e in frames if e["interval_ms"] is not None], "<= 16.7")
print("\nquery time on the client (HTTP round trip + decode), by purpose")
for purpose in sorted({e["purpose"] for e in of("query")}):
    q = of("query", purpose=purpose)
    stats(f"{purpose} (rows {max((e['rows'] or 0) for e in q)})", [e["ms"] for e in q])
EOF
