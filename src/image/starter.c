/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "starter.h"
#include "strv.h"
#include "utf8.h"

/* Writes one word the way extract_first_word() (systemd's rules) reads it back, with '%' doubled
 * because values go through specifier expansion first. */
static void word_write(FILE *f, const char *w)
{
        bool plain =
                !isempty(w) && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                         "_/.:,=+@%-") == strlen(w);

        if (plain) {
                for (const char *p = w; *p; p++)
                        fputs(*p == '%' ? "%%" : (char[]){ *p, 0 }, f);
                return;
        }
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)w; *p; p++)
                switch (*p) {
                case '"': fputs("\\\"", f); break;
                case '\\': fputs("\\\\", f); break;
                case '\n': fputs("\\n", f); break;
                case '\t': fputs("\\t", f); break;
                case '%': fputs("%%", f); break;
                default:
                        /* C0, DEL and C1 (U+0080..U+009F, 0xc2 0x80..0x9f; U+009B is CSI) as \\xNN:
                         * no raw escape of the image's in the file. */
                        if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
                                fprintf(f, "\\x%02x\\x%02x", p[0], p[1]);
                                p++;
                        } else if (*p < 0x20 || *p == 0x7f)
                                fprintf(f, "\\x%02x", *p);
                        else
                                fputc(*p, f);
                }
        fputc('"', f);
}

/* Single-value keys (Directory=, WorkingDirectory=, User=) take the rest of the line unquoted. The
 * reader trims surrounding whitespace and joins a line ending in '\\' with the next one (which would
 * swallow the following key, e.g. User=): such values cannot be written. Nor control characters
 * (C0, DEL, C1) or invalid UTF-8: raw in the file, an image's escape sequences would reach the
 * terminal of whoever shows it. */
static int value_write(FILE *f, const char *v)
{
        size_t n = strlen(v);

        for (size_t i = 0; i < n;) {
                uint32_t c;
                int k = utf8_decode_one(v + i, n - i, &c);

                if (k < 0 || c < 0x20 || (c >= 0x7f && c < 0xa0)) /* C0, DEL, C1, not UTF-8 */
                        return -EINVAL;
                i += (size_t)k;
        }
        if (n > 0 && (v[n - 1] == '\\' || v[0] == ' ' || v[n - 1] == ' '))
                return -EINVAL;
        for (const char *p = v; *p; p++)
                fputs(*p == '%' ? "%%" : (char[]){ *p, 0 }, f);
        return 0;
}

/* Text in a comment line: the source path is the user's, and a newline in it must not start a
 * line of its own (a key) nor a trailing backslash join the next line; such bytes become '?'. */
static void comment_write(FILE *f, const char *s)
{
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                fputc(*p < 0x20 || *p == 0x7f || *p == '\\' ? '?' : *p, f);
}

static void words_write(FILE *f, char *const *l)
{
        bool first = true;
        STRV_FOREACH (w, l) {
                if (!first)
                        fputc(' ', f);
                word_write(f, *w);
                first = false;
        }
}

int starter_config_format(const char *name, const char *root, const char *source, const OciImage *img,
                          bool has_init, char **ret)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_fclose_ FILE *f = NULL; /* closed before text is freed */
        size_t size = 0;
        int r;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "# %s.container: written by 'berth import' from ", name);
        comment_write(f, source);
        if (img && img->manifest_digest)
                fprintf(f, "\n# (manifest %s)", img->manifest_digest);
        fputs(".\n# Edit freely; see berth.container(5). Check with: berth verify ", f);
        fprintf(f, "%s\n\n[Container]\nDirectory=", name);
        r = value_write(f, root);
        fputc('\n', f);

        if (img && (img->entrypoint || img->cmd)) {
                _cleanup_strv_free_ char **exec = strv_copy(img->entrypoint);
                STRV_FOREACH (w, img->cmd)
                        if (strv_extend(&exec, *w) < 0)
                                return -ENOMEM;
                fputs("Exec=", f);
                words_write(f, exec);
                fputc('\n', f);
        } else
                fputs("# The image names no command: /bin/sh runs unless you set one.\n#Exec=/bin/sh\n", f);
        if (img)
                STRV_FOREACH (e, img->env) {
                        fputs("Environment=", f);
                        word_write(f, *e);
                        fputc('\n', f);
                }
        if (r >= 0 && img && img->working_dir) {
                fputs("WorkingDirectory=", f);
                r = value_write(f, img->working_dir);
                fputc('\n', f);
        }
        if (r >= 0 && img && img->user) {
                /* OCI allows "user:group"; berth's User= takes the user and its primary group. */
                size_t n = strcspn(img->user, ":");
                _cleanup_free_ char *user = strndup(img->user, n);
                if (!user)
                        return -ENOMEM;
                if (img->user[n]) {
                        /* The image's text: a newline in it would start a key of its own. */
                        fputs("# The image asks for user:group \"", f);
                        comment_write(f, img->user);
                        fputs("\"; the group is the user's primary one here.\n", f);
                }
                fputs("User=", f);
                r = value_write(f, user);
                fputc('\n', f);
        }
        if (has_init)
                fputs("# The root has an init system: to boot it as a whole system (its services, journal,\n"
                      "# systemctl inside), use Boot=yes instead of Exec=/User= (see berth.container(5)).\n"
                      "#Boot=yes\n",
                      f);
        fputs("\n[Resources]\n#MemoryMax=512M\n#TasksMax=256\n", f);
        if (fclose(TAKE_PTR(f)) != 0) /* the text is complete only now */
                return -ENOMEM;
        if (r < 0)
                return r;
        *ret = TAKE_PTR(text);
        return 0;
}
