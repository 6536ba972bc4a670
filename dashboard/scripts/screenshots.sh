#!/usr/bin/env bash
# Screenshots of every dashboard page, drawn by the real app under Xvfb
# against a demo server, saved to docs/screenshots/*.png.
#
# Needs: apt-get install -y xvfb imagemagick xdotool (and Mesa's GL, present
# on Debian with xvfb). Environment: CARGO_TARGET_DIR (where to build),
# DEMO_ROWS (default 50000), PORT (default 18080), WAIT_SECS (default 8).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/docs/screenshots"
target="${CARGO_TARGET_DIR:-$root/target}"
port="${PORT:-18080}"
wait_secs="${WAIT_SECS:-8}"
display=":${DISPLAY_NUMBER:-97}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
cargo build -p voxlake-dashboard --bin voxlake-dashboard
cargo build -p voxlake --bin voxlake
mkdir -p "$out"

# The demo server, with a manager key for the dashboard.
voxlake=("$target/debug/voxlake" --data "$work/data")
key="$("${voxlake[@]}" keys create --role manager --name screenshots | tail -n 1)"
"${voxlake[@]}" serve --demo --demo-rows "${DEMO_ROWS:-50000}" --http "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 1
done

Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
pids+=($!)
sleep 1

# shot NAME PAGE LANG THEME [xdotool commands…]: open PAGE, wait, act, capture.
shot() {
  local name="$1" page="$2" lang="$3" theme="$4"
  shift 4
  DISPLAY="$display" XDG_DATA_HOME="$work/xdg" HOME="$work" \
    "$target/debug/voxlake-dashboard" --url "http://127.0.0.1:$port" --api-key "$key" \
    --page "$page" --lang "$lang" --theme "$theme" --fresh >"$work/$name.log" 2>&1 &
  local app=$!
  sleep "$wait_secs"
  for action in "$@"; do
    # shellcheck disable=SC2086
    DISPLAY="$display" xdotool $action
    sleep 2
  done
  sleep 2
  import -display "$display" -window root "$out/$name.png"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  echo "saved $out/$name.png"
}

shot overview overview zh light
shot overview-en overview en light
shot overview-dark overview zh dark
shot trends trends zh light
shot distributions distributions zh light
shot top-issues top-issues zh light
shot explorer explorer zh light "mousemove 700 260 click 1"
shot sql-console sql zh light "mousemove 200 45 click 1"
