/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Drawing a cgroup subtree and its processes. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cgroup-tree.h"
#include "cgroup.h"
#include "macro.h"
#include "string-util.h"
#include "strv.h"

/* The command line of pid with NULs as spaces, or its comm in brackets (kernel threads). */
static void pid_cmdline(pid_t pid, char *buf, size_t size)
{
        _cleanup_fclose_ FILE *cmdline = NULL, *comm = NULL;
        char path[64];
        size_t n = 0;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        cmdline = fopen(path, "re");
        if (cmdline)
                n = fread(buf, 1, size - 1, cmdline);
        while (n > 0 && buf[n - 1] == 0)
                n--;
        for (size_t i = 0; i < n; i++)
                if (buf[i] == 0)
                        buf[i] = ' ';
        buf[n] = 0;
        if (n > 0)
                return;
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
        comm = fopen(path, "re");
        if (comm && fgets(buf + 1, (int)size - 2, comm)) {
                buf[0] = '[';
                buf[strcspn(buf, "\n")] = 0;
                strncat(buf, "]", size - strlen(buf) - 1);
        } else
                snprintf(buf, size, "(gone)");
}

static int read_pids(const char *cgroup, char ***ret)
{
        _cleanup_free_ char *p = NULL, *line = NULL;
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t n = 0;
        int r = cgroup_fs_path(cgroup, "cgroup.procs", &p);
        if (r < 0)
                return r;
        f = fopen(p, "re");
        if (!f)
                return negative_errno();
        while (r >= 0 && getline(&line, &n, f) > 0) {
                line[strcspn(line, "\n")] = 0;
                r = strv_extend(&l, line);
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

static int read_children(const char *cgroup, char ***ret)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_strv_free_ char **l = NULL;
        struct dirent *de;
        DIR *d;
        int r = cgroup_fs_path(cgroup, NULL, &dir);
        if (r < 0)
                return r;
        d = opendir(dir);
        if (!d)
                return negative_errno();
        while (r >= 0 && (de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.')
                        r = strv_extend(&l, de->d_name);
        closedir(d);
        if (r < 0)
                return r;
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

static int show_level(const char *cgroup, const char *prefix, FILE *f)
{
        _cleanup_strv_free_ char **pids = NULL, **children = NULL;
        size_t n_pids, n_children;
        int r;

        r = read_pids(cgroup, &pids);
        if (r < 0)
                return r;
        r = read_children(cgroup, &children);
        if (r < 0)
                return r;
        n_pids = strv_length(pids);
        n_children = strv_length(children);

        /* Command lines, process names and cgroup names below a container's scope are the
         * container's: escaped, never raw bytes on the admin's terminal. */
        for (size_t i = 0; i < n_pids; i++) {
                _cleanup_free_ char *escaped = NULL;
                char cmd[256];

                pid_cmdline((pid_t)atoi(pids[i]), cmd, sizeof(cmd));
                escaped = cescape(cmd);
                if (!escaped)
                        return -ENOMEM;
                fprintf(f, "%s%s%s %s\n", prefix, i + 1 < n_pids || n_children ? "├─" : "└─", pids[i],
                        escaped);
        }
        for (size_t i = 0; i < n_children; i++) {
                _cleanup_free_ char *sub = NULL, *subprefix = NULL, *escaped = NULL;
                bool last = i + 1 == n_children;

                if (asprintf(&sub, "%s/%s", streq(cgroup, "/") ? "" : cgroup, children[i]) < 0 ||
                    asprintf(&subprefix, "%s%s", prefix, last ? "  " : "│ ") < 0 ||
                    !(escaped = cescape(children[i])))
                        return -ENOMEM;
                fprintf(f, "%s%s%s\n", prefix, last ? "└─" : "├─", escaped);
                /* The subtree is the container's: one it made unreadable (nested past PATH_MAX, say)
                 * is noted where it is, and its siblings are still shown. Giving up on the whole
                 * tree would let a container hide any process in a sub-cgroup sorted after it. */
                r = show_level(sub, subprefix, f);
                if (r < 0 && r != -ENOENT) /* a sub-cgroup removed meanwhile is no error */
                        fprintf(f, "%s└─(not readable: %s)\n", subprefix, strerror(-r));
        }
        return 0;
}

int cgroup_tree_show(const char *cgroup, const char *indent, FILE *f)
{
        return show_level(cgroup, indent, f);
}
