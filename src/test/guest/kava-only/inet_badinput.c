/* Bad input to AF_INET and AF_INET6 datagram sockets: families, types and protocols,
 * malformed and short addresses, out-of-range and short option values, bad pointers. Each call
 * must fail as Linux fails it, and nothing may crash. qemu-user is no oracle here (it rewrites
 * unknown socket types and flags and checks pointers itself); the expected output is the host
 * kernel's, from this program compiled natively (x86-64: the same structures and errno values)
 * and run in a private network namespace: unshare -n sh -c 'ip link set lo up; ./inet_badinput'. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

#define BAD ((void *)16)

int main(void) {
    result("AF_INET SOCK_SEQPACKET", socket(AF_INET, SOCK_SEQPACKET, 0));
    result("AF_INET SOCK_DGRAM IPPROTO_TCP", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    result("AF_INET SOCK_DGRAM protocol -1", socket(AF_INET, SOCK_DGRAM, -1));
    result("AF_INET SOCK_DGRAM protocol 263", socket(AF_INET, SOCK_DGRAM, 263));
    result("AF_INET6 SOCK_DGRAM IPPROTO_ICMP", socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMP));
    result("AF_INET type 42", socket(AF_INET, 42, 0));
    result("AF_INET bad flags", socket(AF_INET, SOCK_DGRAM | 0x1000000, 0));
    int s = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);

    result("bind len -1", bind(s, (struct sockaddr *)&a, -1));
    result("bind len 200", bind(s, (struct sockaddr *)&a, 200));
    result("bind bad pointer", bind(s, BAD, sizeof a));
    result("bind len 0", bind(s, (struct sockaddr *)&a, 0));
    result("bind v6 socket with sockaddr_in", bind(s6, (struct sockaddr *)&a, sizeof a));
    result("connect len 1", connect(s, (struct sockaddr *)&a, 1));
    result("connect len 2 AF_INET", connect(s, (struct sockaddr *)&a, 2));
    struct sockaddr_in6 b6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    result("connect AF_INET6 address on AF_INET", connect(s, (struct sockaddr *)&b6, sizeof b6));
    struct sockaddr weird = {.sa_family = 99};
    result("connect family 99 on AF_INET6", connect(s6, &weird, sizeof weird));
    result("connect short sockaddr_in6", connect(s6, (struct sockaddr *)&b6, 20));
    result("sendto bad family", sendto(s, "x", 1, 0, &weird, sizeof(struct sockaddr_in)));
    result("sendto v6 bad family", sendto(s6, "x", 1, 0, &weird, sizeof(struct sockaddr_in6)));
    result("sendto bad buffer", sendto(s, BAD, 10, 0, (struct sockaddr *)&a, sizeof a));
    result("sendto bad address pointer", sendto(s, "x", 1, 0, BAD, sizeof a));
    result("sendto addr len 200", sendto(s, "x", 1, 0, (struct sockaddr *)&a, 200));
    result("sendto MSG_OOB", sendto(s, "x", 1, MSG_OOB, (struct sockaddr *)&a, sizeof a));

    int v = 0;
    socklen_t vl = sizeof v;
    result("IP_TTL optlen 0", setsockopt(s, SOL_IP, IP_TTL, &v, 0));
    result("IP_TOS optlen 0", setsockopt(s, SOL_IP, IP_TOS, &v, 0));
    v = 6;
    result("IP_MTU_DISCOVER 6", setsockopt(s, SOL_IP, IP_MTU_DISCOVER, &v, sizeof v));
    result("IP_MULTICAST_TTL 256", setsockopt(s, SOL_IP, IP_MULTICAST_TTL, &(int){256}, sizeof(int)));
    result("IP_HDRINCL on UDP", setsockopt(s, SOL_IP, IP_HDRINCL, &v, sizeof v));
    result("level 12345", setsockopt(s, 12345, 1, &v, sizeof v));
    result("SOL_TCP on UDP", setsockopt(s, IPPROTO_TCP, 1, &v, sizeof v));
    result("multicast routing option", setsockopt(s, SOL_IP, 200, &v, sizeof v));
    result("unknown SOL_IP option", setsockopt(s, SOL_IP, 250, &v, sizeof v));
    result("optval bad pointer", setsockopt(s, SOL_IP, IP_TTL, BAD, sizeof v));
    result("optlen negative", setsockopt(s, SOL_IP, IP_TTL, &v, -1));
    result("SO_RCVBUF huge", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){0x7fffffff}, sizeof(int)));
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &vl);
    printf("SO_RCVBUF after huge is capped at twice net.core.rmem_max (host-tuned): %d\n", v >= 425984);
    vl = -1;
    result("getsockopt optlen -1", getsockopt(s, SOL_IP, IP_TTL, &v, &vl));
    result("getsockopt bad optlen pointer", getsockopt(s, SOL_IP, IP_TTL, &v, BAD));
    vl = 4;
    result("getsockopt multicast routing", getsockopt(s, SOL_IP, 200, &v, &vl));
    result("getsockopt unknown", getsockopt(s, SOL_IP, 250, &v, &vl));
    result("IP_MTU unconnected", getsockopt(s, SOL_IP, IP_MTU, &v, &vl));
    result("IPV6_V6ONLY short", setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &v, 2));
    result("IPV6 option on AF_INET", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v));
    result("UDP_CORK short", setsockopt(s, IPPROTO_UDP, 1, &v, 2));
    result("UDP_SEGMENT too big", setsockopt(s, IPPROTO_UDP, 103, &(int){70000}, sizeof(int)));

    /* Malformed control messages are in kava-only/inet_cmsg_bad.c: qemu-user cannot pass them on. */
    char c[64];

    /* receive side */
    bind(s, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &al);
    sendto(s, "data", 4, 0, (struct sockaddr *)&a, sizeof a);
    result("recv bad buffer", recv(s, BAD, 10, 0));
    result("recv after the bad one", recv(s, c, sizeof c, MSG_DONTWAIT));
    sendto(s, "data", 4, 0, (struct sockaddr *)&a, sizeof a);
    socklen_t fl = 3;
    struct sockaddr_in from;
    result("recvfrom short addrlen", recvfrom(s, c, sizeof c, 0, (struct sockaddr *)&from, &fl));
    printf("addrlen reported %d\n", fl);
    result("getsockname bad len pointer", getsockname(s, (struct sockaddr *)&from, BAD));
    fl = -1;
    result("getsockname len -1", getsockname(s, (struct sockaddr *)&from, &fl));
    result("FIONREAD bad pointer", ioctl(s, FIONREAD, BAD));
    /* UDP does not look at MSG_OOB: it receives (here: nothing queued). */
    result("recv MSG_OOB", recv(s, c, sizeof c, MSG_OOB | MSG_DONTWAIT));
    result("recv MSG_ERRQUEUE empty", recv(s, c, sizeof c, MSG_ERRQUEUE));
    result("shutdown -1", shutdown(s, -1));
    result("listen on UDP", listen(s, 1));
    result("accept on UDP", accept(s, NULL, NULL));
    return 0;
}
