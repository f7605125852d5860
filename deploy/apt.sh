# apt_install PACKAGE... - install Debian packages non-interactively, as root or through
# passwordless sudo; sourced by the scripts that bring up what the tests need. Expects the
# caller's `die` (print an error and exit).
apt_install() {
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and sudo unavailable; install the '$*' packages manually"
    sudo=(sudo -n)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || die "apt-get install $* failed"
}
