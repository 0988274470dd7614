#define _GNU_SOURCE
/* UDP over IPv6 on loopback: ::1, dual-stack sockets with v4-mapped addresses, IPV6_V6ONLY,
 * sockaddr_in6 checks, ICMPv6 port unreachable, size limits and ancillary data. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int bound6(const char *ip, int v6only) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    if (v6only >= 0) setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind6"); exit(1); }
    return s;
}

static struct sockaddr_in6 name6(int s) {
    struct sockaddr_in6 a;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    return a;
}

static const char *str6(const struct in6_addr *a) {
    static char b[2][64];
    static int i;
    i ^= 1;
    return inet_ntop(AF_INET6, a, b[i], sizeof b[i]);
}

int main(void) {
    static char buf[70000];
    int one = 1;
    int r = bound6("::1", -1);
    struct sockaddr_in6 ra = name6(r);
    socklen_t vl = sizeof one;
    int v = -1;
    getsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vl);
    printf("bound to %s, port nonzero %d, v6only after binding ::1: %d\n", str6(&ra.sin6_addr), ra.sin6_port != 0, v);

    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vl);
    printf("default v6only %d\n", v);
    result("sendto ::1", sendto(s, "six", 3, 0, (struct sockaddr *)&ra, sizeof ra));
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    memset(buf, 0, 16);
    result("recvfrom", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    struct sockaddr_in6 sa = name6(s);
    printf("data %s from %s port matches %d fromlen %d scope %u flowinfo %u\n", buf, str6(&from.sin6_addr),
           from.sin6_port == sa.sin6_port, fl, from.sin6_scope_id, from.sin6_flowinfo);
    printf("sender bound to %s\n", str6(&sa.sin6_addr));

    /* Sizes: the payload length field allows 65527 bytes of UDP data. */
    memset(buf, 'y', sizeof buf);
    int big = 300000;
    setsockopt(r, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    result("send 65527", sendto(s, buf, 65527, 0, (struct sockaddr *)&ra, sizeof ra));
    result("recv it", recv(r, buf, sizeof buf, 0));
    result("send 65528", sendto(s, buf, 65528, 0, (struct sockaddr *)&ra, sizeof ra));

    /* A dual-stack socket on :: hears IPv4 too, as ::ffff:127.0.0.1. */
    int d = bound6("::", 0);
    struct sockaddr_in6 da = name6(d);
    int s4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to4 = {.sin_family = AF_INET, .sin_port = da.sin6_port};
    inet_pton(AF_INET, "127.0.0.1", &to4.sin_addr);
    result("IPv4 to dual-stack", sendto(s4, "four", 4, 0, (struct sockaddr *)&to4, sizeof to4));
    fl = sizeof from;
    memset(buf, 0, 16);
    result("recvfrom v4 on v6", recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("data %s from %s family %d\n", buf, str6(&from.sin6_addr), from.sin6_family);
    /* and answers over IPv4 through the v4-mapped address */
    result("reply to mapped", sendto(d, "back", 4, 0, (struct sockaddr *)&from, sizeof from));
    struct sockaddr_in f4;
    fl = sizeof f4;
    memset(buf, 0, 16);
    result("v4 socket gets reply", recvfrom(s4, buf, sizeof buf, 0, (struct sockaddr *)&f4, &fl));
    printf("data %s from %s port matches %d\n", buf, inet_ntoa(f4.sin_addr), f4.sin_port == da.sin6_port);

    /* IPV6_V6ONLY: no IPv4; and it cannot change once bound. */
    int o = bound6("::", 1);
    struct sockaddr_in6 oa = name6(o);
    to4.sin_port = oa.sin6_port;
    sendto(s4, "nope", 4, 0, (struct sockaddr *)&to4, sizeof to4);
    result("v6only socket gets no IPv4", recv(o, buf, sizeof buf, MSG_DONTWAIT));
    result("set V6ONLY after bind", setsockopt(o, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
    struct sockaddr_in6 m4 = {.sin6_family = AF_INET6, .sin6_port = oa.sin6_port};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &m4.sin6_addr);
    result("v6only sendto mapped", sendto(o, "x", 1, 0, (struct sockaddr *)&m4, sizeof m4));
    result("v6only connect mapped", connect(o, (struct sockaddr *)&m4, sizeof m4));
    result("v6only bind mapped", bind(socket(AF_INET6, SOCK_DGRAM, 0) == -1 ? -1 : o, (struct sockaddr *)&m4, sizeof m4));
    int o2 = socket(AF_INET6, SOCK_DGRAM, 0);
    setsockopt(o2, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    m4.sin6_port = 0;
    result("bind mapped on v6only", bind(o2, (struct sockaddr *)&m4, sizeof m4));
    int o3 = socket(AF_INET6, SOCK_DGRAM, 0);
    result("bind mapped on dual-stack", bind(o3, (struct sockaddr *)&m4, sizeof m4));
    struct sockaddr_in6 o3a = name6(o3);
    printf("bound to %s\n", str6(&o3a.sin6_addr));

    /* Port conflicts across families: a dual-stack wildcard holds the IPv4 port too. */
    int c4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in same = {.sin_family = AF_INET, .sin_port = da.sin6_port};
    result("IPv4 bind on a dual-stack port", bind(c4, (struct sockaddr *)&same, sizeof same));
    int c5 = socket(AF_INET, SOCK_DGRAM, 0);
    same.sin_port = oa.sin6_port;
    result("IPv4 bind on a v6only port", bind(c5, (struct sockaddr *)&same, sizeof same));

    /* sockaddr_in6 checks */
    int b = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 x = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "2001:db8::1", &x.sin6_addr);
    result("bind non-local", bind(b, (struct sockaddr *)&x, sizeof x));
    result("bind short", bind(b, (struct sockaddr *)&x, 20));
    result("bind rfc2133 length", bind(b, (struct sockaddr *)&ra, 24) < 0 ? -1 : 0);
    int b2 = socket(AF_INET6, SOCK_DGRAM, 0);
    inet_pton(AF_INET6, "fe80::1", &x.sin6_addr);
    result("bind link-local without scope", bind(b2, (struct sockaddr *)&x, sizeof x));
    x.sin6_scope_id = 99;
    result("bind link-local bad scope", bind(b2, (struct sockaddr *)&x, sizeof x));
    x.sin6_family = AF_INET;
    result("bind AF_INET family", bind(b2, (struct sockaddr *)&x, sizeof x));
    result("sendto no route", sendto(b2, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_in6){.sin6_family = AF_INET6,
        .sin6_port = htons(9), .sin6_addr = {{{0x20, 0x01, 0x0d, 0xb8, [15] = 1}}}}, sizeof(struct sockaddr_in6)));
    result("sendto port 0", sendto(b2, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_in6){.sin6_family = AF_INET6,
        .sin6_addr = IN6ADDR_LOOPBACK_INIT}, sizeof(struct sockaddr_in6)));
    result("sendto short", sendto(b2, "x", 1, 0, (struct sockaddr *)&ra, 10));

    /* ICMPv6 port unreachable reaches a connected socket as ECONNREFUSED. */
    int gone = bound6("::1", -1);
    struct sockaddr_in6 ga = name6(gone);
    close(gone);
    int c = socket(AF_INET6, SOCK_DGRAM, 0);
    result("connect", connect(c, (struct sockaddr *)&ga, sizeof ga));
    struct sockaddr_in6 ca = name6(c);
    printf("connected socket bound to %s\n", str6(&ca.sin6_addr));
    long sr = -1;
    for (int i = 0; i < 10; i++) { /* ICMPv6 errors are rate limited host-wide */
        sr = send(c, "x", 1, 0);
        struct pollfd p = {c, POLLIN, 0};
        if (sr < 0 || poll(&p, 1, 300) > 0) break;
    }
    result("send", sr);
    result("recv", recv(c, buf, sizeof buf, MSG_DONTWAIT));
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    result("disconnect", connect(c, &unspec, sizeof unspec));
    struct sockaddr_in6 pa;
    socklen_t pl = sizeof pa;
    result("getpeername", getpeername(c, (struct sockaddr *)&pa, &pl));

    /* Ancillary data */
    setsockopt(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
    setsockopt(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
    setsockopt(r, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
    int tc = 0x28 | 1, hl = 9;
    setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof tc);
    setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hl, sizeof hl);
    sendto(s, "cm", 2, 0, (struct sockaddr *)&ra, sizeof ra);
    char cbuf[256];
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    result("recvmsg", recvmsg(r, &m, 0));
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
        if (cm->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(cm);
            printf("IPV6_PKTINFO %s ifindex %d\n", str6(&pi->ipi6_addr), pi->ipi6_ifindex);
        } else if (cm->cmsg_type == IPV6_HOPLIMIT) printf("IPV6_HOPLIMIT %d\n", *(int *)CMSG_DATA(cm));
        else if (cm->cmsg_type == IPV6_TCLASS) printf("IPV6_TCLASS %#x\n", *(int *)CMSG_DATA(cm));
        else printf("cmsg %d %d\n", cm->cmsg_level, cm->cmsg_type);
    }
    vl = sizeof v;
    getsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &vl);
    printf("hops %d", v);
    getsockopt(r, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &vl);
    printf(" default hops %d", v);
    getsockopt(r, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &v, &vl);
    printf(" multicast hops %d\n", v);
    tc = 256;
    result("IPV6_TCLASS 256", setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof tc));
    hl = -2;
    result("IPV6_UNICAST_HOPS -2", setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hl, sizeof hl));
    result("unknown IPV6 option", setsockopt(s, IPPROTO_IPV6, 1000, &one, sizeof one));
    /* SOL_IP works on an AF_INET6 UDP socket too */
    result("IP_TOS on v6 socket", setsockopt(s, SOL_IP, IP_TOS, &one, sizeof one));
    return 0;
}
