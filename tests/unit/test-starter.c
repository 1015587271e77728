/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The starter NAME.container that berth import writes reads back through the config parser as
 * exactly the image's command, environment, working directory and user, however odd the words
 * (quotes, backslashes, '%', '$', tabs, newlines, UTF-8, empty words). */
#include <string.h>

#include "config-test-util.h"
#include "starter.h"
#include "test.h"

static bool strv_equal(char **a, char **b)
{
        for (; a && *a && b && *b; a++, b++)
                if (!streq(*a, *b))
                        return false;
        return (!a || !*a) && (!b || !*b);
}

int main(void)
{
        _cleanup_free_ char *dir = test_tmpdir();
        char *entrypoint[] = { "/bin/sh", "-c", NULL };
        char *cmd[] = { "echo \"quoted\" 'single' back\\slash 100% $HOME",
                        "tab\there",
                        "new\nline",
                        "",
                        "ünï cödé",
                        "%i",
                        NULL };
        char *env[] = { "PATH=/usr/local/bin:/usr/bin", "GREETING=hello world", "ODD=a\"b'c\\d%e$f", NULL };
        OciImage img = {
                .entrypoint = entrypoint,
                .cmd = cmd,
                .env = env,
                .working_dir = "/srv/my app",
                .user = "1000:1000",
        };
        _cleanup_free_ char *text = NULL, *root = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        int r;

        if (asprintf(&root, "%s/images/web", dir) < 0)
                return 99;
        r = starter_config_format("web", root, "/tmp/x.tar", &img, false, &text);
        CHECK(r == 0, "starter config formatted");
        if (r < 0)
                return test_done();
        test_write(dir, "web.container", text);
        setenv("BERTH_CONFIG_PATH", dir, 1);

        r = config_load("web", &c, &errors);
        CHECK(r == 0, "the config parser accepts the starter file");
        STRV_FOREACH (e, errors)
                printf("#   %s\n", *e);
        if (r < 0) {
                printf("# %s", text);
                test_rm_rf(dir);
                return test_done();
        }

        char *exec[] = { "/bin/sh", "-c", cmd[0], cmd[1], cmd[2], cmd[3], cmd[4], cmd[5], NULL };
        CHECK(strv_equal(c->exec, exec), "Exec= reads back as Entrypoint followed by Cmd, word for word");
        CHECK(strv_equal(c->environment, env), "Environment= reads back as Env");
        CHECK_STREQ(c->directory, root, "Directory= is the imported root");
        CHECK_STREQ(c->working_directory, "/srv/my app", "WorkingDirectory= is WorkingDir");
        CHECK_STREQ(c->user, "1000", "User= is the user part of user:group");

        /* Control characters, C1 (U+009B, CSI) included, are quoted in the file, never raw, and
         * read back the same. */
        {
                _cleanup_free_ char *ctl = NULL;
                _cleanup_config_ ContainerConfig *cc = NULL;
                char *ctl_cmd[] = { "/bin/x", "\033]0;t\007",
                                    "\xc2\x9b"
                                    "2J",
                                    "caf\xc3\xa9", NULL };
                char *ctl_env[] = { "A=\xc2\x9b"
                                    "31m",
                                    NULL };
                OciImage ctl_img = { .cmd = ctl_cmd, .env = ctl_env };

                CHECK(starter_config_format("ctl", root, "x", &ctl_img, false, &ctl) == 0,
                      "starter with control characters formatted");
                CHECK(ctl && !strpbrk(ctl, "\033\007") && !strstr(ctl, "\xc2\x9b") &&
                              strstr(ctl, "caf\xc3\xa9"),
                      "the file has no raw ESC, BEL or C1 (and keeps other UTF-8)");
                test_write(dir, "ctl.container", ctl);
                errors = strv_free(errors);
                CHECK(config_load("ctl", &cc, &errors) == 0 && strv_equal(cc->exec, ctl_cmd) &&
                              strv_equal(cc->environment, ctl_env),
                      "Exec= and Environment= with control characters read back word for word");
        }

        /* A root whose path contains a newline cannot be written as a one-line value. */
        _cleanup_free_ char *bad = NULL;
        CHECK(starter_config_format("web", "/var/lib/berth/we\nb", "x", NULL, false, &bad) == -EINVAL,
              "a root path with a newline is refused");

        /* Nor control characters (a terminal's escapes): berth cat or an editor shows the file. */
        _cleanup_free_ char *esc = NULL;
        OciImage esc_img = { .working_dir = "/srv/\033]0;PWNED\007" };
        CHECK(starter_config_format("web", root, "x", &esc_img, false, &esc) == -EINVAL,
              "a WorkingDir with control characters is refused");
        _cleanup_free_ char *c1 = NULL;
        OciImage c1_img = { .working_dir = "/srv/\xc2\x9b"
                                           "2J" };
        CHECK(starter_config_format("web", root, "x", &c1_img, false, &c1) == -EINVAL,
              "a WorkingDir with a C1 control (U+009B, CSI) is refused");

        /* The source path only appears in a comment: a newline in it cannot inject a key. */
        _cleanup_free_ char *inj = NULL;
        _cleanup_config_ ContainerConfig *c3 = NULL;
        CHECK(starter_config_format("inj", root, "/tmp/x\n[Security]\nPrivateUsers=no\\", NULL, false,
                                    &inj) == 0,
              "starter with a hostile source path formatted");
        test_write(dir, "inj.container", inj);
        errors = strv_free(errors);
        r = config_load("inj", &c3, &errors);
        CHECK(r == 0 && c3->private_users == PRIVATE_USERS_PICK && streq_ptr(c3->directory, root),
              "a newline in the source path injects nothing (PrivateUsers stays pick)");

        /* The image's User= is also quoted in a comment: a newline in it cannot inject a key
         * (an image granting itself PrivateUsers=no, i.e. host root). */
        _cleanup_free_ char *uinj = NULL;
        _cleanup_config_ ContainerConfig *c4 = NULL;
        OciImage evil = { .user = "0:0\n[Security]\nPrivateUsers=no\n[Container]\n#" };
        CHECK(starter_config_format("uinj", root, "/tmp/x", &evil, false, &uinj) == 0,
              "starter with a hostile image user formatted");
        test_write(dir, "uinj.container", uinj);
        errors = strv_free(errors);
        r = config_load("uinj", &c4, &errors);
        STRV_FOREACH (e, errors)
                printf("#   %s\n", *e);
        CHECK(r == 0 && c4->private_users == PRIVATE_USERS_PICK && streq_ptr(c4->user, "0"),
              "a newline in the image's user:group injects nothing (PrivateUsers stays pick, User=0)");

        /* A plain tarball: no image config, so no Exec= (the default shell runs). */
        _cleanup_free_ char *plain = NULL;
        _cleanup_config_ ContainerConfig *c2 = NULL;
        CHECK(starter_config_format("plain", root, "/tmp/x.tar", NULL, false, &plain) == 0,
              "plain starter formatted");
        test_write(dir, "plain.container", plain);
        errors = strv_free(errors);
        r = config_load("plain", &c2, &errors);
        CHECK(r == 0, "plain starter loads");
        STRV_FOREACH (e, errors)
                printf("#   %s\n", *e);
        CHECK(r == 0 && strv_length(c2->exec) <= 1, "plain starter keeps the default command (got %s)",
              r == 0 && c2->exec ? c2->exec[0] : "none");

        test_rm_rf(dir);
        return test_done();
}
