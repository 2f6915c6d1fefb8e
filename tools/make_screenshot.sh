#!/usr/bin/env bash
# Takes the README's screenshot of `azroute serve` (docs/serve.png) with headless Chromium: the
# hub-spoke example with the path from vm-app1 to an on-premises address traced on it.
#
#   tools/make_screenshot.sh target/release/azroute docs/serve.png
#
# Needs chromium (apt-get install chromium). Chromium runs with a fresh profile and the flags that
# keep it off the network.
set -euo pipefail
bin=${1:?usage: make_screenshot.sh AZROUTE_BINARY OUT.png}
out=${2:?usage: make_screenshot.sh AZROUTE_BINARY OUT.png}
log=$(mktemp)
profile=$(mktemp -d)
"$bin" serve --example hub-spoke --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$log" "$profile"' EXIT
for _ in $(seq 50); do grep -q http "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log")
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1400,820 --virtual-time-budget=8000 \
    --screenshot="$out" "${url}#path?from=vm-app1&to=172.16.1.10&port=22" 2>/dev/null
echo "wrote $out"
