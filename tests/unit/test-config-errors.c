/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Malformed .container files: each must fail with exactly the given error line(s) and produce no
 * config. Expected lines are written out by hand from the documented format
 * "FILE:LINE: [Section] Key=Value: message (expected ...)". */
#include "config-test-util.h"
#include "test.h"

static char *dir;

/* Loads data as DIR/t.container; checks -EINVAL, no config, and the error lines (relative to DIR)
 * joined by '\n' equal expected. */
static void check_errors_n(const char *what, const char *data, size_t len, const char *expected)
{
        ContainerConfig *c = NULL;
        char **errors = NULL;
        char joined[8192] = "";
        int r = test_load_n(dir, "t", data, len, &c, &errors);

        STRV_FOREACH (e, errors) {
                const char *line = *e;
                if (strneq(line, dir, strlen(dir)) && line[strlen(dir)] == '/')
                        line += strlen(dir) + 1;
                if (joined[0])
                        strncat(joined, "\n", sizeof(joined) - strlen(joined) - 1);
                strncat(joined, line, sizeof(joined) - strlen(joined) - 1);
        }
        CHECK(r == -EINVAL && c == NULL, "%s: refused with -EINVAL and no config (r=%d)", what, r);
        CHECK_STREQ(joined, expected, "%s: exact error line", what);
        container_config_free(c);
        strv_free(errors);
}

static void check_errors(const char *what, const char *data, const char *expected)
{
        check_errors_n(what, data, strlen(data), expected);
}

#define CT "[Container]\n"
#define RS "[Resources]\n"
#define SC "[Security]\n"
#define FI "[Files]\n"

