/* UDP-Lite (RFC 3828, net/ipv4/udplite.c, net/ipv6/udplite.c): sockets for IPv4 and IPv6,
 * datagrams over loopback, the checksum-coverage options, the receiver's coverage threshold,
 * a port table of its own, /proc/net/udplite. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
/* qemu-user passes level SOL_UDP through but not SOL_UDPLITE (136); Linux's udp_setsockopt
 * takes both for a UDP-Lite socket, so this program uses SOL_UDP. */
#define SOL_UDP 17
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11

static int getopt_int(int fd, int level, int name) {
    int v = -1;
    socklen_t l = sizeof v;
    if (getsockopt(fd, level, name, &v, &l) < 0) return -errno;
    return v;
}

static int setopt_int(int fd, int level, int name, int v) {
    return setsockopt(fd, level, name, &v, sizeof v) < 0 ? -errno : 0;
}

/* Whether a datagram arrives within 100 ms (not a timing assertion: a delivered datagram is
 * queued before sendto returns on loopback). */
static int readable(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 100);
}

static void v4(void) {
    int r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    printf("v4 sockets %d %d\n", r >= 0, s >= 0);
    int proto = -1;
    socklen_t pl = sizeof proto;
    getsockopt(r, SOL_SOCKET, SO_PROTOCOL, &proto, &pl);
    printf("SO_PROTOCOL %d\n", proto);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    printf("bind %d\n", bind(r, (struct sockaddr *)&a, sizeof a));
    socklen_t al = sizeof a;
    getsockname(r, (struct sockaddr *)&a, &al);
    int port = ntohs(a.sin_port);

    /* The same port for a UDP socket: another table. */
    int u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    printf("udp on the same port %d\n", bind(u, (struct sockaddr *)&a, sizeof a));
    int r2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    printf("udplite on the same port %d errno %s\n", bind(r2, (struct sockaddr *)&a, sizeof a),
           errno == EADDRINUSE ? "EADDRINUSE" : "?");
    close(r2);

    /* The coverage options: defaults, clamping, and no such options for plain UDP. */
    printf("defaults send %d recv %d\n", getopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV),
           getopt_int(s, SOL_UDP, UDPLITE_RECV_CSCOV));
    int vals[] = {0, 1, 7, 8, 20, 65535, 70000};
    for (unsigned i = 0; i < sizeof vals / sizeof *vals; i++) {
        int e = setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, vals[i]);
        int e2 = setopt_int(s, SOL_UDP, UDPLITE_RECV_CSCOV, vals[i]);
        printf("cscov %d -> %d send %d recv %d\n", vals[i], e == 0 && e2 == 0,
               getopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV), getopt_int(s, SOL_UDP, UDPLITE_RECV_CSCOV));
    }
    printf("udp SEND_CSCOV set %d get %d\n", setopt_int(u, SOL_UDP, UDPLITE_SEND_CSCOV, 20),
           getopt_int(u, SOL_UDP, UDPLITE_SEND_CSCOV));
    printf("SOL_UDP on udplite %d\n", setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 0));

    /* Full coverage: delivered. */
    char buf[256];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    printf("send %zd\n", sendto(s, "hello lite", 10, 0, (struct sockaddr *)&a, sizeof a));
    ssize_t n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("recv %zd '%.*s' from loopback %d\n", n, (int)(n > 0 ? n : 0), buf,
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));

    /* Partial coverage of 20 bytes (header + 12): delivered while the receiver asks nothing. */
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 20);
    char big[100];
    memset(big, 'x', sizeof big);
    printf("send partial %zd\n", sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a));
    printf("readable %d recv %zd\n", readable(r), recv(r, buf, sizeof buf, MSG_DONTWAIT));

    /* The receiver wants at least 40 bytes covered: the 20-byte one is dropped. */
    setopt_int(r, SOL_UDP, UDPLITE_RECV_CSCOV, 40);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("below threshold: readable %d\n", readable(r));
    /* A coverage of 40 is enough; full coverage is always enough. */
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 40);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("at threshold: readable %d recv %zd\n", readable(r), recv(r, buf, sizeof buf, MSG_DONTWAIT));
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 0);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("full: readable %d recv %zd\n", readable(r), recv(r, buf, sizeof buf, MSG_DONTWAIT));
    /* Coverage beyond the datagram means the whole of it. */
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 1000);
    sendto(s, "short", 5, 0, (struct sockaddr *)&a, sizeof a);
    printf("cover>len: readable %d recv %zd\n", readable(r), recv(r, buf, sizeof buf, MSG_DONTWAIT));
    /* A receiver that demands full coverage drops partial ones. */
    setopt_int(r, SOL_UDP, UDPLITE_RECV_CSCOV, 0);
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 40);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("recv full only, partial sent: readable %d\n", readable(r));

    /* The UDP socket on the same port hears nothing of UDP-Lite, and the other way round. */
    printf("udp socket readable %d\n", readable(u));
    struct sockaddr_in ua;
    socklen_t ual = sizeof ua;
    getsockname(u, (struct sockaddr *)&ua, &ual);
    int us = socket(AF_INET, SOCK_DGRAM, 0);
    sendto(us, "plain", 5, 0, (struct sockaddr *)&ua, sizeof ua);
    printf("udp datagram: udp %d udplite %d\n", readable(u), readable(r) > 0 && recv(r, buf, sizeof buf, MSG_DONTWAIT) > 0);
    close(us);

    /* connect + send/recv, and a connected socket's port unreachable. */
    printf("connect %d\n", connect(s, (struct sockaddr *)&a, sizeof a));
    printf("send %zd recv %zd\n", send(s, "conn", 4, 0), recv(r, buf, sizeof buf, 0));

    /* /proc/net/udplite lists the bound socket; /proc/net/udp lists the UDP one only. */
    FILE *f = fopen("/proc/net/udplite", "r");
    char line[256], want[64];
    snprintf(want, sizeof want, "0100007F:%04X", port);
    int found = 0, lines = 0;
    if (f) {
        while (fgets(line, sizeof line, f)) {
            lines++;
            if (strstr(line, want)) found++;
        }
        fclose(f);
    }
    printf("/proc/net/udplite open %d header %d our port %d\n", f != NULL, lines > 0, found);
    f = fopen("/proc/net/udp", "r");
    found = 0;
    if (f) {
        while (fgets(line, sizeof line, f))
            if (strstr(line, want)) found++;
        fclose(f);
    }
    printf("/proc/net/udp our port %d\n", found);
    close(r);
    close(s);
    close(u);

    int c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    struct sockaddr_in dead = a;
    dead.sin_port = htons(port);
    connect(c, (struct sockaddr *)&dead, sizeof dead);
    send(c, "x", 1, 0);
    readable(c);
    printf("port unreachable: %zd %s\n", recv(c, buf, 1, MSG_DONTWAIT), errno == ECONNREFUSED ? "ECONNREFUSED" : strerror(errno));
    close(c);

    printf("stream %d errno %s\n", socket(AF_INET, SOCK_STREAM, IPPROTO_UDPLITE),
           errno == EPROTONOSUPPORT ? "EPROTONOSUPPORT" : "?");
}

