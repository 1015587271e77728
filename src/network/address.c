/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Address and port allocation for VirtualEthernet= (see address.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "alloc.h"
#include "macro.h"
#include "net-util.h"
#include "netlink.h"
#include "nft.h"
#include "strv.h"

#define RECIPE_MAX (64U * 1024U)

static int read_all(int fd, char **ret)
{
        _cleanup_free_ char *buf = malloc(RECIPE_MAX + 1);
        ssize_t n;

        if (!buf)
                return -ENOMEM;
        n = pread(fd, buf, RECIPE_MAX, 0);
        if (n < 0)
                return negative_errno();
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        return 0;
}

/* Undoes one dead container's network state from its recipe. Best effort: an element or link
 * that is already gone is what we want. */
static void undo_recipe(const char *recipe)
{
        _cleanup_free_ char *copy = strdup(recipe), *batch = NULL;
        size_t batch_len = 0;
        FILE *f;

        if (!copy)
                return;
        f = open_memstream(&batch, &batch_len);
        if (!f)
                return;
        for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                if (strncmp(l, "# link ", 7) == 0)
                        (void)netlink_link_delete(l + 7);
                else if (l[0] != '#')
                        fprintf(f, "%s\n", l);
        }
        if (fclose(f) != 0 || batch_len == 0)
                return;
        (void)nft_undo(batch, NULL);
}

/* The container a recipe or lock file names on its first line ("# berth container NAME"), or NULL. */
static char *owner_of(const char *text)
{
        size_t n;

        if (strncmp(text, "# berth container ", 18) != 0)
                return NULL;
        text += 18;
        n = strcspn(text, "\n");
        return n > 0 ? strndup(text, n) : NULL;
}

/* Every /30 lock file nobody holds that still has a recipe: its container died without undoing.
 * Returns how many were undone; with ret_owners, their containers' names are appended to it. */
static int collect_garbage(int dir_fd, char ***ret_owners)
{
        _cleanup_close_ int fd = dup(dir_fd);
        DIR *d;
        struct dirent *de;
        int n = 0;

        if (fd < 0)
                return 0;
        d = fdopendir(fd);
        if (!d)
                return 0;
        TAKE_FD(fd);
        rewinddir(d);
        while ((de = readdir(d))) {
                _cleanup_close_ int lfd = -EBADF;
                _cleanup_free_ char *recipe = NULL;
                struct stat st;

                if (strncmp(de->d_name, "port-", 5) == 0 || de->d_name[0] == '.' ||
                    strstr(de->d_name, ".lock") == NULL)
                        continue;
                if (alloc_lock(dir_fd, de->d_name, LOCK_EX, &lfd) < 0)
                        continue; /* held: its container runs */
                if (fstat(lfd, &st) < 0 || st.st_size == 0 || read_all(lfd, &recipe) < 0)
                        continue;
                undo_recipe(recipe);
                n++;
                if (ret_owners) {
                        char *owner = owner_of(recipe);
                        if (owner)
                                (void)strv_consume(ret_owners, owner);
                }
                /* A recipe that stays is undone again by the next collection: harmless. */
                if (ftruncate(lfd, 0) < 0)
                        continue;
        }
        closedir(d);
        return n;
}

static void subnet_lock_name(uint32_t subnet, char ret[32])
{
        char a[16];
        snprintf(ret, 32, "%s.lock", net_format_ipv4(subnet, a));
}

