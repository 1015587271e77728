/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User namespaces: range picking (stable, collision-free, concurrent, NSS-aware), uid_map
 * contents, the NSS cache, idmapped mounts and the refusal of filesystems that cannot idmap. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-concurrent.h"
#include "test.h"
#include "userns.h"

static char state_dir[] = "/tmp/berth-test-userns.XXXXXX";

static int pick_for(const char *name, PrivateUsersMode mode, uid_t base, uint32_t size, UidRange *ret)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        int r = container_config_new_default(name, &c);
        if (r < 0)
                return r;
        c->private_users = mode;
        c->uid_base = base;
        c->uid_size = size;
        return userns_pick_range(state_dir, c, ret);
}

static void test_preferred(void)
{
        uid_t a = userns_preferred_base("web"), b = userns_preferred_base("db");

        CHECK(a == userns_preferred_base("web"), "hash of a name is stable");
        CHECK(a != b, "different names start at different slots (%#x, %#x)", (unsigned)a, (unsigned)b);
        CHECK(a % USERNS_RANGE_SIZE == 0 && a >= USERNS_RANGE_FIRST && a <= USERNS_RANGE_LAST,
              "preferred base %#x is 64K-aligned inside the container area", (unsigned)a);
}

static void test_pick(void)
{
        UidRange r1 = UID_RANGE_NULL, r2 = UID_RANGE_NULL, again = UID_RANGE_NULL;

        CHECK(pick_for("web", PRIVATE_USERS_PICK, 0, 0, &r1) == 0, "pick a range for web");
        CHECK(r1.base == userns_preferred_base("web") && r1.size == 65536 && r1.lock_fd >= 0,
              "web got its preferred range %#x (no NSS user there)", (unsigned)r1.base);
        CHECK(pick_for("web", PRIVATE_USERS_PICK, 0, 0, &r2) == 0 && r2.base != r1.base,
              "a colliding second pick gets another range (%#x)", (unsigned)r2.base);
        CHECK(r2.base == (r1.base == USERNS_RANGE_LAST ? USERNS_RANGE_FIRST : r1.base + USERNS_RANGE_SIZE),
              "... the next slot");
        userns_release_range(&r1);
        CHECK(r1.lock_fd < 0, "release drops the lock");
        CHECK(pick_for("web", PRIVATE_USERS_PICK, 0, 0, &again) == 0 &&
                      again.base == userns_preferred_base("web"),
              "a restart after release gets the same range back");

        UidRange fixed_clash = UID_RANGE_NULL, fixed_ok = UID_RANGE_NULL, fixed_same = UID_RANGE_NULL,
                 around = UID_RANGE_NULL;
        CHECK(pick_for("fixed", PRIVATE_USERS_FIXED, again.base + 100, 1000, &fixed_clash) == -EBUSY,
              "a fixed range overlapping a running picked range is refused");
        uid_t db = userns_preferred_base("db");
        CHECK(pick_for("fixed", PRIVATE_USERS_FIXED, db, 65536, &fixed_ok) == 0 && fixed_ok.base == db,
              "a free fixed range is taken");
        CHECK(pick_for("fixed2", PRIVATE_USERS_FIXED, db, 65536, &fixed_same) == 0,
              "the same fixed range may be shared");
        CHECK(pick_for("db", PRIVATE_USERS_PICK, 0, 0, &around) == 0 && around.base != db,
              "a pick skips a slot held by a fixed range");
        CHECK(pick_for("x", PRIVATE_USERS_FIXED, UINT32_MAX - 10, 65536, &fixed_clash) == -ERANGE,
              "a fixed range past uid 2^32-2 is refused");
        userns_release_range(&r2);
        userns_release_range(&again);
        userns_release_range(&fixed_ok);
        userns_release_range(&fixed_same);
        userns_release_range(&around);

        UidRange id = UID_RANGE_NULL, no = UID_RANGE_NULL;
        CHECK(pick_for("i", PRIVATE_USERS_IDENTITY, 0, 0, &id) == 0 && id.base == 0 && id.size == 65536 &&
                      id.lock_fd < 0,
              "identity maps 0..65535 to itself");
        CHECK(pick_for("n", PRIVATE_USERS_NO, 0, 0, &no) == 0 && no.size == 0, "no: no user namespace");
}

