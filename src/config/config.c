/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ContainerConfig lifetime and defaults. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "config.h"
#include "strv.h"

ContainerConfig *container_config_free(ContainerConfig *c)
{
        if (!c)
                return NULL;
        free(c->name);
        free(c->path);
        strv_free(c->dropins);
        strv_free(c->notes);
        free(c->directory);
        strv_free(c->exec);
        free(c->user);
        strv_free(c->environment);
        free(c->hostname);
        free(c->working_directory);
        free(c->allowed_cpus);
        free(c->slice);
        strv_free(c->syscall_filter);
        free(c->selinux_type);
        free(c->selinux_label);
        for (size_t i = 0; i < c->n_binds; i++) {
                free(c->binds[i].source);
                free(c->binds[i].target);
        }
        free(c->binds);
        for (size_t i = 0; i < c->n_tmpfs; i++) {
                free(c->tmpfs[i].target);
                free(c->tmpfs[i].options);
        }
        free(c->tmpfs);
        free(c->shm_size);
        free(c->run_size);
        free(c->tmp_size);
        free(c->ports);
        strv_free(c->wanted_by);
        strv_free(c->required_by);
        strv_free(c->upheld_by);
        strv_free(c->aliases);
        strv_free(c->unit_after);
        strv_free(c->unit_before);
        strv_free(c->unit_requires);
        strv_free(c->unit_wants);
        strv_free(c->unit_binds_to);
        strv_free(c->unit_part_of);
        for (size_t i = 0; i < c->n_credentials; i++)
                credential_source_done(&c->credentials[i]);
        free(c->credentials);
        strv_free(c->import_credentials);
        for (size_t i = 0; i < c->n_device_allow; i++) {
                free(c->device_allow[i].device);
                free(c->device_allow[i].location);
        }
        free(c->device_allow);
        free(c);
        return NULL;
}

void credential_source_done(CredentialSource *cr)
{
        free(cr->id);
        free(cr->path);
        if (cr->value)
                explicit_bzero(cr->value, strlen(cr->value));
        free(cr->value);
        free(cr->location);
        *cr = (CredentialSource){};
}

int container_config_new_default(const char *name, ContainerConfig **ret)
{
        ContainerConfig *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        *c = (ContainerConfig){
                .timeout_stop_usec = CONFIG_UNSET,
                .memory_max = CONFIG_UNSET,
                .memory_high = CONFIG_UNSET,
                .cpu_quota_per_sec_usec = CONFIG_UNSET,
                .cpu_weight = CONFIG_UNSET,
                .io_weight = CONFIG_UNSET,
                .tasks_max = CONFIG_DEFAULT_TASKS_MAX,
                .private_users = PRIVATE_USERS_PICK,
                .uid_size = 65536,
                .no_new_privileges = true,
                .private_network = true,
                .address_pool = CONFIG_ADDRESS_POOL_DEFAULT,
                .address_pool_prefix = CONFIG_ADDRESS_POOL_PREFIX_DEFAULT,
        };
        c->name = strdup(name);
        c->slice = strdup("machine.slice");
        c->shm_size = strdup(CONFIG_DEFAULT_SHM_SIZE);
        c->run_size = strdup(CONFIG_DEFAULT_RUN_SIZE);
        c->tmp_size = strdup(CONFIG_DEFAULT_TMP_SIZE);
        if (!c->name || !c->slice || !c->shm_size || !c->run_size || !c->tmp_size) {
                container_config_free(c);
                return -ENOMEM;
        }
        *ret = c;
        return 0;
}

bool config_has_credentials(const ContainerConfig *c)
{
        return c->n_credentials > 0 || c->import_credentials;
}

bool credential_id_is_valid(const char *id)
{
        size_t n = strlen(id);

        if (n == 0 || n > CREDENTIAL_ID_MAX || streq(id, ".") || streq(id, ".."))
                return false;
        for (const char *p = id; *p; p++)
                if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
                        return false;
        return true;
}

int config_check_credential_sources(const ContainerConfig *c, char ***errors)
{
        int n = 0;

        for (size_t i = 0; i < c->n_credentials; i++) {
                const CredentialSource *cr = &c->credentials[i];
                char *line = NULL;
                struct stat st;
                int k = 0;

                if (!cr->path)
                        continue;
                if (stat(cr->path, &st) < 0) {
                        if (errno == ENOENT || errno == ENOTDIR)
                                k = asprintf(
                                        &line,
                                        "%s: [Container] LoadCredential=%s:%s: credential source %s does "
                                        "not exist (expected an existing file, or a directory of files)",
                                        cr->location, cr->id, cr->path, cr->path);
                } else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > CREDENTIAL_SIZE_MAX)
                        k = asprintf(&line,
                                     "%s: [Container] LoadCredential=%s:%s: credential source %s is %" PRIu64
                                     " bytes (expected at most %u)",
                                     cr->location, cr->id, cr->path, cr->path, (uint64_t)st.st_size,
                                     CREDENTIAL_SIZE_MAX);
                else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
                        k = asprintf(&line,
                                     "%s: [Container] LoadCredential=%s:%s: credential source %s is not a "
                                     "regular file or directory",
                                     cr->location, cr->id, cr->path, cr->path);
                if (k < 0 || (line && strv_consume(errors, line) < 0))
                        return -ENOMEM;
                if (line)
                        n++;
        }
        return n;
}

bool device_allow_is_group(const DeviceAllow *d)
{
        return d->device[0] != '/';
}

int config_check_device_allow(const ContainerConfig *c, char ***errors)
{
        int n = 0;

        for (size_t i = 0; i < c->n_device_allow; i++) {
                const DeviceAllow *d = &c->device_allow[i];
                char *line = NULL;
                struct stat st;
                int k = 0;

                if (device_allow_is_group(d))
                        continue;
                if (stat(d->device, &st) < 0) {
                        if (errno == ENOENT || errno == ENOTDIR)
                                k = asprintf(&line,
                                             "%s: %s does not exist (expected a character or block device "
                                             "node below /dev, such as /dev/fuse)",
                                             d->location, d->device);
                } else if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                        k = asprintf(
                                &line,
                                "%s: %s is not a device node (expected a character or block device node "
                                "below /dev, such as /dev/fuse, or char-GROUP/block-GROUP as listed in "
                                "/proc/devices)",
                                d->location, d->device);
                if (k < 0 || (line && strv_consume(errors, line) < 0))
                        return -ENOMEM;
                if (line)
                        n++;
        }
        return n;
}
