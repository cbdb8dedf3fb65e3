#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything the harness uses from Debian's archive.  Idempotent and quick
# when nothing is missing.
. "$(dirname "$0")/lib.sh"

PKGS=(linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev kmod cpio
      xz-utils zstd ccache sparse python3 perl rsync git
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
log "base: Debian $BASE_PKG $(base_version)"
