/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .container language: syntax, every key type, defaults, lists and specifiers. */
#include "config-test-util.h"
#include "test.h"
#include <signal.h>

static char *dir;

/* Loads text as DIR/t.container, expecting success. */
static ContainerConfig *load_ok(const char *text)
{
        ContainerConfig *c = NULL;
        char **errors = NULL;
        int r = test_load_n(dir, "t", text, strlen(text), &c, &errors);

        if (r < 0) {
                printf("# config_load failed: %d\n", r);
                STRV_FOREACH (e, errors)
                        printf("#   %s\n", *e);
        }
        strv_free(errors);
        return c;
}

/* Loads text expecting exactly one error line, returned (caller frees); NULL otherwise. */
static char *load_error(const char *text)
{
        ContainerConfig *c = NULL;
        char **errors = NULL, *e = NULL;
        int r = test_load_n(dir, "t", text, strlen(text), &c, &errors);

        if (r == -EINVAL && !c && strv_length(errors) == 1)
                e = strdup(errors[0] + strlen(dir) + 1); /* relative to dir: "t.container:LINE: ..." */
        else {
                printf("# r=%d config=%p errors=%zu\n", r, (void *)c, strv_length(errors));
                STRV_FOREACH (l, errors)
                        printf("#   %s\n", *l);
        }
        container_config_free(c);
        strv_free(errors);
        return e;
}

static void test_defaults(void)
{
        ContainerConfig *c = NULL;
        char **errors = NULL;
        int r = test_load_n(dir, "t", "", 0, &c, &errors);

        CHECK(r == -ERFKILL && c == NULL && strv_length(errors) == 1,
              "an empty main file is masked, not a default config (r=%d)", r);
        errors = strv_free(errors);

        c = load_ok("[Container]\n");
        CHECK(c != NULL, "a file with only [Container] loads");
        if (!c)
                return;
        CHECK_STREQ(c->name, "t", "name comes from the file name");
        CHECK(c->directory == NULL && c->ephemeral && c->read_only,
              "no Directory=: host root, ephemeral and read-only");
        CHECK(strv_length(c->exec) == 1 && streq(c->exec[0], "/bin/sh"), "Exec= defaults to /bin/sh");
        CHECK(c->private_users == PRIVATE_USERS_PICK && c->uid_size == 65536,
              "PrivateUsers=pick by default");
        CHECK(c->private_network, "private network by default");
        CHECK(c->no_new_privileges, "NoNewPrivileges=yes by default");
        CHECK(c->tasks_max == 4096, "TasksMax=4096 by default");
        CHECK_STREQ(c->slice, "machine.slice", "Slice=machine.slice by default");
        CHECK(c->memory_max == CONFIG_UNSET && c->cpu_quota_per_sec_usec == CONFIG_UNSET &&
                      c->timeout_stop_usec == CONFIG_UNSET,
              "resource limits unset by default");
        CHECK(c->capability_add == 0 && c->capability_drop == 0 && !c->syscall_filter,
              "no capability/filter changes");
        container_config_free(c);

        c = load_ok("[Container]\nBoot=yes\n");
        CHECK(c && strv_length(c->exec) == 1 && streq(c->exec[0], "/sbin/init"), "Boot=yes runs /sbin/init");
        container_config_free(c);

        c = load_ok("[Container]\nDirectory=/var/lib/berth/t\n");
        CHECK(c && !c->ephemeral && !c->read_only, "with Directory= the root is persistent and writable");
        container_config_free(c);

        c = load_ok("[Container]\nReadOnly=no\n");
        CHECK(c && c->ephemeral && !c->read_only, "host root may be made writable (still ephemeral)");
        container_config_free(c);
}

