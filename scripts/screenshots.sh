#!/usr/bin/env bash
# Builds the example handbook and takes the README's screenshots with
# headless Chromium (Debian's `chromium`).
#   scripts/screenshots.sh [OUT_DIR]     default: guide/src/images
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-guide/src/images}
command -v chromium >/dev/null || { echo "needs chromium: apt-get install chromium" >&2; exit 2; }
site=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$site" "$profile"' EXIT
cargo run --quiet --release -- build . -o "$site/book" -q
mkdir -p "$out"
shot() { # page, file, width,height
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --window-size="$3" --screenshot="$out/$2" \
    "file://$site/book/$1" >/dev/null 2>&1
}
shot raci.html raci-matrix.png 1400,1000
shot roles/infrastructure-architect.html role-page.png 1400,1000
shot layers.html layer-matrix.png 1400,1000
echo "screenshots in $out"
