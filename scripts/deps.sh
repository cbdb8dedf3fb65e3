#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything the harness uses from Debian's archive.  Idempotent and quick
# when nothing is missing.  The base is the newest linux-source-6.12 that apt
# knows of, or exactly BASE_VERSION=<Debian version> (older ones too), so that
# a past run can be reproduced.
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential bc bison flex libelf-dev libssl-dev kmod cpio
      xz-utils zstd ccache sparse python3 perl rsync git
      # checkpatch's SPDX check (scripts/spdxcheck.py) with Debian's python3
      python3-ply python3-git
      qemu-system-x86 qemu-system-data seabios busybox-static daxctl ndctl gnuplot-nox jq
      # the patched daxctl (scripts/ndctl.sh): what building ndctl 76.1's
      # daxctl needs with docs, keyutils, libtracefs and systemd disabled
      meson ninja-build pkg-config libkmod-dev libudev-dev uuid-dev libjson-c-dev
      libiniparser-dev)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	step "apt-get update" $SUDO apt-get update -qq
	step "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive \
		$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
want=${BASE_VERSION:-}
if [ -z "$want" ]; then
	want=$(apt-cache policy "$BASE_PKG" | sed -n 's/^ *Candidate: //p')
	if [ -z "$want" ] || [ "$want" = "(none)" ]; then
		step "apt-get update" $SUDO apt-get update -qq
		want=$(apt-cache policy "$BASE_PKG" | sed -n 's/^ *Candidate: //p')
	fi
fi
if [ "$(base_version)" != "$want" ]; then
	if ! apt-cache madison "$BASE_PKG" | awk -F' [|] ' '{ print $2 }' | grep -qxF "$want"; then
		step "apt-get update" $SUDO apt-get update -qq
	fi
	apt-cache madison "$BASE_PKG" | awk -F' [|] ' '{ print $2 }' | grep -qxF "$want" ||
		die "Debian serves no $BASE_PKG $want (apt-cache madison $BASE_PKG lists what it has)"
	step "apt-get install $BASE_PKG=$want" env DEBIAN_FRONTEND=noninteractive \
		$SUDO apt-get install -y -qq --no-install-recommends --allow-downgrades "$BASE_PKG=$want" >/dev/null
fi
[ "$(base_version)" = "$want" ] || die "$BASE_PKG $(base_version) is installed, not $want"
log "base: Debian $BASE_PKG $(base_version)"
