// SPDX-License-Identifier: GPL-2.0
/*
 * hide_hotplug.so: LD_PRELOAD shim for the daxctl boots.  It makes a
 * program see the dax devices of a mainline kernel, which has "state" but no
 * "hotplug" attribute: access() and open() of a path ending in "/hotplug"
 * fail with ENOENT.  Everything else goes to the C library.  With it, the
 * patched daxctl takes its mainline path ("state", else block by block) on
 * the series' kernel, whose "state" has mainline's contract.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static int hidden(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n >= 8 && strcmp(path + n - 8, "/hotplug") == 0;
}

int access(const char *path, int mode)
{
	static int (*real)(const char *, int);

	if (hidden(path)) {
		errno = ENOENT;
		return -1;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "access");
	return real(path, mode);
}

static int open_common(const char *sym, const char *path, int flags,
		       va_list ap)
{
	int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, sym);
	mode_t mode = 0;

	if (hidden(path)) {
		errno = ENOENT;
		return -1;
	}
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int rc;

	va_start(ap, flags);
	rc = open_common("open", path, flags, ap);
	va_end(ap);
	return rc;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int rc;

	va_start(ap, flags);
	rc = open_common("open64", path, flags, ap);
	va_end(ap);
	return rc;
}
