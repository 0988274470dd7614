/* Advisory locks between processes: flock() (per open file description, inherited across
   fork, not atomic when converted), POSIX record locks (per process, split and merged,
   released by closing any descriptor of the file, deadlock detection), OFD locks (per open
   file description, conflicting with POSIX ones), blocking waits woken by unlocks and
   interrupted by signals, and the argument checks. The child reports through its exit
   status and its own lines; pids are compared, never printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static const char *P = "tmp/locks_a";
static pid_t parent;

static int setlk(int fd, int cmd, short type, long start, long len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK / F_OFD_GETLK: what blocks [start, start+len) for type, described relative to the parent. */
static void getlk(const char *label, int fd, int cmd, short type, long start, long len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len, .l_pid = 0};
    errno = 0;
    int r = fcntl(fd, cmd, &fl);
    if (r < 0) { printf("%-40s -> %s\n", label, strerrorname_np(errno)); return; }
    if (fl.l_type == F_UNLCK) { printf("%-40s -> unlocked\n", label); return; }
    printf("%-40s -> %s start %ld len %ld whence %d pid %s\n", label, fl.l_type == F_RDLCK ? "RD" : "WR",
           (long)fl.l_start, (long)fl.l_len, fl.l_whence,
           fl.l_pid == parent ? "parent" : fl.l_pid == getpid() ? "self" : fl.l_pid == -1 ? "-1" : "other");
}

