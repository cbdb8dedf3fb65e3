// SPDX-License-Identifier: GPL-2.0
/*
 * hold_unbind: hold the release of one CXL device's driver at its start,
 * so that a test can act in between; for the harness only, not part of the
 * series.
 *
 * A notifier on the CXL bus waits, when the driver of the device named by
 * "dev" is about to be released (BUS_NOTIFY_UNBIND_DRIVER, before the
 * driver's remove), until 1 is written to "release" or "timeout_s" seconds
 * have passed.  "held" reads 1 while it waits.  cxl_region_quiesce() checks
 * a region's memory, then releases the region's driver, and checks again:
 * holding the release keeps the window between the two checks open.
 */
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/version.h>

/* Built for the series' 6.12 and for mainline (make check-upstream). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("CXL");
extern const struct bus_type cxl_bus_type;
#else
MODULE_IMPORT_NS(CXL);
extern struct bus_type cxl_bus_type;
#endif

static char target[32];
module_param_string(dev, target, sizeof(target), 0444);
MODULE_PARM_DESC(dev, "Name of the device whose driver release to hold, e.g. region0");

static unsigned int timeout_s = 120;
module_param(timeout_s, uint, 0444);
MODULE_PARM_DESC(timeout_s, "Longest hold, in seconds");

static bool held;
module_param(held, bool, 0444);
MODULE_PARM_DESC(held, "A release is being held");

static unsigned int holds;
module_param(holds, uint, 0444);
MODULE_PARM_DESC(holds, "Releases held so far");

static DECLARE_COMPLETION(go);

static int release_set(const char *val, const struct kernel_param *kp)
{
	complete_all(&go);
	return 0;
}

static const struct kernel_param_ops release_ops = {
	.set = release_set,
};
module_param_cb(release, &release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "Write 1 to let the held release go on");

static int hold_unbind_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct device *dev = data;

	if (action != BUS_NOTIFY_UNBIND_DRIVER || strcmp(dev_name(dev), target))
		return NOTIFY_DONE;
	holds++;
	WRITE_ONCE(held, true);
	if (!wait_for_completion_timeout(&go, timeout_s * HZ))
		dev_warn(dev, "hold_unbind: nobody released the hold in %u s\n",
			 timeout_s);
	WRITE_ONCE(held, false);
	return NOTIFY_OK;
}

static struct notifier_block hold_unbind_nb = {
	.notifier_call = hold_unbind_notify,
};

static int __init hold_unbind_init(void)
{
	if (!target[0])
		return -EINVAL;
	return bus_register_notifier(&cxl_bus_type, &hold_unbind_nb);
}

static void __exit hold_unbind_exit(void)
{
	complete_all(&go);
	bus_unregister_notifier(&cxl_bus_type, &hold_unbind_nb);
}

module_init(hold_unbind_init);
module_exit(hold_unbind_exit);
MODULE_DESCRIPTION("Hold the release of a CXL device's driver (test harness)");
MODULE_LICENSE("GPL");
