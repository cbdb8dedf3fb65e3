#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh SRC [BUILD]: configure (allnoconfig + config/*.config fragments) and
# build bzImage and modules out of tree with ccache; install the modules into
# BUILD/mods.  Fragments: CONFIG_BASE (default config/guest.config, cxl.config,
# tiering.config, debug.config) and CONFIG_FRAGMENTS="path ..."
# after them; a later line for the same option wins.  BUILD_TARGETS="a.o ..."
# builds only those (no install), with KMAKE_ARGS (e.g. W=1) passed to make.
. "$(dirname "$0")/lib.sh"

src=$(cd "${1:?usage: build.sh SRC [BUILD]}" && pwd)
out=$(realpath -m "${2:-$BUILD}")
mkdir -p "$out"
frags=()
for f in ${CONFIG_BASE:-$ROOT/config/guest.config $ROOT/config/cxl.config $ROOT/config/tiering.config $ROOT/config/debug.config} ${CONFIG_FRAGMENTS:-}; do
	frags+=("$f")
done

configure() {
	cat "${frags[@]}" > "$out/fragments.config"
	kmake "$src" "$out" KCONFIG_ALLCONFIG="$out/fragments.config" allnoconfig
	# Every option the fragments ask for must have survived Kconfig.
	local bad=0 line sym want got
	declare -A wanted=()
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) wanted[${line%%=*}]=${line#*=} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; wanted[${sym%% *}]= ;;
		esac
	done < "$out/fragments.config"
	for sym in "${!wanted[@]}"; do
		want=${wanted[$sym]}
		got=$(grep -E "^$sym=" "$out/.config" | cut -d= -f2- || true)
		if [ "$got" != "$want" ]; then
			echo "config: $sym wanted ${want:-unset}, got ${got:-unset}" >&2
			bad=1
		fi
	done
	return $bad
}

compile() {
	if [ -n "${BUILD_TARGETS:-}" ]; then
		# shellcheck disable=SC2086
		kmake "$src" "$out" ${KMAKE_ARGS:-} $BUILD_TARGETS
		return
	fi
	kmake "$src" "$out" bzImage modules
	rm -rf "$out/mods"
	kmake "$src" "$out" INSTALL_MOD_PATH="$out/mods" INSTALL_MOD_STRIP=1 modules_install >/dev/null
}

step "configure $(basename "$src") ($(make -s -C "$src" kernelversion))" configure
ccache -z >/dev/null
step "build $(basename "$src") into $out" compile
log "ccache: $(ccache -s | grep -E 'Hits:' | head -1 | tr -s ' ')"
