/* TCP over lo: connections, data both ways, half-close, resets, non-blocking connect, options. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int listener(struct sockaddr_in *a, int reuse) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    if (reuse) setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)a, sizeof *a)) { perror("bind"); exit(1); }
    if (listen(l, 16)) { perror("listen"); exit(1); }
    socklen_t al = sizeof *a;
    getsockname(l, (struct sockaddr *)a, &al);
    return l;
}

static int dial(struct sockaddr_in *a) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)a, sizeof *a)) { perror("connect"); exit(1); }
    return c;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static void fill(unsigned char *b, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; b[i] = seed >> 16; }
}

#define BIG (8 << 20)

/* Sends BIG bytes of a known pattern while receiving BIG bytes; returns the hash of what came in. */
static uint32_t exchange(int fd, unsigned seed) {
    unsigned char *out = malloc(BIG), *in = malloc(65536);
    fill(out, BIG, seed);
    size_t sent = 0, got = 0;
    uint32_t h = 2166136261u;
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    while (sent < BIG || got < BIG) {
        struct pollfd p = {fd, (sent < BIG ? POLLOUT : 0) | (got < BIG ? POLLIN : 0), 0};
        if (poll(&p, 1, -1) < 0) { perror("poll"); exit(1); }
        if ((p.revents & POLLOUT) && sent < BIG) {
            ssize_t n = write(fd, out + sent, BIG - sent > 100000 ? 100000 : BIG - sent);
            if (n > 0) sent += n;
            else if (errno != EAGAIN) { perror("write"); exit(1); }
        }
        if ((p.revents & POLLIN) && got < BIG) {
            ssize_t n = read(fd, in, 65536);
            if (n > 0) { h = fnv(h, in, n); got += n; }
            else if (n == 0) { printf("early eof at %zu\n", got); exit(1); }
            else if (errno != EAGAIN) { perror("read"); exit(1); }
        }
    }
    fcntl(fd, F_SETFL, fl);
    free(out);
    free(in);
    return h;
}

static void basic(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    int c = dial(&a);
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &pl);
    printf("accept: %d family %d addr %s len %d\n", s >= 0, peer.sin_family, inet_ntoa(peer.sin_addr), pl);
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &ml);
    printf("client port matches peer: %d\n", me.sin_port == peer.sin_port);
    getpeername(c, (struct sockaddr *)&me, &ml);
    printf("client peer is the listener: %d\n", me.sin_port == a.sin_port);
    /* partial reads */
    write(c, "abcdefghij", 10);
    char buf[64];
    int n = read(s, buf, 3);
    printf("partial %d %.3s\n", n, buf);
    int avail = -1;
    ioctl(s, FIONREAD, &avail);
    printf("FIONREAD %d\n", avail);
    n = recv(s, buf, sizeof buf, MSG_PEEK);
    printf("peek %d %.*s\n", n, n, buf);
    n = recv(s, buf, 4, 0);
    printf("after peek %d %.4s\n", n, buf);
    write(c, "xyz", 3);
    n = recv(s, buf, 6, MSG_WAITALL);
    printf("waitall %d %.6s\n", n, buf);
    /* TCP_NODELAY round trip */
    int one = 1, v = -1;
    socklen_t vl = sizeof v;
    getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
    printf("nodelay default %d\n", v);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl);
    printf("nodelay set %d len %d\n", v, vl);
    v = 0;
    getsockopt(c, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("acceptconn conn %d\n", v);
    getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("acceptconn listener %d\n", v);
    getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &vl);
    printf("type %d\n", v);
    /* half-close: the peer reads EOF and can still send */
    shutdown(c, SHUT_WR);
    n = read(s, buf, sizeof buf);
    printf("eof after shutdown %d\n", n);
    struct pollfd p = {s, POLLIN | POLLOUT | POLLRDHUP, 0};
    poll(&p, 1, 0);
    printf("server poll %#x\n", p.revents);
    n = write(s, "late", 4);
    printf("write after peer shutdown %d\n", n);
    n = read(c, buf, sizeof buf);
    printf("client reads %d %.4s\n", n, buf);
    n = write(c, "x", 1);
    printf("write after own shutdown %d %s\n", n, n < 0 ? strerror(errno) : "");
    close(s);
    n = read(c, buf, sizeof buf);
    printf("client eof %d\n", n);
    close(c);
    close(l);
}

static void bulk(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    pid_t pid = fork();
    if (pid == 0) {
        int c = dial(&a);
        uint32_t h = exchange(c, 2);
        printf("child got hash %08x\n", h);
        fflush(stdout);
        close(c);
        _exit(0);
    }
    int s = accept(l, NULL, NULL);
    uint32_t h = exchange(s, 1);
    int st;
    waitpid(pid, &st, 0);
    printf("parent got hash %08x\n", h);
    unsigned char *ref = malloc(BIG);
    fill(ref, BIG, 1);
    uint32_t h1 = fnv(2166136261u, ref, BIG);
    fill(ref, BIG, 2);
    uint32_t h2 = fnv(2166136261u, ref, BIG);
    printf("expected %08x %08x\n", h1, h2);
    free(ref);
    close(s);
    close(l);
}

static void refused(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    close(l); /* the port is free again: nothing listens there */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("connect to closed port: %d %s\n", r, strerror(errno));
    r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("again: %d %s\n", r, r ? strerror(errno) : "");
    close(c);
}

