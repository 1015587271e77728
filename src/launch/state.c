/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "load.h"
#include "state.h"
#include "strv.h"

void runtime_state_done(RuntimeState *s)
{
        free(s->name);
        free(s->label);
        free(s->root);
        free(s->scope);
        free(s->config_path);
        free(s->address);
        free(s->address6);
        free(s->interface);
        free(s->ports);
        free(s->forward_blocked);
        *s = (RuntimeState){};
}

const char *state_dir_get(void)
{
        const char *e = getenv("BERTH_STATE_DIR");
        return isempty(e) ? BERTH_STATE_DIR_DEFAULT : e;
}

static int container_dir(const char *state_dir, const char *name, char **ret)
{
        if (asprintf(ret, "%s/%s", state_dir, name) < 0)
                return -ENOMEM;
        return 0;
}

int state_lock(const char *state_dir, const char *name, int *ret_lock_fd)
{
        _cleanup_free_ char *dir = NULL, *lock = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (mkdir(state_dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        if (container_dir(state_dir, name, &dir) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return negative_errno();
        if (asprintf(&lock, "%s/lock", dir) < 0)
                return -ENOMEM;
        fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        if (flock(fd, LOCK_EX | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? -EBUSY : negative_errno();
        *ret_lock_fd = TAKE_FD(fd);
        return 0;
}

int state_file_write(const char *state_dir, const char *name, const char *file, const void *data, size_t len,
                     mode_t mode, WriteFileFlags flags)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dfd = -EBADF;

        if (container_dir(state_dir, name, &dir) < 0)
                return -ENOMEM;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return negative_errno();
        return write_file_atomic_at(dfd, file, data, len, mode, flags);
}

int state_write(const char *state_dir, const RuntimeState *s)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f,
                "NAME=%s\nSUPERVISOR=%d\nLEADER=%d\nSINCE=%" PRIu64 "\nUID_BASE=%u\nUID_SIZE=%u\n"
                "LABEL=%s\nROOT=%s\nSCOPE=%s\nCONFIG=%s\n",
                s->name, (int)s->supervisor_pid, (int)s->leader_pid, s->since_usec, (unsigned)s->uid_base,
                (unsigned)s->uid_size, strempty(s->label), strempty(s->root), strempty(s->scope),
                strempty(s->config_path));
        if (s->address)
                fprintf(f,
                        "ADDRESS=%s\nINTERFACE=%s\nPORTS=%s\nFORWARD_BLOCKED=%s\nHOST_ACCESS=%d\n"
                        "LINK_LOCAL_ACCESS=%d\n",
                        s->address, strempty(s->interface), strempty(s->ports), strempty(s->forward_blocked),
                        s->host_access ? 1 : 0, s->link_local_access ? 1 : 0);
        if (s->address6)
                fprintf(f, "ADDRESS6=%s\n", s->address6);
        if (fclose(f) != 0)
                return -ENOMEM;
        /* 0644, no fsync: what fopen() made under systemd's umask (022); /run is a tmpfs. */
        return state_file_write(state_dir, s->name, "state", buf, size, 0644, 0);
}

int state_remove(const char *state_dir, const char *name)
{
        _cleanup_free_ char *dir = NULL, *p = NULL;

        /* The lock file stays, as the uid/ and mcs/ locks do: unlinked while held, a second
         * supervisor that had opened it already would lock the orphaned inode while a third
         * created a new file and locked that, and two would run one name. So the directory
         * stays too. */
        if (container_dir(state_dir, name, &dir) < 0 || asprintf(&p, "%s/state", dir) < 0)
                return -ENOMEM;
        if (unlink(p) < 0 && errno != ENOENT)
                return negative_errno();
        return 0;
}

/* The lock is held by a live supervisor iff we cannot take a shared lock. */
static int state_is_locked(const char *dir)
{
        _cleanup_free_ char *lock = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (asprintf(&lock, "%s/lock", dir) < 0)
                return -ENOMEM;
        fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        if (flock(fd, LOCK_SH | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? 1 : negative_errno();
        return 0;
}

static int set_string(char **field, const char *v)
{
        if (isempty(v))
                return 0;
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

/* The KEY=VALUE lines of the state and result files, read into a struct by a table. */
typedef enum FieldType {
        FIELD_STRING, /* char *, NULL when empty */
        FIELD_INT,    /* int, pid_t */
        FIELD_U32,    /* uint32_t, uid_t */
        FIELD_U64,
} FieldType;

typedef struct Field {
        const char *key;
        FieldType type;
        size_t offset;
} Field;

_Static_assert(sizeof(pid_t) == sizeof(int) && sizeof(uid_t) == sizeof(uint32_t), "field sizes");

/* Sets the fields of ret named by the lines of f; lines without '=' and unknown keys are
 * skipped, the last of a repeated key wins. 0 or -ENOMEM. */
static int read_fields(FILE *f, const Field *fields, size_t n_fields, void *ret)
{
        _cleanup_free_ char *line = NULL;
        size_t n = 0;
        int r = 0;

        while (r >= 0 && getline(&line, &n, f) > 0) {
                char *eq = strchr(line, '=');
                if (!eq)
                        continue;
                *eq = 0;
                char *v = eq + 1;
                v[strcspn(v, "\n")] = 0;
                for (size_t i = 0; i < n_fields; i++) {
                        void *p = (char *)ret + fields[i].offset;
                        if (!streq(line, fields[i].key))
                                continue;
                        switch (fields[i].type) {
                        case FIELD_STRING: r = set_string(p, v); break;
                        case FIELD_INT: *(int *)p = (int)strtol(v, NULL, 10); break;
                        case FIELD_U32: *(uint32_t *)p = (uint32_t)strtoul(v, NULL, 10); break;
                        case FIELD_U64: *(uint64_t *)p = strtoull(v, NULL, 10); break;
                        }
                        break;
                }
        }
        return r;
}

static const Field state_fields[] = {
        { "NAME", FIELD_STRING, offsetof(RuntimeState, name) },
        { "SUPERVISOR", FIELD_INT, offsetof(RuntimeState, supervisor_pid) },
        { "LEADER", FIELD_INT, offsetof(RuntimeState, leader_pid) },
        { "SINCE", FIELD_U64, offsetof(RuntimeState, since_usec) },
        { "UID_BASE", FIELD_U32, offsetof(RuntimeState, uid_base) },
        { "UID_SIZE", FIELD_U32, offsetof(RuntimeState, uid_size) },
        { "LABEL", FIELD_STRING, offsetof(RuntimeState, label) },
        { "ROOT", FIELD_STRING, offsetof(RuntimeState, root) },
        { "SCOPE", FIELD_STRING, offsetof(RuntimeState, scope) },
        { "CONFIG", FIELD_STRING, offsetof(RuntimeState, config_path) },
        { "ADDRESS", FIELD_STRING, offsetof(RuntimeState, address) },
        { "ADDRESS6", FIELD_STRING, offsetof(RuntimeState, address6) },
        { "INTERFACE", FIELD_STRING, offsetof(RuntimeState, interface) },
        { "PORTS", FIELD_STRING, offsetof(RuntimeState, ports) },
        { "FORWARD_BLOCKED", FIELD_STRING, offsetof(RuntimeState, forward_blocked) },
        { "HOST_ACCESS", FIELD_INT, offsetof(RuntimeState, host_access) },
        { "LINK_LOCAL_ACCESS", FIELD_INT, offsetof(RuntimeState, link_local_access) },
};

static const Field result_fields[] = {
        { "EXIT_STATUS", FIELD_INT, offsetof(RunResult, exit_status) },
        { "ENDED", FIELD_U64, offsetof(RunResult, ended_usec) },
        { "ERROR", FIELD_STRING, offsetof(RunResult, error) },
};

int state_read(const char *state_dir, const char *name, RuntimeState *ret)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        RuntimeState s = {};
        int r;

        if (container_dir(state_dir, name, &dir) < 0 || asprintf(&path, "%s/state", dir) < 0)
                return -ENOMEM;
        r = state_is_locked(dir);
        if (r < 0)
                return r;
        if (r == 0)
                return -ESRCH;
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? -ESRCH : negative_errno(); /* starting: not yet written */

        r = read_fields(f, state_fields, ELEMENTSOF(state_fields), &s);
        if (r < 0 || !s.name || s.leader_pid <= 0) {
                runtime_state_done(&s);
                return r < 0 ? r : -EBADMSG;
        }
        *ret = s;
        return 0;
}

/* Names of the state directories whose lock reads as want (state_is_locked(): 1 held by a live
 * supervisor, -EACCES not readable by us), sorted. */
static int state_list_by_lock(const char *state_dir, int want, char ***ret_names)
{
        _cleanup_strv_free_ char **names = NULL;
        DIR *d = opendir(state_dir);
        struct dirent *de;

        if (!d) {
                *ret_names = NULL;
                return errno == ENOENT ? 0 : negative_errno();
        }
        while ((de = readdir(d))) {
                _cleanup_free_ char *dir = NULL;

                /* uid/, mcs/, net/ and seccomp/ are berth's own: no container has those names */
                if (de->d_type != DT_DIR || !container_name_is_valid(de->d_name))
                        continue;
                if (container_dir(state_dir, de->d_name, &dir) < 0)
                        break;
                if (state_is_locked(dir) == want && strv_extend(&names, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
        }
        closedir(d);
        strv_sort(names);
        *ret_names = TAKE_PTR(names);
        return 0;
}

int state_list(const char *state_dir, char ***ret_names)
{
        return state_list_by_lock(state_dir, 1, ret_names);
}

void run_result_done(RunResult *r)
{
        free(r->error);
        r->error = NULL;
}

int state_write_result(const char *state_dir, const char *name, const RunResult *res)
{
        _cleanup_free_ char *error = NULL, *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (res->error) { /* one line: the reader splits on newlines */
                error = strdup(res->error);
                if (!error)
                        return -ENOMEM;
                for (char *p = error; *p; p++)
                        if (*p == '\n' || *p == '\r')
                                *p = ' ';
        }
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "EXIT_STATUS=%d\nENDED=%" PRIu64 "\nERROR=%s\n", res->exit_status, res->ended_usec,
                strempty(error));
        if (fclose(f) != 0)
                return -ENOMEM;
        return state_file_write(state_dir, name, "result", buf, size, 0644, 0);
}

int state_read_result(const char *state_dir, const char *name, RunResult *ret)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        RunResult res = { .exit_status = -1 };
        int r;

        if (asprintf(&path, "%s/%s/result", state_dir, name) < 0)
                return -ENOMEM;
        f = fopen(path, "re");
        if (!f)
                return negative_errno();
        r = read_fields(f, result_fields, ELEMENTSOF(result_fields), &res);
        if (r < 0 || res.exit_status < 0) {
                run_result_done(&res);
                return r < 0 ? r : -EBADMSG;
        }
        *ret = res;
        return 0;
}

int state_list_unreadable(const char *state_dir, char ***ret_names)
{
        return state_list_by_lock(state_dir, -EACCES, ret_names);
}