static void v6(void) {
    int r = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
    int s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
    printf("v6 sockets %d %d\n", r >= 0, s >= 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    printf("bind %d\n", bind(r, (struct sockaddr *)&a, sizeof a));
    socklen_t al = sizeof a;
    getsockname(r, (struct sockaddr *)&a, &al);
    char buf[256], big[100];
    memset(big, 'y', sizeof big);
    printf("send %zd\n", sendto(s, "six", 3, 0, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("recv %zd '%.*s' from loopback %d\n", n, (int)(n > 0 ? n : 0), buf,
           memcmp(&from.sin6_addr, &in6addr_loopback, 16) == 0);
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 16);
    setopt_int(r, SOL_UDP, UDPLITE_RECV_CSCOV, 30);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("below threshold: readable %d\n", readable(r));
    setopt_int(s, SOL_UDP, UDPLITE_SEND_CSCOV, 30);
    sendto(s, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a);
    printf("at threshold: readable %d recv %zd\n", readable(r), recv(r, buf, sizeof buf, MSG_DONTWAIT));

    /* A v4 UDP-Lite datagram to a dual-stack socket, through a v4-mapped address. */
    int d = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
    struct sockaddr_in6 any = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
    printf("dual bind %d\n", bind(d, (struct sockaddr *)&any, sizeof any));
    al = sizeof any;
    getsockname(d, (struct sockaddr *)&any, &al);
    int s4 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = any.sin6_port, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    sendto(s4, "mapped", 6, 0, (struct sockaddr *)&to, sizeof to);
    fl = sizeof from;
    n = recvfrom(d, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
    printf("dual recv %zd mapped %d\n", n, IN6_IS_ADDR_V4MAPPED(&from.sin6_addr));

    FILE *f = fopen("/proc/net/udplite6", "r");
    char line[256];
    int lines = 0;
    if (f) {
        while (fgets(line, sizeof line, f)) lines++;
        fclose(f);
    }
    printf("/proc/net/udplite6 open %d lines>=4 %d\n", f != NULL, lines >= 4);
    close(r);
    close(s);
    close(d);
    close(s4);
}

int main(void) {
    v4();
    v6();
    return 0;
}
