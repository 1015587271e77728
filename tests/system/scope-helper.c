/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stand-in supervisor for the system suite: forks a payload that just waits, registers it the way
 * berth run does (scope_register, machined_register, running-state file), tells systemd READY=1
 * and waits for SIGTERM. Run as a Type=notify service inside the bed so the scope's binding to
 * the calling service, and the limits systemd applied, can be checked with systemctl.
 *
 * usage: scope-helper NAME PIDFILE  (limits: MemoryMax=64M TasksMax=77 CPUQuota=150% AllowedCPUs=0) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "machined.h"
#include "notify.h"
#include "scope.h"
#include "sd-lib.h"
#include "state.h"

int main(int argc, char **argv)
{
        _cleanup_(bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_free_ char *scope = NULL, *error = NULL;
        _cleanup_close_ int lock_fd = -EBADF;
        const char *state_dir = state_dir_get();
        struct timespec ts;
        sigset_t mask;
        pid_t child;
        FILE *f;
        int r, sig;

        if (argc != 3) {
                fprintf(stderr, "usage: %s NAME PIDFILE\n", argv[0]);
                return 2;
        }
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        r = container_config_new_default(argv[1], &c);
        if (r < 0)
                return 1;
        c->memory_max = 64ULL * 1024 * 1024;
        c->tasks_max = 77;
        c->cpu_quota_per_sec_usec = 1500000;
        c->allowed_cpus = strdup("0");

        r = state_lock(state_dir, c->name, &lock_fd);
        if (r < 0) {
                fprintf(stderr, "Failed to lock %s: %s\n", c->name, strerror(-r));
                return 1;
        }

        child = fork();
        if (child < 0)
                return 1;
        if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                for (;;)
                        pause();
        }

        r = sd_lib_load(NULL, NULL);
        if (r >= 0)
                r = sym_sd_bus_open_system(&bus);
        if (r >= 0)
                r = scope_register(bus, c, child, &scope, &error);
        if (r < 0) {
                fprintf(stderr, "scope_register failed: %s (%s)\n", strerror(-r), error ? error : "no text");
                kill(child, SIGKILL);
                state_remove(state_dir, c->name);
                return 1;
        }
        r = scope_delegate_payload(child, 0x80000, 0x80000);
        if (r < 0)
                fprintf(stderr, "scope_delegate_payload failed: %s\n", strerror(-r));
        r = machined_register(bus, c, child, "/", NULL);
        if (r < 0 && r != -EHOSTDOWN)
                fprintf(stderr, "machined_register failed: %s\n", strerror(-r));

        clock_gettime(CLOCK_REALTIME, &ts);
        RuntimeState s = {
                .name = c->name,
                .supervisor_pid = getpid(),
                .leader_pid = child,
                .since_usec = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000,
                .uid_base = 0x80000,
                .uid_size = 65536,
                .label = (char *)"system_u:system_r:berth_container_t:s0:c1,c2",
                .root = (char *)"/",
                .scope = scope,
                .config_path = (char *)"/dev/null",
        };
        r = state_write(state_dir, &s);
        if (r < 0)
                fprintf(stderr, "state_write failed: %s\n", strerror(-r));

        f = fopen(argv[2], "we");
        if (f) {
                fprintf(f, "%d\n", (int)child);
                fclose(f);
        }
        notify_manager("READY=1\nSTATUS=payload registered");
        printf("registered %s pid %d in %s\n", c->name, (int)child, scope);
        fflush(stdout);

        sigwait(&mask, &sig);
        notify_manager("STOPPING=1");
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        scope_unregister(bus, scope);
        state_remove(state_dir, c->name);
        return 0;
}