static void test_syntax(void)
{
        ContainerConfig *c = load_ok("# comment\n"
                                     "; another comment\n"
                                     "\n"
                                     "[Container]   \n"
                                     "   Hostname  =   box   \n"
                                     "Exec=/bin/echo one \\\n"
                                     "# a comment inside a continued line is skipped\n"
                                     "  two \\\n"
                                     "  three\n"
                                     "[Resources]\n"
                                     "MemoryMax=1G\n"
                                     "[Container]\n"
                                     "User=daemon\n"
                                     "[Resources]\n"
                                     "MemoryMax=2G\n");
        CHECK(c != NULL, "comments, blank lines, trimming, continuation and repeated sections load");
        if (!c)
                return;
        CHECK_STREQ(c->hostname, "box", "whitespace around key and value is trimmed");
        CHECK(strv_length(c->exec) == 4 && streq(c->exec[1], "one") && streq(c->exec[3], "three"),
              "backslash continuation joins lines into one value (%zu words)", strv_length(c->exec));
        CHECK_STREQ(c->user, "daemon", "a repeated [Container] section adds to the first");
        CHECK(c->memory_max == (UINT64_C(2) << 30), "the later of two scalar assignments wins");
        container_config_free(c);

        c = load_ok("[Container]\nExec=/bin/echo a\\\\\nUser=daemon\n");
        CHECK(c && strv_length(c->exec) == 2 && streq(c->exec[1], "a\\") && str_eq(c->user, "daemon"),
              "an escaped backslash at the end of a line does not continue it");
        container_config_free(c);

        c = load_ok("[Container]\nExec=/bin/echo last \\");
        CHECK(c && strv_length(c->exec) == 2, "a continuation at end of file ends the value");
        container_config_free(c);

        c = load_ok("[Container]\r\nHostname=crlf\r\n");
        CHECK(c && str_eq(c->hostname, "crlf"), "CRLF line ends are accepted");
        container_config_free(c);
}

static void test_quoting(void)
{
        ContainerConfig *c =
                load_ok("[Container]\n"
                        "Exec=/bin/sh -c 'echo \"hi there\"; exit 3' \"a b\" c\\ d \"x\\ty\" a\"b c\"d "
                        "'\\x41\\102' \"\"\n"
                        "Environment=A=1 \"B=two words\" 'C=it''s' D=\\\"q\\\"\n"
                        "Environment=A=override E=\n");
        CHECK(c != NULL, "quoted Exec= and Environment= load");
        if (!c)
                return;
        CHECK(strv_length(c->exec) == 9, "nine argv words (%zu)", strv_length(c->exec));
        if (strv_length(c->exec) == 9) {
                CHECK_STREQ(c->exec[2], "echo \"hi there\"; exit 3", "single quotes keep double quotes");
                CHECK_STREQ(c->exec[3], "a b", "double quotes group words");
                CHECK_STREQ(c->exec[4], "c d", "backslash-space joins outside quotes");
                CHECK_STREQ(c->exec[5], "x\ty", "\\t escape inside double quotes");
                CHECK_STREQ(c->exec[6], "ab cd", "quotes may start in the middle of a word");
                CHECK_STREQ(c->exec[7], "AB", "\\x41 and octal \\102 escapes");
                CHECK_STREQ(c->exec[8], "", "\"\" is an empty argument");
        }
        CHECK_STREQ(strv_env_get(c->environment, "A"), "override",
                    "a later Environment= replaces a variable");
        CHECK_STREQ(strv_env_get(c->environment, "B"), "two words", "quoted assignment keeps spaces");
        CHECK_STREQ(strv_env_get(c->environment, "C"), "its", "adjacent quoted parts concatenate");
        CHECK_STREQ(strv_env_get(c->environment, "D"), "\"q\"", "escaped double quotes");
        CHECK_STREQ(strv_env_get(c->environment, "E"), "", "empty value is allowed");
        CHECK(strv_length(c->environment) == 5, "five variables in order of first assignment");
        container_config_free(c);
}

