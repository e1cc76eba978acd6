#!/usr/bin/env bash
# Install Debian's chromium and a font for the browser tests (tests/e2e), if they are missing.
# Playwright drives this chromium through executable_path: its own browser download is not used.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi
command -v chromium >/dev/null 2>&1