/* The name of whoever holds a port or /30 lock (first line "# berth container NAME"), or "?". */
static char *holder_of(int dir_fd, const char *lock)
{
        _cleanup_close_ int fd = openat(dir_fd, lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        char buf[128] = "";
        ssize_t n;

        if (fd >= 0 && (n = pread(fd, buf, sizeof(buf) - 1, 0)) > 0)
                buf[n] = 0;
        buf[strcspn(buf, "\n")] = 0;
        if (strncmp(buf, "# berth container ", 18) == 0)
                return strdup(buf + 18);
        return strdup("another container");
}

static int write_owner(int fd, const char *name)
{
        char buf[128];
        int n = snprintf(buf, sizeof(buf), "# berth container %s\n", name);

        if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
                return negative_errno() ?: -EIO;
        return 0;
}

static int lock_ports(NetAllocation *a, const ContainerConfig *c, char **ret_detail)
{
        a->port_lock_fds = calloc(c->n_ports ?: 1, sizeof(int));
        if (!a->port_lock_fds)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_ports; i++) {
                char lock[64];
                int r;

                snprintf(lock, sizeof(lock), "port-%s-%u.lock", net_protocol_name(c->ports[i].protocol),
                         c->ports[i].host_port);
                r = alloc_lock(a->dir_fd, lock, LOCK_EX, &a->port_lock_fds[i]);
                if (r == -EBUSY) {
                        _cleanup_free_ char *who = holder_of(a->dir_fd, lock);
                        if (ret_detail &&
                            asprintf(ret_detail, "Port %s:%u is already published by container %s",
                                     net_protocol_name(c->ports[i].protocol), c->ports[i].host_port,
                                     who ?: "?") < 0)
                                *ret_detail = NULL;
                        return -EADDRINUSE;
                }
                if (r < 0)
                        return r;
                a->n_port_locks = i + 1;
                r = write_owner(a->port_lock_fds[i], c->name);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const NetPrefix *find_overlap(const NetPrefix *nets, size_t n, uint32_t subnet, uint8_t prefix)
{
        for (size_t i = 0; i < n; i++)
                if (net_prefix_overlaps(nets[i].addr, nets[i].prefix, subnet, prefix))
                        return &nets[i];
        return NULL;
}

static int detail(char **ret_detail, const char *fmt, ...) _printf_(2, 3);
static int detail(char **ret_detail, const char *fmt, ...)
{
        va_list ap;

        if (!ret_detail)
                return 0;
        va_start(ap, fmt);
        if (vasprintf(ret_detail, fmt, ap) < 0)
                *ret_detail = NULL;
        va_end(ap);
        return 0;
}

static int pick_subnet(NetAllocation *a, const ContainerConfig *c, char **ret_detail)
{
        _cleanup_free_ NetPrefix *nets = NULL;
        const NetPrefix *o, *first_overlap = NULL;
        size_t n_nets = 0;
        uint32_t slots = net_pool_slots(c->address_pool_prefix);
        char lock[32], s1[16], s2[16];
        int r;

        r = netlink_host_networks(&nets, &n_nets);
        if (r < 0)
                return r;
        if (c->address != 0) {
                o = find_overlap(nets, n_nets, c->address, NET_SUBNET_PREFIX);
                if (o) {
                        detail(ret_detail, "Address=%s/30 overlaps the host's network %s/%u%s%s",
                               net_format_ipv4(c->address, s1), net_format_ipv4(o->addr, s2), o->prefix,
                               o->ifname[0] ? " on " : "", o->ifname);
                        return -EADDRINUSE;
                }
                subnet_lock_name(c->address, lock);
                r = alloc_lock(a->dir_fd, lock, LOCK_EX, &a->subnet_lock_fd);
                if (r == -EBUSY) {
                        _cleanup_free_ char *who = holder_of(a->dir_fd, lock);
                        detail(ret_detail, "Address=%s/30 is in use by container %s",
                               net_format_ipv4(c->address, s1), who ?: "?");
                        return -EADDRINUSE;
                }
                if (r < 0)
                        return r;
                a->subnet = c->address;
                return 0;
        }
        for (uint32_t k = 0; k < slots; k++) {
                uint32_t s = net_pool_candidate(c->address_pool, c->address_pool_prefix, c->name, k);

                o = find_overlap(nets, n_nets, s, NET_SUBNET_PREFIX);
                if (o) {
                        first_overlap = first_overlap ?: o;
                        continue;
                }
                subnet_lock_name(s, lock);
                r = alloc_lock(a->dir_fd, lock, LOCK_EX, &a->subnet_lock_fd);
                if (r == -EBUSY)
                        continue;
                if (r < 0)
                        return r;
                a->subnet = s;
                return 0;
        }
        if (first_overlap)
                detail(ret_detail,
                       "No free /30 in AddressPool=%s/%u (some overlap the host's network %s/%u%s%s; "
                       "set AddressPool= to a range the host does not use)",
                       net_format_ipv4(c->address_pool, s1), c->address_pool_prefix,
                       net_format_ipv4(first_overlap->addr, s2), first_overlap->prefix,
                       first_overlap->ifname[0] ? " on " : "", first_overlap->ifname);
        else
                detail(ret_detail,
                       "No free /30 in AddressPool=%s/%u (every one is in use; set a larger "
                       "AddressPool=)",
                       net_format_ipv4(c->address_pool, s1), c->address_pool_prefix);
        return -EADDRNOTAVAIL;
}

int net_allocate(const char *state_dir, const ContainerConfig *c, NetAllocation *ret, char **ret_detail)
{
        _cleanup_close_ int global = -EBADF;
        NetAllocation a = NET_ALLOCATION_NULL;
        int r;

        if (ret_detail)
                *ret_detail = NULL;
        /* One allocation at a time: collection and picking must see each other's locks. */
        r = alloc_dir_open(state_dir, "net", &a.dir_fd, &global);
        if (r < 0)
                return r;
        (void)collect_garbage(a.dir_fd, NULL);
        r = lock_ports(&a, c, ret_detail);
        if (r >= 0)
                r = pick_subnet(&a, c, ret_detail);
        if (r >= 0)
                r = write_owner(a.subnet_lock_fd, c->name);
        if (r < 0) {
                net_allocation_release(&a); /* nothing was added under these locks yet */
                return r;
        }
        *ret = a;
        return 0;
}

int net_allocation_record(NetAllocation *a, const char *ifname, const char *nft_batch)
{
        _cleanup_free_ char *owner = NULL, *text = NULL;
        int n;

        if (read_all(a->subnet_lock_fd, &owner) < 0)
                return -ENOMEM;
        owner[strcspn(owner, "\n")] = 0;
        n = asprintf(&text, "%s\n# link %s\n%s", owner, ifname, nft_batch);
        if (n < 0)
                return -ENOMEM;
        if ((size_t)n > RECIPE_MAX)
                return -E2BIG;
        if (pwrite(a->subnet_lock_fd, text, (size_t)n, 0) != n)
                return negative_errno() ?: -EIO;
        return 0;
}

void net_allocation_release(NetAllocation *a)
{
        /* The caller undid the recipe: an empty file has nothing left to collect. */
        if (a->subnet_lock_fd >= 0 && ftruncate(a->subnet_lock_fd, 0) < 0) {
                /* Left for the next start's collection, which undoes it once more: harmless. */
        }
        a->subnet_lock_fd = safe_close(a->subnet_lock_fd);
        for (size_t i = 0; i < a->n_port_locks; i++)
                safe_close(a->port_lock_fds[i]);
        free(a->port_lock_fds);
        a->port_lock_fds = NULL;
        a->n_port_locks = 0;
        a->dir_fd = safe_close(a->dir_fd);
}

/* Whether a /30 lock is held: some container with VirtualEthernet= runs (or is starting: the lock
 * is taken before its forwarding is turned on). */
static bool any_subnet_in_use(int dir_fd)
{
        _cleanup_close_ int fd = dup(dir_fd);
        struct dirent *de;
        bool used = false;
        DIR *d;

        if (fd < 0)
                return true; /* cannot tell: keep forwarding on */
        d = fdopendir(fd);
        if (!d)
                return true;
        TAKE_FD(fd);
        rewinddir(d);
        while (!used && (de = readdir(d)))
                if (strncmp(de->d_name, "port-", 5) != 0 && de->d_name[0] != '.' &&
                    strstr(de->d_name, ".lock"))
                        used = alloc_lock_in_use(dir_fd, de->d_name);
        closedir(d);
        return used;
}

int net_sysctl_read_flag(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        char v[8] = "";

        if (fd < 0)
                return negative_errno();
        if (read(fd, v, sizeof(v) - 1) <= 0)
                return -EIO;
        return v[0] != '0';
}

int net_sysctl_write(const char *path, const char *value)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t len = strlen(value);

        if (fd < 0)
                return negative_errno();
        if (write(fd, value, len) != (ssize_t)len)
                return negative_errno() ?: -EIO;
        return 0;
}

int net_forward_enable(const char *state_dir, const char *name, bool *ret_changed)
{
        _cleanup_close_ int dir_fd = -EBADF, global = -EBADF, rfd = -EBADF;
        char text[160];
        int r, n;

        *ret_changed = false;
        /* Under the allocation lock: a stop that restores the value cannot run in between. */
        r = alloc_dir_open(state_dir, "net", &dir_fd, &global);
        if (r < 0)
                return r;
        r = net_sysctl_read_flag(NET_IP_FORWARD);
        if (r != 0)
                return r < 0 ? r : 0; /* on already: the admin's, or ours and recorded */
        /* The record first: a supervisor killed right after the write still leaves it. */
        rfd = openat(dir_fd, NET_FORWARD_RECORD, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                     0644);
        if (rfd < 0)
                return negative_errno();
        n = snprintf(text, sizeof(text), "net.ipv4.ip_forward was 0; berth set it to 1 for container %s\n",
                     name);
        if (write(rfd, text, (size_t)n) != n)
                return negative_errno() ?: -EIO;
        r = net_sysctl_write(NET_IP_FORWARD, "1\n");
        if (r < 0) {
                (void)unlinkat(dir_fd, NET_FORWARD_RECORD, 0);
                return r;
        }
        *ret_changed = true;
        return 0;
}

int net_collect_stale(const char *state_dir, char ***ret_collected, bool *ret_restored)
{
        _cleanup_free_ char *net_dir = NULL;
        _cleanup_close_ int dir_fd = -EBADF, global = -EBADF;
        int r, n;

        *ret_restored = false;
        if (asprintf(&net_dir, "%s/net", state_dir) < 0)
                return -ENOMEM;
        /* No STATE_DIR/net: no container with VirtualEthernet= ever ran, nothing to collect (and
         * a container without it does not make the directory at its stop). */
        if (access(net_dir, F_OK) < 0)
                return errno == ENOENT ? 0 : negative_errno();
        /* Under the allocation lock, as net_allocate() collects: a /30 lock held now is a
         * container that runs or is being started (its lock is taken under this same lock,
         * before anything its recipe names exists), and is never touched. */
        r = alloc_dir_open(state_dir, "net", &dir_fd, &global);
        if (r < 0)
                return r;
        n = collect_garbage(dir_fd, ret_collected);
        if (faccessat(dir_fd, NET_FORWARD_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? n : negative_errno(); /* not ours to turn off */
        if (any_subnet_in_use(dir_fd))
                return n;
        r = net_sysctl_write(NET_IP_FORWARD, "0\n");
        if (r < 0)
                return r;
        if (unlinkat(dir_fd, NET_FORWARD_RECORD, 0) < 0)
                return negative_errno();
        *ret_restored = true;
        return n;
}
