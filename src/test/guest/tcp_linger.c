/* SO_LINGER with a time: close() waits until the FIN is acknowledged, the time runs out, or a
 * signal comes (and still returns 0). Only relations between times are printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A connected pair over loopback (IPv6 ::1 if v6, else 127.0.0.1); *srv gets the accepted end. */
static int pair(int v6, int *srv) {
    int fam = v6 ? AF_INET6 : AF_INET;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    int l = socket(fam, SOCK_STREAM, 0);
    if (bind(l, (struct sockaddr *)&ss, len) || listen(l, 1)) { perror("listen"); exit(1); }
    getsockname(l, (struct sockaddr *)&ss, &len);
    int c = socket(fam, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&ss, len)) { perror("connect"); exit(1); }
    *srv = accept(l, NULL, NULL);
    close(l);
    return c;
}

static void set_linger(int fd, int secs) {
    struct linger lg = {1, secs};
    if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg)) { perror("SO_LINGER"); exit(1); }
}

/* Fills the peer's receive window and our send buffer: the FIN cannot go out. */
static void stuff(int fd) {
    static char buf[65536];
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (send(fd, buf, sizeof buf, 0) > 0) {}
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);

    /* 1. The peer reads nothing and its window is full: close waits the whole linger time. */
    int s, c = pair(0, &s);
    set_linger(c, 1);
    stuff(c);
    double t0 = now();
    errno = 0;
    int r = close(c);
    double dt = now() - t0;
    printf("full window: close=%d errno=%d waited>=0.9s=%d waited<5s=%d\n", r, errno, dt >= 0.9, dt < 5);
    close(s);

    /* 2. The FIN can go and is acknowledged at once: close returns well before the linger time. */
    c = pair(1, &s);
    set_linger(c, 10);
    write(c, "bye", 3);
    t0 = now();
    r = close(c);
    dt = now() - t0;
    printf("v6 FIN acked: close=%d returned<5s=%d\n", r, dt < 5);
    char buf[8];
    ssize_t n1 = read(s, buf, sizeof buf), n2 = read(s, buf, sizeof buf);
    printf("peer read %zd then %zd\n", n1, n2);
    close(s);

    /* 3. A signal ends the wait; close still returns 0. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    c = pair(1, &s);
    set_linger(c, 20);
    stuff(c);
    alarm(1);
    t0 = now();
    errno = 0;
    r = close(c);
    dt = now() - t0;
    printf("signal: close=%d errno=%d waited>=0.5s=%d returned<10s=%d\n", r, errno, dt >= 0.5, dt < 10);
    close(s);

    /* 4. SO_LINGER with zero time aborts: the peer sees a reset. */
    c = pair(0, &s);
    set_linger(c, 0);
    write(c, "x", 1);
    close(c);
    usleep(100000);
    char ch;
    ssize_t n = read(s, &ch, 1);
    errno = 0;
    ssize_t m = read(s, &ch, 1);
    printf("abort: read %zd then %zd %s\n", n, m, m < 0 ? strerror(errno) : "");
    close(s);

    /* 5. A process exiting does not linger (inet_release skips it for PF_EXITING). */
    t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        c = pair(1, &s);
        set_linger(c, 20);
        stuff(c);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    dt = now() - t0;
    printf("exit: status=%d returned<10s=%d\n", WEXITSTATUS(st), dt < 10);
    return 0;
}
