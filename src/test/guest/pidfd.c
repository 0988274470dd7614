/* pidfds (kernel/pid.c, fs/pidfs.c): pidfd_open's checks, poll readiness when the process
 * exits (POLLIN) and is reaped (POLLHUP), fdinfo's Pid line, pidfd_send_signal with and
 * without a siginfo and its scope flags, waitid(P_PIDFD) including a PIDFD_NONBLOCK pidfd,
 * pidfd_getfd and thread pidfds (PIDFD_THREAD). qemu-user has no CLONE_PIDFD: clone3 with it is
 * in kava-only/pidfd_clone.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define PIDFD_SIGNAL_THREAD (1UL << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1UL << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1UL << 2)

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int send_sig(int fd, int sig, siginfo_t *si, unsigned flags) {
    return syscall(SYS_pidfd_send_signal, fd, sig, si, flags);
}
static int getfd(int pidfd, int fd, unsigned flags) { return syscall(SYS_pidfd_getfd, pidfd, fd, flags); }

static int revents(int fd, int timeout) {
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, timeout);
    return n < 0 ? -1 : p.revents;
}

/* fdinfo's Pid: line, as "self", "child", "-1" or the number. */
static void fdinfo_pid(const char *what, int fd, pid_t expect) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    ssize_t n = read(f, buf, sizeof buf - 1);
    close(f);
    buf[n > 0 ? n : 0] = 0;
    char *p = strstr(buf, "Pid:\t"), *q = strstr(buf, "NSpid:\t");
    if (!p || !q) { printf("%s: no Pid line\n", what); return; }
    long pid = strtol(p + 5, NULL, 10), nspid = strtol(q + 7, NULL, 10);
    printf("%s: Pid %s NSpid same=%d\n", what, pid == expect ? "expected" : pid == -1 ? "-1" : "other", pid == nspid);
}

static volatile sig_atomic_t got_value = -1;
static void on_usr1(int sig, siginfo_t *si, void *uc) { got_value = si->si_value.sival_int; }