static void pick_race(void *result)
{
        UidRange r = UID_RANGE_NULL;
        uid_t b = pick_for("race", PRIVATE_USERS_PICK, 0, 0, &r) == 0 ? r.base : 0;
        memcpy(result, &b, sizeof(b)); /* the child keeps r (and its lock) until released */
}

/* Children pick for the same name at once and hold their ranges; all must differ. */
static void test_concurrent(void)
{
        enum { N = 8 };
        uid_t bases[N] = {};
        bool distinct = true, all = run_concurrently(N, sizeof(uid_t), pick_race, bases);

        for (int i = 0; i < N; i++)
                all = all && bases[i] != 0;
        for (int i = 0; all && i < N; i++)
                for (int j = i + 1; j < N; j++)
                        distinct = distinct && bases[i] != bases[j];
        CHECK(all, "%d concurrent picks succeeded", N);
        CHECK(all && distinct, "%d concurrent picks got %d different ranges", N, N);
}

/* In a private mount namespace, /etc/passwd and /etc/group gain entries inside the preferred
 * ranges of two names: the picks must step over them (this exercises real NSS enumeration). */
static void test_nss_overlap(void)
{
        uid_t pw_slot = userns_preferred_base("nss-user"), gr_slot = userns_preferred_base("nss-group");
        int pfd[2];
        uid_t got[2] = {};

        if (geteuid() != 0) {
                printf("ok %d # SKIP NSS overlap test needs root (mount namespace)\n", ++test_n);
                return;
        }
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return;
        pid_t pid = fork();
        if (pid == 0) {
                char pw[PATH_MAX], gr[PATH_MAX], cmd[PATH_MAX * 5];
                UidRange a = UID_RANGE_NULL, b = UID_RANGE_NULL;

                snprintf(pw, sizeof(pw), "%s/passwd", state_dir);
                snprintf(gr, sizeof(gr), "%s/group", state_dir);
                snprintf(cmd, sizeof(cmd),
                         "cp /etc/passwd %s && cp /etc/group %s && "
                         "echo 'berthfake:x:%u:%u::/:/bin/false' >> %s && echo 'berthfake:x:%u:' >> %s",
                         pw, gr, (unsigned)pw_slot + 4242, (unsigned)pw_slot + 4242, pw,
                         (unsigned)gr_slot + 65535, gr);
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                    system(cmd) != 0 || mount(pw, "/etc/passwd", NULL, MS_BIND, NULL) < 0 ||
                    mount(gr, "/etc/group", NULL, MS_BIND, NULL) < 0)
                        _exit(1);
                uid_t v[2] = { pick_for("nss-user", PRIVATE_USERS_PICK, 0, 0, &a) == 0 ? a.base : 0,
                               pick_for("nss-group", PRIVATE_USERS_PICK, 0, 0, &b) == 0 ? b.base : 0 };
                _exit(write(pfd[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
        }
        close(pfd[1]);
        CHECK(read(pfd[0], got, sizeof(got)) == sizeof(got), "picked with a fake passwd/group");
        close(pfd[0]);
        waitpid(pid, NULL, 0);
        CHECK(got[0] != 0 && got[0] != pw_slot,
              "a passwd user at %#x+4242 pushes the pick off its slot (got %#x)", (unsigned)pw_slot,
              (unsigned)got[0]);
        CHECK(got[1] != 0 && got[1] != gr_slot,
              "a group at the slot's last gid pushes the pick off (got %#x)", (unsigned)got[1]);
}

static bool exists_at(const char *dir, const char *name)
{
        _cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return dfd >= 0 && faccessat(dfd, name, F_OK, 0) == 0;
}

/* The NSS enumeration is cached (issue 16) but must still see what the old per-start enumeration
 * saw. In a private mount namespace with its own passwd, group and nsswitch.conf (and empty
 * userdb places): a first pick caches; a user appended in place to passwd inside the range that
 * pick got, and a group inside another name's slot, push later picks off those slots; a source
 * the cache key does not cover (sss) removes the cache. */
static void test_nss_cache(void)
{
        uid_t slot = userns_preferred_base("nss-late"), gslot = userns_preferred_base("nss-late-g");
        int pfd[2];
        int got[7] = {};

        if (geteuid() != 0) {
                printf("ok %d # SKIP NSS cache test needs root (mount namespace)\n", ++test_n);
                return;
        }
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return;
        pid_t pid = fork();
        if (pid == 0) {
                static const char *const userdb[] = { "/run/systemd/userdb",   "/etc/userdb",
                                                      "/run/userdb",           "/run/host/userdb",
                                                      "/usr/local/lib/userdb", "/usr/lib/userdb" };
                char dir[PATH_MAX], pw[PATH_MAX], gr[PATH_MAX], ns[PATH_MAX], empty[PATH_MAX],
                        cmd[PATH_MAX * 6];
                UidRange a = UID_RANGE_NULL, b = UID_RANGE_NULL, c = UID_RANGE_NULL, d = UID_RANGE_NULL;
                struct stat st;
                int v[7];

                snprintf(dir, sizeof(dir), "%s/uid", state_dir);
                snprintf(pw, sizeof(pw), "%s/nc-passwd", state_dir);
                snprintf(gr, sizeof(gr), "%s/nc-group", state_dir);
                snprintf(ns, sizeof(ns), "%s/nc-nsswitch", state_dir);
                snprintf(empty, sizeof(empty), "%s/nc-empty", state_dir);
                snprintf(cmd, sizeof(cmd),
                         "cp /etc/passwd %s && cp /etc/group %s && mkdir %s && "
                         "printf 'passwd: files systemd\\ngroup:  files [SUCCESS=merge] systemd\\n' > %s",
                         pw, gr, empty, ns);
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                    system(cmd) != 0 || mount(pw, "/etc/passwd", NULL, MS_BIND, NULL) < 0 ||
                    mount(gr, "/etc/group", NULL, MS_BIND, NULL) < 0 ||
                    mount(ns, "/etc/nsswitch.conf", NULL, MS_BIND, NULL) < 0)
                        _exit(1);
                for (size_t i = 0; i < ELEMENTSOF(userdb); i++)
                        if (access(userdb[i], F_OK) == 0 && mount(empty, userdb[i], NULL, MS_BIND, NULL) < 0)
                                _exit(1);
                /* Sources changed in the last second are not cached (coarse timestamps). */
                usleep(1100 * 1000);
                v[0] = pick_for("nss-late", PRIVATE_USERS_PICK, 0, 0, &a) == 0 && a.base == slot;
                v[1] = exists_at(dir, "nss-ids.cache");
                userns_release_range(&a);
                /* A cache file someone else owns is not believed: enumerated and written anew. */
                snprintf(cmd, sizeof(cmd), "%s/nss-ids.cache", dir);
                v[6] = chown(cmd, 65534, 65534) == 0 &&
                       pick_for("nss-late", PRIVATE_USERS_PICK, 0, 0, &a) == 0 && a.base == slot &&
                       stat(cmd, &st) == 0 && st.st_uid == geteuid();
                userns_release_range(&a);
                snprintf(cmd, sizeof(cmd),
                         "echo 'berthlate:x:%u:%u::/:/bin/false' >> %s && echo 'berthlateg:x:%u:' >> %s",
                         (unsigned)slot + 7, (unsigned)slot + 7, pw, (unsigned)gslot + 100, gr);
                if (system(cmd) != 0)
                        _exit(1);
                v[2] = pick_for("nss-late", PRIVATE_USERS_PICK, 0, 0, &b) == 0 && b.base != slot;
                v[3] = pick_for("nss-late-g", PRIVATE_USERS_PICK, 0, 0, &c) == 0 && c.base != gslot;
                userns_release_range(&b);
                userns_release_range(&c);
                snprintf(cmd, sizeof(cmd), "printf 'passwd: files sss\\ngroup: files\\n' > %s", ns);
                if (system(cmd) != 0)
                        _exit(1);
                v[4] = pick_for("nss-late", PRIVATE_USERS_PICK, 0, 0, &d) == 0 && d.base != slot;
                v[5] = !exists_at(dir, "nss-ids.cache");
                userns_release_range(&d);
                _exit(write(pfd[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
        }
        close(pfd[1]);
        CHECK(read(pfd[0], got, sizeof(got)) == sizeof(got),
              "picked with a private passwd/group/nsswitch.conf");
        close(pfd[0]);
        waitpid(pid, NULL, 0);
        CHECK(got[0], "first pick gets the free preferred slot %#x", (unsigned)slot);
        CHECK(got[1], "... and caches the NSS enumeration in uid/nss-ids.cache");
        CHECK(got[6],
              "a cache file owned by another user is not read: NSS is asked and the cache is root's again");
        CHECK(got[2], "a user added in place to /etc/passwd inside that range afterwards pushes the next "
                      "pick off it");
        CHECK(got[3], "a group added to /etc/group inside another slot pushes that pick off");
        CHECK(got[4], "with an sss source the pick still sees the user");
        CHECK(got[5], "... and the cache is removed (sss is not covered by its key)");
}

/* Ranges other allocators hand out (issue 13, finding 16): /etc/subuid and /etc/subgid (useradd's
 * 100000+ ranges for rootless containers), and systemd-nspawn's locked slots. Picks step over
 * them; an nspawn lock file nobody holds (a killed nspawn's) is no reservation. */
static void test_foreign(void)
{
        char subuid[PATH_MAX], subgid[PATH_MAX], nspawn[PATH_MAX], lock[PATH_MAX + 16];
        uid_t u = userns_preferred_base("sub-u"), g = userns_preferred_base("sub-g");
        uid_t n = userns_preferred_base("nspawn-held"), stale = userns_preferred_base("nspawn-stale");
        UidRange a = UID_RANGE_NULL, b = UID_RANGE_NULL, c = UID_RANGE_NULL, d = UID_RANGE_NULL;
        int held;
        FILE *f;

        snprintf(subuid, sizeof(subuid), "%s/subuid", state_dir);
        snprintf(subgid, sizeof(subgid), "%s/subgid", state_dir);
        snprintf(nspawn, sizeof(nspawn), "%s/nspawn-uid", state_dir);
        if (mkdir(nspawn, 0755) < 0 || !(f = fopen(subuid, "we")))
                abort();
        /* A user's range that starts in the slot before and reaches one ID into u's slot. */
        fprintf(f, "# comment\nalice:%u:65537\nbroken line\n", (unsigned)(u - 65536));
        fclose(f);
        if (!(f = fopen(subgid, "we")))
                abort();
        fprintf(f, "bob:%u:1\n", (unsigned)(g + 65535)); /* the slot's last gid */
        fclose(f);
        snprintf(lock, sizeof(lock), "%s/%u", nspawn, (unsigned)n);
        held = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (held < 0 || flock(held, LOCK_EX) < 0) /* as a running systemd-nspawn holds it */
                abort();
        snprintf(lock, sizeof(lock), "%s/%u", nspawn, (unsigned)stale);
        safe_close(open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        userns_set_foreign_allocations(subuid, subgid, nspawn);

        CHECK(pick_for("sub-u", PRIVATE_USERS_PICK, 0, 0, &a) == 0 && a.base != u &&
                      (a.base >= u - 65536 + 65537 || a.base + a.size <= u - 65536),
              "a subuid range reaching into the preferred slot %#x pushes the pick off (got %#x)",
              (unsigned)u, (unsigned)a.base);
        CHECK(pick_for("sub-g", PRIVATE_USERS_PICK, 0, 0, &b) == 0 && b.base != g,
              "a subgid range on the slot's last gid pushes the pick off (got %#x)", (unsigned)b.base);
        CHECK(pick_for("nspawn-held", PRIVATE_USERS_PICK, 0, 0, &c) == 0 && c.base != n,
              "a slot systemd-nspawn holds locked is skipped (got %#x)", (unsigned)c.base);
        CHECK(pick_for("nspawn-stale", PRIVATE_USERS_PICK, 0, 0, &d) == 0 && d.base == stale,
              "an nspawn lock file nobody holds is no reservation (got %#x)", (unsigned)d.base);
        userns_release_range(&a);
        userns_release_range(&b);
        userns_release_range(&c);
        userns_release_range(&d);
        safe_close(held);
        userns_set_foreign_allocations(NULL, NULL, NULL);
}

/* A child in a new user namespace, waiting on a pipe; the parent maps it. */
static void test_maps_and_idmap(void)
{
        UidRange r = UID_RANGE_NULL;
        int go[2], ready[2];
        char path[PATH_MAX], buf[256] = {};
        unsigned inside = 1, outside = 0, count = 0;

        if (geteuid() != 0) {
                printf("ok %d # SKIP uid maps and idmapped mounts need root\n", ++test_n);
                return;
        }
        CHECK(pick_for("maps", PRIVATE_USERS_PICK, 0, 0, &r) == 0, "range for the map test");
        if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
                return;
        pid_t pid = fork();
        if (pid == 0) {
                char c;
                close(go[1]);
                close(ready[0]);
                if (unshare(CLONE_NEWUSER) < 0)
                        _exit(1);
                (void)!write(ready[1], "r", 1);
                (void)!read(go[0], &c, 1);
                _exit(0);
        }
        close(ready[1]);
        close(go[0]);
        char c;
        CHECK(read(ready[0], &c, 1) == 1, "child entered its user namespace");
        CHECK(userns_write_maps(pid, &r) == 0, "maps written");

        snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
        FILE *f = fopen(path, "re");
        CHECK(f && fscanf(f, "%u %u %u", &inside, &outside, &count) == 3 && inside == 0 &&
                      outside == r.base && count == 65536,
              "uid_map reads '0 %u 65536' (got '%u %u %u')", (unsigned)r.base, inside, outside, count);
        if (f)
                fclose(f);
        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
        f = fopen(path, "re");
        CHECK(f && fgets(buf, sizeof(buf), f) && sscanf(buf, "%u %u %u", &inside, &outside, &count) == 3 &&
                      inside == 0 && outside == r.base && count == 65536,
              "gid_map reads '0 %u 65536'", (unsigned)r.base);
        if (f)
                fclose(f);

        /* Idmapped clone of a directory with a file owned (on disk) by 1000:1000. */
        char dir[PATH_MAX], file[PATH_MAX + 16];
        snprintf(dir, sizeof(dir), "%s/image", state_dir);
        snprintf(file, sizeof(file), "%s/owned", dir);
        mkdir(dir, 0755);
        int fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        CHECK(fd >= 0 && fchown(fd, 1000, 1000) == 0, "file owned by 1000 on disk");
        if (fd >= 0)
                close(fd);

        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
        _cleanup_close_ int ns = open(path, O_RDONLY | O_CLOEXEC), mnt = -EBADF, proc_mnt = -EBADF;
        struct stat st = {};
        int k = userns_open_idmapped(AT_FDCWD, dir, ns, true, 0, &mnt);
        CHECK(k == 0, "idmapped clone of %s (%s)", dir, strerror(-k));
        CHECK(mnt >= 0 && fstatat(mnt, "owned", &st, 0) == 0 && st.st_uid == r.base + 1000 &&
                      st.st_gid == r.base + 1000,
              "through the idmapped mount the file is owned by base+1000 (%u)", (unsigned)st.st_uid);
        CHECK(stat(file, &st) == 0 && st.st_uid == 1000, "the plain path still shows 1000");

        k = userns_open_idmapped(AT_FDCWD, "/proc", ns, false, 0, &proc_mnt);
        _cleanup_free_ char *type = NULL;
        CHECK(k == -EOPNOTSUPP, "procfs refuses idmapping with -EOPNOTSUPP (%s)", strerror(-k));
        CHECK(userns_fs_type("/proc", &type) == 0 && type && streq(type, "proc"),
              "the refusing fs is named: %s", strna(type));
        _cleanup_free_ char *type2 = NULL, *type3 = NULL;
        CHECK(userns_fs_type("/proc/self/fd", &type2) == 0 && type2 && streq(type2, "proc"),
              "a path below a mount point, through a symlink, names its mount: %s", strna(type2));
        CHECK(userns_fs_type("/nonexistent-berth-test", &type3) == -ENOENT, "a missing path: -ENOENT");

        close(go[1]);
        close(ready[0]);
        waitpid(pid, NULL, 0);
        userns_release_range(&r);
}

int main(void)
{
        if (!mkdtemp(state_dir))
                return 1;
        /* This host's own subuid/subgid and nspawn locks must not decide what the checks see. */
        userns_set_foreign_allocations(NULL, NULL, NULL);
        test_preferred();
        test_pick();
        test_concurrent();
        test_nss_overlap();
        test_nss_cache();
        test_foreign();
        test_maps_and_idmap();
        char cmd[PATH_MAX];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", state_dir);
        (void)!system(cmd);
        return test_done();
}
