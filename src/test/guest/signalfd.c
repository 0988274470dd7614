/* signalfd4 (fs/signalfd.c): argument checks, non-blocking and blocking reads of process-wide
 * and thread-directed signals as struct signalfd_siginfo, several per read, poll and epoll
 * readiness, a new mask for an existing fd, SIGKILL/SIGSTOP dropped from the mask, SIGCHLD of
 * a child, and a forked child reading its own pending signals through the inherited fd. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int raw_signalfd(int fd, const void *mask, size_t size, int flags) {
    return syscall(SYS_signalfd4, fd, mask, size, flags);
}

static void show_info(const char *what, const struct signalfd_siginfo *si) {
    printf("%s: signo=%u code=%d pid_is_self=%d uid=%u int=%d ptr=%llu status=%d errno=%d\n", what,
           si->ssi_signo, si->ssi_code, si->ssi_pid == (uint32_t)getpid(), si->ssi_uid, si->ssi_int,
           (unsigned long long)si->ssi_ptr, si->ssi_status, si->ssi_errno);
}

static int pollin(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : (p.revents & POLLIN) != 0;
}

static void *thread_kill(void *arg) {
    pid_t tid = *(pid_t *)arg;
    syscall(SYS_tgkill, getpid(), tid, SIGUSR2);
    return NULL;
}

int main(void) {
    sigset_t mask, all;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1);
    sigaddset(&all, SIGUSR2);
    sigaddset(&all, SIGRTMIN);
    sigaddset(&all, SIGCHLD);
    sigprocmask(SIG_BLOCK, &all, NULL);
    printf("sizeof(struct signalfd_siginfo)=%zu\n", sizeof(struct signalfd_siginfo));

    show("bad flags", raw_signalfd(-1, &mask, 8, 0x1234));
    /* (A sizemask other than 8 is EINVAL on Linux, but qemu-user does not check it.) */
    show("bad pointer", raw_signalfd(-1, (void *)8, 8, 0));
    show("bad fd", raw_signalfd(99, &mask, 8, 0));
    show("not a signalfd", raw_signalfd(1, &mask, 8, 0));

    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("signalfd ok=%d cloexec=%d nonblock=%d rdwr=%d\n", sfd >= 0, fcntl(sfd, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(sfd, F_GETFL) & O_NONBLOCK), (fcntl(sfd, F_GETFL) & O_ACCMODE) == O_RDWR);
    struct stat st;
    fstat(sfd, &st);
    printf("mode=%o\n", st.st_mode);

    struct signalfd_siginfo si[3];
    show("read nothing pending", read(sfd, si, sizeof si));
    show("read short buffer", read(sfd, si, sizeof si[0] - 1));
    printf("poll empty: %d\n", pollin(sfd));

    kill(getpid(), SIGUSR1);
    printf("poll after kill: %d\n", pollin(sfd));
    show("read", read(sfd, si, sizeof si));
    show_info("kill", &si[0]);
    sigset_t pend;
    sigpending(&pend);
    printf("still pending USR1=%d\n", sigismember(&pend, SIGUSR1));

    /* A signal outside the mask stays pending and does not make the fd readable. */
    kill(getpid(), SIGUSR2);
    printf("poll with USR2 only: %d\n", pollin(sfd));

    /* New mask on the same fd: SIGKILL and SIGSTOP are dropped silently. */
    sigset_t m2;
    sigemptyset(&m2);
    sigaddset(&m2, SIGUSR2);
    sigaddset(&m2, SIGRTMIN);
    sigaddset(&m2, SIGKILL);
    sigaddset(&m2, SIGSTOP);
    show("update mask returns fd", raw_signalfd(sfd, &m2, 8, 0) == sfd ? 0 : -1);
    printf("poll after update: %d\n", pollin(sfd));
    show("read USR2", read(sfd, si, sizeof si));
    show_info("usr2", &si[0]);

    /* Real-time signals queue: two in one read. */
    union sigval v1 = {.sival_int = 41}, v2 = {.sival_int = 42};
    sigqueue(getpid(), SIGRTMIN, v1);
    sigqueue(getpid(), SIGRTMIN, v2);
    long n = read(sfd, si, sizeof si);
    printf("read two rt: %ld\n", n);
    show_info("rt1", &si[0]);
    show_info("rt2", &si[1]);

    /* A thread-directed signal to this thread, from another thread. */
    pid_t self = syscall(SYS_gettid);
    pthread_t th;
    pthread_create(&th, NULL, thread_kill, &self);
    pthread_join(th, NULL);
    show("read tgkill", read(sfd, si, sizeof si));
    printf("tgkill code is SI_TKILL: %d\n", si[0].ssi_code == SI_TKILL);

    /* epoll on a signalfd. */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    show("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
    show("epoll_wait empty", epoll_wait(ep, &ev, 1, 0));
    kill(getpid(), SIGUSR2);
    n = epoll_wait(ep, &ev, 1, 1000);
    printf("epoll_wait: %ld data=%llu\n", n, (unsigned long long)ev.data.u64);
    read(sfd, si, sizeof si);

    /* A forked child reads its own pending signals through the inherited fd. */
    int bfd = signalfd(-1, &all, 0); /* blocking */
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        struct signalfd_siginfo ci;
        printf("child poll before: %d\n", pollin(bfd));
        kill(getpid(), SIGUSR1);
        long r = read(bfd, &ci, sizeof ci);
        printf("child read %ld signo=%u pid_is_self=%d\n", r, ci.ssi_signo, ci.ssi_pid == (uint32_t)getpid());
        fflush(stdout);
        /* Blocking read: the parent sends SIGUSR2 once it sees the child waiting. */
        r = read(bfd, &ci, sizeof ci);
        printf("child blocking read %ld signo=%u from_parent=%d\n", r, ci.ssi_signo, ci.ssi_pid == (uint32_t)getppid());
        fflush(stdout);
        _exit(3);
    }
    /* Wait until the child is asleep in read, then signal it. */
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    for (int i = 0; i < 2000; i++) {
        int fd = open(path, O_RDONLY);
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[k > 0 ? k : 0] = 0;
        char *p = strrchr(buf, ')');
        if (p && p[2] == 'S') break;
        usleep(1000);
    }
    kill(c, SIGUSR2);
    n = read(bfd, si, sizeof si);
    printf("parent read SIGCHLD: %ld signo=%u code=%d status=%d pid_is_child=%d\n", n, si[0].ssi_signo,
           si[0].ssi_code, si[0].ssi_status, si[0].ssi_pid == (uint32_t)c);
    int status;
    waitpid(c, &status, 0);
    printf("child exit=%d\n", WEXITSTATUS(status));
    close(sfd);
    close(bfd);
    return 0;
}
