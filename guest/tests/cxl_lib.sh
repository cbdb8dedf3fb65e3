# SPDX-License-Identifier: GPL-2.0
# Helpers of the "cxl" boot's tests (sourced after lib.sh): the users' path
# from a CXL memory device to system RAM with Debian's cxl, ndctl and daxctl,
# and back.  qemu 7.2 emulates persistent CXL memory only, so the path goes
# through a pmem region and a devdax namespace on it.
BUS=/sys/bus/dax/devices
CXLDEV=/sys/bus/cxl/devices
ST=/tmp/cxl
mkdir -p $ST

# run CMD...: run a tool, its output (both streams) in $ST/out; its
# verdicts, errors and the names it prints as diagnostics; its exit status.
run() {
	local rc=0
	"$@" > $ST/out 2>&1 || rc=$?
	grep -E '"(region|dev|chardev|mode|decode_state|target_node)"|ed [0-9]+ |error|fail|refuse' $ST/out |
		sed "s/^ */# $1 $2: /" | head -n 12
	return $rc
}

# region_up [SIZE]: a pmem region on mem0 from decoder0.0 (all of mem0's
# free capacity, or SIZE); REGION is its name.
region_up() {
	REGION=
	run cxl create-region -m -t pmem -d decoder0.0 -w 1 ${1:+-s $1} mem0 || return 1
	REGION=$(grep -o '"region":"region[0-9]*"' $ST/out | cut -d'"' -f4)
	[ -n "$REGION" ] && [ "$(cat $CXLDEV/$REGION/commit)" = 1 ]
}

# namespace_up: a devdax namespace on REGION; NS and DAX are its names.
namespace_up() {
	NS= DAX=
	run ndctl create-namespace -m devdax -r $REGION || return 1
	NS=$(grep -o '"dev":"namespace[0-9.]*"' $ST/out | cut -d'"' -f4)
	DAX=$(grep -o '"chardev":"dax[0-9.]*"' $ST/out | cut -d'"' -f4)
	[ -n "$NS" ] && [ -n "$DAX" ] && [ -e $BUS/$DAX ]
}

# dax_attr DEV: the file that sets all of DEV's memory at once: the series'
# hotplug, or on mainline (make check-upstream) its state.
dax_attr() {
	if [ -e $BUS/$1/hotplug ]; then echo $BUS/$1/hotplug; else echo $BUS/$1/state; fi
}

# all_movable DEV: every memory block of DEV online in ZONE_MOVABLE.
all_movable() {
	local b n=0
	for b in $(dax_blocks $1); do
		[ "$(state_of $b)" = online ] || return 1
		grep -qx Movable /sys/devices/system/memory/memory$b/valid_zones || return 1
		n=$((n + 1))
	done
	[ $n -gt 0 ]
}

# ram_up: DAX becomes system RAM through Debian's daxctl (which onlines the
# blocks one by one, movable); NODE is its node.  The series' hotplug must
# say so; mainline's state need not see per-block onlines, so there the
# blocks are asked.
ram_up() {
	run daxctl reconfigure-device -m system-ram $DAX || return 1
	grep -q 'reconfigured 1 device' $ST/out || return 1
	NODE=$(cat $BUS/$DAX/target_node)
	if [ -e $BUS/$DAX/hotplug ]; then
		[ "$(cat $BUS/$DAX/hotplug)" = online_movable ]
	else
		all_movable $DAX
	fi
}

# fresh_labels: empty the label area of REGION's nvdimm.  "cxl
# destroy-region -f" leaves the labels of the namespaces it tore down behind,
# and a region built again on the same capacity then has no space left.
fresh_labels() {
	run ndctl disable-region $REGION &&
		run ndctl init-labels -f all &&
		run ndctl enable-region $REGION
}

# chain_up [SIZE]: region, namespace and system RAM in one go.
chain_up() { region_up "$@" && namespace_up && ram_up; }

# window_clean: nothing of ours left in the CXL window of /proc/iomem (only
# the window itself), no region, no namespace on the CXL bus.
window_clean() {
	local left
	left=$(awk '/CXL Window/ { w = 1; next } /^[^ ]/ { w = 0 } w' /proc/iomem)
	[ -z "$left" ] || { echo "$left" | sed 's/^/# iomem: /'; return 1; }
	[ -z "$(ls -d $CXLDEV/region* 2> /dev/null)" ] || { echo "# regions left: $(ls -d $CXLDEV/region*)"; return 1; }
}
