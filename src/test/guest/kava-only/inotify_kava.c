/* What qemu's run on the host cannot show of inotify: /proc (the descriptor's link and fdinfo
   lines), INOTIFY_IOC_SETNEXTWD (unknown to qemu-user), O_TMPFILE (qemu-user refuses the flag),
   IN_UNMOUNT (needs a mount), and the limits of /proc/sys/fs/inotify, which the test lowers
   (the host's are shared with everything else root runs there).
   The output up to "== limits" was made by this program compiled for x86-64 and run on
   Linux 6.18 as root in a private mount namespace with a fresh tmpfs on tmp/ (kava's /tmp);
   the limits part follows inotify_user.c and kernel/ucount.c (a user at its limit gets
   ENOSPC for a watch and EMFILE for an instance; past max_queued_events one IN_Q_OVERFLOW). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

#ifndef INOTIFY_IOC_SETNEXTWD
#define INOTIFY_IOC_SETNEXTWD _IOW('I', 0, __s32)
#endif

static const char *const NAMES[32] = {
    "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO",
    "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", NULL, "UNMOUNT", "Q_OVERFLOW", "IGNORED",
    [30] = "ISDIR",
};

static void drain(int fd, const char *label) {
    char buf[4096] __attribute__((aligned(8)));
    printf("%s:\n", label);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno != EAGAIN) printf("  read: %s\n", strerrorname_np(errno));
            return;
        }
        for (ssize_t off = 0; off < n;) {
            struct inotify_event *e = (void *)(buf + off);
            printf("  wd=%d ", e->wd);
            const char *sep = "";
            for (int b = 0; b < 32; b++) {
                if (!(e->mask & (1u << b))) continue;
                if (NAMES[b]) printf("%s%s", sep, NAMES[b]);
                else printf("%s0x%x", sep, 1u << b);
                sep = "|";
            }
            if (e->len) printf(" name%s", e->name[0] == '#' ? "=#<ino>" : "=");
            if (e->len && e->name[0] != '#') printf("%s", e->name);
            printf("\n");
            off += sizeof *e + e->len;
        }
    }
}

static void touch(const char *path) {
    close(open(path, O_WRONLY | O_CREAT, 0644));
}

static void proc(void) {
    printf("== proc\n");
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, text, sizeof text - 1);
    printf("fd link: %.*s\n", (int)(n < 0 ? 0 : n), text);
    mkdir("tmp/w", 0755);
    touch("tmp/w/f");
    inotify_add_watch(fd, "tmp/w", IN_CREATE | IN_DELETE);
    inotify_add_watch(fd, "tmp/w/f", IN_MODIFY | IN_ONESHOT | IN_EXCL_UNLINK);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int info = open(path, O_RDONLY);
    n = read(info, text, sizeof text - 1);
    close(info);
    text[n < 0 ? 0 : n] = 0;
    struct stat dir, file;
    stat("tmp/w", &dir);
    stat("tmp/w/f", &file);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned wd, sdev, mask, ignored;
        unsigned long ino;
        if (sscanf(line, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x", &wd, &ino, &sdev, &mask, &ignored) == 5) {
            struct stat *st = wd == 1 ? &dir : &file;
            unsigned kdev = (major(st->st_dev) << 20) | minor(st->st_dev);
            printf("inotify wd:%x ino %s sdev %s mask:%x ignored_mask:%x\n", wd, ino == st->st_ino ? "ok" : "wrong",
                   sdev == kdev ? "ok" : "wrong", mask, ignored);
        } else if (!strncmp(line, "pos:", 4) || !strncmp(line, "flags:", 6)) {
            printf("%s\n", line);
        }
    }
    printf("== ioctls\n");
    int q = -1;
    TRY("FIONREAD", ioctl(fd, FIONREAD, &q));
    printf("queued %d\n", q);
    TRY("FIONREAD bad pointer", ioctl(fd, FIONREAD, (int *)8));
    TRY("SETNEXTWD 0", ioctl(fd, INOTIFY_IOC_SETNEXTWD, 0));
    TRY("SETNEXTWD -1", ioctl(fd, INOTIFY_IOC_SETNEXTWD, -1L));
    TRY("SETNEXTWD 2^31", ioctl(fd, INOTIFY_IOC_SETNEXTWD, 1L << 31));
    TRY("SETNEXTWD 100", ioctl(fd, INOTIFY_IOC_SETNEXTWD, 100));
    mkdir("tmp/w/sub", 0755);
    TRY("add_watch: wd 100", inotify_add_watch(fd, "tmp/w/sub", IN_ALL_EVENTS));
    TRY("SETNEXTWD 1 (taken: the next free)", ioctl(fd, INOTIFY_IOC_SETNEXTWD, 1));
    TRY("add_watch", inotify_add_watch(fd, "tmp", IN_ALL_EVENTS));
    TRY("SETNEXTWD 0x7fffffff", ioctl(fd, INOTIFY_IOC_SETNEXTWD, 0x7fffffffL));
    touch("tmp/w/g");
    TRY("add_watch: INT_MAX", inotify_add_watch(fd, "tmp/w/g", IN_ALL_EVENTS));
    touch("tmp/w/h");
    TRY("add_watch: wraps to the lowest free", inotify_add_watch(fd, "tmp/w/h", IN_ALL_EVENTS));
    TRY("TCGETS", ioctl(fd, TCGETS, text));
    drain(fd, "events");
    close(fd);
}

static void tmpfiles(void) {
    printf("== O_TMPFILE\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/t", 0755);
    inotify_add_watch(fd, "tmp/t", IN_ALL_EVENTS);
    int f = open("tmp/t", O_RDWR | O_TMPFILE, 0600);
    printf("open O_TMPFILE %s\n", f >= 0 ? "ok" : strerrorname_np(errno));
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    TRY("watch it through /proc/self/fd", inotify_add_watch(fd, path, IN_ALL_EVENTS));
    write(f, "x", 1);
    drain(fd, "open, write");
    close(f);
    drain(fd, "close");
    f = open("tmp/t", O_RDWR | O_TMPFILE, 0600);
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    TRY("watch another", inotify_add_watch(fd, path, IN_ALL_EVENTS));
    TRY("linkat it", linkat(f, "", AT_FDCWD, "tmp/t/named", AT_EMPTY_PATH));
    close(f);
    drain(fd, "linkat, close");
    close(fd);
    fd = inotify_init1(IN_NONBLOCK);
    f = open("tmp/t/named", O_RDONLY);
    unlink("tmp/t/named");
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    TRY("watch an open file after its unlink", inotify_add_watch(fd, path, IN_ALL_EVENTS));
    close(f);
    drain(fd, "close it");
    close(fd);
}

static void unmount(void) {
    printf("== unmount\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/m", 0755);
    TRY("mount tmpfs", mount("none", "tmp/m", "tmpfs", 0, NULL));
    mkdir("tmp/m/d", 0755);
    touch("tmp/m/f");
    TRY("watch the mount's root", inotify_add_watch(fd, "tmp/m", IN_ALL_EVENTS));
    TRY("watch d", inotify_add_watch(fd, "tmp/m/d", IN_ALL_EVENTS));
    TRY("watch f", inotify_add_watch(fd, "tmp/m/f", IN_ALL_EVENTS));
    TRY("watch tmp", inotify_add_watch(fd, "tmp", IN_ALL_EVENTS));
    drain(fd, "before");
    TRY("umount busy (an open file)", ({ int o = open("tmp/m/f", O_RDONLY); long r = umount("tmp/m"); close(o); r; }));
    drain(fd, "open and close f");
    TRY("umount", umount("tmp/m"));
    drain(fd, "umount");
    TRY("watch the mountpoint now", inotify_add_watch(fd, "tmp/m", IN_ALL_EVENTS));
    TRY("mount again, bind it", mount("none", "tmp/m", "tmpfs", 0, NULL));
    mkdir("tmp/b", 0755);
    TRY("bind mount", mount("tmp/m", "tmp/b", NULL, MS_BIND, NULL));
    TRY("watch through the bind", inotify_add_watch(fd, "tmp/b", IN_ALL_EVENTS));
    TRY("umount the first", umount("tmp/m"));
    drain(fd, "umount one of two mounts (nothing)");
    TRY("umount the bind", umount("tmp/b"));
    drain(fd, "umount the last mount");
    close(fd);
}

static long sysctl_read(const char *name) {
    char path[128], v[32] = "";
    snprintf(path, sizeof path, "/proc/sys/fs/inotify/%s", name);
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, v, sizeof v - 1);
    close(fd);
    return n > 0 ? atol(v) : -1;
}

static long sysctl_write(const char *name, const char *value) {
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/fs/inotify/%s", name);
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    long r = write(fd, value, strlen(value));
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static __attribute__((unused)) void limits(void) {
    printf("== limits\n");
    long watches = sysctl_read("max_user_watches");
    printf("max_queued_events %ld max_user_instances %ld max_user_watches > 8191: %d\n",
           sysctl_read("max_queued_events"), sysctl_read("max_user_instances"), watches > 8191);
    struct stat st;
    stat("/proc/sys/fs/inotify/max_user_watches", &st);
    printf("mode %o\n", st.st_mode & 07777);
    TRY("write -1 to max_user_instances", sysctl_write("max_user_instances", "-1\n"));
    TRY("write abc", sysctl_write("max_user_instances", "abc"));
    TRY("write 12x", sysctl_write("max_user_instances", "12x"));
    TRY("write 2147483648", sysctl_write("max_user_instances", "2147483648"));
    TRY("write -1 to max_queued_events", sysctl_write("max_queued_events", "-1"));
    TRY("write 3 to max_queued_events", sysctl_write("max_queued_events", "  3\n"));
    printf("max_queued_events %ld\n", sysctl_read("max_queued_events"));
    int fd = inotify_init1(IN_NONBLOCK);
    TRY("write 16384 back", sysctl_write("max_queued_events", "16384"));
    mkdir("tmp/l", 0755);
    inotify_add_watch(fd, "tmp/l", IN_CREATE);
    touch("tmp/l/a");
    touch("tmp/l/b");
    touch("tmp/l/c");
    touch("tmp/l/d");
    touch("tmp/l/e");
    drain(fd, "five creates, a queue of 3");
    touch("tmp/l/f");
    drain(fd, "one more");
    close(fd);

    TRY("write 2 to max_user_watches", sysctl_write("max_user_watches", "2"));
    fd = inotify_init1(IN_NONBLOCK);
    TRY("watch 1", inotify_add_watch(fd, "tmp/l", IN_CREATE));
    TRY("watch 2", inotify_add_watch(fd, "tmp/l/a", IN_CREATE));
    TRY("watch 3", inotify_add_watch(fd, "tmp/l/b", IN_CREATE));
    TRY("watch 1 again (no new watch)", inotify_add_watch(fd, "tmp/l", IN_DELETE));
    int other = inotify_init1(IN_NONBLOCK);
    TRY("watch in another instance", inotify_add_watch(other, "tmp/l/c", IN_CREATE));
    TRY("rm_watch 2", inotify_rm_watch(fd, 2));
    TRY("now it fits (wd 4: 3 was taken)", inotify_add_watch(fd, "tmp/l/b", IN_CREATE));
    close(fd);
    TRY("closing an instance frees its watches", inotify_add_watch(other, "tmp/l/c", IN_CREATE));
    close(other);
    char v[32];
    snprintf(v, sizeof v, "%ld\n", watches);
    TRY("write the old value back", sysctl_write("max_user_watches", v) == (long)strlen(v));
    printf("max_user_watches back: %d\n", sysctl_read("max_user_watches") == watches);

    TRY("write 1 to max_user_instances", sysctl_write("max_user_instances", "1"));
    fd = inotify_init1(0);
    TRY("a second instance", inotify_init1(0));
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) _exit(2);
        TRY("another user's instance", inotify_init1(0) >= 0);
        TRY("another user writes a limit", sysctl_write("max_user_instances", "5"));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    close(fd);
    TRY("after closing the first", ({ int f = inotify_init1(0); close(f); f >= 0 ? 1 : f; }));
    TRY("write 128 back", sysctl_write("max_user_instances", "128"));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    proc();
    tmpfiles();
    unmount();
#ifndef NO_LIMITS
    limits();
#endif
    return 0;
}
