/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* trust.conf: read with the .container line syntax (src/config/syntax.c) and its own keys. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "parse-state.h"
#include "parse-util.h"
#include "strv.h"
#include "trust.h"

void trust_policy_done(TrustPolicy *p)
{
        strv_free(p->keys);
        strv_free(p->files);
        *p = (TrustPolicy){};
}

static const char *trust_section_lookup(const char *section)
{
        return streq(section, "Trust") ? "Trust" : NULL;
}

static int trust_assign(ParseState *st, const char *key, const char *value, void *userdata)
{
        TrustPolicy *p = userdata;
        int b;

        if (streq(key, "RequireSignature")) {
                b = parse_boolean(value);
                if (b < 0)
                        return key_error(st, "not a boolean (expected yes or no)");
                p->require_signature = b;
                return 0;
        }
        if (streq(key, "TrustedKey")) {
                if (isempty(value)) {
                        p->keys = strv_free(p->keys);
                        return 0;
                }
                if (value[0] != '/')
                        return key_error(st, "not an absolute path (expected the path of a PEM public key, "
                                             "e.g. /etc/berth/keys/vendor.pub)");
                return strv_extend(&p->keys, value) < 0 ? -ENOMEM : 0;
        }
        return key_error(st, "unknown key (expected RequireSignature= or TrustedKey=)");
}

static int read_text(const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        ssize_t n;

        if (fd < 0 || fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if (st.st_size > CONFIG_FILE_MAX)
                return -EFBIG;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        n = read(fd, buf, (size_t)st.st_size + 1);
        if (n < 0)
                return negative_errno();
        if ((size_t)n > (size_t)st.st_size)
                return -EFBIG;
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        *ret_size = (size_t)n;
        return 0;
}

static int basename_cmp(const void *a, const void *b)
{
        return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

/* Drop-in paths: every *.conf name once (the highest-priority directory's), sorted by name. */
static int dropins_collect(char **search, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL, **paths = NULL;

        STRV_FOREACH (dir, search) {
                _cleanup_free_ char *d = NULL;
                struct dirent *de;
                DIR *dh;

                if (asprintf(&d, "%s/trust.conf.d", *dir) < 0)
                        return -ENOMEM;
                dh = opendir(d);
                if (!dh)
                        continue;
                while ((de = readdir(dh))) {
                        size_t l = strlen(de->d_name);
                        _cleanup_free_ char *p = NULL;

                        if (de->d_name[0] == '.' || l < 6 || !streq(de->d_name + l - 5, ".conf") ||
                            strv_contains(names, de->d_name))
                                continue;
                        if (asprintf(&p, "%s/%s", d, de->d_name) < 0 ||
                            strv_extend(&names, de->d_name) < 0 || strv_extend(&paths, p) < 0) {
                                closedir(dh);
                                return -ENOMEM;
                        }
                }
                closedir(dh);
        }
        if (paths)
                qsort(paths, strv_length(paths), sizeof(char *), basename_cmp);
        *ret = TAKE_PTR(paths);
        return 0;
}

int trust_policy_load(TrustPolicy *ret, char ***ret_errors)
{
        _cleanup_(trust_policy_done) TrustPolicy p = {};
        _cleanup_strv_free_ char **search = NULL, **files = NULL, **dropins = NULL;
        _cleanup_(parse_state_done) ParseState st = {};
        const ParseHooks hooks = {
                .section_lookup = trust_section_lookup,
                .sections_expected = "[Trust]",
                .assign = trust_assign,
                .userdata = &p,
        };
        int r;

        r = config_search_path(&search);
        if (r < 0)
                return r;
        STRV_FOREACH (dir, search) {
                _cleanup_free_ char *f = NULL;
                if (asprintf(&f, "%s/trust.conf", *dir) < 0)
                        return -ENOMEM;
                if (access(f, F_OK) == 0) {
                        if (strv_extend(&files, f) < 0)
                                return -ENOMEM;
                        break;
                }
        }
        r = dropins_collect(search, &dropins);
        if (r < 0)
                return r;
        STRV_FOREACH (d, dropins)
                if (strv_extend(&files, *d) < 0)
                        return -ENOMEM;

        st.hooks = &hooks;
        STRV_FOREACH (f, files) {
                _cleanup_free_ char *text = NULL;
                size_t size;

                st.file = *f;
                r = read_text(*f, &text, &size);
                if (r < 0) {
                        if (file_error(&st, "cannot read: %s", strerror(-r)) == -ENOMEM)
                                return -ENOMEM;
                        continue;
                }
                r = config_parse_text(&st, text, size);
                if (r < 0)
                        return r;
        }
        if (st.errors) {
                if (ret_errors)
                        *ret_errors = TAKE_PTR(st.errors);
                return -EINVAL;
        }
        p.files = TAKE_PTR(files);
        *ret = p;
        p = (TrustPolicy){};
        return 0;
}
