/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* systemd-machined registration. */
#include <errno.h>

#include "log.h"
#include "machined.h"

#define MACHINED_DEST  "org.freedesktop.machine1"
#define MACHINED_PATH  "/org/freedesktop/machine1"
#define MACHINED_IFACE "org.freedesktop.machine1.Manager"

/* machined is bus-activated; these say it is not installed or could not be started. */
static bool error_means_absent(const sd_bus_error *e)
{
        return sd_bus_error_has_names(
                e, "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
                "org.freedesktop.DBus.Error.Spawn.ServiceNotFound",
                "org.freedesktop.DBus.Error.Spawn.ChildExited", "org.freedesktop.systemd1.NoSuchUnit");
}

int machined_register(sd_bus *bus, const ContainerConfig *c, pid_t leader, const char *root_directory)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call_method(bus, MACHINED_DEST, MACHINED_PATH, MACHINED_IFACE, "RegisterMachine", &error,
                               NULL, "sayssus", c->name, 0, "berth", "container", (uint32_t)leader,
                               strempty(root_directory));
        if (r >= 0)
                return 0;
        if (error_means_absent(&error)) {
                log_debug("systemd-machined is not available, not registering %s: %s", c->name,
                          strna(error.message));
                return -EHOSTDOWN;
        }
        return r;
}

int machined_unregister(sd_bus *bus, const char *name)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call_method(bus, MACHINED_DEST, MACHINED_PATH, MACHINED_IFACE, "UnregisterMachine",
                               &error, NULL, "s", name);
        if (r >= 0 || error_means_absent(&error) ||
            sd_bus_error_has_name(&error, "org.freedesktop.machine1.NoSuchMachine"))
                return 0;
        return r;
}
