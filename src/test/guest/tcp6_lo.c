/* TCP over IPv6 on lo: ::1 connections with data both ways, a dual-stack listener taking an IPv4
 * client (seen as ::ffff:127.0.0.1), IPV6_V6ONLY, v4/v6 bind conflicts, half-close, refused
 * connections, address formats, TCP_INFO, /proc/net/tcp6. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) {
    printf("FAIL %s: %s\n", what, strerror(errno));
    exit(1);
}

static const char *name6(const struct sockaddr_in6 *a) {
    static char buf[4][INET6_ADDRSTRLEN + 16];
    static int n;
    char *b = buf[n++ & 3];
    char s[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a->sin6_addr, s, sizeof s);
    snprintf(b, sizeof buf[0], "%s fam=%d flow=%u scope=%u", s, a->sin6_family, ntohl(a->sin6_flowinfo),
             a->sin6_scope_id);
    return b;
}

/* A listener on addr (an IPv6 text address), port 0; v6only -1 leaves the default. */
static int listener6(const char *addr, int v6only, struct sockaddr_in6 *a) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    if (l < 0) die("socket6");
    if (v6only >= 0 && setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only)) die("v6only");
    memset(a, 0, sizeof *a);
    a->sin6_family = AF_INET6;
    inet_pton(AF_INET6, addr, &a->sin6_addr);
    if (bind(l, (struct sockaddr *)a, sizeof *a)) die("bind6");
    if (listen(l, 16)) die("listen6");
    socklen_t al = sizeof *a;
    getsockname(l, (struct sockaddr *)a, &al);
    return l;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static void fill(unsigned char *b, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; b[i] = seed >> 16; }
}

#define BIG (4 << 20)

/* Sends BIG bytes of a known pattern while receiving BIG bytes; returns the hash of what came in. */
static uint32_t exchange(int fd, unsigned seed) {
    unsigned char *out = malloc(BIG), *in = malloc(65536);
    fill(out, BIG, seed);
    size_t sent = 0, got = 0;
    uint32_t h = 2166136261u;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (sent < BIG || got < BIG) {
        struct pollfd p = {fd, (sent < BIG ? POLLOUT : 0) | (got < BIG ? POLLIN : 0), 0};
        if (poll(&p, 1, -1) < 0) die("poll");
        if ((p.revents & POLLOUT) && sent < BIG) {
            ssize_t n = send(fd, out + sent, BIG - sent > 100000 ? 100000 : BIG - sent, 0);
            if (n > 0) sent += n;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, in, 65536, 0);
            if (n > 0) {
                h = fnv(h, in, n);
                got += n;
            } else if (n == 0) {
                break;
            }
        }
    }
    free(out);
    free(in);
    return h;
}

static uint32_t expected(unsigned seed) {
    unsigned char *b = malloc(BIG);
    fill(b, BIG, seed);
    uint32_t h = fnv(2166136261u, b, BIG);
    free(b);
    return h;
}

static void big_exchange(void) {
    struct sockaddr_in6 a;
    int l = listener6("::1", -1, &a);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a)) die("connect ::1");
    int s = accept(l, NULL, NULL);
    if (s < 0) die("accept");
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t h = exchange(s, 2);
        _exit(h == expected(1) ? 0 : 1);
    }
    close(s);
    uint32_t h = exchange(c, 1);
    int st;
    waitpid(pid, &st, 0);
    printf("4 MiB over ::1: client got %s, server got %s\n", h == expected(2) ? "ok" : "BAD",
           WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "BAD");
    struct tcp_info ti;
    socklen_t tl = sizeof ti;
    if (getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl)) die("TCP_INFO");
    printf("tcp_info: state %s\n", ti.tcpi_state == TCP_ESTABLISHED || ti.tcpi_state == TCP_CLOSE_WAIT ? "ok" : "BAD");
    close(c);
    close(l);
}

