#!/usr/bin/env bash
# Reproduce dashboard/assets/NotoSansSC-Voxlake.otf: Noto Sans CJK SC (OFL-1.1,
# from Debian's fonts-noto-cjk) subset to GB2312 levels 1 and 2, the Chinese
# characters of src/i18n.rs, ASCII, Latin-1 and common punctuation/symbols.
#
# Needs: apt-get install -y fonts-noto-cjk; pip install fonttools
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ttc="${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
out="$here/assets/NotoSansSC-Voxlake.otf"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Pull the Simplified Chinese face out of the collection.
python3 - "$ttc" "$work/sc.otf" <<'PY'
import sys
from fontTools.ttLib import TTCollection
for font in TTCollection(sys.argv[1]).fonts:
    if font["name"].getDebugName(1) == "Noto Sans CJK SC":
        font.save(sys.argv[2])
        break
else:
    sys.exit("no 'Noto Sans CJK SC' face in " + sys.argv[1])
PY

# 2. The characters to keep: all of GB2312 (symbols, level 1 and level 2) plus
#    every non-ASCII character of the UI strings.
python3 - "$here/src/i18n.rs" "$work/chars.txt" <<'PY'
import sys
chars = set()
for row in range(0xA1, 0xF8):
    for col in range(0xA1, 0xFF):
        try:
            chars.add(bytes([row, col]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(c for c in open(sys.argv[1], encoding="utf-8").read() if ord(c) > 0x7F)
open(sys.argv[2], "w", encoding="utf-8").write("".join(sorted(chars)))
print(f"{len(chars)} characters", file=sys.stderr)
PY

# 3. Subset. Hinting is dropped (egui does not use it); layout features kept.
pyftsubset "$work/sc.otf" \
  --text-file="$work/chars.txt" \
  --unicodes="U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203B,U+2190-21FF,U+2212,U+2500-257F,U+25A0-25FF,U+3000-303F,U+FF01-FF5E" \
  --no-hinting \
  --output-file="$out"
ls -l "$out"
