/* inotify: the syscalls' errors, the events the VFS operations make in watched directories and
   on watched files (names, IN_ISDIR, cookies pairing the halves of a rename), IN_ONESHOT,
   IN_MASK_ADD, IN_MASK_CREATE, IN_EXCL_UNLINK, IN_IGNORED, the merging of identical events,
   reads (too small a buffer, non-blocking, blocking, interrupted), FIONREAD, poll, select and
   epoll readiness, and the queue's overflow. Files live under tmp/ (a tmpfs under kava, the host
   directory under qemu). Cookies and watch descriptors are compared, not printed raw where they
   could differ. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static const char *const NAMES[32] = {
    "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO",
    "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", NULL, "UNMOUNT", "Q_OVERFLOW", "IGNORED",
    [30] = "ISDIR",
};

static unsigned prev_cookie;

static void show_event(const struct inotify_event *e) {
    printf("  wd=%d ", e->wd);
    const char *sep = "";
    for (int b = 0; b < 32; b++) {
        if (!(e->mask & (1u << b))) continue;
        if (NAMES[b]) printf("%s%s", sep, NAMES[b]);
        else printf("%s0x%x", sep, 1u << b);
        sep = "|";
    }
    if (e->cookie) {
        printf(" cookie=%s", e->cookie == prev_cookie ? "same" : "new");
        prev_cookie = e->cookie;
    }
    if (e->len) printf(" len=%u name=%s", e->len, e->name);
    printf("\n");
}

/* Reads and prints every queued event of a non-blocking instance. */
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
            show_event(e);
            off += sizeof *e + e->len;
        }
    }
}

static void touch(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    close(fd);
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (write(fd, text, strlen(text)) < 0) perror("write");
    close(fd);
}