/* Runs fn in a child and waits for it. */
static void in_child(void (*fn)(void)) {
    pid_t c = fork();
    if (c == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("child ended badly: %#x\n", st);
}

static void child_flock(void) {
    int fd = open(P, O_RDWR);
    TRY("child: other OFD LOCK_EX|NB", flock(fd, LOCK_EX | LOCK_NB));
    TRY("child: other OFD LOCK_SH|NB", flock(fd, LOCK_SH | LOCK_NB));
    close(fd);
}

static void child_flock_inherited(void) {
    /* fd 10 is the parent's descriptor: the same open file description, the same lock. */
    TRY("child: inherited fd LOCK_EX|NB", flock(10, LOCK_EX | LOCK_NB));
}

static void flock_tests(void) {
    printf("--- flock\n");
    unlink(P);
    int a = open(P, O_CREAT | O_RDWR | O_TRUNC, 0644);
    dup2(a, 10);
    close(a);
    a = 10;
    TRY("LOCK_EX", flock(a, LOCK_EX));
    TRY("LOCK_EX again", flock(a, LOCK_EX));
    in_child(child_flock);
    in_child(child_flock_inherited);
    int b = open(P, O_RDWR);
    TRY("second OFD LOCK_SH|NB", flock(b, LOCK_SH | LOCK_NB));
    int d = dup(a);
    TRY("dup LOCK_SH (converts)", flock(d, LOCK_SH));
    TRY("second OFD LOCK_SH|NB now", flock(b, LOCK_SH | LOCK_NB));
    int c = open(P, O_RDONLY);
    TRY("third OFD LOCK_SH|NB", flock(c, LOCK_SH | LOCK_NB));
    /* A failed conversion loses the old lock: a is unlocked afterwards. */
    TRY("first OFD SH->EX|NB fails", flock(a, LOCK_EX | LOCK_NB));
    TRY("unlock b", flock(b, LOCK_UN));
    TRY("unlock c", flock(c, LOCK_UN));
    TRY("b LOCK_EX|NB (a lost its lock)", flock(b, LOCK_EX | LOCK_NB));
    TRY("a LOCK_SH|NB", flock(a, LOCK_SH | LOCK_NB));
    /* Closing one descriptor of b's description keeps the lock; the last close drops it. */
    int b2 = dup(b);
    close(b);
    TRY("a LOCK_SH|NB after close(b)", flock(a, LOCK_SH | LOCK_NB));
    close(b2);
    TRY("a LOCK_SH|NB after last close", flock(a, LOCK_SH | LOCK_NB));
    TRY("unlock twice", (flock(a, LOCK_UN), flock(a, LOCK_UN)));
    TRY("flock 0", flock(a, 0));
    TRY("flock LOCK_SH|LOCK_EX", flock(a, LOCK_SH | LOCK_EX));
    TRY("flock LOCK_NB alone", flock(a, LOCK_NB));
    TRY("flock LOCK_MAND (ignored)", flock(99, LOCK_MAND));
    TRY("flock bad fd", flock(99, LOCK_SH));
    TRY("flock bad fd, bad op", flock(99, 0));
    int op = open(P, O_PATH);
    TRY("flock O_PATH", flock(op, LOCK_SH));
    int wo = open(P, O_WRONLY);
    TRY("flock O_WRONLY LOCK_SH", flock(wo, LOCK_SH));
    int e = eventfd(0, 0);
    TRY("flock eventfd", flock(e, LOCK_EX | LOCK_NB));
    close(e);
    close(wo);
    close(op);
    close(c);
    close(d);
    close(a);
}

static int sync_pipe[2], back_pipe[2];

static void child_flock_blocking(void) {
    int fd = open(P, O_RDWR);
    char x = 0;
    write(sync_pipe[1], &x, 1);
    int r = flock(fd, LOCK_EX); /* waits for the parent */
    printf("child: blocking LOCK_EX -> %d\n", r);
    close(fd);
}

static void flock_blocking(void) {
    printf("--- flock blocking\n");
    int a = open(P, O_RDWR);
    flock(a, LOCK_EX);
    pipe(sync_pipe);
    pid_t c = fork();
    if (c == 0) { child_flock_blocking(); fflush(stdout); _exit(0); }
    char x;
    read(sync_pipe[0], &x, 1);
    usleep(200 * 1000);
    printf("parent: unlocking\n");
    fflush(stdout);
    flock(a, LOCK_UN);
    waitpid(c, NULL, 0);
    close(a);
    close(sync_pipe[0]);
    close(sync_pipe[1]);
}

static void child_posix(void) {
    int fd = open(P, O_RDWR);
    TRY("child: SETLK WR [50,60)", setlk(fd, F_SETLK, F_WRLCK, 50, 10));
    TRY("child: SETLK RD [50,60)", setlk(fd, F_SETLK, F_RDLCK, 50, 10));
    getlk("child: GETLK WR [50,60)", fd, F_GETLK, F_WRLCK, 50, 10);
    getlk("child: GETLK WR [0,eof)", fd, F_GETLK, F_WRLCK, 0, 0);
    TRY("child: SETLK WR [100,110)", setlk(fd, F_SETLK, F_WRLCK, 100, 10));
    getlk("child: GETLK own range", fd, F_GETLK, F_WRLCK, 100, 10);
    close(fd);
}

static void child_posix_after_split(void) {
    int fd = open(P, O_RDWR);
    getlk("child: GETLK [40,60)", fd, F_GETLK, F_WRLCK, 40, 20);
    getlk("child: GETLK [0,50)", fd, F_GETLK, F_WRLCK, 0, 50);
    getlk("child: GETLK [50,100)", fd, F_GETLK, F_WRLCK, 50, 50);
    getlk("child: GETLK RD [50,100)", fd, F_GETLK, F_RDLCK, 50, 50);
    close(fd);
}

static void child_posix_after_merge(void) {
    int fd = open(P, O_RDWR);
    getlk("child: GETLK WR [0,eof)", fd, F_GETLK, F_WRLCK, 0, 0);
    getlk("child: GETLK RD [0,eof)", fd, F_GETLK, F_RDLCK, 0, 0);
    getlk("child: GETLK RD [18,20)", fd, F_GETLK, F_RDLCK, 18, 2);
    close(fd);
}

static void child_posix_free(void) {
    int fd = open(P, O_RDWR);
    TRY("child: SETLK WR [0,eof)", setlk(fd, F_SETLK, F_WRLCK, 0, 0));
    close(fd);
}

static void posix_tests(void) {
    printf("--- POSIX locks\n");
    int a = open(P, O_RDWR);
    TRY("SETLK WR [0,100)", setlk(a, F_SETLK, F_WRLCK, 0, 100));
    getlk("own lock does not conflict", a, F_GETLK, F_WRLCK, 0, 100);
    in_child(child_posix);
    /* Unlocking the middle splits the lock in two. */
    TRY("SETLK UN [40,60)", setlk(a, F_SETLK, F_UNLCK, 40, 20));
    in_child(child_posix_after_split);
    TRY("SETLK UN [0,eof)", setlk(a, F_SETLK, F_UNLCK, 0, 0));
    /* Adjacent locks of one type merge; a different type in the middle splits them again. */
    TRY("SETLK RD [0,10)", setlk(a, F_SETLK, F_RDLCK, 0, 10));
    TRY("SETLK RD [10,20)", setlk(a, F_SETLK, F_RDLCK, 10, 10));
    in_child(child_posix_after_merge);
    TRY("SETLK WR [5,10)", setlk(a, F_SETLK, F_WRLCK, 5, 5));
    in_child(child_posix_after_merge);
    /* Negative lengths lock before l_start; SEEK_CUR and SEEK_END count from the position and size. */
    TRY("SETLK UN all", setlk(a, F_SETLK, F_UNLCK, 0, 0));
    TRY("SETLK WR start 100 len -10", setlk(a, F_SETLK, F_WRLCK, 100, -10));
    in_child(child_posix_after_merge);
    TRY("SETLK UN all", setlk(a, F_SETLK, F_UNLCK, 0, 0));
    ftruncate(a, 1000);
    lseek(a, 30, SEEK_SET);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 5, .l_len = 10};
    TRY("SETLK WR SEEK_CUR+5 len 10", fcntl(a, F_SETLK, &fl));
    in_child(child_posix_after_merge);
    fl.l_whence = SEEK_END; fl.l_start = -100; fl.l_len = 0;
    TRY("SETLK RD SEEK_END-100 to eof", (fl.l_type = F_RDLCK, fcntl(a, F_SETLK, &fl)));
    in_child(child_posix_after_split);
    TRY("SETLK UN all", setlk(a, F_SETLK, F_UNLCK, 0, 0));

    /* Closing any descriptor of the file drops the process's locks, even another open of it. */
    TRY("SETLK WR [0,eof)", setlk(a, F_SETLK, F_WRLCK, 0, 0));
    int b = open(P, O_RDONLY);
    close(b);
    in_child(child_posix_free);
    TRY("SETLK WR [0,eof) again", setlk(a, F_SETLK, F_WRLCK, 0, 0));
    int d = dup(a);
    close(d);
    in_child(child_posix_free);
    close(a);
}

