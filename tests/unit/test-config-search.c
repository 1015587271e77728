/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a container's files come from: search path, precedence, masking, drop-ins. */
#include "config-test-util.h"
#include "test.h"

static char *root, *etc, *run, *lib;

static void set_path(void)
{
        char p[4096];
        snprintf(p, sizeof(p), "%s:%s:%s", etc, run, lib);
        setenv("BERTH_CONFIG_PATH", p, 1);
}

static char *sub(const char *name)
{
        char *p;
        if (asprintf(&p, "%s/%s", root, name) < 0 || mkdir(p, 0755) < 0)
                exit(99);
        return p;
}

static ContainerConfig *load(const char *name, int *ret_r, char ***ret_errors)
{
        ContainerConfig *c = NULL;
        *ret_r = config_load(name, &c, ret_errors);
        return c;
}

static void test_search_path(void)
{
        char **l = NULL;

        unsetenv("BERTH_CONFIG_PATH");
        CHECK(config_search_path(&l) == 0 && strv_length(l) == 3 && streq(l[0], "/etc/berth") &&
                      streq(l[1], "/run/berth") && streq(l[2], "/usr/lib/berth"),
              "default search path is /etc/berth:/run/berth:/usr/lib/berth");
        l = strv_free(l);
        setenv("BERTH_CONFIG_PATH", "/a::/b:", 1);
        CHECK(config_search_path(&l) == 0 && strv_length(l) == 2 && streq(l[0], "/a") && streq(l[1], "/b"),
              "$BERTH_CONFIG_PATH is split at ':' and empty entries are skipped");
        l = strv_free(l);
        set_path();
}

static void test_precedence(void)
{
        ContainerConfig *c;
        char **errors = NULL;
        int r;

        test_write(lib, "web.container", "[Container]\nHostname=from-lib\n");
        c = load("web", &r, &errors);
        CHECK(c && str_eq(c->hostname, "from-lib"), "found in the lowest-priority dir");
        container_config_free(c);

        test_write(run, "web.container", "[Container]\nHostname=from-run\n");
        c = load("web", &r, &errors);
        CHECK(c && str_eq(c->hostname, "from-run"), "/run beats /usr/lib");
        container_config_free(c);

        test_write(etc, "web.container", "[Container]\nHostname=from-etc\n");
        c = load("web", &r, &errors);
        CHECK(c && str_eq(c->hostname, "from-etc"), "/etc beats /run");
        CHECK(c && c->path && strncmp(c->path, etc, strlen(etc)) == 0, "config->path is the /etc file");
        container_config_free(c);

        /* The whole file wins, keys are not merged across directories. */
        test_write(lib, "web.container", "[Container]\nHostname=from-lib\nUser=libuser\n");
        c = load("web", &r, &errors);
        CHECK(c && c->user == NULL, "keys of a shadowed lower-priority file are not merged");
        container_config_free(c);

        test_write(etc, "web.container", "");
        c = load("web", &r, &errors);
        CHECK(!c && r == -ERFKILL && strv_length(errors) == 1, "an empty file in /etc masks (r=%d)", r);
        if (errors) {
                char expected[4500];
                snprintf(expected, sizeof(expected),
                         "%s/web.container: container web is masked (the file is empty or a symlink to "
                         "/dev/null)",
                         etc);
                CHECK_STREQ(errors[0], expected, "masked: exact error line");
        }
        errors = strv_free(errors);

        char p[4096];
        snprintf(p, sizeof(p), "%s/web.container", etc);
        unlink(p);
        CHECK(symlink("/dev/null", p) == 0, "symlink to /dev/null created");
        c = load("web", &r, &errors);
        CHECK(!c && r == -ERFKILL, "a symlink to /dev/null in /etc masks the files in /run and /usr/lib");
        errors = strv_free(errors);
        unlink(p);

        c = load("nothere", &r, &errors);
        CHECK(!c && r == -ENOENT, "missing container is -ENOENT");
        if (errors) {
                char expected[8192];
                snprintf(expected, sizeof(expected),
                         "nothere: no such container (looked for nothere.container in %s:%s:%s)", etc, run,
                         lib);
                CHECK_STREQ(errors[0], expected, "missing container: error says where it looked");
        }
        errors = strv_free(errors);

        snprintf(p, sizeof(p), "%s/dir.container", etc);
        mkdir(p, 0755);
        c = load("dir", &r, &errors);
        CHECK(!c && r == -EINVAL, "a directory named NAME.container is refused");
        if (errors) {
                char expected[4500];
                snprintf(expected, sizeof(expected), "%s: not a regular file (expected a text file)", p);
                CHECK_STREQ(errors[0], expected, "directory: exact error line");
        }
        errors = strv_free(errors);
}