static void errors(void) {
    printf("== errors\n");
    TRY("inotify_init1(bad flag)", inotify_init1(1));
    TRY("inotify_init1(O_RDWR)", inotify_init1(O_RDWR));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("F_GETFD cloexec %d, F_GETFL rdonly|nonblock %d\n", fcntl(fd, F_GETFD) == FD_CLOEXEC,
           (fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND)) == (O_RDONLY | O_NONBLOCK));
    struct stat st;
    fstat(fd, &st);
    printf("fstat mode %o\n", st.st_mode);
    int plain = inotify_init1(0);
    printf("plain F_GETFD %d F_GETFL nonblock %d\n", fcntl(plain, F_GETFD), (fcntl(plain, F_GETFL) & O_NONBLOCK) != 0);
    close(plain);

    mkdir("tmp/e", 0755);
    touch("tmp/e/file");
    symlink("file", "tmp/e/link");
    symlink("nowhere", "tmp/e/dangling");
    int reg = open("tmp/e/file", O_RDONLY);
    int opath = open("tmp/e/file", O_PATH);
    TRY("add_watch mask 0", inotify_add_watch(fd, "tmp/e", 0));
    TRY("add_watch unknown bit 0x1000", inotify_add_watch(fd, "tmp/e", IN_MODIFY | 0x1000));
    TRY("add_watch bit 0x08000000", inotify_add_watch(fd, "tmp/e", IN_MODIFY | 0x08000000));
    TRY("add_watch bad fd", inotify_add_watch(-1, "tmp/e", IN_MODIFY));
    TRY("add_watch bad fd, ADD|CREATE", inotify_add_watch(99, "tmp/e", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    TRY("add_watch ADD|CREATE", inotify_add_watch(fd, "tmp/e", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    TRY("add_watch on a regular fd", inotify_add_watch(reg, "tmp/e", IN_MODIFY));
    TRY("add_watch on an O_PATH fd", inotify_add_watch(opath, "tmp/e", IN_MODIFY));
    TRY("add_watch missing", inotify_add_watch(fd, "tmp/e/none", IN_MODIFY));
    TRY("add_watch empty path", inotify_add_watch(fd, "", IN_MODIFY));
    TRY("add_watch NULL path", inotify_add_watch(fd, NULL, IN_MODIFY));
    TRY("add_watch ONLYDIR on a file", inotify_add_watch(fd, "tmp/e/file", IN_MODIFY | IN_ONLYDIR));
    TRY("add_watch ONLYDIR on a link to a file", inotify_add_watch(fd, "tmp/e/link", IN_MODIFY | IN_ONLYDIR));
    TRY("add_watch dangling link", inotify_add_watch(fd, "tmp/e/dangling", IN_MODIFY));
    TRY("add_watch file/ (trailing slash)", inotify_add_watch(fd, "tmp/e/file/", IN_MODIFY));
    TRY("add_watch ONLYDIR on a dir", inotify_add_watch(fd, "tmp/e", IN_MODIFY | IN_ONLYDIR));
    TRY("add_watch only flags (ONLYDIR)", inotify_add_watch(fd, "tmp/e", IN_ONLYDIR));
    TRY("add_watch same dir again", inotify_add_watch(fd, "tmp/e/.", IN_MODIFY));
    TRY("add_watch MASK_CREATE on it", inotify_add_watch(fd, "tmp/e", IN_MODIFY | IN_MASK_CREATE));
    TRY("add_watch file", inotify_add_watch(fd, "tmp/e/file", IN_MODIFY));
    TRY("add_watch link (followed: same wd)", inotify_add_watch(fd, "tmp/e/link", IN_MODIFY));
    TRY("add_watch link DONT_FOLLOW (new wd)", inotify_add_watch(fd, "tmp/e/link", IN_MODIFY | IN_DONT_FOLLOW));
    TRY("add_watch dangling DONT_FOLLOW", inotify_add_watch(fd, "tmp/e/dangling", IN_ATTRIB | IN_DONT_FOLLOW));
    TRY("add_watch MASK_CREATE new file", inotify_add_watch(fd, "tmp/e/file", IN_MODIFY | IN_MASK_CREATE));
    chmod("tmp/e/file", 0);
    TRY("add_watch root, mode 000", inotify_add_watch(fd, "tmp/e/file", IN_MODIFY | IN_MASK_ADD));
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) _exit(2);
        TRY("add_watch uid 1000, mode 000", inotify_add_watch(fd, "tmp/e/file", IN_MODIFY));
        TRY("add_watch uid 1000, dir 0755", inotify_add_watch(fd, "tmp/e", IN_MODIFY));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    drain(fd, "events of the error checks (none but IN_ATTRIB from chmod)");
    TRY("rm_watch bad fd", inotify_rm_watch(-1, 1));
    TRY("rm_watch regular fd", inotify_rm_watch(reg, 1));
    TRY("rm_watch wd 0", inotify_rm_watch(fd, 0));
    TRY("rm_watch wd -1", inotify_rm_watch(fd, -1));
    TRY("rm_watch wd 999", inotify_rm_watch(fd, 999));
    TRY("rm_watch wd 1", inotify_rm_watch(fd, 1));
    TRY("rm_watch wd 1 again", inotify_rm_watch(fd, 1));
    drain(fd, "after rm_watch 1");
    TRY("add_watch after rm (next wd, not 1)", inotify_add_watch(fd, "tmp/e", IN_MODIFY));
    char buf[64];
    TRY("write to inotify fd", write(fd, "x", 1));
    TRY("lseek on inotify fd", lseek(fd, 100, SEEK_SET));
    TRY("pread on inotify fd", pread(fd, buf, sizeof buf, 0));
    TRY("read, nothing queued (nonblocking)", read(fd, buf, sizeof buf));
    close(reg);
    close(opath);
    close(fd);
}

static void directory_events(void) {
    printf("== a watched directory\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/d", 0755);
    int wd = inotify_add_watch(fd, "tmp/d", IN_ALL_EVENTS);
    printf("wd %d\n", wd);
    int f = open("tmp/d/f", O_WRONLY | O_CREAT, 0644);
    drain(fd, "creat");
    write(f, "hello", 5);
    write(f, "world", 5);
    drain(fd, "two writes (merged)");
    pwrite(f, "x", 1, 0);
    write(f, "", 0);
    drain(fd, "pwrite, and an empty write (none)");
    close(f);
    drain(fd, "close");
    f = open("tmp/d/f", O_RDONLY);
    char buf[64];
    read(f, buf, sizeof buf);
    read(f, buf, sizeof buf);
    pread(f, buf, 2, 0);
    close(f);
    drain(fd, "open, read, read at EOF, pread, close");
    f = open("tmp/d/f", O_RDWR | O_TRUNC);
    drain(fd, "open O_TRUNC");
    ftruncate(f, 10);
    fallocate(f, 0, 0, 100);
    close(f);
    drain(fd, "ftruncate, fallocate, close");
    truncate("tmp/d/f", 3);
    chmod("tmp/d/f", 0600);
    chown("tmp/d/f", -1, -1);
    chown("tmp/d/f", 0, -1);
    drain(fd, "truncate, chmod, chown -1 -1, chown 0");
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    utimensat(AT_FDCWD, "tmp/d/f", ts, 0);
    ts[1].tv_nsec = UTIME_OMIT;
    utimensat(AT_FDCWD, "tmp/d/f", ts, 0);
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_nsec = 0;
    utimensat(AT_FDCWD, "tmp/d/f", ts, 0);
    ts[1].tv_nsec = UTIME_OMIT;
    utimensat(AT_FDCWD, "tmp/d/f", ts, 0);
    utimensat(AT_FDCWD, "tmp/d/f", NULL, 0);
    drain(fd, "utimensat both, atime, mtime, neither, now");
    TRY("setxattr", setxattr("tmp/d/f", "user.k", "v", 1, 0));
    TRY("removexattr", removexattr("tmp/d/f", "user.k"));
    drain(fd, "setxattr, removexattr");
    mkdir("tmp/d/sub", 0755);
    int dfd = open("tmp/d/sub", O_RDONLY | O_DIRECTORY);
    syscall(SYS_getdents64, dfd, buf, sizeof buf);
    close(dfd);
    chmod("tmp/d/sub", 0700);
    rmdir("tmp/d/sub");
    drain(fd, "mkdir, opendir, getdents, close, chmod, rmdir a subdirectory");
    symlink("f", "tmp/d/sym");
    link("tmp/d/f", "tmp/d/hard");
    mknod("tmp/d/fifo", S_IFIFO | 0644, 0);
    mknod("tmp/d/node", S_IFREG | 0644, 0);
    unlink("tmp/d/sym");
    unlink("tmp/d/hard");
    unlink("tmp/d/fifo");
    unlink("tmp/d/node");
    drain(fd, "symlink, link, mknod fifo and file, unlink them");
    int p = open("tmp/d/f", O_PATH);
    close(p);
    drain(fd, "open and close O_PATH (none)");
    chmod("tmp/d", 0755);
    drain(fd, "chmod the directory itself");
    unlink("tmp/d/f");
    drain(fd, "unlink f");
    close(fd);
}

static void renames(void) {
    printf("== renames\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/r1", 0755);
    mkdir("tmp/r2", 0755);
    mkdir("tmp/r3", 0755);
    touch("tmp/r1/a");
    touch("tmp/r1/victim");
    mkdir("tmp/r1/dir", 0755);
    int w1 = inotify_add_watch(fd, "tmp/r1", IN_ALL_EVENTS);
    int w2 = inotify_add_watch(fd, "tmp/r2", IN_ALL_EVENTS);
    int wa = inotify_add_watch(fd, "tmp/r1/a", IN_ALL_EVENTS);
    int wv = inotify_add_watch(fd, "tmp/r1/victim", IN_ALL_EVENTS);
    printf("wds %d %d %d %d\n", w1, w2, wa, wv);
    rename("tmp/r1/a", "tmp/r1/b");
    drain(fd, "rename within r1");
    rename("tmp/r1/b", "tmp/r2/b");
    drain(fd, "rename r1 -> r2");
    rename("tmp/r2/b", "tmp/r3/b");
    drain(fd, "rename r2 -> unwatched r3");
    rename("tmp/r3/b", "tmp/r1/a");
    drain(fd, "rename unwatched r3 -> r1");
    rename("tmp/r1/dir", "tmp/r2/dir");
    drain(fd, "rename a directory r1 -> r2");
    rename("tmp/r1/a", "tmp/r1/victim");
    drain(fd, "rename over a watched file");
    touch("tmp/r2/x");
    TRY("renameat2 EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, "tmp/r1/victim", AT_FDCWD, "tmp/r2/x", 2));
    drain(fd, "exchange r1/victim and r2/x");
    TRY("rename onto itself", rename("tmp/r2/x", "tmp/r2/x"));
    TRY("rename missing", rename("tmp/r2/none", "tmp/r2/y"));
    drain(fd, "renames that do nothing or fail");
    close(fd);
}

static void watch_flags(void) {
    printf("== watch flags\n");
    int fd = inotify_init1(IN_NONBLOCK);
    put("tmp/w", "data");
    int wd = inotify_add_watch(fd, "tmp/w", IN_MODIFY | IN_ONESHOT);
    int f = open("tmp/w", O_WRONLY);
    write(f, "1", 1);
    write(f, "2", 1);
    drain(fd, "IN_ONESHOT: two writes");
    write(f, "3", 1);
    drain(fd, "after the oneshot");
    close(f);

    wd = inotify_add_watch(fd, "tmp/w", IN_OPEN);
    printf("new wd %d\n", wd);
    TRY("add IN_CLOSE_WRITE with MASK_ADD", inotify_add_watch(fd, "tmp/w", IN_CLOSE_WRITE | IN_MASK_ADD));
    close(open("tmp/w", O_WRONLY));
    drain(fd, "open and close for writing");
    TRY("replace with IN_ACCESS", inotify_add_watch(fd, "tmp/w", IN_ACCESS));
    char buf[8];
    f = open("tmp/w", O_RDONLY);
    read(f, buf, 1);
    close(f);
    drain(fd, "open, read, close");
    TRY("ONESHOT with MASK_ADD", inotify_add_watch(fd, "tmp/w", IN_OPEN | IN_ONESHOT | IN_MASK_ADD));
    f = open("tmp/w", O_RDONLY);
    read(f, buf, 1);
    close(f);
    drain(fd, "open, read, close (oneshot: open only)");
    TRY("rm_watch of the oneshot watch", inotify_rm_watch(fd, wd));

    mkdir("tmp/x", 0755);
    int wx = inotify_add_watch(fd, "tmp/x", IN_ALL_EVENTS | IN_EXCL_UNLINK);
    f = open("tmp/x/gone", O_RDWR | O_CREAT, 0644);
    unlink("tmp/x/gone");
    write(f, "x", 1);
    close(f);
    drain(fd, "IN_EXCL_UNLINK: creat, unlink, write, close");
    inotify_add_watch(fd, "tmp/x", IN_ALL_EVENTS);
    f = open("tmp/x/gone", O_RDWR | O_CREAT, 0644);
    unlink("tmp/x/gone");
    write(f, "x", 1);
    close(f);
    drain(fd, "without it");
    printf("wx %d\n", wx);
    close(fd);
}

static void deletes(void) {
    printf("== deletes\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/del", 0755);
    put("tmp/del/f", "x");
    int wd = inotify_add_watch(fd, "tmp/del", IN_ALL_EVENTS);
    int wf = inotify_add_watch(fd, "tmp/del/f", IN_ALL_EVENTS);
    printf("wds %d %d\n", wd, wf);
    unlink("tmp/del/f");
    drain(fd, "unlink a watched file");

    put("tmp/del/g", "x");
    int wg = inotify_add_watch(fd, "tmp/del/g", IN_ALL_EVENTS);
    int g = open("tmp/del/g", O_WRONLY);
    drain(fd, "open g");
    unlink("tmp/del/g");
    drain(fd, "unlink g while open");
    write(g, "y", 1);
    close(g);
    drain(fd, "write and close g");
    printf("wg %d\n", wg);

    put("tmp/del/h", "x");
    link("tmp/del/h", "tmp/del/h2");
    int wh = inotify_add_watch(fd, "tmp/del/h", IN_ATTRIB | IN_DELETE_SELF);
    unlink("tmp/del/h2");
    drain(fd, "unlink one of two links");
    unlink("tmp/del/h");
    drain(fd, "unlink the last link");
    printf("wh %d\n", wh);

    mkdir("tmp/del/sub", 0755);
    int ws = inotify_add_watch(fd, "tmp/del/sub", IN_ALL_EVENTS);
    rmdir("tmp/del/sub");
    drain(fd, "rmdir a watched directory");
    printf("ws %d\n", ws);

    mkdir("tmp/del/held", 0755);
    int wh2 = inotify_add_watch(fd, "tmp/del/held", IN_DELETE_SELF);
    int dfd = open("tmp/del/held", O_RDONLY | O_DIRECTORY);
    rmdir("tmp/del/held");
    drain(fd, "rmdir a watched directory held open");
    close(dfd);
    drain(fd, "close it");
    printf("wh2 %d\n", wh2);
    rmdir("tmp/del");
    drain(fd, "rmdir the watched directory itself");
    close(fd);
}

static void reads(void) {
    printf("== reads\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/q", 0755);
    inotify_add_watch(fd, "tmp/q", IN_CREATE);
    touch("tmp/q/a");
    touch("tmp/q/0123456789abcde");
    touch("tmp/q/0123456789abcdef");
    int n = -1;
    TRY("FIONREAD", ioctl(fd, FIONREAD, &n));
    printf("queued bytes %d\n", n);
    char buf[256] __attribute__((aligned(8)));
    TRY("read 16 (an event is 32)", read(fd, buf, 16));
    TRY("read 31", read(fd, buf, 31));
    TRY("read 40 (one event)", read(fd, buf, 40));
    TRY("read 63 (next one is 48)", read(fd, buf, 63));
    ioctl(fd, FIONREAD, &n);
    printf("queued bytes %d\n", n);
    memset(buf, 'Z', sizeof buf);
    TRY("read the rest", read(fd, buf, sizeof buf));
    struct inotify_event *e = (void *)buf;
    printf("len %u, name %s, padding", e->len, e->name);
    for (unsigned i = strlen(e->name); i < e->len; i++) printf(" %d", buf[sizeof *e + i]);
    printf("\n");
    TRY("read empty", read(fd, buf, sizeof buf));
    ioctl(fd, FIONREAD, &n);
    printf("queued bytes %d\n", n);
    touch("tmp/q/b");
    TRY("readv", ({ struct iovec iov[2] = {{buf, 8}, {buf + 8, 100}}; readv(fd, iov, 2); }));
    touch("tmp/q/c");
    TRY("readv, first segment big enough", ({ struct iovec iov[2] = {{buf, 100}, {buf + 100, 100}}; readv(fd, iov, 2); }));
    close(fd);

    // Blocking reads: woken by an event a child makes, or interrupted by a signal.
    fd = inotify_init1(0);
    inotify_add_watch(fd, "tmp/q", IN_CREATE);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        touch("tmp/q/late");
        _exit(0);
    }
    ssize_t got = read(fd, buf, sizeof buf);
    printf("blocking read -> %zd name %s\n", got, ((struct inotify_event *)buf)->name);
    waitpid(pid, NULL, 0);
    close(fd);
}

static void on_alarm(int sig) { (void)sig; }

static void interrupted(void) {
    printf("== interrupted read\n");
    int fd = inotify_init1(0);
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {.it_value = {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char buf[64];
    TRY("read, no SA_RESTART", read(fd, buf, sizeof buf));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    inotify_add_watch(fd, "tmp", IN_CREATE);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000);
        touch("tmp/restarted");
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read, SA_RESTART -> %zd name %s\n", n, n > 0 ? ((struct inotify_event *)buf)->name : "");
    waitpid(pid, NULL, 0);
    close(fd);
}

static void readiness(void) {
    printf("== poll, select, epoll\n");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir("tmp/p", 0755);
    inotify_add_watch(fd, "tmp/p", IN_CREATE);
    struct pollfd pfd = {fd, POLLIN | POLLOUT, 0};
    TRY("poll, nothing queued", poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = 7};
    TRY("epoll_ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    TRY("epoll_wait, nothing", epoll_wait(ep, &ev, 1, 0));
    touch("tmp/p/a");
    TRY("poll, one event", poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    struct timeval tv = {0, 0};
    TRY("select", select(fd + 1, &rd, NULL, NULL, &tv));
    ev.events = 0;
    TRY("epoll_wait", epoll_wait(ep, &ev, 1, 0));
    printf("events %#x data %u\n", ev.events, ev.data.u32);
    TRY("epoll_wait again (edge-triggered)", epoll_wait(ep, &ev, 1, 0));
    touch("tmp/p/b");
    TRY("epoll_wait after another event", epoll_wait(ep, &ev, 1, 0));
    drain(fd, "queued");
    TRY("poll, drained", poll(&pfd, 1, 0));
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        touch("tmp/p/c");
        _exit(0);
    }
    TRY("epoll_wait, woken by a child's creat", epoll_wait(ep, &ev, 1, 5000));
    waitpid(pid, NULL, 0);
    drain(fd, "queued");
    close(ep);
    close(fd);
}

static void overflow(void) {
    printf("== overflow\n");
    char v[32] = "";
    int s = open("/proc/sys/fs/inotify/max_queued_events", O_RDONLY);
    ssize_t got = read(s, v, sizeof v - 1);
    close(s);
    int max = got > 0 ? atoi(v) : 16384;
    printf("max_queued_events %d\n", max);
    int fd = inotify_init1(IN_NONBLOCK);
    put("tmp/o", "x");
    inotify_add_watch(fd, "tmp/o", IN_OPEN | IN_CLOSE_NOWRITE);
    for (int i = 0; i < max / 2 + 10; i++) close(open("tmp/o", O_RDONLY));
    int n = 0;
    TRY("FIONREAD", ioctl(fd, FIONREAD, &n));
    printf("queued bytes %d = %d events\n", n, n / 16);
    static char buf[65536] __attribute__((aligned(8)));
    long events = 0, overflows = 0, opens = 0, closes = 0;
    struct inotify_event last = {0};
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) break;
        for (ssize_t off = 0; off < r;) {
            struct inotify_event *e = (void *)(buf + off);
            events++;
            if (e->mask & IN_Q_OVERFLOW) overflows++;
            if (e->mask & IN_OPEN) opens++;
            if (e->mask & IN_CLOSE_NOWRITE) closes++;
            last = *e;
            off += sizeof *e + e->len;
        }
    }
    printf("events %ld: opens %ld closes %ld overflows %ld\n", events, opens, closes, overflows);
    show_event(&last);
    close(open("tmp/o", O_RDONLY));
    drain(fd, "after draining, events come again");
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    errors();
    directory_events();
    renames();
    watch_flags();
    deletes();
    reads();
    interrupted();
    readiness();
    overflow();
    return 0;
}
