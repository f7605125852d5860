#!/usr/bin/env bash
# chromium.sh ensure|path|version - headless Chromium for the web UI's browser tests.
# Uses Debian's packages 'chromium' (/usr/bin/chromium) and 'chromium-driver'
# (/usr/bin/chromedriver), and 'fonts-dejavu-core' (the chronology PDF's font; the PDF tests
# need it); `ensure` apt-installs them when any is missing.
# Playwright drives this browser (executable_path); nothing downloads a browser build.
set -euo pipefail
# shellcheck source=../apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/../apt.sh"

CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
PACKAGES=(chromium chromium-driver fonts-dejavu-core)

log() { echo "chromium: $*"; }
die() { echo "chromium: ERROR: $*" >&2; exit 1; }

now() { if [[ -n "${EPOCHREALTIME:-}" ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }


installed() { [[ -x "$CHROMIUM" && -x "$DRIVER" && -f "$FONT" ]]; }

install_chromium() {
  log "$CHROMIUM, $DRIVER or $FONT not found; installing Debian packages '${PACKAGES[*]}'"
  apt_install "${PACKAGES[@]}"
}

# The version line, e.g. "Chromium 131.0.6778.139 built on Debian ...". The wrapper script
# prints it without starting a browser, so it is safe as root and without a display.
version() { "$CHROMIUM" --version 2>/dev/null | head -n 1; }

cmd_ensure() {
  local t0; t0="$(now)"
  if installed; then
    log "already installed: $(version) ($CHROMIUM)"
    return 0
  fi
  install_chromium
  installed || die "packages installed but $CHROMIUM or $DRIVER is still missing"
  local v; v="$(version)"
  [[ -n "$v" ]] || die "$CHROMIUM --version printed nothing; the install looks broken"
  log "installed $v in $(elapsed "$t0")s ($CHROMIUM, $DRIVER)"
}

cmd_path() {
  [[ -x "$CHROMIUM" ]] || die "$CHROMIUM not installed; run: $0 ensure"
  echo "$CHROMIUM"
}

cmd_version() {
  [[ -x "$CHROMIUM" ]] || die "$CHROMIUM not installed; run: $0 ensure"
  local v; v="$(version)"
  [[ -n "$v" ]] || die "$CHROMIUM --version printed nothing"
  echo "$v"
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  path) cmd_path ;;
  version) cmd_version ;;
  *) echo "usage: $0 ensure|path|version" >&2; exit 2 ;;
esac
