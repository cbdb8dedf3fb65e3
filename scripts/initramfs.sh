#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh SRC BUILD: pack busybox-static, the kernel modules, Debian's daxctl,
# ndctl, cxl, lsmem and chmem (with their shared libraries), the harness's guest
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
	mkdir -p "$root/tests"
	cp -a "$ROOT"/guest/tests/. "$root/tests/"
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
	echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> "$root/etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) > "$out/initramfs.cpio"
}

copy_with_libs_of() {
	local lib
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}

step "pack initramfs" pack
log "initramfs: $(du -h "$out/initramfs.cpio" | cut -f1)"
