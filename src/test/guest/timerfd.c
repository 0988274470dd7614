/* timerfd_create/settime/gettime (fs/timerfd.c): argument checks, one-shot and periodic timers
 * (missed periods counted at read), absolute and relative expiry, the old value settime
 * returns, non-blocking and blocking reads, poll and epoll readiness, TFD_IOC_SET_TICKS, and
 * fdinfo. Times vary between runs, so only relations are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long long ns(const struct timespec *t) {
    return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int pollin(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : (p.revents & POLLIN) != 0;
}

static struct itimerspec its(long long value, long long interval) {
    struct itimerspec t;
    t.it_value.tv_sec = value / 1000000000LL;
    t.it_value.tv_nsec = value % 1000000000LL;
    t.it_interval.tv_sec = interval / 1000000000LL;
    t.it_interval.tv_nsec = interval % 1000000000LL;
    return t;
}

static void fdinfo_head(int fd) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    ssize_t n = read(f, buf, sizeof buf - 1);
    close(f);
    buf[n > 0 ? n : 0] = 0;
    /* pos, flags, mnt_id, ino, then the timerfd's own lines: print clockid, settime flags and interval. */
    char *line = strtok(buf, "\n");
    while (line) {
        if (!strncmp(line, "clockid:", 8) || !strncmp(line, "settime flags:", 14)
            || !strncmp(line, "it_interval:", 12))
            printf("  %s\n", line);
        line = strtok(NULL, "\n");
    }
}

int main(void) {
    uint64_t ticks;
    struct itimerspec cur, old;

    show("bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    show("bad clock 99", timerfd_create(99, 0));
    show("bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1234));
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("create ok=%d cloexec=%d nonblock=%d rdwr=%d\n", fd >= 0, fcntl(fd, F_GETFD) & FD_CLOEXEC,
           !!(fcntl(fd, F_GETFL) & O_NONBLOCK), (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    struct stat st;
    fstat(fd, &st);
    printf("mode=%o\n", st.st_mode);
    int rt = timerfd_create(CLOCK_REALTIME, 0);
    int bt = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
    printf("realtime ok=%d boottime ok=%d\n", rt >= 0, bt >= 0);

    struct itimerspec t = its(500000000, 0);
    show("settime bad flags", timerfd_settime(fd, 0x10, &t, NULL));
    struct itimerspec bad = its(0, 0);
    bad.it_value.tv_nsec = 1000000000;
    show("settime bad nsec", timerfd_settime(fd, 0, &bad, NULL));
    bad = its(0, 0);
    bad.it_interval.tv_sec = -1;
    show("settime negative interval", timerfd_settime(fd, 0, &bad, NULL));
    show("settime bad fd", timerfd_settime(99, 0, &t, NULL));
    show("settime not a timerfd", timerfd_settime(1, 0, &t, NULL));
    show("settime bad pointer", timerfd_settime(fd, 0, (void *)8, NULL));
    show("gettime bad fd", timerfd_gettime(99, &cur));
    show("gettime not a timerfd", timerfd_gettime(0, &cur));

    show("gettime disarmed", timerfd_gettime(fd, &cur));
    printf("  value=%lld interval=%lld\n", ns(&cur.it_value), ns(&cur.it_interval));
    show("read disarmed", read(fd, &ticks, 8));
    show("read short", read(fd, &ticks, 4));

    /* One-shot, relative. */
    show("settime 500ms", timerfd_settime(fd, 0, &t, &old));
    printf("  old value=%lld interval=%lld\n", ns(&old.it_value), ns(&old.it_interval));
    timerfd_gettime(fd, &cur);
    printf("  remaining in (0,500ms]: %d\n", ns(&cur.it_value) > 0 && ns(&cur.it_value) <= 500000000);
    printf("  poll before: %d\n", pollin(fd));
    struct pollfd p = {fd, POLLIN, 0};
    printf("  poll wait: %d revents=%#x\n", poll(&p, 1, 5000), p.revents);
    show("  read", read(fd, &ticks, 8));
    printf("  ticks=%llu\n", (unsigned long long)ticks);
    show("  read again", read(fd, &ticks, 8));
    timerfd_gettime(fd, &cur);
    printf("  after expiry value=%lld\n", ns(&cur.it_value));

    /* Periodic: the periods missed before the read are all counted. */
    t = its(10000000, 10000000);
    show("settime periodic 10ms", timerfd_settime(fd, 0, &t, NULL));
    usleep(55000);
    read(fd, &ticks, 8);
    printf("  ticks>=5: %d\n", ticks >= 5);
    timerfd_gettime(fd, &cur);
    printf("  rearmed value in (0,10ms]: %d interval=%lld\n", ns(&cur.it_value) > 0 && ns(&cur.it_value) <= 10000000,
           ns(&cur.it_interval));
    usleep(25000);
    /* gettime forwards an expired periodic timer and keeps the ticks for the next read. */
    timerfd_gettime(fd, &cur);
    printf("  gettime after 25ms value in (0,10ms]: %d\n", ns(&cur.it_value) > 0 && ns(&cur.it_value) <= 10000000);
    read(fd, &ticks, 8);
    printf("  ticks>=2: %d\n", ticks >= 2);
    /* Settime returns the running timer's next expiry and interval, then disarms it. */
    t = its(0, 0);
    timerfd_settime(fd, 0, &t, &old);
    printf("  disarm: old value in (0,10ms]: %d old interval=%lld\n",
           ns(&old.it_value) > 0 && ns(&old.it_value) <= 10000000, ns(&old.it_interval));
    timerfd_gettime(fd, &cur);
    printf("  disarmed value=%lld interval=%lld\n", ns(&cur.it_value), ns(&cur.it_interval));

    /* Absolute, in the past: expires at once. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    t = its(ns(&now) - 1000000, 0);
    show("settime abstime past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
    p.revents = 0;
    printf("  poll wait: %d\n", poll(&p, 1, 5000));
    read(fd, &ticks, 8);
    printf("  ticks=%llu\n", (unsigned long long)ticks);

    /* Absolute realtime, with cancel-on-set, a blocking read. */
    clock_gettime(CLOCK_REALTIME, &now);
    t = its(ns(&now) + 15000000, 0);
    show("settime realtime abs cancel-on-set", timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL));
    fdinfo_head(rt);
    show("  blocking read", read(rt, &ticks, 8));
    printf("  ticks=%llu\n", (unsigned long long)ticks);
    struct timespec after;
    clock_gettime(CLOCK_REALTIME, &after);
    printf("  not early: %d\n", ns(&after) >= ns(&t.it_value));

    /* epoll, with a boottime timer. */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 9};
    show("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, bt, &ev));
    show("epoll_wait idle", epoll_wait(ep, &ev, 1, 0));
    t = its(5000000, 0);
    timerfd_settime(bt, 0, &t, NULL);
    long n = epoll_wait(ep, &ev, 1, 5000);
    printf("epoll_wait: %ld data=%llu\n", n, (unsigned long long)ev.data.u64);
    read(bt, &ticks, 8);
    printf("  ticks=%llu\n", (unsigned long long)ticks);
    show("epoll_wait drained", epoll_wait(ep, &ev, 1, 0));

    /* A settime resets the tick count. */
    t = its(1000, 0);
    timerfd_settime(bt, 0, &t, NULL);
    usleep(2000);
    printf("poll expired: %d\n", pollin(bt));
    t = its(0, 0);
    timerfd_settime(bt, 0, &t, NULL);
    printf("poll after disarm: %d\n", pollin(bt));
    close(fd);
    close(rt);
    close(bt);
    return 0;
}
