/* An epoll echo server on 127.0.0.1 with 50 client threads, each sending messages and checking the echo. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENTS 50
#define ROUNDS 20

static struct sockaddr_in addr;
static int failures;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *client(void *arg) {
    long id = (long)arg;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&addr, sizeof addr)) { perror("connect"); exit(1); }
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char msg[64], back[64];
        int n = snprintf(msg, sizeof msg, "client %ld round %d|", id, r);
        if (write(c, msg, n) != n) bad++;
        int got = 0;
        while (got < n) {
            int k = read(c, back + got, n - got);
            if (k <= 0) { bad++; break; }
            got += k;
        }
        if (got == n && memcmp(msg, back, n)) bad++;
    }
    close(c);
    pthread_mutex_lock(&mu);
    failures += bad;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void) {
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof addr;
    bind(l, (struct sockaddr *)&addr, sizeof addr);
    listen(l, 64);
    getsockname(l, (struct sockaddr *)&addr, &al);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    pthread_t th[CLIENTS];
    for (long i = 0; i < CLIENTS; i++) pthread_create(&th[i], NULL, client, (void *)i);
    int accepted = 0, closed = 0;
    long bytes = 0;
    while (closed < CLIENTS) {
        struct epoll_event evs[16];
        int n = epoll_wait(ep, evs, 16, 10000);
        if (n <= 0) { printf("epoll_wait: %d\n", n); return 1; }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {
                int s;
                while ((s = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    accepted++;
                    struct epoll_event e2 = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = s};
                    epoll_ctl(ep, EPOLL_CTL_ADD, s, &e2);
                }
                if (errno != EAGAIN) perror("accept4");
                continue;
            }
            char buf[4096];
            int k;
            while ((k = read(fd, buf, sizeof buf)) > 0) {
                bytes += k;
                if (write(fd, buf, k) != k) printf("short echo\n");
            }
            if (k == 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                close(fd);
                closed++;
            } else if (errno != EAGAIN) {
                perror("read");
            }
        }
    }
    for (int i = 0; i < CLIENTS; i++) pthread_join(th[i], NULL);
    long expect = 0;
    for (long i = 0; i < CLIENTS; i++)
        for (int r = 0; r < ROUNDS; r++) {
            char msg[64];
            expect += snprintf(msg, sizeof msg, "client %ld round %d|", i, r);
        }
    printf("accepted %d closed %d failures %d bytes ok %d\n", accepted, closed, failures, bytes == expect);
    close(ep);
    close(l);
    return 0;
}
