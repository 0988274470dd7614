/* UTS namespaces: uname, sethostname/setdomainname, gethostname/getdomainname (glibc, both
 * through uname), /proc/sys/kernel/{hostname,domainname}, unshare(2) and clone(CLONE_NEWUTS).
 *
 * kava-only because setting the host name under qemu-riscv64-static would set the host's: the
 * program's first act is unshare(CLONE_NEWUTS) and it gives up (_exit(1)) if that fails.
 * Nothing printed depends on the host's name: the program names itself first. uts.expected is
 * Linux 6.18's output for this same source built natively (x86-64, gcc -O2 uts.c -lpthread)
 * and run as root by
 *     unshare -u ./uts > uts.expected; echo "status $?" >> uts.expected
 * (a second private namespace around the program's own; the host's name was unchanged after).
 * qemu-user (`unshare -u qemu-riscv64-static ./uts`) is no oracle here: it has no clone3,
 * reads sethostname's name as a string (EFAULT for a bad pointer with len 0 and before the
 * EPERM check), rejects clone(CLONE_NEWUTS) with EINVAL, turns a clone without CLONE_VM into a
 * fork (CLONE_FILES and CLONE_FS are not shared), has threads of its own (unshare(CLONE_VM)
 * is EINVAL) and passes unshare's flags as an int (bits 32 and up are lost).
 *
 * It covers kernel/sys.c sethostname/setdomainname (EPERM before EINVAL before EFAULT; len 0,
 * 64, 65, -1; the bytes after an embedded NUL stay in the field), kernel/utsname_sysctl.c with
 * proc_dostring's strict writes (a newline or NUL ends the name, 64 bytes at most, the whole
 * count is reported, a write continues at the file position, past the name it changes
 * nothing), kernel/fork.c ksys_unshare (unknown flags EINVAL, CLONE_THREAD in a threaded
 * process EINVAL, EPERM without CAP_SYS_ADMIN, CLONE_FILES/CLONE_FS/CLONE_SYSVSEM in a single
 * threaded process), and that a namespace belongs to the task: a process forked before an
 * unshare keeps the old one, a child forked after shares the new one, a clone(CLONE_NEWUTS)
 * child and an unsharing thread do not change their parent's; /proc/PID/ns (its entries, the
 * links' "uts:[N]" form, the nsfs inode they lead to, EACCES for another user's process) and
 * setns(2) into a UTS namespace by its file or by a pidfd (EINVAL, EBADF, EPERM, ESRCH).
 * Namespace numbers are never printed: they differ between machines. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-44s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

#define BAD_PTR ((void *)8)

static const char *node(void) {
    static struct utsname u;
    if (uname(&u) != 0) return "uname failed";
    return u.nodename;
}

static const char *domain(void) {
    static struct utsname u;
    if (uname(&u) != 0) return "uname failed";
    return u.domainname;
}

/* The sysctl file's whole content, newline included, shown with \n escaped. */
static void show_proc(const char *name) {
    char path[64], buf[200];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: open %s\n", path, strerrorname_np(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) {
        printf("%s: read %s\n", path, strerrorname_np(errno));
        return;
    }
    buf[n] = 0;
    printf("%s: %zd bytes \"", path, n);
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') printf("\\n");
        else putchar(buf[i]);
    }
    printf("\"\n");
}

