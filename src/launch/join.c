/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding a running container to join from the host side, from its state and confinement record
 * only (never a config file): the leader's pidfd, checked to be the recorded payload, and the
 * namespaces of it that differ from ours. `berth copy-to`/`copy-from` join through this; `berth
 * exec` (exec.c) shares its checks. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch-context.h"
#include "launch.h"
#include "macro.h"

void join_target_done(JoinTarget *t)
{
        runtime_state_done(&t->state);
        confinement_record_done(&t->rec);
        t->pidfd = safe_close(t->pidfd);
}

/* The PPid: line of /proc/PID/status, or -errno. */
static pid_t pid_get_ppid(pid_t pid)
{
        _cleanup_fclose_ FILE *f = NULL;
        char path[64], line[256];

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return negative_errno();
        while (fgets(line, sizeof(line), f))
                if (strneq(line, "PPid:", 5))
                        return (pid_t)strtol(line + 5, NULL, 10);
        return -EBADMSG;
}

int join_leader_matches_record(pid_t leader, int pidfd, const ConfinementRecord *rec)
{
        _cleanup_fclose_ FILE *f = NULL;
        char path[64];
        unsigned inside, outside, size;

        /* The payload is the supervisor's own child. Without a user namespace (PrivateUsers=no)
         * this is all that tells it from a host process that got its PID since: joined, such a
         * process's namespaces are the host's, and copy-to would write to the host's root. */
        if (pid_get_ppid(leader) != rec->supervisor_pid)
                return -ESTALE;
        if (rec->uid_size > 0) {
                snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)leader);
                f = fopen(path, "re");
                if (!f)
                        return negative_errno();
                if (fscanf(f, "%u %u %u", &inside, &outside, &size) != 3 || inside != 0 ||
                    outside != rec->uid_base || size != rec->uid_size)
                        return -ESTALE;
        }
        /* What /proc/PID showed was the process pidfd pins only if that one still lives now: a
         * PID is not reused while its process lives. */
        if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                return -ESTALE;
        return 0;
}

int join_namespaces_to_join(pid_t pid, int wanted, int *ret_flags)
{
        static const struct {
                const char *name;
                int flag;
        } table[] = {
                { "user", CLONE_NEWUSER },     { "mnt", CLONE_NEWNS },  { "pid", CLONE_NEWPID },
                { "uts", CLONE_NEWUTS },       { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
                { "cgroup", CLONE_NEWCGROUP },
        };
        int flags = 0;

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char theirs[64], ours[64];
                struct stat a, b;

                if (!(wanted & table[i].flag))
                        continue;
                snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, table[i].name);
                snprintf(ours, sizeof(ours), "/proc/self/ns/%s", table[i].name);
                if (stat(theirs, &a) < 0 || stat(ours, &b) < 0)
                        return negative_errno();
                if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                        flags |= table[i].flag;
        }
        *ret_flags = flags;
        return 0;
}

_printf_(4, 5) static int join_error(char **slot, const char *name, int error, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        (void)launch_error_recordv(slot, name, error, fmt, ap);
        va_end(ap);
        return error;
}

int join_target_open(const char *state_dir, const char *name, JoinTarget *t, char **ret_error)
{
        int r;

        *t = (JoinTarget){ .pidfd = -EBADF };
        r = state_read(state_dir, name, &t->state);
        if (r == -ESRCH)
                return -ESRCH;
        if (r < 0)
                return join_error(ret_error, name, r, "Failed to read the state in %s", state_dir);
        r = confinement_record_read(state_dir, name, &t->rec);
        if (r == -ENOENT)
                return join_error(ret_error, name, r,
                                  "No recorded confinement in %s/%s (started by an older berth? restart it)",
                                  state_dir, name);
        if (r < 0)
                return join_error(ret_error, name, r, "Failed to read the recorded confinement in %s/%s",
                                  state_dir, name);
        if (t->rec.supervisor_pid != t->state.supervisor_pid)
                return -ESRCH; /* restarted meanwhile */
        t->pidfd = (int)syscall(SYS_pidfd_open, t->state.leader_pid, 0);
        if (t->pidfd < 0)
                return -ESRCH;
        /* The pidfd pins the recorded payload: its user namespace maps the recorded range. */
        if (join_leader_matches_record(t->state.leader_pid, t->pidfd, &t->rec) < 0)
                return -ESRCH;
        r = join_namespaces_to_join(t->state.leader_pid, CLONE_NEWUSER | CLONE_NEWNS, &t->ns_flags);
        if (r < 0)
                return join_error(ret_error, name, r, "Failed to inspect the namespaces");
        return 0;
}
