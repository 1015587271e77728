/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host paths of a config (Directory=, Bind= sources) made free of symlinks once, when the config is
 * read: launch opens them with RESOLVE_NO_SYMLINKS, so a symlink a container plants in a directory
 * it writes cannot redirect a mount on the next start. A symlink the admin placed (/srv -> /data)
 * is followed here and reported; one inside a tree the container itself can write (its root or a
 * Bind= source) is refused, since it may be the container's. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host-paths.h"
#include "strv.h"

static bool path_strictly_below(const char *p, const char *dir)
{
        size_t n = strlen(dir);

        if (n == 1 && dir[0] == '/')
                return p[0] == '/' && p[1];
        return strneq(p, dir, n) && p[n] == '/' && p[n + 1];
}

/* Whether link lies inside tree, spelled as configured or with its own symlinks resolved. */
static bool below_tree(const char *link, const char *tree)
{
        _cleanup_free_ char *real = NULL;

        if (path_strictly_below(link, tree))
                return true;
        real = realpath(tree, NULL);
        return real && path_strictly_below(link, real);
}

/* Is the symlink at link inside a tree of this container (its root, a Bind= source)? */
static const char *container_tree_holding(const ContainerConfig *c, const char *link)
{
        if (c->directory && below_tree(link, c->directory))
                return c->directory;
        for (size_t i = 0; i < c->n_binds; i++)
                if (below_tree(link, c->binds[i].source))
                        return c->binds[i].source;
        return NULL;
}

/* The first component of path that is a symlink, as a prefix length; 0 when none (or a component
 * is missing: the start reports that). */
static size_t first_symlink(char *path)
{
        for (char *end = path + 1;; end++) {
                struct stat st;
                char save;
                int k;

                if (*end != '/' && *end != 0)
                        continue;
                save = *end;
                *end = 0;
                k = lstat(path, &st);
                *end = save;
                if (k < 0)
                        return 0;
                if (S_ISLNK(st.st_mode))
                        return (size_t)(end - path);
                if (!save)
                        return 0;
        }
}

/* Replaces *path by its symlink-free form. */
static int resolve_one(const ContainerConfig *c, const char *what, char **path, char ***notes,
                       char ***errors)
{
        _cleanup_free_ char *cur = strdup(*path);
        bool changed = false;
        size_t n;
        int r;

        if (!cur)
                return -ENOMEM;
        for (unsigned depth = 0; (n = first_symlink(cur)) > 0; depth++) {
                _cleanup_free_ char *link = strndup(cur, n), *real = NULL, *next = NULL;
                const char *tree;

                if (!link)
                        return -ENOMEM;
                tree = container_tree_holding(c, link);
                if (tree) {
                        r = strv_extendf(errors,
                                         "%s: %s %s passes through the symlink %s inside %s, which the "
                                         "container can change (expected the real path, without that "
                                         "symlink)",
                                         strna(c->path), what, *path, link, tree);
                        return r < 0 ? r : -EINVAL;
                }
                real = depth < 40 ? realpath(link, NULL) : NULL;
                if (!real) {
                        r = strv_extendf(errors, "%s: %s %s: cannot resolve the symlink %s: %s",
                                         strna(c->path), what, *path, link,
                                         depth < 40 ? strerror(errno) : strerror(ELOOP));
                        return r < 0 ? r : -EINVAL;
                }
                if (asprintf(&next, "%s%s", streq(real, "/") && cur[n] ? "" : real, cur + n) < 0)
                        return -ENOMEM;
                free(cur);
                cur = TAKE_PTR(next);
                changed = true;
        }
        if (!changed)
                return 0;
        r = strv_extendf(notes, "%s: %s %s is reached through a symlink; using %s", strna(c->path), what,
                         *path, cur);
        if (r < 0)
                return r;
        free(*path);
        *path = TAKE_PTR(cur);
        return 0;
}

int config_resolve_host_paths(ContainerConfig *c, char ***notes, char ***errors)
{
        size_t n_errors = strv_length(*errors);
        int r;

        if (c->directory) {
                r = resolve_one(c, "Directory=", &c->directory, notes, errors);
                if (r < 0 && r != -EINVAL)
                        return r;
        }
        for (size_t i = 0; i < c->n_binds; i++) {
                r = resolve_one(c, "Bind= source", &c->binds[i].source, notes, errors);
                if (r < 0 && r != -EINVAL)
                        return r;
        }
        return strv_length(*errors) > n_errors ? -EINVAL : 0;
}