static void test_lists_and_reset(void)
{
        ContainerConfig *c = load_ok("[Container]\n"
                                     "Environment=A=1\n"
                                     "Environment=\n"
                                     "Environment=B=2\n"
                                     "Exec=/bin/true\n"
                                     "Exec=\n"
                                     "Hostname=h\n"
                                     "Hostname=\n"
                                     "[Security]\n"
                                     "SystemCallFilter=@system-service ~@mount\n"
                                     "SystemCallFilter=~ptrace\n"
                                     "Capability=CAP_SYS_TIME\n"
                                     "Capability=\n"
                                     "Capability=net_admin sys_ptrace\n"
                                     "DropCapability=CAP_CHOWN cap_kill\n"
                                     "[Resources]\n"
                                     "TasksMax=10\n"
                                     "TasksMax=\n"
                                     "Slice=foo.slice\n"
                                     "Slice=\n"
                                     "[Files]\n"
                                     "Bind=/srv/a\n"
                                     "Bind=\n"
                                     "Bind=/srv/b:/b\n"
                                     "BindReadOnly=/srv/c:/c:norbind /srv/d:/d:idmap\n"
                                     "TemporaryFileSystem=/x\n"
                                     "TemporaryFileSystem=\n"
                                     "TemporaryFileSystem=/tmp:mode=1777,size=10% /var/tmp\n"
                                     "[Install]\n"
                                     "WantedBy=machines.target\n"
                                     "WantedBy=multi-user.target machines.target\n");
        CHECK(c != NULL, "list keys with resets load");
        if (!c)
                return;
        CHECK(strv_length(c->environment) == 1 && streq(c->environment[0], "B=2"),
              "empty Environment= resets the list");
        CHECK(strv_length(c->exec) == 1 && streq(c->exec[0], "/bin/sh"), "empty Exec= restores the default");
        CHECK(c->hostname == NULL, "empty Hostname= resets to the default");
        CHECK(strv_length(c->syscall_filter) == 3 && streq(c->syscall_filter[0], "@system-service") &&
                      streq(c->syscall_filter[1], "~@mount") && streq(c->syscall_filter[2], "~ptrace"),
              "SystemCallFilter= accumulates in file order");
        CHECK(c->capability_add == ((UINT64_C(1) << 12) | (UINT64_C(1) << 19)),
              "Capability= accumulates after reset (NET_ADMIN|SYS_PTRACE = %#llx)",
              (unsigned long long)c->capability_add);
        CHECK(c->capability_drop == ((UINT64_C(1) << 0) | (UINT64_C(1) << 5)), "DropCapability= CHOWN|KILL");
        CHECK(c->tasks_max == 4096, "empty TasksMax= restores 4096");
        CHECK_STREQ(c->slice, "machine.slice", "empty Slice= restores machine.slice");
        CHECK(c->n_binds == 3, "empty Bind= resets binds (%zu left)", c->n_binds);
        if (c->n_binds == 3) {
                CHECK(streq(c->binds[0].source, "/srv/b") && streq(c->binds[0].target, "/b") &&
                              !c->binds[0].read_only && c->binds[0].recursive && !c->binds[0].idmap,
                      "Bind=/srv/b:/b is a writable recursive bind");
                CHECK(c->binds[1].read_only && !c->binds[1].recursive, "BindReadOnly= with norbind");
                CHECK(c->binds[2].read_only && c->binds[2].idmap && c->binds[2].recursive,
                      "BindReadOnly= with idmap");
        }
        CHECK(c->n_tmpfs == 2 && streq(c->tmpfs[0].target, "/tmp") &&
                      str_eq(c->tmpfs[0].options, "mode=1777,size=10%") && c->tmpfs[1].options == NULL,
              "TemporaryFileSystem= after reset");
        CHECK(strv_length(c->wanted_by) == 2 && streq(c->wanted_by[1], "multi-user.target"),
              "WantedBy= accumulates without duplicates");
        container_config_free(c);
}

