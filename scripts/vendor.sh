#!/usr/bin/env bash
# Re-fetch the pinned front-end files from npm into static/vendor/ (no CDN at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # package@version file-in-package destination
  (cd "$tmp" && npm pack "$1" --silent >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz | head -n1)
  tar xzf "$tgz" -C "$tmp"
  cp "$tmp/package/$2" "static/vendor/$3"
  rm -rf "$tmp"/*
}
fetch htmx.org@2.0.11 dist/htmx.min.js htmx-2.0.11.min.js
fetch htmx-ext-ws@2.0.4 dist/ws.min.js htmx-ext-ws-2.0.4.min.js
fetch @picocss/pico@2.1.1 css/pico.min.css pico-2.1.1.min.css
