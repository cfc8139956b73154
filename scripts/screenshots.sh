#!/usr/bin/env bash
# Refreshes the README's pictures from the screenshots the browser tests take
# (tests/browser saves them to target/screenshots).
#   scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && npm test >/dev/null)
cp target/screenshots/raci.png guide/src/images/raci-matrix.png
cp target/screenshots/role.png guide/src/images/role-page.png
cp target/screenshots/layers.png guide/src/images/layer-matrix.png
echo "README pictures refreshed from target/screenshots"
