#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh SRC BUILD: pack busybox-static, the kernel modules, Debian's daxctl,
# ndctl, cxl, lsmem, chmem and jq (with their shared libraries), the patched
# daxctl of userspace/ndctl when scripts/ndctl.sh built it, the harness's guest
# tests, the kselftests that exist in SRC and mainline's dax selftest (run as it
# is, against the series' state file) into BUILD/initramfs.cpio.
. "$(dirname "$0")/lib.sh"

src=$(cd "${1:?usage: initramfs.sh SRC BUILD}" && pwd)
out=$(realpath -m "${2:-$BUILD}")
root=$out/initramfs
# kselftest targets the guest runs, when SRC has them.
KSFT_TARGETS=${KSFT_TARGETS:-"memory-hotplug dax"}

copy_with_libs() {
	local bin=$1 lib
	install -D -m 0755 "$bin" "$root$bin"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}

pack() {
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,root,etc,usr/bin,lib/modules}
	install -m 0755 /bin/busybox "$root/bin/busybox"
	install -m 0755 "$ROOT/guest/init" "$root/init"
	cp -a "$out/mods/lib/modules/." "$root/lib/modules/"
	copy_with_libs /usr/bin/daxctl
	copy_with_libs /usr/bin/ndctl
	copy_with_libs /usr/bin/cxl
	copy_with_libs /usr/bin/lsmem
	copy_with_libs /usr/sbin/chmem
	copy_with_libs /bin/bash
	copy_with_libs /usr/bin/jq
	pack_ndctl
	mkdir -p "$root/tests"
	cp -a "$ROOT"/guest/tests/. "$root/tests/"
	# The harness's test modules (guest/modules), built against this kernel
	# in a copy, so that the checkout stays clean: /tests/modules/*.ko.
	rm -rf "$out/harness-modules"
	mkdir -p "$root/tests/modules"
	cp -a "$ROOT/guest/modules" "$out/harness-modules"
	make -s -C "$out" M="$out/harness-modules" modules >/dev/null ||
		die "the harness's test modules (guest/modules) do not build"
	for ko in "$out"/harness-modules/*.ko; do
		if [ -e "$ko" ]; then install -m 0644 "$ko" "$root/tests/modules/"; fi
	done
	cp "$src/tools/testing/selftests/kselftest/ktap_helpers.sh" "$root/tests/"
	# Mainline's selftest sources ../kselftest/ktap_helpers.sh: give it the
	# layout of a kselftest install, under /mainline.
	[ -f "$MAINLINE_DAX/dax-kmem-hotplug.sh" ] ||
		die "mainline's dax selftest is missing: $MAINLINE_DAX (set SHARED=)"
	install -D -m 0755 "$MAINLINE_DAX/dax-kmem-hotplug.sh" "$root/mainline/dax/dax-kmem-hotplug.sh"
	install -D -m 0644 "$src/tools/testing/selftests/kselftest/ktap_helpers.sh" \
		"$root/mainline/kselftest/ktap_helpers.sh"
	local targets=() t
	for t in $KSFT_TARGETS; do
		[ -d "$src/tools/testing/selftests/$t" ] && targets+=("$t")
	done
	if [ ${#targets[@]} -gt 0 ]; then
		make -s -C "$src/tools/testing/selftests" O="$out/kselftest" \
			TARGETS="${targets[*]}" INSTALL_PATH="$root/kselftest" install >/dev/null
		# Shared libraries of any compiled test helpers.
		local f
		while IFS= read -r f; do
			file -b "$f" | grep -q 'dynamically linked' && copy_with_libs_of "$f"
		done < <(find "$root/kselftest" -type f -perm -u+x)
	fi
	# Tests that run on mainline too (make check-upstream) keep their data
	# with the series' node_data: build it from the patch that adds it when
	# SRC has none.
	if [ ! -x "$root/kselftest/dax/node_data" ]; then
		local p nd
		p=$(grep -l '^+++ b/tools/testing/selftests/dax/node_data.c' "$ROOT"/patches/*/*.patch | head -n 1)
		# (Outside any git work tree, where git apply would apply nothing.)
		nd=$(mktemp -d) || die "mktemp failed"
		mkdir -p "$root/kselftest/dax"
		[ -n "$p" ] && (cd "$nd" && git apply --include='tools/testing/selftests/dax/node_data.c' "$p") &&
			gcc -O2 -Wall -o "$root/kselftest/dax/node_data" "$nd/tools/testing/selftests/dax/node_data.c" ||
			{ rm -rf "$nd"; die "the series' node_data does not build for $src"; }
		rm -rf "$nd"
		copy_with_libs_of "$root/kselftest/dax/node_data"
	fi
	echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> "$root/etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) > "$out/initramfs.cpio"
}

# The patched daxctl (scripts/ndctl.sh) beside Debian's /usr/bin/daxctl, as
# /opt/ndctl/bin/daxctl with its own libdaxctl and libndctl in /opt/ndctl/lib
# (its rpath), and the series' tests in ndctl's style with test/common and
# ndctl's daxctl-create.sh in /opt/ndctl/test.
pack_ndctl() {
	local b=$WORK/ndctl/build s=$WORK/ndctl/src lib
	if [ ! -x "$b/daxctl/daxctl" ]; then
		log "no patched daxctl in $b (scripts/ndctl.sh builds it): not packed"
		return 0
	fi
	install -D -m 0755 "$b/daxctl/daxctl" "$root/opt/ndctl/bin/daxctl"
	install -D -m 0755 "$b/daxctl/lib/libdaxctl.so.1" "$root/opt/ndctl/lib/libdaxctl.so.1"
	install -m 0755 "$b/ndctl/lib/libndctl.so.6" "$root/opt/ndctl/lib/libndctl.so.6"
	for lib in $(ldd "$b/daxctl/daxctl" | grep -o '/[^ ]*'); do
		case "$lib" in "$b"/*) continue ;; esac
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
	# LD_PRELOAD shim that hides "hotplug" (guest/tests/daxctl_state_only.sh)
	gcc -Wall -Wextra -Werror -O2 -shared -fPIC -o "$root/opt/ndctl/lib/hide_hotplug.so" \
		"$ROOT/guest/hide_hotplug.c" -ldl
	mkdir -p "$root/opt/ndctl/test"
	cp "$s/test/common" "$s/test/daxctl-hotplug-common" "$s"/test/daxctl-*.sh \
		"$root/opt/ndctl/test/"
}

copy_with_libs_of() {
	local lib
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}

step "pack initramfs" pack
log "initramfs: $(du -h "$out/initramfs.cpio" | cut -f1)"
