/* Raw sockets as root: ICMP echo through a SOCK_RAW IPPROTO_ICMP socket (it sees its own
 * request as well as the reply, with the IP header), ICMP_FILTER, IP_HDRINCL, raw sockets of
 * other protocols, and raw ICMPv6 (no IPv6 header, the kernel does the checksum). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif
struct icmp_filter { unsigned int data; };

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static unsigned short csum(const void *p, int len) {
    const unsigned char *b = p;
    unsigned long s = 0;
    for (int i = 0; i + 1 < len; i += 2) s += (b[i] << 8) | b[i + 1];
    if (len & 1) s += b[len - 1] << 8;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return htons(~s & 0xffff);
}

/* Receives the next IPv4 ICMP packet that is ours (echo id 0x4242, or an error quoting protocol 254):
 * the host's namespace is shared with whatever else runs, and a raw socket sees all of it. */
static long recv_ours(int s, unsigned char *b, int size, struct sockaddr_in *from, socklen_t *fl) {
    for (int tries = 0; tries < 1000; tries++) {
        long n = recvfrom(s, b, size, 0, (struct sockaddr *)from, fl);
        if (n < 0) return n;
        const struct iphdr *ip = (const struct iphdr *)b;
        const unsigned char *ic = b + ip->ihl * 4;
        if (ip->protocol != IPPROTO_ICMP || n < ip->ihl * 4 + 8) continue;
        if ((ic[0] == ICMP_ECHO || ic[0] == ICMP_ECHOREPLY) && ic[4] == 0x42 && ic[5] == 0x42) return n;
        if (ic[0] == ICMP_DEST_UNREACH && n >= ip->ihl * 4 + 8 + 20 && ((const struct iphdr *)(ic + 8))->protocol == 254) return n;
    }
    errno = EAGAIN;
    return -1;
}

/* Whether anything of ours is queued (others' packets are read and skipped). */
static int ours_pending(int s) {
    unsigned char b[2048];
    struct sockaddr_in f;
    socklen_t fl = sizeof f;
    struct pollfd p = {s, POLLIN, 0};
    while (poll(&p, 1, 200) > 0) {
        long n = recvfrom(s, b, sizeof b, MSG_DONTWAIT, (struct sockaddr *)&f, &fl);
        if (n < 0) break;
        const struct iphdr *ip = (const struct iphdr *)b;
        const unsigned char *ic = b + ip->ihl * 4;
        if ((ic[0] == ICMP_ECHO || ic[0] == ICMP_ECHOREPLY) && ic[4] == 0x42 && ic[5] == 0x42) return 1;
        if (ic[0] == ICMP_DEST_UNREACH && ((const struct iphdr *)(ic + 8))->protocol == 253) return 1;
    }
    return 0;
}