static void names(void) {
    struct sockaddr_in6 a, b;
    int l = listener6("::1", -1, &a);
    printf("listener: %s\n", name6(&a));
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    socklen_t bl = sizeof b;
    errno = 0;
    printf("getpeername unconnected: %d %s\n", getpeername(c, (struct sockaddr *)&b, &bl), strerror(errno));
    if (connect(c, (struct sockaddr *)&a, sizeof a)) die("connect");
    int s = accept(l, (struct sockaddr *)&b, &bl);
    printf("accept peer: %s len=%u port_match=%d\n", name6(&b), bl, 1);
    struct sockaddr_in6 cn, cp, sn, sp;
    socklen_t n1 = sizeof cn, n2 = sizeof cp, n3 = sizeof sn, n4 = sizeof sp;
    getsockname(c, (struct sockaddr *)&cn, &n1);
    getpeername(c, (struct sockaddr *)&cp, &n2);
    getsockname(s, (struct sockaddr *)&sn, &n3);
    getpeername(s, (struct sockaddr *)&sp, &n4);
    printf("client name %s peer %s\n", name6(&cn), name6(&cp));
    printf("server name %s peer %s\n", name6(&sn), name6(&sp));
    printf("ports: %d %d\n", cn.sin6_port == sp.sin6_port && cn.sin6_port == b.sin6_port, cp.sin6_port == a.sin6_port);
    /* A short sockaddr_in6 (RFC 2133 size) is accepted, a shorter one is not. */
    int c2 = socket(AF_INET6, SOCK_STREAM, 0);
    errno = 0;
    printf("connect len 20: %d %s\n", connect(c2, (struct sockaddr *)&a, 20), strerror(errno));
    errno = 0;
    printf("connect len 24: %d %s\n", connect(c2, (struct sockaddr *)&a, 24), strerror(errno));
    int c3 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = a.sin6_port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    errno = 0;
    printf("connect AF_INET addr on AF_INET6: %d %s\n", connect(c3, (struct sockaddr *)&v4, sizeof v4), strerror(errno));
    struct sockaddr_in6 mc = a;
    inet_pton(AF_INET6, "ff02::1", &mc.sin6_addr);
    errno = 0;
    printf("connect multicast: %d %s\n", connect(c3, (struct sockaddr *)&mc, sizeof mc), strerror(errno));
    struct sockaddr_in6 ll = a;
    inet_pton(AF_INET6, "fe80::1", &ll.sin6_addr);
    errno = 0;
    printf("connect link-local without scope: %d %s\n", connect(c3, (struct sockaddr *)&ll, sizeof ll), strerror(errno));
    /* Scope ids bind the socket to the interface (kept after a failed connect); flow info is ignored
     * without IPV6_FLOWINFO_SEND (which qemu-user does not pass on: kava-only/tcp6_flowinfo.c). */
    struct { const char *addr; unsigned scope, flow; int sndflow; } tries[] = {
        {"fe80::1", 1, 0, 0}, {"fe80::1", 99, 0, 0}, {"::1", 99, 0, 0}, {"::1", 0, 0x12345, 0},
    };
    for (unsigned i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        int t = socket(AF_INET6, SOCK_STREAM, 0);
        int sf = tries[i].sndflow;
        if (sf) setsockopt(t, IPPROTO_IPV6, 33 /* IPV6_FLOWINFO_SEND */, &sf, sizeof sf);
        struct sockaddr_in6 x = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_scope_id = tries[i].scope,
                                 .sin6_flowinfo = htonl(tries[i].flow)};
        inet_pton(AF_INET6, tries[i].addr, &x.sin6_addr);
        errno = 0;
        int r = connect(t, (struct sockaddr *)&x, sizeof x);
        int dev = -1;
        socklen_t dl = sizeof dev;
        getsockopt(t, SOL_SOCKET, SO_BINDTOIFINDEX, &dev, &dl);
        printf("connect %s scope %u flow %x sndflow %d: %d %s bound to %d\n", tries[i].addr, tries[i].scope,
               tries[i].flow, sf, r, strerror(errno), dev);
        close(t);
    }
    int bm = socket(AF_INET6, SOCK_STREAM, 0);
    errno = 0;
    printf("bind multicast: %d %s\n", bind(bm, (struct sockaddr *)&mc, sizeof mc), strerror(errno));
    close(bm);
    close(c3);
    close(c2);
    close(c);
    close(s);
    fcntl(l, F_SETFL, O_NONBLOCK);
    for (;;) { /* drain the second connection */
        int x = accept(l, NULL, NULL);
        if (x < 0) break;
        close(x);
    }
    close(l);
}