static const struct {
        const char *what;
        const char *data;
        const char *expected;
} table[] = {
        /* structure */
        { "truncated section header", "[Container\nExec=/bin/true\n",
          "t.container:1: [Container: invalid section header (expected [Section])" },
        { "empty section header", "[]\n", "t.container:1: []: invalid section header (expected [Section])" },
        { "text after section header", "[Container] x\n",
          "t.container:1: [Container] x: invalid section header (expected [Section])" },
        { "nested brackets", "[[Container]]\n",
          "t.container:1: [[Container]]: invalid section header (expected [Section])" },
        { "misspelt section", "[Resource]\nMemoryMax=1G\n",
          "t.container:1: [Resource]: unknown section (did you mean [Resources]?)" },
        { "unknown section", "[Service]\nExecStart=/bin/true\n",
          "t.container:1: [Service]: unknown section (expected [Container], [Resources], [Security], "
          "[Files], "
          "[Network] or [Install])" },
        { "key outside any section", "Exec=/bin/sh\n[Container]\n",
          "t.container:1: Exec=/bin/sh: assignment outside of any section (expected a [Section] header "
          "first)" },
        { "missing '='", CT "Exec\n", "t.container:2: [Container] Exec: missing '=' (expected Key=Value)" },
        { "missing key name", CT "=/bin/sh\n",
          "t.container:2: [Container] =/bin/sh: missing key name (expected Key=Value)" },
        { "misspelt key", CT "Exce=/bin/sh\n",
          "t.container:2: [Container] Exce=/bin/sh: unknown key (did you mean Exec=?)" },
        { "abbreviated key", RS "MemMax=1G\n",
          "t.container:2: [Resources] MemMax=1G: unknown key (did you mean MemoryMax=?)" },
        { "misspelt key in the wrong section", CT "MemMax=1G\n",
          "t.container:2: [Container] MemMax=1G: unknown key (did you mean MemoryMax= in [Resources]?)" },
        { "plural of a key", SC "Capabilities=CAP_KILL\n",
          "t.container:2: [Security] Capabilities=CAP_KILL: unknown key (did you mean Capability=?)" },
        { "section names are case-sensitive", "[container]\n",
          "t.container:1: [container]: unknown section (did you mean [Container]?)" },
        { "key in the wrong section", CT "MemoryMax=1G\n",
          "t.container:2: [Container] MemoryMax=1G: unknown key in [Container] (MemoryMax= belongs in "
          "[Resources])" },
        { "unknown key", SC "Frobnicate=yes\n",
          "t.container:2: [Security] Frobnicate=yes: unknown key (see berth.container(5) for the keys of "
          "[Security])" },
        { "keys are case-sensitive", CT "exec=/bin/sh\n",
          "t.container:2: [Container] exec=/bin/sh: unknown key (did you mean Exec=?)" },
        { "duplicate sections merge; only the bad value is reported",
          CT "Hostname=good\n" RS "TasksMax=5\n" CT "Hostname=-bad\n",
          "t.container:6: [Container] Hostname=-bad: invalid hostname (expected letters, digits and '-' in "
          "dot-separated labels, at most 64 characters)" },
        { "every error of a file is reported, in order",
          CT "Boot=maybe\nNotify=perhaps\n" RS "TasksMax=none\n",
          "t.container:2: [Container] Boot=maybe: invalid boolean (expected yes, no, true, false, on, off, "
          "1 or "
          "0)\n"
          "t.container:3: [Container] Notify=perhaps: invalid boolean (expected yes, no, true, false, on, "
          "off, 1 "
          "or "
          "0)\n"
          "t.container:5: [Resources] TasksMax=none: invalid task limit (expected a positive integer or "
          "\"infinity\")" },
        { "error line of a continued value is its first line", CT "Exec=/bin/echo \\\n  \"unterminated\n",
          "t.container:2: [Container] Exec=/bin/echo  \"unterminated: invalid quoting (expected words "
          "separated "
          "by spaces, with balanced \"double\" or 'single' quotes and valid backslash escapes)" },
        /* bytes */
        { "invalid UTF-8", CT "Hostname=caf\xe9\n",
          "t.container:2: line is not valid UTF-8 (expected UTF-8 text)" },
        { "overlong UTF-8 encoding of '/'",
          CT "Directory=\xc0\xaf"
             "etc\n",
          "t.container:2: line is not valid UTF-8 (expected UTF-8 text)" },
        { "UTF-16 surrogate in UTF-8", CT "Hostname=\xed\xa0\x80\n",
          "t.container:2: line is not valid UTF-8 (expected UTF-8 text)" },
        { "truncated UTF-8 sequence at end of file", CT "Hostname=a\xe2\x82",
          "t.container:2: line is not valid UTF-8 (expected UTF-8 text)" },
        { "control character shown escaped", CT "Hostname=a\x01z\n",
          "t.container:2: [Container] Hostname=a\\x01z: invalid hostname (expected letters, digits and '-' "
          "in "
          "dot-separated labels, at most 64 characters)" },
        /* [Container] */
        { "relative Directory=", CT "Directory=var/lib/berth/t\n",
          "t.container:2: [Container] Directory=var/lib/berth/t: invalid path (expected an absolute path "
          "without "
          "\"..\" components)" },
        { "Directory= escaping with ..", CT "Directory=/var/lib/berth/../../etc\n",
          "t.container:2: [Container] Directory=/var/lib/berth/../../etc: invalid path (expected an "
          "absolute "
          "path "
          "without \"..\" components)" },
        { "Directory=/", CT "Directory=/\n",
          "t.container:2: [Container] Directory=/: the host's root directory cannot be a container's own "
          "root "
          "(expected a directory such as /var/lib/berth/NAME, or no Directory= for an ephemeral read-only "
          "copy "
          "of "
          "the host)" },
        { "relative Exec=", CT "Exec=sh -c true\n",
          "t.container:2: [Container] Exec=sh -c true: program \"sh\" is not an absolute path (expected "
          "/path/to/program followed by its arguments)" },
        { "unknown escape in Exec=", CT "Exec=/bin/echo \\q\n",
          "t.container:2: [Container] Exec=/bin/echo \\q: invalid quoting (expected words separated by "
          "spaces, "
          "with balanced \"double\" or 'single' quotes and valid backslash escapes)" },
        { "escaped NUL in Exec=", CT "Exec=/bin/echo \\x00\n",
          "t.container:2: [Container] Exec=/bin/echo \\x00: invalid quoting (expected words separated by "
          "spaces, "
          "with balanced \"double\" or 'single' quotes and valid backslash escapes)" },
        { "bad user name", CT "User=root:root\n",
          "t.container:2: [Container] User=root:root: invalid user (expected a user name of letters, "
          "digits, "
          "'_', "
          "'.' and '-', or a numeric UID from 0 to 65534)" },
        { "UID beyond the range", CT "User=65535\n",
          "t.container:2: [Container] User=65535: UID 65535 is outside the container's range (expected a "
          "UID "
          "from "
          "0 to 65534, or a user name)" },
        { "Environment= without '='", CT "Environment=A=1 NOVALUE\n",
          "t.container:2: [Container] Environment=A=1 NOVALUE: invalid assignment \"NOVALUE\" (expected "
          "NAME=VALUE, "
          "NAME made of letters, digits and '_', not starting with a digit)" },
        { "Environment= name with a digit first", CT "Environment=1A=b\n",
          "t.container:2: [Container] Environment=1A=b: invalid assignment \"1A=b\" (expected NAME=VALUE, "
          "NAME "
          "made "
          "of letters, digits and '_', not starting with a digit)" },
        { "hostname with '_'", CT "Hostname=a_b\n",
          "t.container:2: [Container] Hostname=a_b: invalid hostname (expected letters, digits and '-' in "
          "dot-separated labels, at most 64 characters)" },
        { "unknown specifier", CT "Hostname=%n\n",
          "t.container:2: [Container] Hostname=%n: unknown specifier \"%n\" (expected %i for the container "
          "name "
          "or "
          "%% for a literal %)" },
        { "lone % at the end", CT "Exec=/bin/echo 100%\n",
          "t.container:2: [Container] Exec=/bin/echo 100%: incomplete specifier \"%\" at the end (expected "
          "%i "
          "for "
          "the container name or %% for a literal %)" },
        { "relative WorkingDirectory=", CT "WorkingDirectory=~\n",
          "t.container:2: [Container] WorkingDirectory=~: invalid path (expected an absolute path without "
          "\"..\" "
          "components)" },
        { "bad signal", CT "KillSignal=SIGFOO\n",
          "t.container:2: [Container] KillSignal=SIGFOO: invalid signal (expected a signal name such as "
          "SIGTERM, "
          "SIGINT or SIGRTMIN+3, or its number)" },
        { "stop signal that stops nothing", CT "KillSignal=SIGCONT\n",
          "t.container:2: [Container] KillSignal=SIGCONT: invalid signal (expected a signal name such as "
          "SIGTERM, "
          "SIGINT or SIGRTMIN+3, or its number)" },
        { "bad time span", CT "TimeoutStopSec=5 parsecs\n",
          "t.container:2: [Container] TimeoutStopSec=5 parsecs: invalid time span (expected a time such as "
          "90s, "
          "1min 30s or 500ms, or \"infinity\")" },
        { "negative time span", CT "TimeoutStopSec=-1\n",
          "t.container:2: [Container] TimeoutStopSec=-1: invalid time span (expected a time such as 90s, "
          "1min "
          "30s "
          "or 500ms, or \"infinity\")" },
        { "Ephemeral=no without Directory=", CT "Ephemeral=no\n",
          "t.container:2: [Container] Ephemeral=no: without Directory= the host's root is used, which is "
          "only "
          "allowed ephemeral (expected Ephemeral=yes, or a Directory=)" },
        { "User= with Boot=yes", CT "Directory=/srv/t\nUser=web\nBoot=yes\n",
          "t.container:3: [Container] User=web: User= cannot be combined with Boot=yes (expected no User=: "
          "the "
          "init "
          "system starts as root and starts services as their users)" },
        /* [Resources] */
        { "size with unknown suffix (the issue's example)", CT RS "MemoryMax=12X\n",
          "t.container:3: [Resources] MemoryMax=12X: invalid size (expected bytes with K, M, G or T suffix, "
          "or "
          "\"infinity\")" },
        { "negative size", RS "MemoryHigh=-1\n",
          "t.container:2: [Resources] MemoryHigh=-1: invalid size (expected bytes with K, M, G or T suffix, "
          "or "
          "\"infinity\")" },
        { "fractional size", RS "MemoryMax=1.5G\n",
          "t.container:2: [Resources] MemoryMax=1.5G: invalid size (expected bytes with K, M, G or T "
          "suffix, or "
          "\"infinity\")" },
        { "size overflowing 64 bits", RS "MemoryMax=99999999999T\n",
          "t.container:2: [Resources] MemoryMax=99999999999T: invalid size (expected bytes with K, M, G or "
          "T "
          "suffix, or \"infinity\")" },
        { "lower-case suffix", RS "MemoryMax=512m\n",
          "t.container:2: [Resources] MemoryMax=512m: invalid size (expected bytes with K, M, G or T "
          "suffix, or "
          "\"infinity\")" },
        { "CPUQuota=0%", RS "CPUQuota=0%\n",
          "t.container:2: [Resources] CPUQuota=0%: invalid CPU quota (expected a percentage above 0%, e.g. "
          "150% "
          "for "
          "one and a half CPUs)" },
        { "CPUQuota= without %", RS "CPUQuota=150\n",
          "t.container:2: [Resources] CPUQuota=150: invalid CPU quota (expected a percentage above 0%, e.g. "
          "150% "
          "for one and a half CPUs)" },
        { "CPUWeight=0", RS "CPUWeight=0\n",
          "t.container:2: [Resources] CPUWeight=0: invalid weight (expected an integer from 1 to 10000)" },
        { "IOWeight too large", RS "IOWeight=10001\n",
          "t.container:2: [Resources] IOWeight=10001: invalid weight (expected an integer from 1 to "
          "10000)" },
        { "TasksMax=0", RS "TasksMax=0\n",
          "t.container:2: [Resources] TasksMax=0: invalid task limit (expected a positive integer or "
          "\"infinity\")" },
        { "reversed CPU range", RS "AllowedCPUs=3-1\n",
          "t.container:2: [Resources] AllowedCPUs=3-1: invalid CPU list (expected CPU numbers and ranges "
          "from 0 "
          "to "
          "8191, such as 0-3,6)" },
        { "CPU list with a word", RS "AllowedCPUs=0,all\n",
          "t.container:2: [Resources] AllowedCPUs=0,all: invalid CPU list (expected CPU numbers and ranges "
          "from "
          "0 "
          "to 8191, such as 0-3,6)" },
        { "slice without .slice", RS "Slice=machine\n",
          "t.container:2: [Resources] Slice=machine: invalid slice name (expected a unit name ending in "
          ".slice, "
          "such as machine.slice)" },
        { "slice path escape", RS "Slice=../x.slice\n",
          "t.container:2: [Resources] Slice=../x.slice: invalid slice name (expected a unit name ending in "
          ".slice, "
          "such as machine.slice)" },
        /* [Security] */
        { "unaligned UID base", SC "PrivateUsers=0x80001\n",
          "t.container:2: [Security] PrivateUsers=0x80001: invalid UID base (expected a multiple of 65536 "
          "from "
          "0x00080000 to 0x6FFF0000)" },
        { "UID base below the container range", SC "PrivateUsers=65536\n",
          "t.container:2: [Security] PrivateUsers=65536: invalid UID base (expected a multiple of 65536 "
          "from "
          "0x00080000 to 0x6FFF0000)" },
        { "UID base above the container range", SC "PrivateUsers=0x70000000\n",
          "t.container:2: [Security] PrivateUsers=0x70000000: invalid UID base (expected a multiple of "
          "65536 "
          "from "
          "0x00080000 to 0x6FFF0000)" },
        { "UID range too large", SC "PrivateUsers=0x80000:65537\n",
          "t.container:2: [Security] PrivateUsers=0x80000:65537: invalid UID range size (expected 1 to "
          "65536)" },
        { "unknown user namespace mode", SC "PrivateUsers=host\n",
          "t.container:2: [Security] PrivateUsers=host: invalid user namespace setting (expected pick, "
          "identity, "
          "no, or BASE[:SIZE] with a numeric UID base)" },
        { "unknown capability", SC "Capability=CAP_NET_ADMIN CAP_FLY\n",
          "t.container:2: [Security] Capability=CAP_NET_ADMIN CAP_FLY: unknown capability \"CAP_FLY\" "
          "(expected "
          "names such as CAP_NET_ADMIN or net_admin, or \"all\")" },
        { "capability by number", SC "DropCapability=21\n",
          "t.container:2: [Security] DropCapability=21: unknown capability \"21\" (expected names such as "
          "CAP_NET_ADMIN or net_admin, or \"all\")" },
        { "upper-case system call", SC "SystemCallFilter=Mount\n",
          "t.container:2: [Security] SystemCallFilter=Mount: invalid system call filter entry \"Mount\" "
          "(expected "
          "NAME, @SET, ~NAME or ~@SET in lower case)" },
        { "double negation", SC "SystemCallFilter=~~mount\n",
          "t.container:2: [Security] SystemCallFilter=~~mount: invalid system call filter entry \"~~mount\" "
          "(expected NAME, @SET, ~NAME or ~@SET in lower case)" },
        { "SELinux type with ':'", SC "SELinuxType=a:b\n",
          "t.container:2: [Security] SELinuxType=a:b: invalid SELinux type (expected a type name such as "
          "container_t)" },
        { "SELinux label too short", SC "SELinuxLabel=container_t\n",
          "t.container:2: [Security] SELinuxLabel=container_t: invalid SELinux label (expected "
          "USER:ROLE:TYPE:LEVEL "
          "such as system_u:system_r:container_t:s0:c1,c2, or \"disable\")" },
        { "SELinux label and type together", SC "SELinuxType=spc_t\nSELinuxLabel=u:r:t:s0\n",
          "t.container:3: [Security] SELinuxLabel=u:r:t:s0: SELinuxLabel= and SELinuxType= exclude each "
          "other "
          "(expected only one: the label already names the type)" },
        { "NoNewPrivileges=2", SC "NoNewPrivileges=2\n",
          "t.container:2: [Security] NoNewPrivileges=2: invalid boolean (expected yes, no, true, false, on, "
          "off, "
          "1 "
          "or 0)" },
        /* [Files] */
        { "bind source escaping with ..", FI "Bind=/srv/../etc:/etc2\n",
          "t.container:2: [Files] Bind=/srv/../etc:/etc2: invalid bind source \"/srv/../etc\" (expected an "
          "absolute path without \"..\" components)" },
        { "bind destination escaping with ..", FI "BindReadOnly=/srv:/data/../../host\n",
          "t.container:2: [Files] BindReadOnly=/srv:/data/../../host: invalid bind destination "
          "\"/data/../../host\" (expected an absolute path without \"..\" components)" },
        { "relative bind source", FI "Bind=srv:/srv\n",
          "t.container:2: [Files] Bind=srv:/srv: invalid bind source \"srv\" (expected an absolute path "
          "without "
          "\"..\" components)" },
        { "bind over the root", FI "Bind=/srv:/\n",
          "t.container:2: [Files] Bind=/srv:/: invalid bind destination \"/\" (expected a directory below "
          "/, not "
          "the container's root)" },
        { "unknown bind option", FI "Bind=/srv:/srv:rbind,noexec\n",
          "t.container:2: [Files] Bind=/srv:/srv:rbind,noexec: unknown bind option \"noexec\" (expected "
          "rbind, "
          "norbind, idmap or ro, comma-separated)" },
        { "unbalanced quote in Bind=", FI "Bind=\"/srv\n",
          "t.container:2: [Files] Bind=\"/srv: invalid quoting (expected words separated by spaces, with "
          "balanced "
          "\"double\" or 'single' quotes and valid backslash escapes)" },
        { "tmpfs with relative path", FI "TemporaryFileSystem=tmp\n",
          "t.container:2: [Files] TemporaryFileSystem=tmp: invalid tmpfs path \"tmp\" (expected an absolute "
          "path "
          "without \"..\" components)" },
        { "tmpfs with bad mode", FI "TemporaryFileSystem=/tmp:mode=99999\n",
          "t.container:2: [Files] TemporaryFileSystem=/tmp:mode=99999: invalid tmpfs option \"mode=99999\" "
          "(expected mode=, size=, nr_inodes=, uid=, gid=, ro, rw, nosuid, suid, nodev, dev, noexec, exec, "
          "noatime, "
          "relatime, strictatime, comma-separated)" },
        /* [Network], [Install] */
        { "Port= out of range", "[Network]\nVirtualEthernet=yes\nPort=8080:70000\n",
          "t.container:3: [Network] Port=8080:70000: port out of range in \"8080:70000\" (expected ports "
          "from 1 "
          "to 65535)" },
        { "Port= host port 0", "[Network]\nVirtualEthernet=yes\nPort=tcp:0\n",
          "t.container:3: [Network] Port=tcp:0: port out of range in \"tcp:0\" (expected ports from 1 to "
          "65535)" },
        { "Port= bad syntax", "[Network]\nVirtualEthernet=yes\nPort=sctp:80\n",
          "t.container:3: [Network] Port=sctp:80: invalid port \"sctp:80\" (expected "
          "[tcp:|udp:]HOSTPORT[:CONTAINERPORT], such as 8080:80 or udp:53)" },
        { "Port= duplicate", "[Network]\nVirtualEthernet=yes\nPort=8080:80\nPort=tcp:8080:81\n",
          "t.container:4: [Network] Port=tcp:8080:81: duplicate port tcp:8080 (expected each host port once "
          "per "
          "protocol: it leads to one container port)" },
        { "Port= without VirtualEthernet=", "[Network]\nPort=8080:80\n",
          "t.container:2: [Network] Port=8080:80: Port= needs VirtualEthernet=yes (expected "
          "VirtualEthernet=yes "
          "in [Network]: ports are published to the container's own interface)" },
        { "HostAccess= without VirtualEthernet=", "[Network]\nHostAccess=yes\n",
          "t.container:2: [Network] HostAccess=yes: HostAccess=yes needs VirtualEthernet=yes (expected "
          "VirtualEthernet=yes in [Network]: HostAccess= opens the host to the container's own interface)" },
        { "Private=no with VirtualEthernet=yes", "[Network]\nPrivate=no\nVirtualEthernet=yes\n",
          "t.container:2: [Network] Private=no: Private=no cannot be combined with VirtualEthernet=yes "
          "(expected Private=yes: the veth pair is the container's own network namespace)" },
        { "Address= not a /30 network", "[Network]\nVirtualEthernet=yes\nAddress=10.1.2.3/30\n",
          "t.container:3: [Network] Address=10.1.2.3/30: invalid address (expected the network of the "
          "container's /30, such as 10.213.7.4/30: the host gets .5, the container .6)" },
        { "AddressPool= without prefix", "[Network]\nVirtualEthernet=yes\nAddressPool=10.9.0.0\n",
          "t.container:3: [Network] AddressPool=10.9.0.0: invalid address pool (expected a network from /8 "
          "to "
          "/30 in CIDR notation with its host bits zero, such as 10.213.0.0/16)" },
        { "ResolvConf= bad", "[Network]\nResolvConf=public\n",
          "t.container:2: [Network] ResolvConf=public: invalid value (expected auto or no)" },
        { "Private=maybe", "[Network]\nPrivate=maybe\n",
          "t.container:2: [Network] Private=maybe: invalid boolean (expected yes, no, true, false, on, off, "
          "1 or "
          "0)" },
        { "WantedBy= without unit type", "[Install]\nWantedBy=machines\n",
          "t.container:2: [Install] WantedBy=machines: invalid unit name \"machines\" (expected a unit name "
          "such "
          "as "
          "machines.target)" },
        { "WantedBy= with a path", "[Install]\nWantedBy=../x.target\n",
          "t.container:2: [Install] WantedBy=../x.target: invalid unit name \"../x.target\" (expected a "
          "unit "
          "name "
          "such as machines.target)" },
        /* credentials (issue 19): a SetCredential= value is never shown */
        { "SetCredential= without ID", CT "SetCredential=hunter2\n",
          "t.container:2: [Container] SetCredential=...: missing ':' (expected ID:VALUE)" },
        { "SetCredential= with '/' in the ID", CT "SetCredential=a/b:hunter2\n",
          "t.container:2: [Container] SetCredential=a/b:...: invalid credential ID \"a/b\" (expected "
          "ID:VALUE with "
          "an ID that is a file name: not empty, no '/', not \".\" or \"..\", at most 255 bytes)" },
        { "SetCredential= in [Files]", FI "SetCredential=x:hunter2\n",
          "t.container:2: [Files] SetCredential=x:...: unknown key in [Files] (SetCredential= belongs in "
          "[Container])" },
        { "LoadCredential= with a relative path", CT "LoadCredential=a:rel\n",
          "t.container:2: [Container] LoadCredential=a:rel: invalid credential source \"rel\" (expected an "
          "absolute path without \"..\" components)" },
        { "LoadCredential= with an empty ID", CT "LoadCredential=:/etc/hostname\n",
          "t.container:2: [Container] LoadCredential=:/etc/hostname: invalid credential ID \"\" (expected "
          "ID:PATH "
          "with an ID that is a file name: not empty, no '/', not \".\" or \"..\", at most 255 bytes)" },
        { "ImportCredential= with '/'", CT "ImportCredential=a/*\n",
          "t.container:2: [Container] ImportCredential=a/*: invalid credential glob (expected a glob over "
          "credential IDs, e.g. \"db.*\": no '/', at most 255 bytes)" },
        /* DeviceAllow= (issue 21) */
        { "DeviceAllow= outside /dev", SC "DeviceAllow=/etc/passwd r\n",
          "t.container:2: [Security] DeviceAllow=/etc/passwd r: invalid device \"/etc/passwd\" (expected a "
          "device "
          "node below /dev such as /dev/fuse, without \"..\" components, or char-GROUP/block-GROUP)" },
        { "DeviceAllow= escaping /dev", SC "DeviceAllow=/dev/../etc/passwd\n",
          "t.container:2: [Security] DeviceAllow=/dev/../etc/passwd: invalid device \"/dev/../etc/passwd\" "
          "(expected a device node below /dev such as /dev/fuse, without \"..\" components, or "
          "char-GROUP/block-GROUP)" },
        { "DeviceAllow= of /dev itself", SC "DeviceAllow=/dev rw\n",
          "t.container:2: [Security] DeviceAllow=/dev rw: invalid device \"/dev\" (expected a device node "
          "below "
          "/dev such as /dev/fuse, without \"..\" components, or char-GROUP/block-GROUP)" },
        { "DeviceAllow= of a bad group", SC "DeviceAllow=usb rw\n",
          "t.container:2: [Security] DeviceAllow=usb rw: invalid device \"usb\" (expected a device node "
          "below "
          "/dev such as /dev/fuse, or char-GROUP/block-GROUP with a group named in /proc/devices)" },
        { "DeviceAllow= with a bad access", SC "DeviceAllow=/dev/fuse rx\n",
          "t.container:2: [Security] DeviceAllow=/dev/fuse rx: invalid device access \"rx\" (expected some "
          "of r, "
          "w and m, e.g. rw)" },
        { "DeviceAllow= with three words", SC "DeviceAllow=/dev/fuse r w\n",
          "t.container:2: [Security] DeviceAllow=/dev/fuse r w: too many words (expected a device and its "
          "access, "
          "e.g. \"/dev/fuse rw\")" },
};