static void test_scalar_reset(void)
{
        ContainerConfig *c = load_ok("[Container]\n"
                                     "Directory=/srv/t\nDirectory=\n"
                                     "User=daemon\nUser=\n"
                                     "Notify=yes\nNotify=\n"
                                     "TimeoutStopSec=5s\nTimeoutStopSec=\n"
                                     "[Resources]\n"
                                     "MemoryMax=1G\nMemoryMax=\n"
                                     "CPUQuota=50%\nCPUQuota=\n"
                                     "AllowedCPUs=0\nAllowedCPUs=\n"
                                     "[Security]\n"
                                     "PrivateUsers=identity\nPrivateUsers=\n"
                                     "NoNewPrivileges=no\nNoNewPrivileges=\n"
                                     "DropCapability=CAP_KILL\nDropCapability=\n"
                                     "[Network]\n"
                                     "Private=no\nPrivate=\n");
        CHECK(c != NULL, "empty assignments of scalars load");
        if (!c)
                return;
        CHECK(c->directory == NULL && c->ephemeral && c->read_only,
              "Directory= restores the host-root default");
        CHECK(c->user == NULL && !c->notify_ready && c->timeout_stop_usec == CONFIG_UNSET,
              "User=, Notify=, TimeoutStopSec= restore defaults");
        CHECK(c->memory_max == CONFIG_UNSET && c->cpu_quota_per_sec_usec == CONFIG_UNSET && !c->allowed_cpus,
              "MemoryMax=, CPUQuota=, AllowedCPUs= restore unset");
        CHECK(c->private_users == PRIVATE_USERS_PICK, "PrivateUsers= restores pick");
        CHECK(c->no_new_privileges, "NoNewPrivileges= restores yes");
        CHECK(c->capability_drop == 0, "DropCapability= clears the mask");
        CHECK(c->private_network, "Private= restores yes");
        container_config_free(c);
}