/* write(2) to a sysctl file at offset off (-1: a fresh open, position 0). */
static long proc_write(const char *name, const void *data, size_t len, off_t off) {
    char path[64];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    long r = off < 0 ? write(fd, data, len) : pwrite(fd, data, len, off);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

/* The first n bytes of the nodename field, as hex. */
static void node_bytes(int n) {
    struct utsname u;
    uname(&u);
    printf("nodename bytes:");
    for (int i = 0; i < n; i++) printf(" %02x", (unsigned char)u.nodename[i]);
    printf("\n");
}

static void *unsharing_thread(void *arg) {
    (void)arg;
    TRY("thread: unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    TRY("thread: sethostname(\"thread\")", sethostname("thread", 6));
    printf("thread: uname %s\n", node());
    return NULL;
}

static void *sleeping_thread(void *arg) {
    int *fd = arg;
    char c;
    while (read(*fd, &c, 1) < 0 && errno == EINTR) {}
    return NULL;
}

static void wait_child(pid_t pid, const char *what) {
    int st;
    if (waitpid(pid, &st, 0) != pid) printf("%s: waitpid %s\n", what, strerrorname_np(errno));
    else printf("%s: exit %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void names(void) {
    char buf[80];
    TRY("sethostname(\"alpha\", 5)", sethostname("alpha", 5));
    printf("uname nodename %s\n", node());
    TRY("gethostname(buf, 80)", gethostname(buf, sizeof buf));
    printf("gethostname %s\n", buf);
    TRY("gethostname(buf, 5) of \"alpha\"", gethostname(buf, 5));
    TRY("gethostname(buf, 6) of \"alpha\"", gethostname(buf, 6));
    show_proc("hostname");

    TRY("sethostname(\"\", 0)", sethostname("", 0));
    printf("uname nodename \"%s\"\n", node());
    show_proc("hostname");
    TRY("sethostname(bad pointer, 0)", syscall(SYS_sethostname, BAD_PTR, 0));
    char a64[65];
    memset(a64, 'a', 64);
    a64[64] = 'b';
    TRY("sethostname(64 x 'a', 64)", sethostname(a64, 64));
    printf("strlen(nodename) %zu\n", strlen(node()));
    TRY("sethostname(65 bytes, 65)", sethostname(a64, 65));
    TRY("sethostname(\"x\", -1)", syscall(SYS_sethostname, "x", -1L));
    TRY("sethostname(\"x\", 0x100000001) (an int: 1)", syscall(SYS_sethostname, "x", 0x100000001L));
    printf("uname nodename %s\n", node());
    TRY("sethostname(bad pointer, 5)", syscall(SYS_sethostname, BAD_PTR, 5));
    printf("after EFAULT, uname nodename %s\n", node());
    TRY("sethostname(\"ab\\0cd\", 5)", sethostname("ab\0cd", 5));
    node_bytes(7);
    show_proc("hostname");

    TRY("setdomainname(\"example.org\", 11)", setdomainname("example.org", 11));
    printf("uname domainname %s\n", domain());
    TRY("getdomainname(buf, 80)", getdomainname(buf, sizeof buf));
    printf("getdomainname %s\n", buf);
    show_proc("domainname");
    TRY("setdomainname(65 bytes, 65)", setdomainname(a64, 65));
    TRY("setdomainname(bad pointer, 3)", syscall(SYS_setdomainname, BAD_PTR, 3));
    TRY("setdomainname(\"\", 0)", setdomainname("", 0));
    printf("uname domainname \"%s\"\n", domain());
    show_proc("domainname");
}

static void sysctl_writes(void) {
    TRY("write \"beta\\n\" to hostname", proc_write("hostname", "beta\n", 5, -1));
    printf("uname nodename %s\n", node());
    show_proc("hostname");
    char x70[70];
    memset(x70, 'x', 70);
    TRY("write 70 x 'x' to hostname", proc_write("hostname", x70, 70, -1));
    printf("strlen(nodename) %zu\n", strlen(node()));
    TRY("write \"gamma\\0junk\" to hostname", proc_write("hostname", "gamma\0junk", 10, -1));
    printf("uname nodename %s\n", node());
    TRY("write \"one\\ntwo\" to hostname", proc_write("hostname", "one\ntwo", 7, -1));
    printf("uname nodename %s\n", node());
    TRY("write \"\" to hostname", proc_write("hostname", "", 0, -1));
    printf("uname nodename %s\n", node());
    TRY("sethostname(\"abcdefgh\", 8)", sethostname("abcdefgh", 8));
    TRY("write \"X\\n\" to hostname", proc_write("hostname", "X\n", 2, -1));
    node_bytes(10);
    TRY("pwrite \"YZ\" at 1", proc_write("hostname", "YZ", 2, 1));
    printf("uname nodename %s\n", node());
    TRY("pwrite \"Q\" at 3 (the end)", proc_write("hostname", "Q", 1, 3));
    printf("uname nodename %s\n", node());
    TRY("pwrite \"W\" at 10 (past the end)", proc_write("hostname", "W", 1, 10));
    printf("uname nodename %s\n", node());

    int fd = open("/proc/sys/kernel/hostname", O_RDWR);
    TRY("open hostname O_RDWR", fd);
    TRY("write \"ab\"", write(fd, "ab", 2));
    TRY("write \"cd\" (continues)", write(fd, "cd", 2));
    printf("uname nodename %s\n", node());
    TRY("lseek 0", lseek(fd, 0, SEEK_SET));
    char b[8] = {0};
    TRY("read 3", read(fd, b, 3));
    printf("got \"%s\"\n", b);
    memset(b, 0, sizeof b);
    TRY("read 3 more", read(fd, b, 3));
    printf("got \"%s\"\n", b[2] == '\n' ? "d\\n" : b);
    TRY("read at the end", read(fd, b, 3));
    close(fd);
    TRY("write \"example.net\" to domainname", proc_write("domainname", "example.net", 11, -1));
    printf("uname domainname %s\n", domain());
}

/* A process forked before the parent unshares keeps the old namespace. */
static void fork_and_unshare(void) {
    TRY("sethostname(\"before\")", sethostname("before", 6));
    int go[2];
    if (pipe(go) != 0) exit(2);
    fflush(stdout);
    pid_t old = fork();
    if (old == 0) {
        close(go[1]);
        char c;
        while (read(go[0], &c, 1) < 0 && errno == EINTR) {}
        printf("forked before: uname %s\n", node());
        show_proc("hostname");
        TRY("forked before: sethostname(\"old-ns\")", sethostname("old-ns", 6));
        fflush(stdout);
        _exit(0);
    }
    close(go[0]);
    TRY("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    printf("after unshare: uname %s\n", node());
    TRY("sethostname(\"after\")", sethostname("after", 5));
    fflush(stdout);
    pid_t young = fork();
    if (young == 0) {
        printf("forked after: uname %s\n", node());
        TRY("forked after: sethostname(\"shared\")", sethostname("shared", 6));
        fflush(stdout);
        _exit(0);
    }
    wait_child(young, "forked after");
    printf("parent: uname %s (the child shares its namespace)\n", node());
    if (write(go[1], "x", 1) != 1) exit(2);
    close(go[1]);
    wait_child(old, "forked before");
    printf("parent: uname %s (the older child's namespace is another)\n", node());
}

static void clone_newuts(void) {
    TRY("sethostname(\"parent\")", sethostname("parent", 6));
    fflush(stdout);
    long pid = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        printf("clone child: uname %s\n", node());
        TRY("clone child: sethostname(\"child\")", sethostname("child", 5));
        printf("clone child: uname %s\n", node());
        show_proc("hostname");
        fflush(stdout);
        _exit(0);
    }
    if (pid < 0) printf("clone(CLONE_NEWUTS): %s\n", strerrorname_np(errno));
    else wait_child(pid, "clone child");
    printf("parent: uname %s\n", node());

    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_NEWUTS;
    args.exit_signal = SIGCHLD;
    fflush(stdout);
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
        TRY("clone3 child: sethostname(\"child3\")", sethostname("child3", 6));
        printf("clone3 child: uname %s\n", node());
        fflush(stdout);
        _exit(0);
    }
    if (pid < 0) printf("clone3(CLONE_NEWUTS): %s\n", strerrorname_np(errno));
    else wait_child(pid, "clone3 child");
    printf("parent: uname %s\n", node());
}

/* unshare(CLONE_FILES) and unshare(CLONE_FS) in a child that shares them with its parent. */
static void unshare_files_fs(void) {
    TRY("unshare(0)", unshare(0));
    TRY("unshare(CLONE_FILES)", unshare(CLONE_FILES));
    TRY("unshare(CLONE_FS)", unshare(CLONE_FS));
    TRY("unshare(CLONE_SYSVSEM)", unshare(CLONE_SYSVSEM));
    TRY("unshare(CLONE_THREAD|CLONE_SIGHAND|CLONE_VM)", unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
    for (int private = 0; private <= 1; private++) {
        int fd = open("/", O_RDONLY);
        struct stat before, after;
        stat(".", &before);
        fflush(stdout);
        long pid = syscall(SYS_clone, CLONE_FILES | CLONE_FS | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0) {
            if (private) {
                TRY("child: unshare(CLONE_FILES)", unshare(CLONE_FILES));
                TRY("child: unshare(CLONE_FS)", unshare(CLONE_FS));
            }
            TRY("child: close(fd)", close(fd));
            TRY("child: chdir(\"/proc\")", chdir("/proc"));
            fflush(stdout);
            _exit(0);
        }
        wait_child(pid, private ? "unsharing child" : "sharing child");
        TRY("parent: fcntl(fd, F_GETFD)", fcntl(fd, F_GETFD));
        stat(".", &after);
        printf("parent: cwd %s\n", before.st_ino == after.st_ino && before.st_dev == after.st_dev ? "unchanged" : "changed");
        if (!private) chdir("/");
        close(fd);
    }
}

static void threads(void) {
    TRY("sethostname(\"main\")", sethostname("main", 4));
    pthread_t th;
    pthread_create(&th, NULL, unsharing_thread, NULL);
    pthread_join(th, NULL);
    printf("main thread: uname %s\n", node());

    int p[2];
    if (pipe(p) != 0) exit(2);
    pthread_create(&th, NULL, sleeping_thread, &p[0]);
    TRY("unshare(CLONE_THREAD) with two threads", unshare(CLONE_THREAD));
    TRY("unshare(CLONE_SIGHAND) with two threads", unshare(CLONE_SIGHAND));
    TRY("unshare(CLONE_VM) with two threads", unshare(CLONE_VM));
    TRY("unshare(CLONE_NEWUSER) with two threads", unshare(CLONE_NEWUSER));
    TRY("unshare(CLONE_NEWUTS) with two threads", unshare(CLONE_NEWUTS));
    if (write(p[1], "x", 1) != 1) exit(2);
    pthread_join(th, NULL);
    close(p[0]);
    close(p[1]);
}

/* The inode number a /proc ns link names ("uts:[N]"), or 0; prints a bad form. */
static unsigned long ns_inum(const char *path, const char *kind) {
    char buf[64], want[16];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
        printf("readlink %s: %s\n", path, strerrorname_np(errno));
        return 0;
    }
    buf[n] = 0;
    snprintf(want, sizeof want, "%s:[", kind);
    char *end;
    unsigned long v = strncmp(buf, want, strlen(want)) == 0 ? strtoul(buf + strlen(want), &end, 10) : 0;
    if (v == 0 || strcmp(end, "]") != 0) printf("readlink %s: unexpected \"%s\"\n", path, buf);
    return v;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void *ns_thread(void *arg) {
    unsigned long *out = arg;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/ns/uts", gettid());
    unshare(CLONE_NEWUTS);
    out[0] = ns_inum(path, "uts");
    out[1] = ns_inum("/proc/thread-self/ns/uts", "uts");
    return NULL;
}

/* /proc/PID/ns (fs/proc/namespaces.c) and the nsfs inodes its links lead to. */
static void ns_links(void) {
    DIR *d = opendir("/proc/self/ns");
    char *names[32];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32) {
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    }
    if (d) closedir(d);
    qsort(names, n, sizeof *names, cmpstr);
    printf("/proc/self/ns:");
    for (int i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
    struct stat st;
    TRY("lstat ns/uts", lstat("/proc/self/ns/uts", &st));
    printf("lstat: %s mode %o\n", S_ISLNK(st.st_mode) ? "link" : "not a link", st.st_mode & 07777);
    TRY("stat /proc/self/ns (dir)", stat("/proc/self/ns", &st));
    printf("ns dir mode %o\n", st.st_mode & 07777);
    unsigned long uts = ns_inum("/proc/self/ns/uts", "uts");
    TRY("stat ns/uts", stat("/proc/self/ns/uts", &st));
    printf("stat: %s mode %o, st_ino %s the link's number, nlink %lu uid %u\n", S_ISREG(st.st_mode) ? "regular" : "not regular",
           st.st_mode & 07777, st.st_ino == uts ? "is" : "is not", (unsigned long)st.st_nlink, st.st_uid);
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    TRY("open ns/uts", fd);
    struct stat fst;
    fstat(fd, &fst);
    printf("fstat: same inode %s\n", fst.st_ino == st.st_ino && fst.st_dev == st.st_dev ? "yes" : "no");
    char c;
    TRY("read ns/uts", read(fd, &c, 1));
    TRY("open ns/uts O_WRONLY", open("/proc/self/ns/uts", O_WRONLY));
    unsigned long ipc = ns_inum("/proc/self/ns/ipc", "ipc"), net = ns_inum("/proc/self/ns/net", "net");
    printf("uts, ipc and net numbers differ: %s\n", uts != ipc && uts != net && ipc != net ? "yes" : "no");
    ns_inum("/proc/self/ns/pid_for_children", "pid");
    ns_inum("/proc/self/ns/time_for_children", "time");
    ns_inum("/proc/self/ns/mnt", "mnt");
    ns_inum("/proc/self/ns/user", "user");
    ns_inum("/proc/self/ns/cgroup", "cgroup");

    int go[2];
    if (pipe(go) != 0) exit(2);
    fflush(stdout);
    pid_t old = fork();
    if (old == 0) {
        char b;
        while (read(go[0], &b, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    TRY("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    unsigned long now = ns_inum("/proc/self/ns/uts", "uts");
    struct stat st2;
    stat("/proc/self/ns/uts", &st2);
    printf("after unshare: new number %s, same st_dev %s, st_ino %s\n", now != uts ? "yes" : "no",
           st2.st_dev == st.st_dev ? "yes" : "no", st2.st_ino == now ? "matches" : "differs");
    struct stat fst2;
    fstat(fd, &fst2);
    printf("the fd opened before still names the old one: %s\n", fst2.st_ino == uts ? "yes" : "no");
    close(fd);
    printf("ipc unchanged: %s\n", ns_inum("/proc/self/ns/ipc", "ipc") == ipc ? "yes" : "no");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/uts", old);
    printf("child forked before: %s\n", ns_inum(path, "uts") == uts ? "old namespace" : "not the old namespace");
    fflush(stdout);
    pid_t young = fork();
    if (young == 0) {
        char b;
        while (read(go[0], &b, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    snprintf(path, sizeof path, "/proc/%d/ns/uts", young);
    printf("child forked after: %s\n", ns_inum(path, "uts") == now ? "new namespace" : "not the new namespace");
    unsigned long th[2];
    pthread_t t;
    pthread_create(&t, NULL, ns_thread, th);
    pthread_join(t, NULL);
    printf("unsharing thread: own namespace %s, thread-self agrees %s, main thread keeps its own %s\n",
           th[0] != now ? "yes" : "no", th[1] == th[0] ? "yes" : "no",
           ns_inum("/proc/self/ns/uts", "uts") == now ? "yes" : "no");
    close(go[0]);
    if (write(go[1], "xx", 2) != 2) exit(2);
    close(go[1]);
    wait_child(old, "forked before");
    wait_child(young, "forked after");

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char ppath[64], buf[64];
        snprintf(ppath, sizeof ppath, "/proc/%d/ns/uts", getppid());
        TRY("setuid(65534)", setuid(65534));
        TRY("nobody: readlink root's ns/uts", readlink(ppath, buf, sizeof buf));
        TRY("nobody: stat root's ns/uts", stat(ppath, &st));
        TRY("nobody: readlink own ns/uts", readlink("/proc/self/ns/uts", buf, sizeof buf) > 0 ? 0 : -1);
        TRY("nobody: open own ns/uts O_WRONLY", open("/proc/self/ns/uts", O_WRONLY));
        fflush(stdout);
        _exit(0);
    }
    wait_child(pid, "nobody");
}

/* setns(2) with a /proc/PID/ns/uts file and with a pidfd. */
static void setns_tests(void) {
    TRY("sethostname(\"first\")", sethostname("first", 5));
    unsigned long first = ns_inum("/proc/self/ns/uts", "uts");
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    TRY("open ns/uts", fd >= 0 ? 0 : -1);
    TRY("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    TRY("sethostname(\"second\")", sethostname("second", 6));
    TRY("setns(uts fd, CLONE_NEWIPC)", setns(fd, CLONE_NEWIPC));
    TRY("setns(uts fd, CLONE_NEWUTS)", setns(fd, CLONE_NEWUTS));
    printf("uname %s, back in the first namespace %s\n", node(), ns_inum("/proc/self/ns/uts", "uts") == first ? "yes" : "no");
    TRY("setns(uts fd, 0)", setns(fd, 0));
    int p[2];
    if (pipe(p) != 0) exit(2);
    TRY("setns(pipe, 0)", setns(p[0], 0));
    TRY("setns(-1, 0)", setns(-1, 0));
    TRY("setns(closed fd, 0)", setns(999, 0));

    /* A child in the first namespace, joined through its ns file and through its pidfd. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char b;
        close(p[1]);
        while (read(p[0], &b, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close(p[0]);
    int pfd = syscall(SYS_pidfd_open, child, 0);
    TRY("pidfd_open(child)", pfd >= 0 ? 0 : -1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/uts", child);
    int cfd = open(path, O_RDONLY);
    TRY("open child's ns/uts", cfd >= 0 ? 0 : -1);
    TRY("setns(child's uts fd, 0)", setns(cfd, 0));
    printf("uname %s (the child's namespace: the first)\n", node());
    int sfd = open("/proc/self/ns/uts", O_RDONLY);
    TRY("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    TRY("sethostname(\"third\")", sethostname("third", 5));
    TRY("setns(pidfd, 0)", setns(pfd, 0));
    TRY("setns(pidfd, CLONE_NEWUTS|1)", setns(pfd, CLONE_NEWUTS | 1));
    TRY("setns(pidfd, CLONE_NEWUTS)", setns(pfd, CLONE_NEWUTS));
    printf("uname %s, the child's namespace %s\n", node(), ns_inum("/proc/self/ns/uts", "uts") == ns_inum(path, "uts") ? "yes" : "no");

    fflush(stdout);
    pid_t nobody = fork();
    if (nobody == 0) {
        TRY("setuid(65534)", setuid(65534));
        TRY("nobody: setns(uts fd, 0)", setns(sfd, 0));
        TRY("nobody: setns(pidfd, CLONE_NEWUTS)", setns(pfd, CLONE_NEWUTS));
        fflush(stdout);
        _exit(0);
    }
    wait_child(nobody, "nobody");
    close(p[1]);
    wait_child(child, "child");
    TRY("setns(pidfd of a reaped child, CLONE_NEWUTS)", setns(pfd, CLONE_NEWUTS));
    close(fd);
    close(cfd);
    close(sfd);
    close(pfd);
}

static void bad_flags(void) {
    TRY("unshare(0x1) (CSIGNAL bit)", syscall(SYS_unshare, 0x1L));
    TRY("unshare(CLONE_PARENT)", syscall(SYS_unshare, (long)CLONE_PARENT));
    TRY("unshare(CLONE_NEWUTS|CLONE_VFORK)", syscall(SYS_unshare, (long)(CLONE_NEWUTS | CLONE_VFORK)));
    TRY("unshare(CLONE_CLEAR_SIGHAND) (bit 32)", syscall(SYS_unshare, 0x100000000L));
    TRY("unshare(1 << 40)", syscall(SYS_unshare, 1L << 40));
}

static void unprivileged(void) {
    char a64[65];
    memset(a64, 'a', sizeof a64);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        TRY("setuid(65534)", setuid(65534));
        TRY("nobody: sethostname(\"x\", 1)", sethostname("x", 1));
        TRY("nobody: sethostname(65 bytes, 65) (EPERM first)", sethostname(a64, 65));
        TRY("nobody: sethostname(bad pointer, 5)", syscall(SYS_sethostname, BAD_PTR, 5));
        TRY("nobody: setdomainname(\"x\", 1)", setdomainname("x", 1));
        TRY("nobody: unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
        TRY("nobody: unshare(CLONE_NEWUTS|0x1) (EINVAL first)", syscall(SYS_unshare, (long)CLONE_NEWUTS | 1));
        TRY("nobody: clone(CLONE_NEWUTS)", syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0));
        TRY("nobody: open hostname O_WRONLY", open("/proc/sys/kernel/hostname", O_WRONLY));
        TRY("nobody: open domainname O_RDWR", open("/proc/sys/kernel/domainname", O_RDWR));
        printf("nobody: uname %s\n", node());
        show_proc("hostname");
        fflush(stdout);
        _exit(0);
    }
    wait_child(pid, "nobody");
}

int main(void) {
    /* Safety first: never touch the namespace this program was started in. */
    if (unshare(CLONE_NEWUTS) != 0) _exit(1);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("unshare(CLONE_NEWUTS) -> 0\n");
    names();
    sysctl_writes();
    fork_and_unshare();
    clone_newuts();
    unshare_files_fs();
    threads();
    ns_links();
    setns_tests();
    bad_flags();
    unprivileged();
    return 0;
}