static void test_table(void)
{
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                check_errors(table[i].what, table[i].data, table[i].expected);
}

static void test_bytes(void)
{
        static const char nul[] = "[Container]\nHostname=a\0b\nUser=root:x\n";
        char expected[512];
        size_t big = 1024 * 1024;
        char *data;

        check_errors_n(
                "NUL byte", nul, sizeof(nul) - 1,
                "t.container:2: line contains a NUL byte (expected text)\n"
                "t.container:3: [Container] User=root:x: invalid user (expected a user name of letters, "
                "digits, '_', '.' and '-', or a numeric UID from 0 to 65534)");

        /* A 1 MiB line: refused on its own, the lines after it are still checked. */
        data = malloc(big + 64);
        strcpy(data, "[Container]\nExec=/bin/echo ");
        memset(data + strlen(data), 'A', big);
        strcpy(data + strlen("[Container]\nExec=/bin/echo ") + big, "\nNotify=nah\n");
        snprintf(expected, sizeof(expected),
                 "t.container:2: line too long (%zu bytes, at most 65536)\n"
                 "t.container:3: [Container] Notify=nah: invalid boolean (expected yes, no, true, false, "
                 "on, off, "
                 "1 or 0)",
                 strlen("Exec=/bin/echo ") + big);
        check_errors("1 MiB line", data, expected);

        /* Continued lines that together exceed the limit. */
        strcpy(data, "[Container]\nExec=/bin/echo ");
        for (int i = 0; i < 3; i++) {
                size_t n = strlen(data);
                memset(data + n, 'B', 30000);
                strcpy(data + n + 30000, " \\\n");
        }
        strcat(data, "end\n");
        check_errors("continued line over 64 KiB", data,
                     "t.container:2: continued line too long (more than 65536 bytes)");
        free(data);

        /* A file over 4 MiB. */
        size_t huge = 4 * 1024 * 1024 + 1;
        data = malloc(huge);
        memset(data, '#', huge);
        data[huge - 1] = '\n';
        check_errors_n("file over 4 MiB", data, huge,
                       "t.container: file too large (more than 4194304 bytes)");
        free(data);

        /* Long value: shown cut at 80 characters. */
        data = malloc(300);
        strcpy(data, "[Container]\nHostname=");
        memset(data + strlen(data), 'x', 100);
        strcpy(data + strlen("[Container]\nHostname=") + 100, "\n");
        snprintf(expected, sizeof(expected),
                 "t.container:2: [Container] Hostname=%.80s...: invalid hostname (expected letters, digits "
                 "and '-' "
                 "in dot-separated labels, at most 64 characters)",
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                 "xxxxxxxxxx");
        check_errors("over-long value is cut in the message", data, expected);
        free(data);
}

