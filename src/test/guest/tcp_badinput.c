/* TCP with bad arguments: malformed addresses, wrong lengths, absurd options, vanished peers, fd exhaustion. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define R(what, call) do { errno = 0; long _r = (call); printf("%-40s %ld %s\n", what, _r, _r < 0 ? strerror(errno) : ""); } while (0)

static struct sockaddr_in lo(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return a;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = lo(0);
    R("bind short len", bind(s, (struct sockaddr *)&a, 8));
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6};
    R("bind AF_INET6 addr", bind(s, (struct sockaddr *)&a6, sizeof a6));
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.255.255.1")};
    R("bind non-local addr", bind(s, (struct sockaddr *)&far, sizeof far));
    R("bind NULL", bind(s, NULL, sizeof a));
    R("bind bad pointer", bind(s, (struct sockaddr *)8, sizeof a));
    R("connect short len", connect(s, (struct sockaddr *)&a, 4));
    R("connect AF_INET6 addr", connect(s, (struct sockaddr *)&a6, sizeof a6));
    struct sockaddr_in bc = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = INADDR_BROADCAST};
    R("connect broadcast", connect(s, (struct sockaddr *)&bc, sizeof bc));
    R("listen then accept on unbound", listen(s, -1));
    R("second bind after listen", bind(s, (struct sockaddr *)&a, sizeof a));
    R("connect on listener", connect(s, (struct sockaddr *)&a, sizeof a));
    char b[4];
    R("recv on listener", recv(s, b, 4, MSG_DONTWAIT));
    R("send on listener", send(s, b, 4, MSG_NOSIGNAL));
    R("shutdown bad how", shutdown(s, 7));
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    R("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
    R("recv unconnected", recv(s, b, 4, MSG_DONTWAIT));
    R("shutdown unconnected", shutdown(s, SHUT_RDWR));
    struct sockaddr_in p;
    socklen_t pl = sizeof p;
    R("getpeername unconnected", getpeername(s, (struct sockaddr *)&p, &pl));
    int v = 1;
    R("setsockopt TCP_MAXSEG 70000", setsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &(int){70000}, 4));
    R("setsockopt TCP_KEEPCNT -1", setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &(int){-1}, 4));
    R("setsockopt TCP_NODELAY len 0", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, 0));
    R("setsockopt TCP_NODELAY bad ptr", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (void *)8, 4));
    R("setsockopt level 99", setsockopt(s, 99, 1, &v, 4));
    R("getsockopt TCP_INFO bad ptr", getsockopt(s, IPPROTO_TCP, TCP_INFO, (void *)8, &(socklen_t){100}));
    R("getsockopt negative len", getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &(socklen_t){-1}));
    R("SO_RCVBUF huge", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){0x7fffffff}, 4));
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &vl);
    printf("SO_RCVBUF capped at twice rmem_max: %d\n", v > 4608 && v < 0x7fffffff);
    R("SO_SNDBUF 1", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){1}, 4));
    getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &vl);
    printf("SO_SNDBUF now %d\n", v);
    R("SIOCOUTQ unconnected", ioctl(s, TIOCOUTQ, &v));
    printf("outq %d\n", v);
    close(s);

    /* A peer that vanishes mid-stream: the writer sees EPIPE or ECONNRESET, never a hang. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    a = lo(0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 4);
    socklen_t al = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &al);
    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&a, sizeof a);
        char x[1000];
        read(c, x, 10);
        _exit(0); /* dies with unread data: its kernel resets the connection */
    }
    int srv = accept(l, NULL, NULL);
    char big[65536];
    memset(big, 'z', sizeof big);
    int err = 0;
    for (int i = 0; i < 200 && !err; i++) {
        if (write(srv, big, sizeof big) < 0) err = errno;
    }
    waitpid(pid, NULL, 0);
    for (int i = 0; i < 10 && !err; i++) {
        if (write(srv, big, sizeof big) < 0) err = errno;
        usleep(10000);
    }
    printf("writer after peer died: %s\n", err == EPIPE || err == ECONNRESET ? "EPIPE/ECONNRESET" : strerror(err));
    close(srv);

    /* 10,000 sockets against RLIMIT_NOFILE: EMFILE at the limit, nothing leaked after closing. */
    struct rlimit rl = {256, 256};
    setrlimit(RLIMIT_NOFILE, &rl);
    int fds[300], n = 0, e = 0;
    for (int i = 0; i < 10000; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) { e = errno; if (n < 300) continue; }
        if (fd >= 0 && n < 300) fds[n++] = fd;
        else if (fd >= 0) close(fd);
    }
    printf("sockets opened up to the limit: %d, then %s\n", n > 240 && n < 256, strerror(e));
    for (int i = 0; i < n; i++) close(fds[i]);
    int again = 0;
    for (int round = 0; round < 40; round++) {
        int k = 0, fs[250];
        for (; k < 250; k++) {
            fs[k] = socket(AF_INET, SOCK_STREAM, 0);
            if (fs[k] < 0) break;
        }
        again = k;
        for (int i = 0; i < k; i++) close(fs[i]);
    }
    printf("after 10000 more open/close: %d at once\n", again);
    /* listening and connected sockets free their ports */
    int pairs = 0;
    for (int i = 0; i < 100; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) == 0) {
            int t = accept(l, NULL, NULL);
            if (t >= 0) { pairs++; close(t); }
        }
        close(c);
    }
    printf("connections made and closed: %d\n", pairs);
    close(l);
    return 0;
}
