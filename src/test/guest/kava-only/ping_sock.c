/* ICMP echo ("ping") sockets, IPv4 and IPv6: refused outside net.ipv4.ping_group_range (Linux's
 * default "1 0" allows no one), then allowed by writing the sysctl; the kernel sets the
 * identifier and the checksum and hands back the replies carrying the socket's identifier.
 * qemu-user cannot be the oracle: it shares the host's network namespace, whose setting the
 * test must not change. The expected output is Linux's, made with
 *   unshare -n sh -c 'ip link set lo up; qemu-riscv64-static ./ping_sock'
 * (a private network namespace, as root). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void sysctl(const char *val) {
    char buf[64];
    int fd = open("/proc/sys/net/ipv4/ping_group_range", val ? O_WRONLY : O_RDONLY);
    if (val) {
        result("write ping_group_range", write(fd, val, strlen(val)));
    } else {
        int n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        for (char *p = buf; *p; p++) if (*p == '\t') *p = ' ';
        printf("ping_group_range: %s", buf);
    }
    close(fd);
}

static unsigned short csum(const void *p, int len) {
    const unsigned char *b = p;
    unsigned long s = 0;
    for (int i = 0; i + 1 < len; i += 2) s += (b[i] << 8) | b[i + 1];
    if (len & 1) s += b[len - 1] << 8;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

int main(void) {
    unsigned char pkt[256], buf[256];
    struct timeval tv = {2, 0};
    sysctl(NULL);
    result("ping socket before", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    result("ping6 socket before", socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6));
    sysctl("0 2147483647\n");
    sysctl(NULL);
    result("bad range", (sysctl("5 x\n"), 0));
    sysctl(NULL);

    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    result("ping socket", s < 0 ? -1 : 0);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in lo = {.sin_family = AF_INET}, me;
    inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);
    socklen_t ml = sizeof me;
    getsockname(s, (struct sockaddr *)&me, &ml);
    printf("port before sending %d\n", ntohs(me.sin_port));

    struct icmphdr *h = (struct icmphdr *)pkt;
    memset(pkt, 0, sizeof pkt);
    h->type = ICMP_ECHO;
    h->un.echo.id = htons(0x1234);
    h->un.echo.sequence = htons(7);
    memcpy(pkt + 8, "pingdata", 8);
    result("send echo", sendto(s, pkt, 16, 0, (struct sockaddr *)&lo, sizeof lo));
    getsockname(s, (struct sockaddr *)&me, &ml);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    long n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    struct icmphdr *g = (struct icmphdr *)buf;
    result("recv reply", n);
    printf("type %d code %d id is the socket's port %d seq %d data %.8s checksum ok %d from %s port %d\n", g->type,
           g->code, g->un.echo.id == me.sin_port, ntohs(g->un.echo.sequence), buf + 8, csum(buf, n) == 0,
           inet_ntoa(from.sin_addr), ntohs(from.sin_port));

    /* Only echo requests, at least a header's worth. */
    h->type = ICMP_TIMESTAMP;
    result("send timestamp request", sendto(s, pkt, 16, 0, (struct sockaddr *)&lo, sizeof lo));
    h->type = ICMP_ECHO;
    h->code = 1;
    result("send code 1", sendto(s, pkt, 16, 0, (struct sockaddr *)&lo, sizeof lo));
    h->code = 0;
    result("send 4 bytes", sendto(s, pkt, 4, 0, (struct sockaddr *)&lo, sizeof lo));
    result("send without address", send(s, pkt, 16, 0));
    struct sockaddr_in far = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.0.0.1", &far.sin_addr);
    result("send to no route", sendto(s, pkt, 16, 0, (struct sockaddr *)&far, sizeof far));

    /* Truncation: MSG_TRUNC in msg_flags; the MSG_TRUNC flag does not change the count. */
    sendto(s, pkt, 16, 0, (struct sockaddr *)&lo, sizeof lo);
    struct iovec iov = {buf, 10};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    result("recvmsg 10 of 16", recvmsg(s, &m, 0));
    printf("MSG_TRUNC %d\n", !!(m.msg_flags & MSG_TRUNC));
    sendto(s, pkt, 16, 0, (struct sockaddr *)&lo, sizeof lo);
    result("recv MSG_TRUNC 10 of 16", recv(s, buf, 10, MSG_TRUNC));

    /* A chosen identifier, by bind; a second bind fails. */
    int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in ba = lo;
    ba.sin_port = htons(4242);
    result("bind ident 4242", bind(b, (struct sockaddr *)&ba, sizeof ba));
    result("bind again", bind(b, (struct sockaddr *)&ba, sizeof ba));
    result("connect", connect(b, (struct sockaddr *)&lo, sizeof lo));
    result("send connected", send(b, pkt, 16, 0));
    n = recv(b, buf, sizeof buf, 0);
    printf("reply id %d seq %d\n", ntohs(((struct icmphdr *)buf)->un.echo.id), ntohs(((struct icmphdr *)buf)->un.echo.sequence));
    struct sockaddr_in pa;
    socklen_t pl = sizeof pa;
    getpeername(b, (struct sockaddr *)&pa, &pl);
    printf("peer %s port %d\n", inet_ntoa(pa.sin_addr), ntohs(pa.sin_port));
    struct sockaddr_in bad = far;
    result("bind non-local", bind(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), (struct sockaddr *)&bad, sizeof bad));
    result("bind short", bind(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), (struct sockaddr *)&lo, 8));
    bad.sin_family = AF_INET6;
    result("bind AF_INET6 family", bind(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), (struct sockaddr *)&bad, sizeof bad));

    /* IPv6 */
    int s6 = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
    result("ping6 socket", s6 < 0 ? -1 : 0);
    setsockopt(s6, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int v = -1;
    socklen_t vl = sizeof v;
    getsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vl);
    printf("ping6 v6only %d\n", v);
    struct sockaddr_in6 lo6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT}, me6, f6;
    struct icmp6_hdr *e6 = (struct icmp6_hdr *)pkt;
    memset(pkt, 0, 16);
    e6->icmp6_type = ICMP6_ECHO_REQUEST;
    e6->icmp6_seq = htons(3);
    memcpy(pkt + 8, "v6data!!", 8);
    result("send echo6", sendto(s6, pkt, 16, 0, (struct sockaddr *)&lo6, sizeof lo6));
    ml = sizeof me6;
    getsockname(s6, (struct sockaddr *)&me6, &ml);
    fl = sizeof f6;
    n = recvfrom(s6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &fl);
    result("recv echo6 reply", n);
    char a[64];
    struct icmp6_hdr *r6 = (struct icmp6_hdr *)buf;
    printf("type %d id is the port %d seq %d data %.8s from %s len %d\n", r6->icmp6_type, r6->icmp6_id == me6.sin6_port,
           ntohs(r6->icmp6_seq), buf + 8, inet_ntop(AF_INET6, &f6.sin6_addr, a, sizeof a), fl);
    result("echo6 short address", sendto(s6, pkt, 16, 0, (struct sockaddr *)&lo6, 24));
    struct sockaddr_in6 m6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &m6.sin6_addr);
    result("echo6 to v4-mapped", sendto(s6, pkt, 16, 0, (struct sockaddr *)&m6, sizeof m6));
    e6->icmp6_type = ICMP_ECHO;
    result("echo6 with type 8", sendto(s6, pkt, 16, 0, (struct sockaddr *)&lo6, sizeof lo6));

    sysctl("1 0\n");
    result("ping socket after", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    return 0;
}