static void test_names(void)
{
        ContainerConfig *c = NULL;
        char **errors = NULL;
        char path[4096];
        int r;

        test_write(dir, "bad_name.container", "[Container]\n");
        snprintf(path, sizeof(path), "%s/bad_name.container", dir);
        r = config_load(path, &c, &errors);
        CHECK(r == -EINVAL && !c && strv_length(errors) == 1,
              "file with an invalid container name is refused");
        if (errors) {
                char expected[4500];
                snprintf(expected, sizeof(expected),
                         "%s: invalid container name \"bad_name\" (expected letters, digits and '-' in "
                         "dot-separated labels, at most 64 characters, not \"uid\", \"mcs\", \"net\" or "
                         "\"seccomp\")",
                         path);
                CHECK_STREQ(errors[0], expected, "invalid file name: exact error line");
        }
        errors = strv_free(errors);

        test_write(dir, "uid.container", "[Container]\n");
        snprintf(path, sizeof(path), "%s/uid.container", dir);
        r = config_load(path, &c, &errors);
        CHECK(r == -EINVAL && !c, "reserved name uid is refused");
        errors = strv_free(errors);

        static const char *const bad_names[] = { "..", "a..b", "-x", "uid", "mcs", "net", "seccomp", "x y" };
        for (size_t i = 0; i < ELEMENTSOF(bad_names); i++) {
                char expected[512];
                r = config_load(bad_names[i], &c, &errors);
                snprintf(expected, sizeof(expected),
                         "invalid container name \"%s\" (expected letters, digits and '-' in dot-separated "
                         "labels, "
                         "at most 64 characters, not \"uid\", \"mcs\", \"net\" or \"seccomp\")",
                         bad_names[i]);
                CHECK(r == -EINVAL && !c && strv_length(errors) == 1, "name \"%s\" refused", bad_names[i]);
                CHECK_STREQ(errors ? errors[0] : NULL, expected, "name \"%s\": exact error line",
                            bad_names[i]);
                errors = strv_free(errors);
        }

        r = config_load("../../etc/passwd", &c, &errors);
        CHECK(r == -EINVAL && !c, "a path not ending in .container is refused");
        CHECK_STREQ(errors ? errors[0] : NULL,
                    "../../etc/passwd: not a container file (expected a file name ending in .container)",
                    "path escape: exact error line");
        errors = strv_free(errors);
}

int main(void)
{
        dir = test_tmpdir();
        CHECK(ELEMENTSOF(table) >= 40, "at least 40 malformed inputs in the table (%zu)", ELEMENTSOF(table));
        test_table();
        test_bytes();
        test_names();
        test_rm_rf(dir);
        free(dir);
        return test_done();
}
