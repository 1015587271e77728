/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "provenance.h"

void image_provenance_done(ImageProvenance *p)
{
        free(p->digest);
        free(p->signed_by);
        free(p->key);
        free(p->source);
        *p = (ImageProvenance){};
}

int image_provenance_path(const char *image_dir, const char *name, char **ret)
{
        return asprintf(ret, "%s/" PROVENANCE_DIR "/%s", image_dir, name) < 0 ? -ENOMEM : 0;
}

static bool has_control(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s < 0x20 || *s == 0x7f)
                        return true;
        return false;
}

int image_provenance_format(const ImageProvenance *p, char **ret)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        if (p->digest)
                fprintf(f, "Digest=%s\n", p->digest);
        if (p->signed_by)
                fprintf(f, "SignedBy=%s\n", p->signed_by);
        if (p->key && !has_control(p->key))
                fprintf(f, "Key=%s\n", p->key);
        fprintf(f, "Imported=%" PRIu64 "\nSize=%" PRIu64 "\n", p->imported, p->size);
        if (p->source && !has_control(p->source))
                fprintf(f, "Source=%s\n", p->source);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

int image_provenance_read(const char *image_dir, const char *name, ImageProvenance *ret)
{
        _cleanup_(image_provenance_done) ImageProvenance p = {};
        _cleanup_free_ char *path = NULL, *line = NULL;
        size_t cap = 0;
        ssize_t n;
        FILE *f;
        int fd;

        if (image_provenance_path(image_dir, name, &path) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        f = fdopen(fd, "re");
        if (!f) {
                close(fd);
                return -ENOMEM;
        }
        while ((n = getline(&line, &cap, f)) > 0) {
                char **field = NULL, *v;
                if (line[n - 1] == '\n')
                        line[n - 1] = 0;
                v = strchr(line, '=');
                if (!v)
                        continue;
                *v++ = 0;
                if (streq(line, "Digest"))
                        field = &p.digest;
                else if (streq(line, "SignedBy"))
                        field = &p.signed_by;
                else if (streq(line, "Key"))
                        field = &p.key;
                else if (streq(line, "Source"))
                        field = &p.source;
                else if (streq(line, "Imported"))
                        p.imported = strtoull(v, NULL, 10);
                else if (streq(line, "Size"))
                        p.size = strtoull(v, NULL, 10);
                if (field) {
                        free(*field);
                        *field = strdup(v);
                        if (!*field) {
                                fclose(f);
                                return -ENOMEM;
                        }
                }
        }
        fclose(f);
        *ret = p;
        p = (ImageProvenance){};
        return 0;
}

const char *image_provenance_dir(void)
{
        const char *e = getenv("BERTH_IMAGE_DIR");
        return isempty(e) ? "/var/lib/berth" : e;
}

int image_provenance_for_root(const char *root, char **ret_name, ImageProvenance *ret)
{
        _cleanup_free_ char *dir = NULL, *real = NULL, *name = NULL;
        ImageProvenance p = {};
        const char *slash;
        int r;

        if (!root)
                return -ENOENT;
        dir = realpath(image_provenance_dir(), NULL);
        real = realpath(root, NULL);
        if (!dir || !real)
                return -ENOENT;
        slash = strrchr(real, '/');
        if (!slash || (size_t)(slash - real) != strlen(dir) || !strneq(real, dir, strlen(dir)) ||
            !slash[1] || slash[1] == '.')
                return -ENOENT;
        name = strdup(slash + 1);
        if (!name)
                return -ENOMEM;
        r = image_provenance_read(image_provenance_dir(), name, &p);
        if (r < 0)
                return r;
        if (ret)
                *ret = p;
        else
                image_provenance_done(&p);
        if (ret_name)
                *ret_name = TAKE_PTR(name);
        return 0;
}
