/* TCP over lo (127.0.0.1, or ::1 with a third argument 6): an N-MiB bulk transfer between two processes and a request/response rate.
 * Prints the figures measured inside the guest (CLOCK_MONOTONIC), so start-up is excluded. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

/* A connected pair over 127.0.0.1, or over ::1 when v6. */
static int pair(int *srv, int *cli, int v6) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t al;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        al = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        al = sizeof *a;
    }
    int l = socket(ss.ss_family, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&ss, al);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&ss, &al);
    *cli = socket(ss.ss_family, SOCK_STREAM, 0);
    if (connect(*cli, (struct sockaddr *)&ss, al)) { perror("connect"); exit(1); }
    *srv = accept(l, NULL, NULL);
    close(l);
    return 0;
}

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 64;
    long reqs = argc > 2 ? atol(argv[2]) : 5000;
    int v6 = argc > 3 && atoi(argv[3]) == 6;
    int s, c;
    pair(&s, &c, v6);
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    long total = mib << 20;
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        close(s);
        for (long sent = 0; sent < total;) {
            long n = write(c, buf, sizeof buf < (size_t)(total - sent) ? sizeof buf : total - sent);
            if (n <= 0) _exit(1);
            sent += n;
        }
        close(c);
        _exit(0);
    }
    close(c);
    long got = 0, n;
    while ((n = read(s, buf, sizeof buf)) > 0) got += n;
    waitpid(pid, NULL, 0);
    double t1 = now();
    close(s);
    if (got != total) { printf("short transfer %ld\n", got); return 1; }
    printf("bulk: %ld MiB in %.3f s: %.1f MiB/s\n", mib, t1 - t0, mib / (t1 - t0));
    pair(&s, &c, v6);
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pid = fork();
    if (pid == 0) {
        close(c);
        char q[64];
        while (read(s, q, 64) == 64) write(s, q, 64);
        _exit(0);
    }
    close(s);
    char q[64] = {0};
    t0 = now();
    for (long i = 0; i < reqs; i++) {
        write(c, q, 64);
        long k = 0;
        while (k < 64 && (n = read(c, q + k, 64 - k)) > 0) k += n;
    }
    t1 = now();
    close(c);
    waitpid(pid, NULL, 0);
    printf("rr: %ld round trips of 64 bytes in %.3f s: %.0f /s\n", reqs, t1 - t0, reqs / (t1 - t0));
    return 0;
}
