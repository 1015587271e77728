/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* systemd-machined registration. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "log.h"
#include "machined.h"
#include "sd-lib.h"

#define MACHINED_DEST  "org.freedesktop.machine1"
#define MACHINED_PATH  "/org/freedesktop/machine1"
#define MACHINED_IFACE "org.freedesktop.machine1.Manager"

/* machined is bus-activated; these say it is not installed or could not be started. */
static bool error_means_absent(const sd_bus_error *e)
{
        return sym_sd_bus_error_has_names_sentinel(
                e, "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
                "org.freedesktop.DBus.Error.Spawn.ServiceNotFound",
                "org.freedesktop.DBus.Error.Spawn.ChildExited", "org.freedesktop.systemd1.NoSuchUnit", NULL);
}

/* Who holds the machine name: "unit U, leader PID P, service S", from machined's own record. */
static int describe_holder(sd_bus *bus, const char *name, char **ret)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *unit = NULL, *service = NULL;
        const char *path;
        uint32_t leader = 0;
        int r;

        r = sym_sd_bus_call_method(bus, MACHINED_DEST, MACHINED_PATH, MACHINED_IFACE, "GetMachine", &error,
                                   &reply, "s", name);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        r = sym_sd_bus_get_property_string(bus, MACHINED_DEST, path, "org.freedesktop.machine1.Machine",
                                           "Unit", &error, &unit);
        if (r < 0)
                return r;
        (void)sym_sd_bus_get_property_string(bus, MACHINED_DEST, path, "org.freedesktop.machine1.Machine",
                                             "Service", &error, &service);
        (void)sym_sd_bus_get_property_trivial(bus, MACHINED_DEST, path, "org.freedesktop.machine1.Machine",
                                              "Leader", &error, 'u', &leader);
        /* machined's record comes from whoever registered: printable as systemd keeps it */
        if (asprintf(ret, "unit %s, leader PID %" PRIu32 ", registered by %s", strna(unit), leader,
                     strna(service)) < 0)
                return -ENOMEM;
        return 0;
}

int machined_register(sd_bus *bus, const ContainerConfig *c, pid_t leader, const char *root_directory,
                      char **ret_error)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *holder = NULL;
        int r;

        r = sym_sd_bus_call_method(bus, MACHINED_DEST, MACHINED_PATH, MACHINED_IFACE, "RegisterMachine",
                                   &error, NULL, "sayssus", c->name, 0, "berth", "container",
                                   (uint32_t)leader, strempty(root_directory));
        if (r >= 0)
                return 0;
        if (error_means_absent(&error)) {
                log_debug("systemd-machined is not available, not registering %s: %s", c->name,
                          strna(error.message));
                return -EHOSTDOWN;
        }
        if (!ret_error)
                return r;
        /* The name is taken (machined says only "File exists"): say by whom, and what to do. */
        if (sym_sd_bus_error_has_name(&error, "org.freedesktop.machine1.MachineExists") &&
            describe_holder(bus, c->name, &holder) >= 0) {
                if (asprintf(ret_error,
                             "the machine name %s is already registered with systemd-machined (%s); "
                             "machinectl will not see this container. Stop that machine "
                             "(machinectl terminate %s), or give this container another name",
                             c->name, holder, c->name) < 0)
                        return -ENOMEM;
                return r;
        }
        if (asprintf(ret_error, "%s (%s)", strna(error.message), strna(error.name)) < 0)
                return -ENOMEM;
        return r;
}

int machined_unregister(sd_bus *bus, const char *name)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sym_sd_bus_call_method(bus, MACHINED_DEST, MACHINED_PATH, MACHINED_IFACE, "UnregisterMachine",
                                   &error, NULL, "s", name);
        if (r >= 0 || error_means_absent(&error) ||
            sym_sd_bus_error_has_name(&error, "org.freedesktop.machine1.NoSuchMachine"))
                return 0;
        return r;
}