static void *sleeper(void *arg) {
    int *p = arg;
    char c;
    read(p[0], &c, 1);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    show("open bad flags", pidfd_open(getpid(), 1));
    show("open pid 0", pidfd_open(0, 0));
    show("open pid -1", pidfd_open(-1, 0));
    show("open no such pid", pidfd_open(4194000, 0));
    int self = pidfd_open(getpid(), 0);
    printf("open self ok=%d cloexec=%d\n", self >= 0, fcntl(self, F_GETFD) & FD_CLOEXEC);
    printf("self revents=%#x\n", revents(self, 0));
    fdinfo_pid("self fdinfo", self, getpid());

    /* A thread's tid is not a process: EINVAL, unless PIDFD_THREAD. */
    int tp[2];
    pipe(tp);
    pthread_t th;
    pthread_create(&th, NULL, sleeper, tp);
    pid_t tid = 0;
    for (int i = 0; i < 1000 && !tid; i++) {
        /* The other thread's tid, from /proc/self/task. */
        int dfd = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
        char dbuf[4096];
        long n = syscall(SYS_getdents64, dfd, dbuf, sizeof dbuf);
        close(dfd);
        for (long off = 0; off < n;) {
            struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d = (void *)(dbuf + off);
            int v = atoi(d->name);
            if (v > 0 && v != getpid()) tid = v;
            off += d->reclen;
        }
    }
    show("open thread tid", pidfd_open(tid, 0));
    int tfd = pidfd_open(tid, PIDFD_THREAD);
    printf("open thread tid PIDFD_THREAD ok=%d getfl_thread=%d\n", tfd >= 0, !!(fcntl(tfd, F_GETFL) & O_EXCL));
    printf("thread revents before=%#x\n", revents(tfd, 0));
    write(tp[1], "x", 1);
    pthread_join(th, NULL);
    printf("thread revents after exit=%#x\n", revents(tfd, 1000));
    close(tfd);

    /* Argument checks of pidfd_send_signal. */
    show("send bad flags", send_sig(self, 0, NULL, 8));
    show("send two scopes", send_sig(self, 0, NULL, PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP));
    show("send bad fd", send_sig(99, 0, NULL, 0));
    show("send not a pidfd", send_sig(1, 0, NULL, 0));
    show("send bad signal", send_sig(self, 99, NULL, 0));
    show("send signal 0", send_sig(self, 0, NULL, 0));

    /* A siginfo to oneself: SI_QUEUE with a value reaches the handler. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 77;
    show("send self siginfo", send_sig(self, SIGUSR1, &si, 0));
    printf("handler value=%d\n", got_value);
    si.si_signo = SIGUSR2;
    show("send siginfo signo mismatch", send_sig(self, SIGUSR1, &si, 0));
    got_value = -1;
    show("send self no siginfo", send_sig(self, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
    printf("handler ran=%d\n", got_value != -1);

    /* A child: poll, signal, waitid(P_PIDFD), then POLLHUP and ESRCH once it is reaped. */
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char ch;
        close(p[1]);
        read(p[0], &ch, 1);
        _exit(0);
    }
    int cfd = pidfd_open(c, 0);
    printf("child revents running=%#x\n", revents(cfd, 0));
    fdinfo_pid("child fdinfo", cfd, c);
    si.si_signo = SIGTERM;
    si.si_code = SI_QUEUE;
    show("send child SI_USER siginfo", (si.si_code = SI_USER, send_sig(cfd, SIGTERM, &si, 0)));
    siginfo_t wi;
    memset(&wi, 0x55, sizeof wi);
    show("waitid WNOHANG running", waitid(P_PIDFD, cfd, &wi, WEXITED | WNOHANG));
    printf("  si_pid=%d si_signo=%d\n", wi.si_pid, wi.si_signo);
    int nb = pidfd_open(c, PIDFD_NONBLOCK);
    printf("nonblock pidfd getfl_nonblock=%d\n", !!(fcntl(nb, F_GETFL) & O_NONBLOCK));
    memset(&wi, 0x55, sizeof wi);
    /* (Linux then clears *infop, as for every waitid error; qemu-user leaves it as it was.) */
    show("waitid nonblock pidfd running", waitid(P_PIDFD, nb, &wi, WEXITED));
    show("send SIGTERM", send_sig(cfd, SIGTERM, NULL, 0));
    printf("child revents exited=%#x\n", revents(cfd, 5000));
    fdinfo_pid("zombie fdinfo", cfd, c);
    show("send to zombie", send_sig(cfd, SIGTERM, NULL, 0));
    show("getfd zombie", getfd(cfd, 0, 0));
    memset(&wi, 0, sizeof wi);
    show("waitid P_PIDFD", waitid(P_PIDFD, cfd, &wi, WEXITED));
    printf("  pid_is_child=%d code=%d status=%d\n", wi.si_pid == c, wi.si_code, wi.si_status);
    printf("child revents reaped=%#x\n", revents(cfd, 0));
    fdinfo_pid("reaped fdinfo", cfd, c);
    show("send to reaped", send_sig(cfd, SIGTERM, NULL, 0));
    show("getfd reaped", getfd(cfd, 0, 0));
    show("waitid reaped", waitid(P_PIDFD, cfd, &wi, WEXITED));
    show("waitid not a pidfd", waitid(P_PIDFD, 1, &wi, WEXITED));
    show("waitid bad pidfd", waitid(P_PIDFD, 99, &wi, WEXITED));
    show("waitid negative pidfd", waitid(P_PIDFD, -1, &wi, WEXITED));
    close(cfd);
    close(nb);

    /* pidfd_getfd: a duplicate of the child's pipe end. */
    int q[2];
    pipe(q);
    c = fork();
    if (c == 0) {
        char ch;
        int keep = dup2(q[1], 40);
        close(q[1]);
        close(q[0]);
        (void)keep;
        read(p[0], &ch, 1);
        _exit(0);
    }
    close(q[1]);
    cfd = pidfd_open(c, 0);
    usleep(100000);
    show("getfd flags", getfd(cfd, 40, 1));
    show("getfd no such fd", getfd(cfd, 77, 0));
    show("getfd not a pidfd", getfd(1, 40, 0));
    int dupd = getfd(cfd, 40, 0);
    printf("getfd ok=%d cloexec=%d\n", dupd >= 0, fcntl(dupd, F_GETFD) & FD_CLOEXEC);
    write(dupd, "hi", 2);
    close(dupd);
    write(p[1], "x", 1); /* let the child go */
    char buf[8] = {0};
    show("read through child's end", read(q[0], buf, sizeof buf));
    printf("  data=%s\n", buf);
    waitpid(c, NULL, 0);
    close(cfd);

    return 0;
}