static void test_types(void)
{
        ContainerConfig *c = load_ok("[Container]\n"
                                     "Directory=//var/lib//berth/./t/\n"
                                     "User=1000\n"
                                     "WorkingDirectory=/srv\n"
                                     "Boot=no\n"
                                     "Ephemeral=on\n"
                                     "ReadOnly=1\n"
                                     "Notify=TRUE\n"
                                     "TimeoutStopSec=1min 30s\n"
                                     "[Resources]\n"
                                     "MemoryMax=512M\n"
                                     "MemoryHigh=infinity\n"
                                     "CPUQuota=150%\n"
                                     "CPUWeight=100\n"
                                     "IOWeight=10000\n"
                                     "TasksMax=infinity\n"
                                     "AllowedCPUs=0-1, 3 5-5\n"
                                     "Slice=machine-web.slice\n"
                                     "[Security]\n"
                                     "PrivateUsers=0x00090000:1000\n"
                                     "NoNewPrivileges=off\n"
                                     "SELinuxType=spc_t\n"
                                     "[Network]\n"
                                     "Private=false\n");
        CHECK(c != NULL, "every scalar type loads");
        if (!c)
                return;
        CHECK_STREQ(c->directory, "/var/lib/berth/t", "Directory= is normalized");
        CHECK_STREQ(c->user, "1000", "numeric User=");
        CHECK(c->ephemeral && c->read_only && c->notify_ready && !c->boot, "booleans on/1/TRUE/no");
        CHECK(c->timeout_stop_usec == 90 * UINT64_C(1000000), "TimeoutStopSec=1min 30s is 90s");
        CHECK(c->memory_max == 512 * UINT64_C(1024 * 1024), "MemoryMax=512M uses base 1024");
        CHECK(c->memory_high == CONFIG_SIZE_INFINITY, "MemoryHigh=infinity");
        CHECK(c->cpu_quota_per_sec_usec == 1500000, "CPUQuota=150%% is 1.5s per second");
        CHECK(c->cpu_weight == 100 && c->io_weight == 10000, "weights");
        CHECK(c->tasks_max == CONFIG_SIZE_INFINITY, "TasksMax=infinity");
        CHECK_STREQ(c->allowed_cpus, "0-1,3,5", "AllowedCPUs= normalized");
        CHECK_STREQ(c->slice, "machine-web.slice", "Slice=");
        CHECK(c->private_users == PRIVATE_USERS_FIXED && c->uid_base == 0x90000 && c->uid_size == 1000,
              "PrivateUsers=BASE:SIZE");
        CHECK(!c->no_new_privileges && !c->private_network, "NoNewPrivileges=off, Private=false");
        CHECK_STREQ(c->selinux_type, "spc_t", "SELinuxType=");
        container_config_free(c);

        static const struct {
                const char *text;
                uint64_t usec;
        } spans[] = {
                { "90", 90000000 },   { "90s", 90000000 },        { "500ms", 500000 },
                { "2h", 7200000000 }, { "1m", 60000000 },         { "1 min 5 sec", 65000000 },
                { "0", 0 },           { "infinity", UINT64_MAX }, { "10us", 10 },
        };
        for (size_t i = 0; i < ELEMENTSOF(spans); i++) {
                char text[128];
                snprintf(text, sizeof(text), "[Container]\nTimeoutStopSec=%s\n", spans[i].text);
                c = load_ok(text);
                CHECK(c && c->timeout_stop_usec == spans[i].usec, "TimeoutStopSec=%s", spans[i].text);
                container_config_free(c);
        }
        static const struct {
                const char *text;
                int sig;
                char rt; /* sig counts from SIGRTMIN ('+') or back from SIGRTMAX ('-'), not constants */
        } signals[] = {
                { "SIGINT", SIGINT, 0 },
                { "TERM", SIGTERM, 0 },
                { "SIGRTMIN+3", 3, '+' },
                { "RTMAX-1", 1, '-' },
                { "10", SIGUSR1, 0 },
                { "SIGKILL", SIGKILL, 0 },
                { "", 0, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(signals); i++) {
                char text[128];
                int want = signals[i].rt == '+'   ? SIGRTMIN + signals[i].sig
                           : signals[i].rt == '-' ? SIGRTMAX - signals[i].sig
                                                  : signals[i].sig;

                snprintf(text, sizeof(text), "[Container]\nKillSignal=%s\n", signals[i].text);
                c = load_ok(text);
                CHECK(c && c->kill_signal == want, "KillSignal=%s is %d", signals[i].text, want);
                container_config_free(c);
        }
        static const struct {
                const char *text;
                uint64_t bytes;
        } sizes[] = { { "0", 0 },
                      { "1024", 1024 },
                      { "1K", 1024 },
                      { "3G", UINT64_C(3) << 30 },
                      { "2T", UINT64_C(2) << 40 } };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                char text[128];
                snprintf(text, sizeof(text), "[Resources]\nMemoryMax=%s\n", sizes[i].text);
                c = load_ok(text);
                CHECK(c && c->memory_max == sizes[i].bytes, "MemoryMax=%s", sizes[i].text);
                container_config_free(c);
        }
        static const char *const bools_yes[] = { "yes", "true", "on", "1", "Yes" };
        static const char *const bools_no[] = { "no", "false", "off", "0", "NO" };
        for (size_t i = 0; i < ELEMENTSOF(bools_yes); i++) {
                char text[128];
                snprintf(text, sizeof(text), "[Container]\nNotify=%s\n[Network]\nPrivate=%s\n", bools_yes[i],
                         bools_no[i]);
                c = load_ok(text);
                CHECK(c && c->notify_ready && !c->private_network, "booleans %s/%s", bools_yes[i],
                      bools_no[i]);
                container_config_free(c);
        }
        static const struct {
                const char *text;
                PrivateUsersMode mode;
        } pu[] = { { "pick", PRIVATE_USERS_PICK },         { "yes", PRIVATE_USERS_PICK },
                   { "identity", PRIVATE_USERS_IDENTITY }, { "no", PRIVATE_USERS_NO },
                   { "524288", PRIVATE_USERS_FIXED },      { "0x6FFF0000", PRIVATE_USERS_FIXED } };
        for (size_t i = 0; i < ELEMENTSOF(pu); i++) {
                char text[128];
                snprintf(text, sizeof(text), "[Security]\nPrivateUsers=%s\n", pu[i].text);
                c = load_ok(text);
                CHECK(c && c->private_users == pu[i].mode, "PrivateUsers=%s", pu[i].text);
                container_config_free(c);
        }
        c = load_ok("[Resources]\nCPUQuota=12.5%\n");
        CHECK(c && c->cpu_quota_per_sec_usec == 125000, "CPUQuota=12.5%%");
        container_config_free(c);
        c = load_ok("[Security]\nCapability=all\n");
        CHECK(c && (c->capability_add & (UINT64_C(1) << 21)) && (c->capability_add & 1), "Capability=all");
        container_config_free(c);
        c = load_ok("[Security]\nSELinuxLabel=system_u:system_r:container_t:s0:c1,c2\n");
        CHECK(c && str_eq(c->selinux_label, "system_u:system_r:container_t:s0:c1,c2"), "SELinuxLabel=");
        container_config_free(c);
}

