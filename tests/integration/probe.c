/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe: statically linked, copied into the test root; reports one fact from inside a container
 * per invocation, on one line, so tests compare it with what the host expects.
 *   probe pid | hostname | procs | fds | ifaces | uid | cwd | env | tty
 *   probe stat|read|write|mkdir|ls PATH    (result, or the errno name such as EROFS, ENOENT)
 *   probe exit N | segv | wait-signal | sleep SECONDS
 *   probe notify STATE                     (a datagram to $NOTIFY_SOCKET, as sd_notify sends)
 *   probe notify-flood N                   (N processes send STATUS= datagrams to $NOTIFY_SOCKET
 *                                           without pause; exits 0 on SIGTERM) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_num(const void *a, const void *b)
{
        return atoi(*(char *const *)a) - atoi(*(char *const *)b);
}

static int fail(void)
{
        const char *n = strerrorname_np(errno);
        printf("%s\n", n ? n : "E?");
        return 1;
}

static void print_sorted(char **names, size_t n, int numeric)
{
        qsort(names, n, sizeof(char *), numeric ? cmp_num : cmp);
        for (size_t i = 0; i < n; i++)
                printf("%s%s", i ? " " : "", names[i]);
        printf("\n");
}

/* Sorted entries of dir (without . and ..), space-separated; numeric only for /proc. */
static int list(const char *dir, int numeric, int skip_own_fd)
{
        static char *names[8192];
        size_t n = 0;
        struct dirent *de;
        DIR *d = opendir(dir);

        if (!d)
                return fail();
        while ((de = readdir(d)) && n < 8192) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (numeric && strspn(de->d_name, "0123456789") != strlen(de->d_name))
                        continue;
                if (skip_own_fd && atoi(de->d_name) == dirfd(d))
                        continue;
                names[n++] = strdup(de->d_name);
        }
        print_sorted(names, n, numeric);
        closedir(d);
        return 0;
}

static const char *type_of(mode_t m)
{
        return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : S_ISCHR(m) ? "chr" : "other";
}

static int got_signal;
static void on_signal(int sig)
{
        got_signal = sig;
}

int main(int argc, char **argv)
{
        const char *cmd = argc > 1 ? argv[1] : "";
        const char *arg = argc > 2 ? argv[2] : "";
        struct stat st;
        char buf[65536];

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (!strcmp(cmd, "pid"))
                printf("%d\n", (int)getpid());
        else if (!strcmp(cmd, "hostname")) {
                struct utsname u;
                uname(&u);
                printf("%s\n", u.nodename);
        } else if (!strcmp(cmd, "procs"))
                return list("/proc", 1, 0);
        else if (!strcmp(cmd, "fds"))
                return list("/proc/self/fd", 1, 1);
        else if (!strcmp(cmd, "ifaces")) {
                struct if_nameindex *ifs = if_nameindex();
                char *names[256];
                size_t n = 0;
                if (!ifs)
                        return fail();
                for (struct if_nameindex *i = ifs; i->if_index && n < 256; i++)
                        names[n++] = i->if_name;
                print_sorted(names, n, 0);
        } else if (!strcmp(cmd, "uid")) {
                gid_t g[64];
                int n = getgroups(64, g);
                printf("%d %d", (int)getuid(), (int)getgid());
                for (int i = 0; i < n; i++)
                        printf(" %d", (int)g[i]);
                printf("\n");
        } else if (!strcmp(cmd, "tty")) {
                const char *t = ttyname(STDIN_FILENO);
                printf("%s %s\n", t ? t : "notty",
                       tcgetpgrp(STDIN_FILENO) == getpgrp() ? "foreground" : "-");
        } else if (!strcmp(cmd, "cwd"))
                printf("%s\n", getcwd(buf, sizeof(buf)) ? buf : "?");
        else if (!strcmp(cmd, "env")) {
                size_t n = 0;
                while (environ[n])
                        n++;
                print_sorted(environ, n, 0);
        } else if (!strcmp(cmd, "stat")) {
                if (lstat(arg, &st) < 0)
                        return fail();
                printf("%s\n", type_of(st.st_mode));
        } else if (!strcmp(cmd, "read")) {
                int fd = open(arg, O_RDONLY | O_CLOEXEC);
                ssize_t k, total = 0;
                if (fd < 0)
                        return fail();
                while ((k = read(fd, buf, sizeof(buf))) > 0)
                        total += k;
                if (k < 0)
                        return fail();
                printf("ok %zd\n", total);
        } else if (!strcmp(cmd, "write")) {
                int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0 || write(fd, "probe\n", 6) != 6)
                        return fail();
                printf("ok\n");
        } else if (!strcmp(cmd, "mkdir")) {
                if (mkdir(arg, 0755) < 0)
                        return fail();
                printf("ok\n");
        } else if (!strcmp(cmd, "ls"))
                return list(arg, 0, 0);
        else if (!strcmp(cmd, "exit"))
                return atoi(arg);
        else if (!strcmp(cmd, "segv")) {
                raise(SIGSEGV); /* ignored by a namespace's PID 1 without a handler... */
                *(volatile int *)(uintptr_t)argc = 0; /* ...a real fault is not */
        } else if (!strcmp(cmd, "wait-signal")) {
                struct sigaction sa = { .sa_handler = on_signal };
                sigaction(SIGTERM, &sa, NULL);
                sigaction(SIGINT, &sa, NULL);
                sigaction(SIGHUP, &sa, NULL);
                sigaction(SIGRTMIN + 3, &sa, NULL); /* what an init gets to halt */
                printf("waiting\n");
                while (!got_signal)
                        pause();
                printf("signal %d\n", got_signal);
        } else if (!strcmp(cmd, "notify")) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                const char *path = getenv("NOTIFY_SOCKET");
                int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (!path || strlen(path) >= sizeof(sa.sun_path)) {
                        printf("no NOTIFY_SOCKET\n");
                        return 1;
                }
                strcpy(sa.sun_path, path);
                if (fd < 0 || sendto(fd, arg, strlen(arg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                        return fail();
                printf("sent\n");
        } else if (!strcmp(cmd, "notify-flood")) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                struct sigaction act = { .sa_handler = on_signal };
                const char *path = getenv("NOTIFY_SOCKET");
                static char msg[4000]; /* the most lines berth's relay accepts in one datagram */
                int n = atoi(arg), fd;
                for (size_t i = 0; i + 13 <= sizeof(msg); i += 13)
                        memcpy(msg + i, "STATUS=flood\n", 13);
                if (!path || strlen(path) >= sizeof(sa.sun_path)) {
                        printf("no NOTIFY_SOCKET\n");
                        return 1;
                }
                strcpy(sa.sun_path, path);
                sigaction(SIGTERM, &act, NULL);
                /* The others die with this one: it is PID 1 of the container. */
                for (int i = 1; i < n; i++)
                        if (fork() == 0)
                                break;
                fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (fd < 0)
                        return fail();
                if (getpid() == 1)
                        printf("flooding\n");
                while (!got_signal)
                        (void)sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&sa, sizeof(sa));
                printf("signal %d\n", got_signal);
        } else if (!strcmp(cmd, "sleep"))
                sleep((unsigned)atoi(arg));
        else {
                fprintf(stderr, "probe: unknown command '%s'\n", cmd);
                return 2;
        }
        return 0;
}
