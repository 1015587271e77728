/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth start|stop|restart NAME...: systemd jobs on berth@NAME.service, waited for like systemctl. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "exit-status.h"
#include "job.h"
#include "load.h"
#include "log.h"
#include "polkit-agent.h"
#include "sd-lib.h"
#include "strv.h"
#include "verbs.h"

typedef struct StartVerb {
        const char *verb;
        const char *method;
        const char *doing;
} StartVerb;

static const StartVerb start_verbs[] = {
        { "start", "StartUnit", "Starts" },
        { "stop", "StopUnit", "Stops" },
        { "restart", "RestartUnit", "Restarts" },
        { "reload", "ReloadUnit", "Reloads" },
};

static void help(const StartVerb *v)
{
        printf("berth %s [OPTIONS...] NAME...\n\n"
               "%s the containers' services, berth@NAME.service, through systemd (the same job as\n"
               "'systemctl %s berth@NAME'), and waits until each job has finished. A container that\n"
               "fails to start is reported with systemd's reason; its log says why\n"
               "('berth logs NAME', 'berth status NAME').\n\n"
               "A user whom polkit lets do this after authenticating is asked for the password, as\n"
               "systemctl asks: on a terminal through polkit's text agent (pkttyagent).\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "     --no-block         Enqueue the jobs and return without waiting for them\n"
               "     --no-ask-password  Do not ask for a password: fail when polkit wants one\n\n"
               "Exit status: 0 when every job succeeded, 1 when one failed, 2 on a bad command line.\n",
               v->verb, v->doing, v->verb);
}

static void polkit_agentp(pid_t *pid)
{
        polkit_agent_close(*pid);
}

int verb_start(int argc, char **argv)
{
        enum { ARG_NO_BLOCK = 0x100, ARG_NO_ASK_PASSWORD };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "no-block", no_argument, NULL, ARG_NO_BLOCK },
                { "no-ask-password", no_argument, NULL, ARG_NO_ASK_PASSWORD },
                {},
        };
        _cleanup_(bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(job_wait_freep) JobWait *w = NULL;
        _cleanup_strv_free_ char **units = NULL, **jobs = NULL;
        _cleanup_free_ char *dlerr = NULL;
        const StartVerb *v = NULL;
        _cleanup_(polkit_agentp) pid_t agent = 0;
        bool block = true, ask_password = true;
        int c, r, ret = EXIT_OK;

        for (size_t i = 0; i < ELEMENTSOF(start_verbs); i++)
                if (streq(argv[0], start_verbs[i].verb))
                        v = &start_verbs[i];
        if (!v)
                return EXIT_USAGE;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(v); return EXIT_OK;
                case ARG_NO_BLOCK: block = false; break;
                case ARG_NO_ASK_PASSWORD: ask_password = false; break;
                default: return EXIT_USAGE;
                }
        if (optind >= argc) {
                log_error("'berth %s' needs at least one container name.", v->verb);
                return EXIT_USAGE;
        }
        for (int i = optind; i < argc; i++) {
                char *unit;
                if (!container_name_is_valid(argv[i])) {
                        log_error("Invalid container name '%s'.", argv[i]);
                        return EXIT_USAGE;
                }
                if (asprintf(&unit, "berth@%s.service", argv[i]) < 0 || strv_consume(&units, unit) < 0)
                        return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        }

        r = sd_lib_load(&dlerr, "'berth %s'", v->verb);
        if (r < 0) {
                log_error("%s", strna(dlerr));
                return EXIT_FAILURE_GENERIC;
        }
        r = sym_sd_bus_open_system(&bus);
        if (r < 0) {
                log_error_errno(r, "Failed to connect to the system bus: %m");
                return EXIT_FAILURE_GENERIC;
        }
        /* Like systemctl: systemd may let polkit ask the caller to authenticate, through the
         * text agent on a terminal (or a graphical agent of the session). */
        r = sym_sd_bus_set_allow_interactive_authorization(bus, ask_password);
        if (r < 0) {
                log_error_errno(r, "Failed to allow interactive authorization: %m");
                return EXIT_FAILURE_GENERIC;
        }
        if (ask_password) {
                r = polkit_agent_open(&agent);
                if (r < 0)
                        log_warning_errno(r, "Failed to start the polkit agent %s, continuing without: %m",
                                          POLKIT_AGENT_BINARY_PATH);
        }
        if (block) {
                r = job_wait_new(bus, &w);
                if (r < 0) {
                        log_error_errno(r, "Failed to subscribe to systemd's job signals: %m");
                        return EXIT_FAILURE_GENERIC;
                }
        }

        STRV_FOREACH (u, units) {
                _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_(bus_message_unrefp) sd_bus_message *reply = NULL;
                const char *job;

                r = sym_sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                           "org.freedesktop.systemd1.Manager", v->method, &error, &reply,
                                           "ss", *u, "replace");
                if (r >= 0)
                        r = sym_sd_bus_message_read(reply, "o", &job);
                if (r < 0) {
                        log_error("Failed to %s %s: %s", v->verb, *u,
                                  error.message ? error.message : strerror(-r));
                        ret = EXIT_FAILURE_GENERIC;
                        r = strv_extend(&jobs, "");
                } else
                        r = strv_extend(&jobs, job);
                if (r < 0)
                        return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        }
        if (!block)
                return ret;

        for (size_t i = 0; units[i]; i++) {
                _cleanup_free_ char *result = NULL, *msg = NULL;

                if (isempty(jobs[i]))
                        continue;
                r = job_wait_for(w, jobs[i], 0, &result);
                if (r < 0) {
                        log_error_errno(r, "Failed to wait for the %s job of %s: %m", v->verb, units[i]);
                        ret = EXIT_FAILURE_GENERIC;
                        continue;
                }
                if (streq(result, "done") || (streq(result, "skipped") && streq(v->verb, "stop")))
                        continue;
                r = job_result_message(bus, units[i], result, &msg);
                log_error("%s", r < 0 ? "Out of memory." : msg);
                ret = EXIT_FAILURE_GENERIC;
        }
        return ret;
}