static void test_specifiers(void)
{
        ContainerConfig *c = load_ok("[Container]\n"
                                     "Directory=/var/lib/berth/%i\n"
                                     "Hostname=%i-host\n"
                                     "Exec=/bin/echo 100%% %i\n"
                                     "Environment=NAME=%i\n"
                                     "[Files]\n"
                                     "Bind=/srv/%i:/data\n");
        CHECK(c != NULL, "specifiers load");
        if (!c)
                return;
        CHECK_STREQ(c->directory, "/var/lib/berth/t", "%%i in Directory=");
        CHECK_STREQ(c->hostname, "t-host", "%%i in Hostname=");
        CHECK(strv_length(c->exec) == 3 && streq(c->exec[1], "100%") && streq(c->exec[2], "t"),
              "%%%% and %%i in Exec=");
        CHECK_STREQ(strv_env_get(c->environment, "NAME"), "t", "%%i in Environment=");
        CHECK(c->n_binds == 1 && streq(c->binds[0].source, "/srv/t"), "%%i in Bind=");
        container_config_free(c);

        char *e = load_error("[Container]\nHostname=%n\n");
        CHECK_STREQ(e,
                    "t.container:2: [Container] Hostname=%n: unknown specifier \"%n\" (expected %i for the "
                    "container name or %% for a literal %)",
                    "unknown specifier");
        free(e);
}