static void posix_errors(void) {
    printf("--- POSIX errors\n");
    int a = open(P, O_RDWR);
    int ro = open(P, O_RDONLY);
    int wo = open(P, O_WRONLY);
    TRY("l_type 5", setlk(a, F_SETLK, 5, 0, 1));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = 7, .l_start = 0, .l_len = 1};
    TRY("l_whence 7", fcntl(a, F_SETLK, &fl));
    TRY("l_start -1", setlk(a, F_SETLK, F_WRLCK, -1, 1));
    TRY("start 5 len -6", setlk(a, F_SETLK, F_WRLCK, 5, -6));
    TRY("start LLONG_MAX len 2", setlk(a, F_SETLK, F_WRLCK, 0x7fffffffffffffffL, 2));
    TRY("start LLONG_MAX len 1", setlk(a, F_SETLK, F_WRLCK, 0x7fffffffffffffffL, 1));
    TRY("SEEK_END past LLONG_MAX", (fl.l_whence = SEEK_END, fl.l_start = 0x7fffffffffffffffL, fcntl(a, F_SETLK, &fl)));
    TRY("unlock it", setlk(a, F_SETLK, F_UNLCK, 0, 0));
    TRY("GETLK with F_UNLCK", setlk(a, F_GETLK, F_UNLCK, 0, 1));
    TRY("GETLK l_type 9", setlk(a, F_GETLK, 9, 0, 1));
    TRY("WR on O_RDONLY", setlk(ro, F_SETLK, F_WRLCK, 0, 1));
    TRY("RD on O_WRONLY", setlk(wo, F_SETLK, F_RDLCK, 0, 1));
    TRY("UN on O_RDONLY", setlk(ro, F_SETLK, F_UNLCK, 0, 1));
    TRY("GETLK WR on O_RDONLY", setlk(ro, F_GETLK, F_WRLCK, 0, 1));
    TRY("bad pointer", fcntl(a, F_SETLK, (void *)8));
    TRY("bad fd", setlk(99, F_SETLK, F_WRLCK, 0, 1));
    int op = open(P, O_PATH);
    TRY("O_PATH", setlk(op, F_SETLK, F_RDLCK, 0, 1));
    struct flock o = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 1};
    TRY("OFD SETLK with l_pid", fcntl(a, F_OFD_SETLK, &o));
    TRY("OFD GETLK with l_pid", fcntl(a, F_OFD_GETLK, &o));
    TRY("fcntl cmd 12 (no F_GETLK64)", fcntl(a, 12, &o));
    close(op);
    close(ro);
    close(wo);
    close(a);
}

static int ofd_fd;

