/* Extended attributes on a file under tmp/: the user, trusted and security namespaces,
   XATTR_CREATE/REPLACE, size queries and ERANGE, name and value limits, unknown namespaces,
   what an unprivileged caller may do, and xattrs of pipes and symlinks. Name lists are
   printed sorted: the order is the filesystem's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wstringop-overread"
#pragma GCC diagnostic ignored "-Wstringop-overflow"

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-36s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *label, ssize_t n, const char *buf) {
    if (n < 0) { printf("%s: %s\n", label, strerrorname_np(errno)); return; }
    const char *names[64];
    int k = 0;
    for (const char *q = buf; q < buf + n && k < 64; q += strlen(q) + 1) names[k++] = q;
    qsort(names, k, sizeof names[0], cmpstr);
    printf("%s (%zd bytes):", label, n);
    for (int i = 0; i < k; i++) printf(" %s", names[i]);
    printf("\n");
}

static void as_user(int uid) {
    if (syscall(SYS_setresuid, -1, uid, -1) < 0) printf("setresuid %d: %s\n", uid, strerrorname_np(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *p = "tmp/xattr_a";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    char buf[1024];
    ssize_t n;

    n = listxattr(p, buf, sizeof buf);
    list("initial list", n, buf);
    TRY("set user.one", setxattr(p, "user.one", "1", 1, 0));
    TRY("set user.two", setxattr(p, "user.two", "22", 2, 0));
    TRY("fset user.three", fsetxattr(fd, "user.three", "333", 3, 0));
    TRY("set trusted.t", setxattr(p, "trusted.t", "tt", 2, 0));
    TRY("set security.s", setxattr(p, "security.s", "sss", 3, 0));
    TRY("set empty value", setxattr(p, "user.empty", "", 0, 0));
    n = listxattr(p, buf, sizeof buf);
    list("list", n, buf);
    TRY("list size query", listxattr(p, NULL, 0));
    TRY("list small buffer", listxattr(p, buf, 5));
    TRY("flist", flistxattr(fd, buf, sizeof buf));
    n = getxattr(p, "user.two", buf, sizeof buf);
    printf("get user.two -> %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    TRY("get size query", getxattr(p, "user.three", NULL, 0));
    TRY("get small buffer", getxattr(p, "user.three", buf, 2));
    TRY("get empty value", getxattr(p, "user.empty", buf, sizeof buf));
    TRY("get missing", getxattr(p, "user.nope", buf, sizeof buf));
    TRY("fget trusted", fgetxattr(fd, "trusted.t", buf, sizeof buf));
    TRY("get security", getxattr(p, "security.s", buf, sizeof buf));

    TRY("create existing", setxattr(p, "user.one", "x", 1, XATTR_CREATE));
    TRY("create new", setxattr(p, "user.four", "4", 1, XATTR_CREATE));
    TRY("replace missing", setxattr(p, "user.five", "5", 1, XATTR_REPLACE));
    TRY("replace existing", setxattr(p, "user.one", "one", 3, XATTR_REPLACE));
    n = getxattr(p, "user.one", buf, sizeof buf);
    printf("get user.one -> %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    TRY("create|replace", setxattr(p, "user.one", "x", 1, XATTR_CREATE | XATTR_REPLACE));
    TRY("bad flags", setxattr(p, "user.one", "x", 1, 4));

    TRY("unknown namespace", setxattr(p, "foo.bar", "x", 1, 0));
    TRY("get unknown namespace", getxattr(p, "foo.bar", buf, sizeof buf));
    TRY("system.foo", setxattr(p, "system.foo", "x", 1, 0));
    TRY("bare user.", setxattr(p, "user.", "x", 1, 0));
    TRY("get bare user.", getxattr(p, "user.", buf, sizeof buf));
    TRY("no dot", setxattr(p, "user", "x", 1, 0));
    TRY("empty name", setxattr(p, "", "x", 1, 0));
    TRY("get empty name", getxattr(p, "", buf, sizeof buf));
    char longname[300];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[255] = 0;
    TRY("name of 255 bytes", setxattr(p, longname, "x", 1, 0));
    TRY("remove it", removexattr(p, longname));
    longname[255] = 'a';
    longname[256] = 0;
    TRY("name of 256 bytes", setxattr(p, longname, "x", 1, 0));
    TRY("get name of 256 bytes", getxattr(p, longname, buf, sizeof buf));
    TRY("remove name of 256 bytes", removexattr(p, longname));
    static char big[70000];
    TRY("value too big", setxattr(p, "user.big", big, 65537, 0));
    TRY("value bad pointer", setxattr(p, "user.bad", (void *)8, 10, 0));
    TRY("name bad pointer", setxattr(p, (char *)8, "x", 1, 0));
    TRY("get into bad pointer", getxattr(p, "user.two", (void *)8, 10));

    TRY("remove user.two", removexattr(p, "user.two"));
    TRY("remove again", removexattr(p, "user.two"));
    TRY("fremove user.three", fremovexattr(fd, "user.three"));
    TRY("remove unknown namespace", removexattr(p, "foo.bar"));
    n = flistxattr(fd, buf, sizeof buf);
    list("list", n, buf);

    TRY("missing file", setxattr("tmp/xattr_missing", "user.x", "x", 1, 0));
    TRY("empty path", getxattr("", "user.x", buf, sizeof buf));
    TRY("bad fd", fgetxattr(99, "user.x", buf, sizeof buf));
    TRY("bad fd, bad name", fsetxattr(99, "", "x", 1, 0));
    TRY("bad fd, bad flags", fsetxattr(99, "user.x", "x", 1, 8));
    TRY("bad fd, fget bad name", fgetxattr(99, "", buf, sizeof buf));
    TRY("bad fd, fremove bad name", fremovexattr(99, ""));
    int op = open(p, O_PATH);
    TRY("O_PATH fget", fgetxattr(op, "user.one", buf, sizeof buf));
    TRY("O_PATH fset", fsetxattr(op, "user.one", "x", 1, 0));
    TRY("O_PATH flist", flistxattr(op, buf, sizeof buf));
    TRY("O_PATH fremove", fremovexattr(op, "user.one"));
    close(op);

    /* A symlink has no user.* attributes; lget does not follow it, get does. */
    TRY("lget user on a symlink", lgetxattr("data/link", "user.x", buf, sizeof buf));
    TRY("llist on a symlink", llistxattr("data/link", buf, sizeof buf));

    /* Pipes: no user.* (not a regular file), no handlers for the rest. */
    int pp[2];
    pipe(pp);
    TRY("pipe fget user", fgetxattr(pp[0], "user.x", buf, sizeof buf));
    TRY("pipe fset user", fsetxattr(pp[1], "user.x", "x", 1, 0));
    TRY("pipe fget trusted", fgetxattr(pp[0], "trusted.x", buf, sizeof buf));
    TRY("pipe fset security", fsetxattr(pp[0], "security.x", "x", 1, 0));
    TRY("pipe flist", flistxattr(pp[0], buf, sizeof buf));
    TRY("pipe fremove user", fremovexattr(pp[0], "user.x"));
    close(pp[0]);
    close(pp[1]);

    /* Without privileges: trusted.* is invisible, security.* cannot change, user.* needs permission. */
    as_user(1000);
    n = listxattr(p, buf, sizeof buf);
    list("unprivileged list", n, buf);
    TRY("unprivileged get trusted", getxattr(p, "trusted.t", buf, sizeof buf));
    TRY("unprivileged set trusted", setxattr(p, "trusted.t", "x", 1, 0));
    TRY("unprivileged get security", getxattr(p, "security.s", buf, sizeof buf));
    TRY("unprivileged set security", setxattr(p, "security.s", "x", 1, 0));
    TRY("unprivileged remove security", removexattr(p, "security.s"));
    TRY("unprivileged get user (0644)", getxattr(p, "user.one", buf, sizeof buf));
    TRY("unprivileged set user (0644)", setxattr(p, "user.one", "x", 1, 0));
    TRY("unprivileged remove user (0644)", removexattr(p, "user.one"));
    TRY("unprivileged set unknown", setxattr(p, "foo.bar", "x", 1, 0));
    as_user(0);
    fchmod(fd, 0600);
    as_user(1000);
    TRY("unprivileged get user (0600)", getxattr(p, "user.one", buf, sizeof buf));
    TRY("unprivileged get unknown (0600)", getxattr(p, "foo.bar", buf, sizeof buf));
    as_user(0);
    fchmod(fd, 0666);
    as_user(1000);
    TRY("unprivileged set user (0666)", setxattr(p, "user.one", "mine", 4, 0));
    as_user(0);
    n = getxattr(p, "user.one", buf, sizeof buf);
    printf("get user.one -> %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    close(fd);
    return 0;
}
