/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth run NAME | --file PATH: load and validate the config, then run the launch pipeline in the
 * foreground (what berth@.service runs). Exit status: the payload's, or 125/126/127. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch.h"
#include "load.h"
#include "log.h"
#include "parse-util.h"
#include "state.h"
#include "strv.h"
#include "verbs.h"

static void help(void)
{
        printf("berth run [OPTIONS...] NAME\n"
               "berth run [OPTIONS...] --file PATH\n\n"
               "Run a container in the foreground until its payload exits.\n\n"
               "  -h --help              Show this help\n"
               "     --file=PATH         Run the container described by PATH (NAME.container)\n"
               "     --register=BOOL     Register a scope with systemd (default: yes when run by\n"
               "                         systemd, i.e. $INVOCATION_ID is set)\n\n"
               "Exit status: the payload's (128+N when killed by signal N); 125 when berth failed\n"
               "before the payload started, 126 when Exec= cannot be executed, 127 when it does\n"
               "not exist in the container.\n");
}

static int load(const char *what, ContainerConfig **ret)
{
        _cleanup_strv_free_ char **errors = NULL;
        int r = config_load(what, ret, &errors);
        if (r >= 0) {
                r = config_check_credential_sources(*ret, &errors);
                if (r >= 0) {
                        int k = config_check_device_allow(*ret, &errors);
                        r = k < 0 ? k : r + k;
                }
                if (r > 0)
                        r = -EINVAL;
                if (r < 0)
                        *ret = container_config_free(*ret);
        }
        if (r < 0) {
                STRV_FOREACH (e, errors)
                        log_error("%s", *e);
                if (!errors)
                        log_error_errno(r, "Failed to load container %s: %m", what);
        }
        return r;
}

/* How this run ended, for list and status (state.h). Not over a run that holds the lock now:
 * this one then failed because that one runs. */
static void record_result(const char *state_dir, const char *name, int status, const char *error)
{
        _cleanup_(runtime_state_done) RuntimeState s = {};
        struct timespec ts;
        int r;

        if (state_read(state_dir, name, &s) != -ESRCH)
                return;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = state_write_result(state_dir, name,
                               &(RunResult){ .exit_status = status,
                                             .ended_usec = (uint64_t)ts.tv_sec * 1000000ULL +
                                                           (uint64_t)ts.tv_nsec / 1000ULL,
                                             .error = (char *)error });
        if (r < 0 && r != -ENOENT)
                log_debug_errno(r, "Failed to record how container %s ended: %m", name);
}

/* berth@a\x2db.service (systemd-escape --template) runs `berth run a\x2db`: the instance of
 * berth@.service is the container name as written, and a second unit name for one container
 * would split its service, scope and status. Say which unit to start instead. */
static bool refuse_escaped_name(const char *name)
{
        _cleanup_free_ char *plain = strdup(name);
        size_t j = 0;

        if (!plain || container_name_is_valid(name) || !strstr(name, "\\x"))
                return false;
        for (size_t i = 0; name[i]; i++) {
                unsigned v;
                int n = 0;

                if (name[i] == '\\' && sscanf(name + i, "\\x%2x%n", &v, &n) == 1 && n == 4 && v > 0 &&
                    v < 0x80) {
                        plain[j++] = (char)v;
                        i += 3;
                } else
                        plain[j++] = name[i];
        }
        plain[j] = 0;
        if (!container_name_is_valid(plain))
                return false;
        /* name is printable: name characters and \xNN escapes of them */
        log_error("Invalid container name '%s': an escaped unit instance (systemd-escape). The instance of "
                  "berth@.service is the container name as written: 'systemctl start berth@%s' or "
                  "'berth start %s'.",
                  name, plain, plain);
        return true;
}

int verb_run(int argc, char **argv)
{
        enum { ARG_FILE = 0x100, ARG_REGISTER };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "file", required_argument, NULL, ARG_FILE },
                { "register", required_argument, NULL, ARG_REGISTER },
                {},
        };
        _cleanup_config_ ContainerConfig *config = NULL;
        _cleanup_free_ char *error = NULL;
        const char *file = NULL;
        _cleanup_free_ char *file_path = NULL;
        LaunchOptions o = {
                .state_dir = state_dir_get(),
                .register_scope = !isempty(getenv("INVOCATION_ID")),
                .interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO),
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                case ARG_FILE: file = optarg; break;
                case ARG_REGISTER:
                        r = parse_boolean(optarg);
                        if (r < 0) {
                                log_error("Invalid --register= value: %s", optarg);
                                return EXIT_USAGE;
                        }
                        o.register_scope = r;
                        break;
                default: return EXIT_USAGE;
                }
        if ((file ? 0 : 1) != argc - optind) {
                log_error(file ? "No NAME expected with --file." : "Expected exactly one container NAME.");
                return EXIT_USAGE;
        }
        if (!file && strchr(argv[optind], '/')) {
                log_error("Invalid container name '%s' (use --file for a path).", argv[optind]);
                return EXIT_USAGE;
        }
        if (!file && refuse_escaped_name(argv[optind]))
                return EXIT_USAGE;
        /* Rootless operation would need a different pipeline (no host idmapped mounts, newuidmap). */
        if (geteuid() != 0) {
                log_error("berth run %s: must be run as root (rootless containers are not supported).",
                          file ?: argv[optind]);
                return EXIT_BERTH_FAILED;
        }
        /* A bare "web.container" is a file in the current directory, not a name (as berth verify).
         * A relative path is made absolute: the state records it, and it must not name another
         * file for whoever reads it from another directory. */
        if (file && file[0] != '/') {
                _cleanup_free_ char *cwd = getcwd(NULL, 0);
                if (!cwd || asprintf(&file_path, "%s/%s", cwd, file) < 0) {
                        log_error("Failed to make %s absolute: %m", file);
                        return EXIT_BERTH_FAILED;
                }
                file = file_path;
        }
        if (load(file ?: argv[optind], &config) < 0)
                return EXIT_BERTH_FAILED;

        r = launch_run(config, &o, &error);
        if (error)
                log_error("%s", error);
        record_result(o.state_dir, config->name, r, error);
        return r;
}