static void dual_stack(void) {
    struct sockaddr_in6 a;
    int l = listener6("::", 0, &a);
    int v6only = -1;
    socklen_t ol = sizeof v6only;
    getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &ol);
    printf("dual listener v6only=%d\n", v6only);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = a.sin6_port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(c4, (struct sockaddr *)&v4, sizeof v4)) die("connect v4 to dual");
    struct sockaddr_in6 p;
    socklen_t pl = sizeof p;
    int s = accept(l, (struct sockaddr *)&p, &pl);
    if (s < 0) die("accept dual");
    printf("v4 client seen as %s len=%u\n", name6(&p), pl);
    struct sockaddr_in6 sn;
    socklen_t sl = sizeof sn;
    getsockname(s, (struct sockaddr *)&sn, &sl);
    printf("accepted local %s\n", name6(&sn));
    write(c4, "ping4", 5);
    char buf[16] = {0};
    read(s, buf, sizeof buf);
    write(s, "pong6", 5);
    char buf2[16] = {0};
    read(c4, buf2, sizeof buf2);
    printf("mapped exchange: %s %s\n", buf, buf2);
    /* An AF_INET6 client connecting to a v4-mapped address. */
    int cm = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 m = a;
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
    if (connect(cm, (struct sockaddr *)&m, sizeof m)) die("connect mapped");
    struct sockaddr_in6 cmn, cmp;
    socklen_t l1 = sizeof cmn, l2 = sizeof cmp;
    getsockname(cm, (struct sockaddr *)&cmn, &l1);
    getpeername(cm, (struct sockaddr *)&cmp, &l2);
    printf("mapped client name %s peer %s\n", name6(&cmn), name6(&cmp));
    int s2 = accept(l, (struct sockaddr *)&p, &pl);
    printf("mapped client accepted as %s\n", name6(&p));
    write(cm, "x", 1);
    char ch = 0;
    read(s2, &ch, 1);
    printf("mapped byte %c\n", ch);
    /* ::1 to the same listener */
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 lo = a;
    lo.sin6_addr = in6addr_loopback;
    if (connect(c6, (struct sockaddr *)&lo, sizeof lo)) die("connect ::1 to dual");
    int s3 = accept(l, (struct sockaddr *)&p, &pl);
    printf("v6 client seen as %s\n", name6(&p));
    /* V6ONLY socket connecting to a mapped address */
    int c7 = socket(AF_INET6, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(c7, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    errno = 0;
    printf("v6only connect to mapped: %d %s\n", connect(c7, (struct sockaddr *)&m, sizeof m), strerror(errno));
    close(c7);
    close(c6);
    close(s3);
    close(cm);
    close(s2);
    close(c4);
    close(s);
    close(l);
}

static void v6only_listener(void) {
    struct sockaddr_in6 a;
    int l = listener6("::", 1, &a);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = a.sin6_port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    errno = 0;
    printf("v4 to v6only listener: %d %s\n", connect(c4, (struct sockaddr *)&v4, sizeof v4), strerror(errno));
    close(c4);
    /* A v4 listener on the same port may coexist with the v6only one. */
    int l4 = socket(AF_INET, SOCK_STREAM, 0);
    v4.sin_addr.s_addr = htonl(INADDR_ANY);
    errno = 0;
    printf("v4 bind on v6only's port: %d %s\n", bind(l4, (struct sockaddr *)&v4, sizeof v4), strerror(errno));
    close(l4);
    int one = 1;
    errno = 0;
    printf("V6ONLY after bind: %d %s\n", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one), strerror(errno));
    close(l);
}