static void test_dropins(void)
{
        ContainerConfig *c;
        char **errors = NULL;
        int r;

        test_write(run, "db.container",
                   "[Container]\nHostname=base\nEnvironment=A=1\n[Resources]\nTasksMax=10\n");
        test_write(lib, "db.container.d/10-a.conf", "[Container]\nHostname=lib-10\nEnvironment=B=2\n");
        test_write(etc, "db.container.d/20-b.conf", "[Container]\nHostname=etc-20\n");
        test_write(run, "db.container.d/15-c.conf", "[Resources]\nTasksMax=15\n");
        test_write(lib, "db.container.d/30-d.conf", "[Container]\nHostname=lib-30\n");
        test_write(lib, "db.container.d/not-a-dropin.txt", "[Bogus]\n");
        c = load("db", &r, &errors);
        CHECK(c != NULL, "drop-ins from all three dirs load (r=%d)", r);
        STRV_FOREACH (e, errors)
                printf("# %s\n", *e);
        errors = strv_free(errors);
        if (c) {
                CHECK(str_eq(c->hostname, "lib-30"),
                      "drop-ins apply in lexical order of file name across dirs");
                CHECK(c->tasks_max == 15, "a drop-in in /run applies to a main file in /run");
                CHECK(str_eq(strv_env_get(c->environment, "A"), "1") &&
                              str_eq(strv_env_get(c->environment, "B"), "2"),
                      "list keys accumulate across main file and drop-ins");
                CHECK(strv_length(c->dropins) == 4, "four drop-ins applied, the .txt ignored (%zu)",
                      strv_length(c->dropins));
                if (strv_length(c->dropins) == 4)
                        CHECK(strstr(c->dropins[0], "/10-a.conf") && strstr(c->dropins[1], "/15-c.conf") &&
                                      strstr(c->dropins[2], "/20-b.conf") &&
                                      strstr(c->dropins[3], "/30-d.conf"),
                              "config->dropins lists them in application order");
        }
        container_config_free(c);

        /* Same file name in a higher-priority dir replaces the lower one entirely. */
        test_write(etc, "db.container.d/30-d.conf", "[Resources]\nTasksMax=30\n");
        c = load("db", &r, &errors);
        CHECK(c && str_eq(c->hostname, "etc-20") && c->tasks_max == 30,
              "/etc/NAME.container.d/30-d.conf overrides the /usr/lib one of the same name");
        container_config_free(c);
        errors = strv_free(errors);

        /* An empty same-named drop-in masks the lower one. */
        test_write(etc, "db.container.d/30-d.conf", "");
        c = load("db", &r, &errors);
        CHECK(c && str_eq(c->hostname, "etc-20") && c->tasks_max == 15 && strv_length(c->dropins) == 3,
              "an empty drop-in masks the same-named lower one");
        container_config_free(c);
        errors = strv_free(errors);

        /* Reset in a drop-in. */
        test_write(etc, "db.container.d/40-reset.conf", "[Container]\nEnvironment=\nEnvironment=C=3\n");
        c = load("db", &r, &errors);
        CHECK(c && strv_length(c->environment) == 1 && str_eq(c->environment[0], "C=3"),
              "an empty assignment in a drop-in resets the list of the main file");
        container_config_free(c);
        errors = strv_free(errors);

        /* Errors in drop-ins name the drop-in file. */
        test_write(etc, "db.container.d/50-bad.conf", "[Resources]\nTasksMax=lots\n");
        c = load("db", &r, &errors);
        CHECK(!c && r == -EINVAL && strv_length(errors) == 1, "a bad drop-in fails the container");
        if (errors) {
                char expected[4500];
                snprintf(expected, sizeof(expected),
                         "%s/db.container.d/50-bad.conf:2: [Resources] TasksMax=lots: invalid task limit "
                         "(expected a "
                         "positive integer or \"infinity\")",
                         etc);
                CHECK_STREQ(errors[0], expected, "drop-in error names the drop-in file and line");
        }
        errors = strv_free(errors);

        /* A drop-in must open its own section. */
        test_write(etc, "db.container.d/50-bad.conf", "TasksMax=5\n");
        c = load("db", &r, &errors);
        CHECK(!c && r == -EINVAL && errors &&
                      strstr(errors[0], "50-bad.conf:1: TasksMax=5: assignment outside"),
              "sections do not carry over from the main file into a drop-in");
        errors = strv_free(errors);
}

static void test_path_mode(void)
{
        ContainerConfig *c;
        char **errors = NULL, path[4096];
        int r;

        test_write(root, "files/app.container", "[Container]\nHostname=file\n");
        test_write(root, "files/app.container.d/x.conf", "[Container]\nHostname=dropin\n");
        test_write(etc, "app.container.d/y.conf", "[Container]\nUser=nobody\n");
        snprintf(path, sizeof(path), "%s/files/app.container", root);
        c = load(path, &r, &errors);
        CHECK(c && str_eq(c->name, "app") && str_eq(c->hostname, "dropin") && c->user == NULL,
              "a path loads that file with PATH.d/ drop-ins only, not the search path's");
        container_config_free(c);
        errors = strv_free(errors);

        snprintf(path, sizeof(path), "%s/files/none.container", root);
        c = load(path, &r, &errors);
        CHECK(!c && r == -ENOENT, "missing file by path is -ENOENT");
        errors = strv_free(errors);
}

static void test_list(void)
{
        char **names = NULL, **invalid = NULL;

        test_write(lib, "zeta.container", "[Container]\n");
        test_write(lib, "bad_name.container", "[Container]\n");
        CHECK(config_list_names(&names, &invalid) == 0, "names listed");
        CHECK(strv_length(names) == 3 && str_eq(names[0], "db") && str_eq(names[1], "web") &&
                      str_eq(names[2], "zeta"),
              "every name once, sorted, directories named *.container skipped (%zu)", strv_length(names));
        CHECK(strv_length(invalid) == 1 && strstr(invalid[0], "bad_name.container"),
              "files with invalid names are reported separately");
        strv_free(names);
        strv_free(invalid);
}

int main(void)
{
        root = test_tmpdir();
        etc = sub("etc");
        run = sub("run");
        lib = sub("lib");
        test_search_path();
        test_precedence();
        test_dropins();
        test_path_mode();
        test_list();
        test_rm_rf(root);
        return test_done();
}
