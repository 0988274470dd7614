/* eventfd (counter and semaphore modes, non-blocking EAGAIN, bad sizes, poll readiness) and
 * epoll (create/ctl errors, level- and edge-triggered, one-shot, EPOLLRDHUP, nested sets, loops,
 * close removing an fd from a set) over pipes and eventfds, with a forked writer. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void wait_show(const char *what, int ep, int max, int timeout) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, max, timeout);
    if (n < 0) { printf("%s: -1 %s\n", what, strerror(errno)); return; }
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) printf(" [%#x data=%llu]", ev[i].events, (unsigned long long)ev[i].data.u64);
    printf("\n");
}

int main(void) {
    uint64_t v;
    printf("sizeof(struct epoll_event)=%zu\n", sizeof(struct epoll_event));

    /* eventfd */
    show("eventfd bad flags", eventfd(0, 0x1234));
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    printf("F_GETFD cloexec=%d, F_GETFL nonblock=%d rdwr=%d\n", fcntl(e, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(e, F_GETFL) & O_NONBLOCK), (fcntl(e, F_GETFL) & O_ACCMODE) == O_RDWR);
    show("read short", read(e, &v, 4));
    show("write bad pointer", syscall(SYS_write, e, (void *)8, 8));
    show("read", read(e, &v, 8));
    printf("  value %llu\n", (unsigned long long)v);
    show("read empty", read(e, &v, 8));
    v = 5; show("write 5", write(e, &v, 8));
    v = 7; show("write 7", write(e, &v, 8));
    show("write short", write(e, &v, 7));
    v = UINT64_MAX; show("write max", write(e, &v, 8));
    uint64_t two[2] = {0, 0};
    show("read 16 bytes", read(e, two, 16));
    printf("  value %llu\n", (unsigned long long)two[0]);
    v = UINT64_MAX - 1; show("write max-1", write(e, &v, 8));
    v = 1; show("write overflow", write(e, &v, 8));
    struct pollfd pf = {e, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("poll full counter %#x\n", pf.revents);
    read(e, &v, 8);
    poll(&pf, 1, 0);
    printf("poll empty counter %#x\n", pf.revents);
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    show("sem read", read(s, &v, 8)); printf("  value %llu\n", (unsigned long long)v);
    show("sem read", read(s, &v, 8)); printf("  value %llu\n", (unsigned long long)v);
    show("sem read", read(s, &v, 8));

    /* blocking eventfd read woken by a child */
    int b = eventfd(0, 0);
    pid_t pid = fork();
    if (pid == 0) { usleep(30000); uint64_t one = 42; write(b, &one, 8); _exit(0); }
    show("blocking read", read(b, &v, 8)); printf("  value %llu\n", (unsigned long long)v);
    waitpid(pid, NULL, 0);

    /* epoll_create1 / epoll_ctl errors */
    show("epoll_create1 bad flags", epoll_create1(1));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll cloexec=%d\n", fcntl(ep, F_GETFD) & FD_CLOEXEC);
    int p[2];
    pipe(p);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 100};
    show("ctl bad epfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev));
    show("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
    show("ctl not epoll", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev));
    show("ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    int reg = open("/proc/self/exe", O_RDONLY);
    if (reg < 0) reg = open("/", O_RDONLY);
    show("ctl regular file", epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev));
    show("ctl del missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    show("ctl mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    show("ctl bad op", epoll_ctl(ep, 7, p[0], &ev));
    show("ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    show("ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    struct epoll_event ex = {.events = EPOLLIN | EPOLLEXCLUSIVE};
    show("ctl mod exclusive", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ex));
    ex.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    show("ctl add exclusive+oneshot", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ex));
    struct epoll_event evs[4];
    show("ctl bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (void *)8));
    show("wait maxevents 0", epoll_wait(ep, evs, 0, 0));
    show("wait maxevents huge", syscall(SYS_epoll_pwait, ep, evs, 0x7fffffff, 0, NULL, 8));
    show("wait on non-epoll", epoll_wait(p[0], evs, 1, 0));
    show("pwait bad sigsetsize", syscall(SYS_epoll_pwait, ep, evs, 1, 0, evs, 4));

    /* level-triggered */
    wait_show("LT empty", ep, 8, 0);
    write(p[1], "abcd", 4);
    wait_show("LT data", ep, 8, 0);
    wait_show("LT data again", ep, 8, 0);
    char buf[16];
    read(p[0], buf, 4);
    wait_show("LT drained", ep, 8, 10);

    /* edge-triggered */
    ev.events = EPOLLIN | EPOLLET; ev.data.u64 = 200;
    show("ctl mod ET", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    write(p[1], "ab", 2);
    wait_show("ET first", ep, 8, 0);
    wait_show("ET again (none)", ep, 8, 0);
    read(p[0], buf, 1);
    wait_show("ET after partial read (none)", ep, 8, 0);
    write(p[1], "c", 1);
    wait_show("ET new write", ep, 8, 0);
    read(p[0], buf, 16);

    /* one-shot */
    ev.events = EPOLLIN | EPOLLONESHOT; ev.data.u64 = 300;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "x", 1);
    wait_show("oneshot first", ep, 8, 0);
    wait_show("oneshot disarmed", ep, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    wait_show("oneshot rearmed", ep, 8, 0);
    read(p[0], buf, 16);

    /* eventfd in the same set, maxevents limits */
    int e2 = eventfd(1, EFD_NONBLOCK);
    ev.events = EPOLLIN | EPOLLOUT; ev.data.u64 = 400;
    epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev);
    ev.events = EPOLLIN; ev.data.u64 = 500;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "y", 1);
    wait_show("two ready, max 1", ep, 1, 0);
    wait_show("two ready, max 8", ep, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, e2, NULL);
    read(p[0], buf, 16);

    /* nested epoll and loops */
    int outer = epoll_create1(0);
    ev.events = EPOLLIN; ev.data.u64 = 600;
    show("nest add", epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev));
    show("loop add", epoll_ctl(ep, EPOLL_CTL_ADD, outer, &ev));
    ex.events = EPOLLIN | EPOLLEXCLUSIVE;
    show("exclusive epoll target", epoll_ctl(ep, EPOLL_CTL_ADD, epoll_create1(0), &ex));
    wait_show("outer empty", outer, 8, 0);
    write(p[1], "n", 1);
    wait_show("outer sees inner", outer, 8, 0);
    struct pollfd epf = {ep, POLLIN, 0};
    poll(&epf, 1, 0);
    printf("poll on epoll fd %#x\n", epf.revents);
    read(p[0], buf, 16);

    /* RDHUP/HUP when the writer closes; a forked writer wakes a blocked wait */
    int q[2];
    pipe(q);
    int ep2 = epoll_create1(0);
    ev.events = EPOLLIN | EPOLLRDHUP; ev.data.u64 = 700;
    epoll_ctl(ep2, EPOLL_CTL_ADD, q[0], &ev);
    int sync[2];
    pipe(sync);
    pid = fork();
    if (pid == 0) {
        close(sync[1]);
        usleep(30000);
        write(q[1], "child", 5);
        read(sync[0], buf, 1); /* keep the write end open until the parent has looked */
        _exit(0);
    }
    close(q[1]);
    close(sync[0]);
    wait_show("blocked wait woken by child", ep2, 8, 5000);
    close(sync[1]);
    waitpid(pid, NULL, 0);
    read(q[0], buf, 16);
    wait_show("writer gone", ep2, 8, 0);

    /* closing the last reference removes the fd from the set */
    int r[2];
    pipe(r);
    ev.events = EPOLLIN; ev.data.u64 = 800;
    epoll_ctl(ep2, EPOLL_CTL_ADD, r[0], &ev);
    epoll_ctl(ep2, EPOLL_CTL_DEL, q[0], NULL);
    write(r[1], "w", 1);
    wait_show("before close", ep2, 8, 0);
    int dupfd = dup(r[0]);
    close(r[0]);
    wait_show("dup still open", ep2, 8, 0);
    close(dupfd);
    wait_show("after last close", ep2, 8, 0);
    show("ctl del of closed fd", epoll_ctl(ep2, EPOLL_CTL_DEL, r[0], NULL));

    /* epoll_pwait2 is left out: the qemu used as the oracle answers ENOSYS for it. */
    return 0;
}