static void timeout(int s) {
    struct timeval tv = {2, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static int echo(unsigned char *b, int id, int seq, const char *data) {
    struct icmphdr *h = (struct icmphdr *)b;
    memset(h, 0, sizeof *h);
    h->type = ICMP_ECHO;
    h->un.echo.id = htons(id);
    h->un.echo.sequence = htons(seq);
    int n = strlen(data);
    memcpy(b + 8, data, n);
    h->checksum = csum(b, 8 + n);
    return 8 + n;
}

static void show(const char *what, const unsigned char *b, long n, struct sockaddr_in *from) {
    if (n < 0) { result(what, n); return; }
    const struct iphdr *ip = (const struct iphdr *)b;
    int hl = ip->ihl * 4;
    const struct icmphdr *h = (const struct icmphdr *)(b + hl);
    printf("%s: %ld bytes, ihl %d proto %d ttl %d tot_len %d from %s", what, n, hl, ip->protocol, ip->ttl,
           ntohs(ip->tot_len), from ? inet_ntoa(from->sin_addr) : "-");
    if (ip->protocol == IPPROTO_ICMP)
        printf(" type %d code %d id %#x seq %d data %.*s csum ok %d", h->type, h->code, ntohs(h->un.echo.id),
               ntohs(h->un.echo.sequence), (int)(n - hl - 8), (const char *)(h + 1), csum(h, n - hl) == 0);
    printf("\n");
}

int main(void) {
    unsigned char pkt[2048], buf[2048];
    struct sockaddr_in lo = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);

    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    result("raw icmp socket", r < 0 ? -1 : 0);
    timeout(r);
    struct sockaddr_in name;
    socklen_t nl = sizeof name;
    getsockname(r, (struct sockaddr *)&name, &nl);
    printf("getsockname port %d addr %s\n", ntohs(name.sin_port), inet_ntoa(name.sin_addr));

    int n = echo(pkt, 0x4242, 1, "abcdefgh");
    result("send echo request", sendto(r, pkt, n, 0, (struct sockaddr *)&lo, sizeof lo));
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    long got = recv_ours(r, buf, sizeof buf, &from, &fl);
    show("first", buf, got, &from);
    printf("from port %d len %d\n", ntohs(from.sin_port), fl);
    got = recv_ours(r, buf, sizeof buf, &from, &fl);
    show("second", buf, got, &from);

    /* Truncation */
    /* Truncation: ICMP_FILTER first lets only echo replies through, and the id says it is ours. */
    struct icmp_filter only_replies = {~(1U << ICMP_ECHOREPLY)};
    setsockopt(r, SOL_RAW, ICMP_FILTER, &only_replies, sizeof only_replies);
    n = echo(pkt, 0x4242, 2, "0123456789");
    sendto(r, pkt, n, 0, (struct sockaddr *)&lo, sizeof lo);
    struct iovec iov = {buf, 30};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    long tr;
    do {
        m.msg_flags = 0;
        tr = recvmsg(r, &m, MSG_PEEK);
        if (tr >= 28 && !(buf[24] == 0x42 && buf[25] == 0x42)) recv(r, buf, sizeof buf, 0);
    } while (tr >= 28 && !(buf[24] == 0x42 && buf[25] == 0x42));
    result("recvmsg 30", recvmsg(r, &m, 0));
    printf("MSG_TRUNC %d\n", !!(m.msg_flags & MSG_TRUNC));
    sendto(r, pkt, n, 0, (struct sockaddr *)&lo, sizeof lo);
    do {
        tr = recv(r, buf, 26, MSG_PEEK);
        if (tr >= 26 && !(buf[24] == 0x42 && buf[25] == 0x42)) recv(r, buf, sizeof buf, 0);
    } while (tr >= 26 && !(buf[24] == 0x42 && buf[25] == 0x42));
    result("recv MSG_TRUNC 10", recv(r, buf, 10, MSG_TRUNC));

    /* ICMP_FILTER: let only echo replies through */
    struct icmp_filter filt = {~(1U << ICMP_ECHOREPLY)};
    result("ICMP_FILTER", setsockopt(r, SOL_RAW, ICMP_FILTER, &filt, sizeof filt));
    n = echo(pkt, 0x4242, 3, "filtered");
    sendto(r, pkt, n, 0, (struct sockaddr *)&lo, sizeof lo);
    got = recv_ours(r, buf, sizeof buf, &from, &fl);
    show("filtered", buf, got, &from);
    printf("nothing more of ours: %d\n", !ours_pending(r));

    /* IP_HDRINCL through IPPROTO_RAW: the kernel fills tot_len, id and the checksum. */
    int h = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    int v = -1;
    socklen_t vl = sizeof v;
    getsockopt(h, SOL_IP, IP_HDRINCL, &v, &vl);
    printf("IPPROTO_RAW has IP_HDRINCL %d\n", v);
    struct iphdr *ip = (struct iphdr *)pkt;
    memset(ip, 0, sizeof *ip);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 17;
    ip->protocol = IPPROTO_ICMP;
    ip->daddr = lo.sin_addr.s_addr;
    n = echo(pkt + 20, 0x4242, 4, "hdrincl");
    result("send with header", sendto(h, pkt, 20 + n, 0, (struct sockaddr *)&lo, sizeof lo));
    got = recv_ours(r, buf, sizeof buf, &from, &fl);
    show("reply to it", buf, got, &from);
    result("header too short", sendto(h, pkt, 10, 0, (struct sockaddr *)&lo, sizeof lo));
    ip->ihl = 15;
    result("ihl beyond the data", sendto(h, pkt, 40, 0, (struct sockaddr *)&lo, sizeof lo));

    /* A raw socket of another protocol sees that protocol's packets, header and all. */
    int ru = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
    timeout(ru);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = lo;
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    socklen_t ul = sizeof ua;
    getsockname(u, (struct sockaddr *)&ua, &ul);
    sendto(u, "udp!", 4, 0, (struct sockaddr *)&ua, sizeof ua);
    got = recv(ru, buf, sizeof buf, 0);
    ip = (struct iphdr *)buf;
    printf("raw udp saw %ld bytes proto %d, udp len %d, payload %.4s\n", got, ip->protocol,
           ntohs(*(unsigned short *)(buf + 24)), buf + 28);

    /* An unknown protocol a raw socket listens to draws no protocol-unreachable. */
    int r253 = socket(AF_INET, SOCK_RAW, 253);
    timeout(r253);
    filt.data = ~(1U << ICMP_DEST_UNREACH);
    setsockopt(r, SOL_RAW, ICMP_FILTER, &filt, sizeof filt);
    result("send proto 253", sendto(r253, "x253", 4, 0, (struct sockaddr *)&lo, sizeof lo));
    got = recv(r253, buf, sizeof buf, 0);
    printf("raw 253 saw %ld bytes, payload %.4s\n", got, buf + 20);
    printf("unreachable for 253: %d\n", ours_pending(r));
    close(r253);
    int r254 = socket(AF_INET, SOCK_RAW, 254);
    close(r254);
    int s254 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    ip = (struct iphdr *)pkt;
    memset(ip, 0, 20);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = 254;
    ip->daddr = lo.sin_addr.s_addr;
    memcpy(pkt + 20, "nobody", 6);
    /* ICMP errors are rate limited host-wide: try a few times. */
    got = -1;
    for (int i = 0; i < 5 && got < 0; i++) {
        sendto(s254, pkt, 26, 0, (struct sockaddr *)&lo, sizeof lo);
        struct pollfd pf = {r, POLLIN, 0};
        if (poll(&pf, 1, 500) > 0) got = recv_ours(r, buf, sizeof buf, &from, &fl);
    }
    if (got > 0) {
        struct iphdr *oi = (struct iphdr *)buf;
        struct icmphdr *ic = (struct icmphdr *)(buf + oi->ihl * 4);
        struct iphdr *quoted = (struct iphdr *)(ic + 1);
        printf("for 254: type %d code %d, quoted proto %d, tos %#x, len %ld\n", ic->type, ic->code, quoted->protocol,
               oi->tos, got);
    } else result("for 254", got);

    /* Raw ICMPv6: no IPv6 header; the kernel computes the checksum. */
    int r6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    timeout(r6);
    struct sockaddr_in6 lo6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct icmp6_hdr *e6 = (struct icmp6_hdr *)pkt;
    memset(e6, 0, 8);
    e6->icmp6_type = ICMP6_ECHO_REQUEST;
    e6->icmp6_id = htons(0x6666);
    e6->icmp6_seq = htons(9);
    memcpy(pkt + 8, "six!", 4);
    result("send echo6", sendto(r6, pkt, 12, 0, (struct sockaddr *)&lo6, sizeof lo6));
    for (int i = 0; i < 2; i++) {
        struct sockaddr_in6 f6;
        socklen_t f6l = sizeof f6;
        struct icmp6_hdr *g = (struct icmp6_hdr *)buf;
        do got = recvfrom(r6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &f6l);
        while (got >= 8 && !(g->icmp6_id == htons(0x6666) && (g->icmp6_type == 128 || g->icmp6_type == 129)));
        char a[64];
        if (got < 0) result("recv6", got);
        else printf("icmp6 %ld bytes type %d id %#x seq %d data %.4s from %s port %d\n", got, g->icmp6_type,
                    ntohs(g->icmp6_id), ntohs(g->icmp6_seq), buf + 8, inet_ntop(AF_INET6, &f6.sin6_addr, a, sizeof a),
                    f6.sin6_port);
    }
    struct icmp6_filter f6;
    ICMP6_FILTER_SETBLOCKALL(&f6);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f6);
    result("ICMP6_FILTER", setsockopt(r6, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof f6));
    e6->icmp6_seq = htons(10);
    sendto(r6, pkt, 12, 0, (struct sockaddr *)&lo6, sizeof lo6);
    do got = recv(r6, buf, sizeof buf, 0);
    while (got >= 8 && ((struct icmp6_hdr *)buf)->icmp6_id != htons(0x6666));
    printf("filtered6: type %d seq %d\n", buf[0], ntohs(((struct icmp6_hdr *)buf)->icmp6_seq));
    int more6 = 0;
    struct pollfd p6 = {r6, POLLIN, 0};
    while (poll(&p6, 1, 200) > 0 && recv(r6, buf, sizeof buf, MSG_DONTWAIT) >= 8)
        if (((struct icmp6_hdr *)buf)->icmp6_id == htons(0x6666)) more6 = 1;
    printf("nothing more of ours6: %d\n", !more6);
    v = -1;
    getsockopt(r6, IPPROTO_IPV6, IPV6_CHECKSUM, &v, &vl);
    printf("IPV6_CHECKSUM of ICMPv6 %d\n", v);
    v = 4;
    result("set IPV6_CHECKSUM on ICMPv6", setsockopt(r6, IPPROTO_IPV6, IPV6_CHECKSUM, &v, sizeof v));

    /* Bad input */
    result("raw bind short", bind(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), (struct sockaddr *)&lo, 8));
    struct sockaddr_in far = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.9.9.9", &far.sin_addr);
    result("raw bind non-local", bind(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), (struct sockaddr *)&far, sizeof far));
    result("raw send no address", send(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), pkt, 8, 0));
    static unsigned char huge[70000];
    result("raw send too long", sendto(r, huge, sizeof huge, 0, (struct sockaddr *)&lo, sizeof lo));
    result("raw socket bad protocol", socket(AF_INET, SOCK_RAW, 300));
    result("ICMP_FILTER on a UDP raw socket", setsockopt(ru, SOL_RAW, ICMP_FILTER, &filt, sizeof filt));
    return 0;
}