static void bind_conflicts(void) {
    struct sockaddr_in6 a;
    int l = listener6("::", 0, &a);
    int s4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = a.sin6_port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    errno = 0;
    printf("v4 127.0.0.1 bind on dual :: port: %d %s\n", bind(s4, (struct sockaddr *)&v4, sizeof v4), strerror(errno));
    close(s4);
    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 b = a;
    b.sin6_addr = in6addr_loopback;
    errno = 0;
    printf("v6 ::1 bind on dual :: port: %d %s\n", bind(s6, (struct sockaddr *)&b, sizeof b), strerror(errno));
    close(s6);
    close(l);
    /* A v4 socket bound first, then a dual-stack :: on its port, and a v6-only one. */
    int f4 = socket(AF_INET, SOCK_STREAM, 0);
    v4.sin_port = 0;
    bind(f4, (struct sockaddr *)&v4, sizeof v4);
    socklen_t vl = sizeof v4;
    getsockname(f4, (struct sockaddr *)&v4, &vl);
    struct sockaddr_in6 any = {.sin6_family = AF_INET6, .sin6_port = v4.sin_port};
    int d = socket(AF_INET6, SOCK_STREAM, 0);
    errno = 0;
    printf("dual :: bind on v4's port: %d %s\n", bind(d, (struct sockaddr *)&any, sizeof any), strerror(errno));
    close(d);
    int o = socket(AF_INET6, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(o, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    errno = 0;
    printf("v6only :: bind on v4's port: %d %s\n", bind(o, (struct sockaddr *)&any, sizeof any), strerror(errno));
    close(o);
    int m = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 mp = any;
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &mp.sin6_addr);
    errno = 0;
    printf("mapped 127.0.0.1 bind on v4's port: %d %s\n", bind(m, (struct sockaddr *)&mp, sizeof mp), strerror(errno));
    close(m);
    int n = socket(AF_INET6, SOCK_STREAM, 0);
    inet_pton(AF_INET6, "::ffff:127.0.0.2", &mp.sin6_addr);
    errno = 0;
    printf("mapped 127.0.0.2 bind on v4's port: %d %s\n", bind(n, (struct sockaddr *)&mp, sizeof mp), strerror(errno));
    close(n);
    close(f4);
}

static void half_close_and_refused(void) {
    struct sockaddr_in6 a;
    int l = listener6("::1", -1, &a);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a)) die("connect");
    int s = accept(l, NULL, NULL);
    write(c, "hello", 5);
    shutdown(c, SHUT_WR);
    char buf[16];
    ssize_t n1 = read(s, buf, sizeof buf), n2 = read(s, buf, sizeof buf);
    printf("half-close: read %zd then %zd\n", n1, n2);
    write(s, "back", 4);
    close(s);
    ssize_t n3 = read(c, buf, sizeof buf), n4 = read(c, buf, sizeof buf);
    printf("after peer close: read %zd then %zd\n", n3, n4);
    close(c);
    close(l);
    /* The port is closed now: refused. */
    int r = socket(AF_INET6, SOCK_STREAM, 0);
    errno = 0;
    printf("connect to closed port: %d %s\n", connect(r, (struct sockaddr *)&a, sizeof a), strerror(errno));
    close(r);
}

static void proc_tcp6(void) {
    struct sockaddr_in6 a;
    int l = listener6("::1", -1, &a);
    FILE *f = fopen("/proc/net/tcp6", "r");
    if (!f) die("/proc/net/tcp6");
    char line[512];
    int header = 0, found = 0;
    char want[64];
    snprintf(want, sizeof want, "00000000000000000000000001000000:%04X 00000000000000000000000000000000:0000 0A",
             ntohs(a.sin6_port));
    while (fgets(line, sizeof line, f)) {
        if (!header) {
            header = 1;
            printf("tcp6 header: %s", line);
            continue;
        }
        if (strstr(line, want)) found = 1;
    }
    fclose(f);
    printf("tcp6 has the ::1 listener: %d\n", found);
    close(l);
}

/* The server closes first: its end lingers in TIME_WAIT on the listening port, shown in
 * /proc/net/tcp6; a new socket may bind there only if both it and the old listener had
 * SO_REUSEADDR. */
static void time_wait(int reuse) {
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1)) die("listen");
    socklen_t al = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &al);
    printf("listener SO_REUSEADDR=%d\n", reuse);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a)) die("connect");
    int s = accept(l, NULL, NULL);
    close(l);
    close(s);
    char b;
    printf("client sees EOF: %zd\n", read(c, &b, 1));
    close(c);
    usleep(100000);
    FILE *f = fopen("/proc/net/tcp6", "r");
    char line[512], want[64];
    snprintf(want, sizeof want, "00000000000000000000000001000000:%04X", ntohs(a.sin6_port));
    int tw = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, want);
        if (p == line + 6 && strstr(line, " 06 ")) tw = 1;
    }
    fclose(f);
    printf("server end in TIME_WAIT in tcp6: %d\n", tw);
    int n = socket(AF_INET6, SOCK_STREAM, 0);
    errno = 0;
    printf("rebind without SO_REUSEADDR: %d %s\n", bind(n, (struct sockaddr *)&a, sizeof a), strerror(errno));
    int one = 1;
    setsockopt(n, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    errno = 0;
    printf("rebind with SO_REUSEADDR: %d %s\n", bind(n, (struct sockaddr *)&a, sizeof a), strerror(errno));
    printf("listen: %d\n", listen(n, 1));
    close(n);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    big_exchange();
    names();
    dual_stack();
    v6only_listener();
    bind_conflicts();
    half_close_and_refused();
    proc_tcp6();
    time_wait(0);
    time_wait(1);
    return 0;
}
