/* UDP over the loopback device: bind, send and receive, truncation, peeking, connected
 * sockets and ICMP port unreachable, datagram size limits, ancillary data, corking, the error
 * queue, receive-buffer drops and poll. Only loopback and ports the kernel picks are used. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_CORK
#define UDP_CORK 1
#endif

static int udp_bound(const char *ip, int reuse) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (reuse) setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
    return s;
}

static struct sockaddr_in name_of(int s) {
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    return a;
}

/* Sends to a connected socket's closed port until the ICMP error has come back (ICMP errors are
 * rate limited host-wide, and the host runs other things), then reports the send's result. */
static long send_until_error(int c) {
    long r = -1;
    for (int i = 0; i < 10; i++) {
        r = send(c, "x", 1, 0);
        struct pollfd p = {c, POLLIN, 0};
        if (r < 0 || (poll(&p, 1, 300) > 0 && (p.revents & POLLERR))) break;
    }
    return r;
}

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    char buf[70000];
    int r = udp_bound("127.0.0.1", 0);
    struct sockaddr_in ra = name_of(r);
    printf("bound port nonzero: %d, addr %s\n", ra.sin_port != 0, inet_ntoa(ra.sin_addr));

    /* An unbound sender gets an ephemeral port when it sends. */
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa0 = name_of(s);
    printf("unbound sender port: %d\n", ntohs(sa0.sin_port));
    result("sendto hello", sendto(s, "hello", 5, 0, (struct sockaddr *)&ra, sizeof ra));
    struct sockaddr_in sa = name_of(s);
    printf("sender port in range: %d\n", ntohs(sa.sin_port) >= 32768 && ntohs(sa.sin_port) <= 60999);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    memset(buf, 0, sizeof buf);
    result("recvfrom", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("data %s from %s, port matches %d, fromlen %d\n", buf, inet_ntoa(from.sin_addr), from.sin_port == sa.sin_port, fl);

    /* Nothing queued: EAGAIN without waiting. */
    result("recv empty DONTWAIT", recv(r, buf, sizeof buf, MSG_DONTWAIT));

    /* Peek, then take; FIONREAD is the first datagram's length. */
    sendto(s, "0123456789abcdefghijklmnopqrstuvwxyz", 36, 0, (struct sockaddr *)&ra, sizeof ra);
    sendto(s, "second", 6, 0, (struct sockaddr *)&ra, sizeof ra);
    int n = -1;
    ioctl(r, FIONREAD, &n);
    printf("FIONREAD %d\n", n);
    ioctl(s, SIOCOUTQ, &n);
    printf("SIOCOUTQ %d\n", n);
    result("peek 4", recv(r, buf, 4, MSG_PEEK));
    printf("peeked %.4s\n", buf);
    /* Truncation: the rest of the datagram is lost, MSG_TRUNC says so. */
    struct iovec iov = {buf, 10};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    result("recvmsg 10 of 36", recvmsg(r, &m, 0));
    printf("msg_flags MSG_TRUNC %d, data %.10s\n", !!(m.msg_flags & MSG_TRUNC), buf);
    result("recv MSG_TRUNC len 2 of 6", recv(r, buf, 2, MSG_TRUNC));

    /* Sizes: 65507 bytes is the most an IPv4 datagram carries. */
    memset(buf, 'x', sizeof buf);
    result("send 65507", sendto(s, buf, 65507, 0, (struct sockaddr *)&ra, sizeof ra));
    result("recv it", recv(r, buf, sizeof buf, 0));
    result("send 65508", sendto(s, buf, 65508, 0, (struct sockaddr *)&ra, sizeof ra));
    result("send 0 bytes", sendto(s, buf, 0, 0, (struct sockaddr *)&ra, sizeof ra));
    result("recv empty datagram", recv(r, buf, sizeof buf, 0));

    /* A connected socket to a port nobody has: the ICMP port unreachable comes back as ECONNREFUSED. */
    int gone = udp_bound("127.0.0.1", 0);
    struct sockaddr_in ga = name_of(gone);
    close(gone);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    result("connect", connect(c, (struct sockaddr *)&ga, sizeof ga));
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    result("getpeername", getpeername(c, (struct sockaddr *)&peer, &pl));
    printf("peer port matches %d\n", peer.sin_port == ga.sin_port);
    result("send to closed port", send_until_error(c));
    result("recv after it", recv(c, buf, sizeof buf, MSG_DONTWAIT));
    result("recv again", recv(c, buf, sizeof buf, MSG_DONTWAIT));
    result("send again", send_until_error(c));
    result("send once more", send(c, "x", 1, 0));
    int e = 0;
    socklen_t el = sizeof e;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR %s\n", strerror(e));
    /* An unconnected socket does not hear of it. */
    result("unconnected sendto closed port", sendto(s, "x", 1, 0, (struct sockaddr *)&ga, sizeof ga));
    result("unconnected recv", recv(s, buf, sizeof buf, MSG_DONTWAIT));

    /* IP_RECVERR: the error is also queued, with the details. */
    int one = 1;
    int c2 = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(c2, SOL_IP, IP_RECVERR, &one, sizeof one);
    connect(c2, (struct sockaddr *)&ga, sizeof ga);
    struct pollfd pf = {c2, POLLIN | POLLOUT, 0};
    for (int i = 0; i < 10; i++) {
        send(c2, "payload", 7, 0);
        pf.revents = 0;
        if (poll(&(struct pollfd){c2, POLLIN, 0}, 1, 300) > 0) break;
    }
    poll(&pf, 1, 0);
    printf("poll with error queued: %#x\n", pf.revents);
    char cbuf[512];
    struct sockaddr_in ea;
    iov.iov_base = buf;
    iov.iov_len = sizeof buf;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    m.msg_name = &ea;
    m.msg_namelen = sizeof ea;
    result("recvmsg MSG_ERRQUEUE", recvmsg(c2, &m, MSG_ERRQUEUE));
    printf("errqueue flags %#x, payload %.7s, addr port matches %d\n", m.msg_flags, buf, ea.sin_port == ga.sin_port);
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
        if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) {
            struct sock_extended_err *ee = (struct sock_extended_err *)CMSG_DATA(cm);
            struct sockaddr_in *off = (struct sockaddr_in *)SO_EE_OFFENDER(ee);
            printf("ee errno %s origin %d type %d code %d info %u offender %s len %zu\n", strerror(ee->ee_errno),
                   ee->ee_origin, ee->ee_type, ee->ee_code, ee->ee_info, inet_ntoa(off->sin_addr), (size_t)cm->cmsg_len);
        }
    }
    result("errqueue now empty", recvmsg(c2, &m, MSG_ERRQUEUE));
    getsockopt(c2, SOL_SOCKET, SO_ERROR, &e, &el);
    printf("SO_ERROR after reading the queue %d\n", e);

    /* connect(AF_UNSPEC) disconnects. */
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    result("disconnect", connect(c, &unspec, sizeof unspec));
    result("getpeername after", getpeername(c, (struct sockaddr *)&peer, &pl));
    result("send unconnected", send(c, "x", 1, 0));

    /* Ancillary data: the TOS (ECN bits included), TTL and packet info. */
    int tos = 0x10 | 0x02;
    setsockopt(s, SOL_IP, IP_TOS, &tos, sizeof tos);
    int ttl = 33;
    setsockopt(s, SOL_IP, IP_TTL, &ttl, sizeof ttl);
    setsockopt(r, SOL_IP, IP_RECVTOS, &one, sizeof one);
    setsockopt(r, SOL_IP, IP_RECVTTL, &one, sizeof one);
    setsockopt(r, SOL_IP, IP_PKTINFO, &one, sizeof one);
    sendto(s, "cm", 2, 0, (struct sockaddr *)&ra, sizeof ra);
    memset(&m, 0, sizeof m);
    iov.iov_len = sizeof buf;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    result("recvmsg with cmsgs", recvmsg(r, &m, 0));
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
        if (cm->cmsg_type == IP_TOS) printf("IP_TOS len %zu value %#x\n", (size_t)cm->cmsg_len, *(unsigned char *)CMSG_DATA(cm));
        else if (cm->cmsg_type == IP_TTL) printf("IP_TTL %d\n", *(int *)CMSG_DATA(cm));
        else if (cm->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);
            printf("IP_PKTINFO ifindex %d spec_dst %s", pi->ipi_ifindex, inet_ntoa(pi->ipi_spec_dst));
            printf(" addr %s\n", inet_ntoa(pi->ipi_addr));
        } else printf("cmsg level %d type %d\n", cm->cmsg_level, cm->cmsg_type);
    }
    int v;
    socklen_t vl = sizeof v;
    getsockopt(s, SOL_IP, IP_TOS, &v, &vl);
    printf("getsockopt IP_TOS %#x len %d\n", v, vl);
    unsigned char b1;
    vl = 1;
    getsockopt(s, SOL_IP, IP_TTL, &b1, &vl);
    printf("getsockopt IP_TTL as a byte %d len %d\n", b1, vl);
    ttl = 0;
    result("IP_TTL 0", setsockopt(s, SOL_IP, IP_TTL, &ttl, sizeof ttl));
    ttl = 256;
    result("IP_TTL 256", setsockopt(s, SOL_IP, IP_TTL, &ttl, sizeof ttl));

    /* Cmsgs on send: IP_TTL for one datagram. */
    char sc[CMSG_SPACE(sizeof(int))];
    memset(&m, 0, sizeof m);
    iov.iov_base = "ttl";
    iov.iov_len = 3;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_name = &ra;
    m.msg_namelen = sizeof ra;
    m.msg_control = sc;
    m.msg_controllen = sizeof sc;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_IP;
    cm->cmsg_type = IP_TTL;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    *(int *)CMSG_DATA(cm) = 7;
    result("sendmsg with IP_TTL 7", sendmsg(s, &m, 0));
    memset(&m, 0, sizeof m);
    iov.iov_base = buf;
    iov.iov_len = sizeof buf;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    recvmsg(r, &m, 0);
    for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
        if (cm->cmsg_type == IP_TTL) printf("received TTL %d\n", *(int *)CMSG_DATA(cm));
    memset(&m, 0, sizeof m);
    iov.iov_base = "bad";
    iov.iov_len = 3;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_name = &ra;
    m.msg_namelen = sizeof ra;
    m.msg_control = sc;
    m.msg_controllen = sizeof sc;
    *(int *)CMSG_DATA(CMSG_FIRSTHDR(&m)) = 0;
    result("sendmsg with IP_TTL 0", sendmsg(s, &m, 0));
    setsockopt(r, SOL_IP, IP_RECVTOS, &(int){0}, sizeof(int));
    setsockopt(r, SOL_IP, IP_RECVTTL, &(int){0}, sizeof(int));
    setsockopt(r, SOL_IP, IP_PKTINFO, &(int){0}, sizeof(int));

    /* MSG_MORE and UDP_CORK gather sends into one datagram. */
    sendto(s, "ab", 2, MSG_MORE, (struct sockaddr *)&ra, sizeof ra);
    sendto(s, "cd", 2, 0, (struct sockaddr *)&ra, sizeof ra);
    memset(buf, 0, 16);
    result("corked with MSG_MORE", recv(r, buf, sizeof buf, MSG_DONTWAIT));
    printf("data %s\n", buf);
    setsockopt(s, SOL_UDP, UDP_CORK, &one, sizeof one);
    sendto(s, "ef", 2, 0, (struct sockaddr *)&ra, sizeof ra);
    sendto(s, "gh", 2, 0, (struct sockaddr *)&ra, sizeof ra);
    result("nothing while corked", recv(r, buf, sizeof buf, MSG_DONTWAIT));
    setsockopt(s, SOL_UDP, UDP_CORK, &(int){0}, sizeof(int));
    memset(buf, 0, 16);
    result("uncorked", recv(r, buf, sizeof buf, MSG_DONTWAIT));
    printf("data %s\n", buf);

    /* Broadcast needs SO_BROADCAST; a wildcard-bound socket receives it. */
    int w = udp_bound("0.0.0.0", 0);
    struct sockaddr_in wa = name_of(w);
    struct sockaddr_in bc = {.sin_family = AF_INET, .sin_port = wa.sin_port};
    inet_pton(AF_INET, "127.255.255.255", &bc.sin_addr);
    result("broadcast without SO_BROADCAST", sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof bc));
    setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    result("broadcast with SO_BROADCAST", sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof bc));
    result("wildcard socket got it", recv(w, buf, sizeof buf, MSG_DONTWAIT));

    /* poll */
    struct pollfd p2 = {r, POLLIN | POLLOUT, 0};
    poll(&p2, 1, 0);
    printf("poll empty %#x\n", p2.revents);
    sendto(s, "p", 1, 0, (struct sockaddr *)&ra, sizeof ra);
    poll(&p2, 1, 0);
    printf("poll with data %#x\n", p2.revents);
    recv(r, buf, sizeof buf, 0);

    /* A small receive buffer drops what does not fit (at least one datagram always does). */
    int small = 2048;
    setsockopt(r, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    socklen_t sl = sizeof small;
    getsockopt(r, SOL_SOCKET, SO_RCVBUF, &small, &sl);
    printf("SO_RCVBUF %d\n", small);
    for (int i = 0; i < 100; i++) sendto(s, buf, 100, 0, (struct sockaddr *)&ra, sizeof ra);
    int got = 0;
    while (recv(r, buf, sizeof buf, MSG_DONTWAIT) >= 0) got++;
    printf("some but not all received: %d\n", got > 0 && got < 100);

    /* Options */
    vl = sizeof v;
    getsockopt(r, SOL_SOCKET, SO_TYPE, &v, &vl);
    printf("SO_TYPE %d", v);
    getsockopt(r, SOL_SOCKET, SO_PROTOCOL, &v, &vl);
    printf(" SO_PROTOCOL %d", v);
    getsockopt(r, SOL_SOCKET, SO_DOMAIN, &v, &vl);
    printf(" SO_DOMAIN %d\n", v);

    /* shutdown: an unconnected socket says ENOTCONN but is shut down; reads then end. */
    result("shutdown unconnected", shutdown(r, SHUT_RD));
    result("recv after SHUT_RD", recv(r, buf, sizeof buf, 0));
    result("shutdown bad how", shutdown(r, 7));

    /* Binding: twice, in use, SO_REUSEADDR, non-local, short, wrong family, privileged as root. */
    int b = udp_bound("127.0.0.1", 0);
    struct sockaddr_in ba = name_of(b);
    result("bind twice", bind(b, (struct sockaddr *)&ba, sizeof ba));
    int b2 = socket(AF_INET, SOCK_DGRAM, 0);
    result("bind port in use", bind(b2, (struct sockaddr *)&ba, sizeof ba));
    struct sockaddr_in wild = ba;
    wild.sin_addr.s_addr = htonl(INADDR_ANY);
    result("bind wildcard on a used port", bind(b2, (struct sockaddr *)&wild, sizeof wild));
    int b3 = udp_bound("127.0.0.1", 1);
    struct sockaddr_in b3a = name_of(b3);
    int b4 = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(b4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    result("bind with SO_REUSEADDR on both", bind(b4, (struct sockaddr *)&b3a, sizeof b3a));
    struct sockaddr_in far = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.1.2.3", &far.sin_addr);
    int b5 = socket(AF_INET, SOCK_DGRAM, 0);
    result("bind non-local", bind(b5, (struct sockaddr *)&far, sizeof far));
    result("bind short", bind(b5, (struct sockaddr *)&far, sizeof far - 1));
    far.sin_family = AF_INET6;
    result("bind AF_INET6 address", bind(b5, (struct sockaddr *)&far, sizeof far));
    far.sin_family = AF_UNSPEC;
    result("bind AF_UNSPEC non-any", bind(b5, (struct sockaddr *)&far, sizeof far));
    far.sin_addr.s_addr = htonl(INADDR_ANY);
    result("bind AF_UNSPEC any", bind(b5, (struct sockaddr *)&far, sizeof far));
    inet_pton(AF_INET, "127.0.0.9", &far.sin_addr);
    far.sin_family = AF_INET;
    far.sin_port = 0;
    int b6 = socket(AF_INET, SOCK_DGRAM, 0);
    result("bind 127.0.0.9", bind(b6, (struct sockaddr *)&far, sizeof far));
    int b7 = socket(AF_INET, SOCK_DGRAM, 0);
    result("sendto port 0", sendto(b7, "x", 1, 0, (struct sockaddr *)&far, sizeof far));
    result("sendto short addr", sendto(b7, "x", 1, 0, (struct sockaddr *)&ra, 8));
    result("send unconnected no addr", send(b7, "x", 1, 0));
    return 0;
}