static void child_ofd(void) {
    TRY("child: inherited OFD SETLK WR", setlk(ofd_fd, F_OFD_SETLK, F_WRLCK, 0, 10));
    int fd = open(P, O_RDWR);
    TRY("child: new OFD SETLK WR", setlk(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
    getlk("child: OFD GETLK", fd, F_OFD_GETLK, F_WRLCK, 0, 10);
    getlk("child: POSIX GETLK", fd, F_GETLK, F_WRLCK, 0, 10);
    TRY("child: POSIX SETLK", setlk(fd, F_SETLK, F_RDLCK, 5, 1));
    close(fd);
}

static void ofd_tests(void) {
    printf("--- OFD locks\n");
    int a = open(P, O_RDWR);
    ofd_fd = a;
    TRY("OFD SETLK WR [0,10)", setlk(a, F_OFD_SETLK, F_WRLCK, 0, 10));
    getlk("OFD GETLK F_UNLCK: own lock", a, F_OFD_GETLK, F_UNLCK, 0, 100);
    getlk("OFD GETLK WR: no conflict with self", a, F_OFD_GETLK, F_WRLCK, 0, 10);
    in_child(child_ofd);
    /* The process's POSIX locks are another owner: they conflict with its OFD lock. */
    int b = open(P, O_RDWR);
    TRY("POSIX SETLK WR on same range", setlk(b, F_SETLK, F_WRLCK, 5, 1));
    getlk("POSIX GETLK sees the OFD lock", b, F_GETLK, F_WRLCK, 5, 1);
    TRY("POSIX SETLK WR elsewhere", setlk(b, F_SETLK, F_WRLCK, 20, 1));
    getlk("OFD GETLK sees the POSIX lock", b, F_OFD_GETLK, F_WRLCK, 20, 1);
    /* Closing another descriptor does not release an OFD lock (it does release POSIX ones). */
    int c = open(P, O_RDONLY);
    close(c);
    getlk("after close: OFD still there", b, F_OFD_GETLK, F_WRLCK, 5, 1);
    getlk("after close: POSIX gone", a, F_OFD_GETLK, F_WRLCK, 20, 1);
    int d = dup(a);
    close(a);
    getlk("after close of one dup", b, F_OFD_GETLK, F_WRLCK, 5, 1);
    close(d);
    getlk("after last close", b, F_OFD_GETLK, F_WRLCK, 5, 1);
    close(b);
}

static void child_deadlock(void) {
    int fd = open(P, O_RDWR);
    TRY("child: SETLK WR [1,2)", setlk(fd, F_SETLK, F_WRLCK, 1, 1));
    char x = 0;
    write(sync_pipe[1], &x, 1);
    read(back_pipe[0], &x, 1); /* the parent is about to wait for [1,2) */
    usleep(500 * 1000);
    TRY("child: SETLKW WR [0,1) would deadlock", setlk(fd, F_SETLKW, F_WRLCK, 0, 1));
    fflush(stdout);
    close(fd); /* releases [1,2): the parent gets it */
}

static void deadlock_tests(void) {
    printf("--- deadlock\n");
    int a = open(P, O_RDWR);
    TRY("SETLK WR [0,1)", setlk(a, F_SETLK, F_WRLCK, 0, 1));
    pipe(sync_pipe);
    pipe(back_pipe);
    pid_t c = fork();
    if (c == 0) { child_deadlock(); fflush(stdout); _exit(0); }
    char x;
    read(sync_pipe[0], &x, 1);
    write(back_pipe[1], &x, 1);
    int r = setlk(a, F_SETLKW, F_WRLCK, 1, 1);
    printf("parent: SETLKW WR [1,2) -> %d\n", r);
    waitpid(c, NULL, 0);
    close(a);
}

static void on_alarm(int sig) { (void)sig; }

static void child_hold(void) {
    int fd = open(P, O_RDWR);
    setlk(fd, F_SETLK, F_WRLCK, 0, 0);
    char x = 0;
    write(sync_pipe[1], &x, 1);
    read(back_pipe[0], &x, 1);
    usleep(300 * 1000);
    close(fd);
}

static void blocking_tests(void) {
    printf("--- blocking\n");
    int a = open(P, O_RDWR);
    pipe(sync_pipe);
    pipe(back_pipe);
    pid_t c = fork();
    if (c == 0) { child_hold(); _exit(0); }
    char x;
    read(sync_pipe[0], &x, 1);
    /* A signal without SA_RESTART interrupts the wait. */
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    TRY("SETLKW interrupted", setlk(a, F_SETLKW, F_WRLCK, 0, 1));
    TRY("OFD SETLKW interrupted", (alarm(1), setlk(a, F_OFD_SETLKW, F_WRLCK, 0, 1)));
    TRY("flock interrupted? (different kind)", flock(a, LOCK_EX | LOCK_NB));
    flock(a, LOCK_UN);
    write(back_pipe[1], &x, 1);
    TRY("SETLKW waits for the holder", setlk(a, F_SETLKW, F_WRLCK, 0, 1));
    waitpid(c, NULL, 0);
    close(a);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    parent = getpid();
    flock_tests();
    flock_blocking();
    posix_tests();
    posix_errors();
    ofd_tests();
    deadlock_tests();
    blocking_tests();
    return 0;
}
