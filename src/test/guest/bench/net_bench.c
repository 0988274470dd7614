/* TCP over lo: an N-MiB bulk transfer between two processes and a request/response rate.
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

static int pair(int *srv, int *cli) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&a, &al);
    *cli = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*cli, (struct sockaddr *)&a, sizeof a)) { perror("connect"); exit(1); }
    *srv = accept(l, NULL, NULL);
    close(l);
    return 0;
}

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 64;
    long reqs = argc > 2 ? atol(argv[2]) : 5000;
    int s, c;
    pair(&s, &c);
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
    pair(&s, &c);
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
