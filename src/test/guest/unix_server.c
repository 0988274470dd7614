/* An epoll echo server on an AF_UNIX path with forked clients, edge-triggered and nonblocking
 * throughout; then threads sharing sockets (blocked readers woken by writers in other threads,
 * concurrent senders to one datagram socket). Only totals are printed: the interleaving is
 * the scheduler's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENTS 6
#define ROUNDS 40

static void client(const struct sockaddr_un *a, socklen_t al, int id) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    while (connect(c, (const struct sockaddr *)a, al) < 0) {
        if (errno != EAGAIN && errno != ECONNREFUSED) _exit(10);
        usleep(1000);
    }
    char msg[64], back[64];
    for (int r = 0; r < ROUNDS; r++) {
        int n = snprintf(msg, sizeof msg, "client %d round %d|", id, r);
        if (write(c, msg, n) != n) _exit(11);
        int got = 0;
        while (got < n) {
            ssize_t k = read(c, back + got, n - got);
            if (k <= 0) _exit(12);
            got += k;
        }
        if (memcmp(msg, back, n)) _exit(13);
    }
    close(c);
    _exit(0);
}

static void server(void) {
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "tmp/echo");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (bind(s, (struct sockaddr *)&a, al) || listen(s, 2)) { perror("listen"); exit(1); }
    pid_t kids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) client(&a, al, i);
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = s };
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    int accepted = 0, closed = 0;
    long bytes = 0;
    while (closed < CLIENTS) {
        struct epoll_event evs[8];
        int n = epoll_wait(ep, evs, 8, 10000);
        if (n <= 0) { printf("epoll_wait %d\n", n); break; }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == s) {
                int x;
                while ((x = accept4(s, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct epoll_event e2 = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = x };
                    epoll_ctl(ep, EPOLL_CTL_ADD, x, &e2);
                    accepted++;
                }
                if (errno != EAGAIN) perror("accept4");
                continue;
            }
            char buf[4096];
            for (;;) {
                ssize_t r = read(fd, buf, sizeof buf);
                if (r > 0) {
                    bytes += r;
                    ssize_t off = 0;
                    while (off < r) {
                        ssize_t w = write(fd, buf + off, r - off);
                        if (w > 0) off += w;
                        else if (errno != EAGAIN) break;
                    }
                    continue;
                }
                if (r == 0) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                    close(fd);
                    closed++;
                } else if (errno != EAGAIN) {
                    perror("read");
                }
                break;
            }
        }
    }
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ok++;
    }
    printf("accepted %d closed %d clients ok %d bytes>0 %d\n", accepted, closed, ok, bytes > 0);
    close(ep);
    close(s);
    unlink("tmp/echo");
}

static int pair[2];
static int dg[2];

static void *reader(void *arg) {
    (void)arg;
    char buf[16];
    ssize_t r = read(pair[1], buf, sizeof buf);
    return (void *)(long)r;
}

static void *sender(void *arg) {
    long id = (long)arg;
    char msg[16];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(msg, sizeof msg, "%ld:%d", id, i);
        if (send(dg[0], msg, n, 0) != n) return (void *)1;
    }
    return NULL;
}

static void threads(void) {
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    usleep(50000);
    write(pair[0], "wake", 4);
    void *r;
    pthread_join(t, &r);
    printf("blocked reader got %ld\n", (long)r);
    /* a reader blocked while another thread shuts the socket down */
    pthread_create(&t, NULL, reader, NULL);
    usleep(50000);
    shutdown(pair[1], SHUT_RD);
    pthread_join(t, &r);
    printf("reader after shutdown got %ld\n", (long)r);
    close(pair[0]); close(pair[1]);

    socketpair(AF_UNIX, SOCK_DGRAM, 0, dg);
    pthread_t s[4];
    for (long i = 0; i < 4; i++) pthread_create(&s[i], NULL, sender, (void *)i);
    int count[4] = { 0 }, last[4] = { -1, -1, -1, -1 }, ordered = 1, total = 0;
    while (total < 800) {
        char buf[16];
        ssize_t n = recv(dg[1], buf, sizeof buf - 1, 0);
        if (n <= 0) break;
        buf[n] = 0;
        int id, seq;
        sscanf(buf, "%d:%d", &id, &seq);
        if (seq != last[id] + 1) ordered = 0;
        last[id] = seq;
        count[id]++;
        total++;
    }
    for (int i = 0; i < 4; i++) pthread_join(s[i], &r);
    printf("datagrams %d per sender %d %d %d %d in order %d\n", total, count[0], count[1], count[2], count[3], ordered);
    close(dg[0]); close(dg[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    server();
    threads();
    return 0;
}