static void test_names(void)
{
        static const char *const good[] = { "web", "a", "web-1", "web.example", "0abc", "A-Z" };
        static const char *const bad[] = {
                "",     "-web",
                ".web", "web.",
                "a..b", "a/b",
                "..",   "uid",
                "mcs",  "seccomp",
                "a b",  "wéb",
                "a_b",  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        };
        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                CHECK(container_name_is_valid(good[i]), "\"%s\" is a valid name", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                CHECK(!container_name_is_valid(bad[i]), "\"%s\" is refused", bad[i]);
        CHECK(container_name_is_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") ==
                      false,
              "64 chars of one label exceed the 63-char label limit");
        CHECK(container_name_is_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
              "64 chars in two labels are fine");
}

/* LoadCredential=, SetCredential=, ImportCredential= (issue 19): parsed in order, each list reset
 * by its own empty assignment, and a SetCredential= value never in an error line. */
static void test_credentials(void)
{
        _cleanup_free_ char *text = NULL, *e = NULL;
        ContainerConfig *c;

        if (asprintf(&text,
                     "[Container]\nLoadCredential=a:%s\nSetCredential=b:v al:ue\nImportCredential=db.*\n"
                     "ImportCredential=db.*\nSetCredential=c:\n",
                     dir) < 0)
                return;
        c = load_ok(text);
        CHECK(c && c->n_credentials == 3, "three credentials");
        if (c && c->n_credentials == 3) {
                CHECK(streq(c->credentials[0].id, "a") && streq(c->credentials[0].path, dir) &&
                              !c->credentials[0].value,
                      "LoadCredential=a:DIR: a path");
                CHECK(streq(c->credentials[1].id, "b") && streq(c->credentials[1].value, "v al:ue") &&
                              !c->credentials[1].path,
                      "SetCredential=b:v al:ue: the value after the first ':', literally");
                CHECK(streq(c->credentials[2].value, ""), "SetCredential=c: an empty value");
                CHECK(strv_length(c->import_credentials) == 1 && streq(c->import_credentials[0], "db.*"),
                      "ImportCredential= once per glob");
                CHECK(config_has_credentials(c), "config_has_credentials()");
        }
        container_config_free(c);
        free(text);
        text = NULL;
        if (asprintf(&text,
                     "[Container]\nLoadCredential=a:%s\nSetCredential=b:x\nSetCredential=\n"
                     "SetCredential=a2:y\nLoadCredential=\nLoadCredential=b:%s\n",
                     dir, dir) < 0)
                return;
        c = load_ok(text);
        CHECK(c && c->n_credentials == 2 && streq(c->credentials[0].id, "a2") &&
                      streq(c->credentials[1].id, "b"),
              "an empty SetCredential= or LoadCredential= resets only its own list (then b is free again)");
        container_config_free(c);
        c = load_ok("[Container]\nImportCredential=x\nImportCredential=\n");
        CHECK(c && !config_has_credentials(c), "an empty ImportCredential= resets the list");
        container_config_free(c);
        e = load_error("[Container]\nSetCredential=t:hunter2\nSetCredential=t:hunter3\n");
        CHECK(e && !strstr(e, "hunter"), "a duplicate SetCredential= error shows no value: %s", strna(e));
}

/* DeviceAllow= (issue 21): access defaults to rwm, a repeated device adds its access, an empty
 * assignment resets the list; groups and paths below /dev are kept as written (normalized). */
static void test_device_allow(void)
{
        ContainerConfig *c = load_ok("[Security]\nDeviceAllow=/dev/fuse\nDeviceAllow=char-drm r\n"
                                     "DeviceAllow=//dev/./kmsg w\nDeviceAllow=char-drm m\n");

        CHECK(c && c->n_device_allow == 3, "three devices");
        if (c && c->n_device_allow == 3) {
                CHECK(streq(c->device_allow[0].device, "/dev/fuse") &&
                              streq(c->device_allow[0].access, "rwm"),
                      "no access given: rwm, as systemd");
                CHECK(streq(c->device_allow[1].device, "char-drm") &&
                              streq(c->device_allow[1].access, "rm") &&
                              device_allow_is_group(&c->device_allow[1]),
                      "a group given twice: the union of its accesses, in rwm order");
                CHECK(streq(c->device_allow[2].device, "/dev/kmsg") &&
                              streq(c->device_allow[2].access, "w") &&
                              !device_allow_is_group(&c->device_allow[2]),
                      "a path normalized");
        }
        container_config_free(c);
        c = load_ok("[Security]\nDeviceAllow=/dev/fuse\nDeviceAllow=\nDeviceAllow=block-loop r\n");
        CHECK(c && c->n_device_allow == 1 && streq(c->device_allow[0].device, "block-loop"),
              "an empty DeviceAllow= resets the list");
        container_config_free(c);
        c = load_ok("[Security]\n");
        CHECK(c && c->n_device_allow == 0, "no DeviceAllow= by default");
        container_config_free(c);
}

/* Boot=yes waits for the init's READY=1 unless Notify=no says it never comes (issue 21). */
static void test_boot_notify(void)
{
        ContainerConfig *c = load_ok("[Container]\nBoot=yes\n");
        CHECK(c && c->notify_ready, "Boot=yes: ready when the init says so");
        container_config_free(c);
        c = load_ok("[Container]\nBoot=yes\nNotify=no\n");
        CHECK(c && c->boot && !c->notify_ready, "Boot=yes with Notify=no: ready once it runs");
        container_config_free(c);
        c = load_ok("[Container]\nNotify=no\nBoot=yes\nNotify=\n");
        CHECK(c && c->notify_ready, "an empty Notify= restores the Boot=yes default");
        container_config_free(c);
        c = load_ok("[Container]\nNotify=no\n");
        CHECK(c && !c->notify_ready, "Notify=no without Boot=: ready once it runs");
        container_config_free(c);
}

int main(void)
{
        dir = test_tmpdir();
        test_defaults();
        test_syntax();
        test_quoting();
        test_lists_and_reset();
        test_scalar_reset();
        test_types();
        test_specifiers();
        test_names();
        test_credentials();
        test_device_allow();
        test_boot_notify();
        test_rm_rf(dir);
        free(dir);
        return test_done();
}