static void nonblocking(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("nb connect: %d %s\n", r, r ? strerror(errno) : "ok");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLOUT, .data.fd = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
    int n = epoll_wait(ep, &ev, 1, 5000);
    printf("epoll %d events %#x\n", n, ev.events);
    int e = -1;
    socklen_t el = sizeof e;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR %d\n", e);
    r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("connect again: %d %s\n", r, r ? strerror(errno) : "");
    char buf[8];
    r = read(c, buf, sizeof buf);
    printf("nb read: %d %s\n", r, strerror(errno));
    int s = accept(l, NULL, NULL);
    epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);
    ev.events = EPOLLIN;
    ev.data.fd = s;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    write(c, "q", 1);
    n = epoll_wait(ep, &ev, 1, 5000);
    printf("epoll in %d fd ok %d events %#x\n", n, ev.data.fd == s, ev.events);
    /* a refused non-blocking connect reports through SO_ERROR */
    close(l);
    struct sockaddr_in b = {0};
    int l2 = listener(&b, 0);
    close(l2);
    int c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(c2, (struct sockaddr *)&b, sizeof b);
    struct pollfd p = {c2, POLLOUT, 0};
    poll(&p, 1, 5000);
    getsockopt(c2, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("refused nb: connect %s poll %#x SO_ERROR %s\n", r ? strerror(errno) : "ok", p.revents, strerror(e));
    close(c2);
    close(c);
    close(s);
    close(ep);
}

static void linger0(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    int c = dial(&a);
    int s = accept(l, NULL, NULL);
    struct linger lg = {1, 0};
    setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c);
    char buf[8];
    int r = read(s, buf, sizeof buf);
    printf("read after linger-0 close: %d %s\n", r, r < 0 ? strerror(errno) : "");
    r = read(s, buf, sizeof buf);
    printf("read again: %d\n", r);
    close(s);
    /* unread data at close resets too */
    c = dial(&a);
    s = accept(l, NULL, NULL);
    write(c, "unread", 6);
    usleep(10000);
    close(s);
    r = read(c, buf, sizeof buf);
    printf("read after peer closed with unread data: %d %s\n", r, r < 0 ? strerror(errno) : "");
    signal(SIGPIPE, SIG_IGN);
    r = write(c, "x", 1);
    printf("write then: %d %s\n", r, r < 0 ? strerror(errno) : "");
    close(c);
    close(l);
}

static void timewait(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 1);
    int c = dial(&a);
    int s = accept(l, NULL, NULL);
    close(s); /* the server closes first: its side goes to TIME_WAIT */
    char buf[4];
    read(c, buf, sizeof buf);
    close(c);
    close(l);
    usleep(20000);
    int l2 = socket(AF_INET, SOCK_STREAM, 0);
    int r = bind(l2, (struct sockaddr *)&a, sizeof a);
    printf("rebind without SO_REUSEADDR: %d %s\n", r, r ? strerror(errno) : "");
    close(l2);
    l2 = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    r = bind(l2, (struct sockaddr *)&a, sizeof a);
    printf("rebind with SO_REUSEADDR: %d\n", r);
    r = listen(l2, 1);
    printf("listen: %d\n", r);
    int c2 = dial(&a);
    int s2 = accept(l2, NULL, NULL);
    printf("accepted on the reused port: %d\n", s2 >= 0);
    close(c2);
    close(s2);
    close(l2);
}

static void deferaccept(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    int secs = 3;
    setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs);
    fcntl(l, F_SETFL, O_NONBLOCK);
    int c = dial(&a);
    int s = accept(l, NULL, NULL);
    printf("defer accept before data: %d %s\n", s, s < 0 ? strerror(errno) : "");
    write(c, "data", 4);
    struct pollfd p = {l, POLLIN, 0};
    poll(&p, 1, 5000);
    s = accept(l, NULL, NULL);
    char buf[8];
    int n = s >= 0 ? read(s, buf, sizeof buf) : -1;
    printf("after data: accepted %d read %d\n", s >= 0, n);
    close(s);
    close(c);
    close(l);
}

static void urgent(void) {
    struct sockaddr_in a = {0};
    int l = listener(&a, 0);
    int c = dial(&a);
    int s = accept(l, NULL, NULL);
    char b[16];
    int r = recv(s, b, 1, MSG_OOB | MSG_DONTWAIT);
    printf("oob none: %d %s\n", r, strerror(errno));
    send(c, "abc", 3, 0);
    send(c, "!", 1, MSG_OOB);
    send(c, "de", 2, 0);
    usleep(50000);
    struct pollfd p = {s, POLLIN | POLLPRI, 0};
    poll(&p, 1, 1000);
    printf("poll %#x\n", p.revents);
    int mark = -1;
    ioctl(s, SIOCATMARK, &mark);
    printf("atmark %d\n", mark);
    r = recv(s, b, sizeof b, 0);
    printf("read up to the mark %d %.*s\n", r, r, b);
    ioctl(s, SIOCATMARK, &mark);
    printf("atmark %d\n", mark);
    r = recv(s, b, 1, MSG_OOB);
    printf("oob %d %c\n", r, b[0]);
    r = recv(s, b, 1, MSG_OOB);
    printf("oob again %d %s\n", r, strerror(errno));
    r = recv(s, b, sizeof b, 0);
    printf("read %d %.*s\n", r, r, b);
    close(c);
    close(s);
    close(l);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    basic();
    bulk();
    refused();
    nonblocking();
    linger0();
    timewait();
    deferaccept();
    urgent();
    return 0;
}
