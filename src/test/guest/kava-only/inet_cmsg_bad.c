/* Malformed control messages on AF_INET and AF_INET6 datagram sockets. qemu-user cannot be
 * the oracle (it crashes converting a cmsghdr whose length is too short); the expected output is
 * the host kernel's, from this program compiled natively (x86-64) and run in a private network
 * namespace: unshare -n sh -c 'ip link set lo up; ./inet_cmsg_bad'. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

#define BAD ((void *)16)

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct sockaddr_in6 b6 = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    char c[64];
    struct iovec iov = {"x", 1};
    struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c};
    struct cmsghdr *cm = (struct cmsghdr *)c;
    memset(c, 0, sizeof c);
    cm->cmsg_len = 8;
    m.msg_controllen = CMSG_SPACE(4);
    result("cmsg_len too short", sendmsg(s, &m, 0));
    cm->cmsg_len = 100;
    result("cmsg_len too long", sendmsg(s, &m, 0));
    cm->cmsg_len = CMSG_LEN(4);
    cm->cmsg_level = SOL_IP;
    cm->cmsg_type = IP_TTL;
    *(int *)CMSG_DATA(cm) = 300;
    result("IP_TTL 300 cmsg", sendmsg(s, &m, 0));
    cm->cmsg_type = 99;
    result("unknown SOL_IP cmsg", sendmsg(s, &m, 0));
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    *(int *)CMSG_DATA(cm) = 0;
    result("SCM_RIGHTS on UDP", sendmsg(s, &m, 0));
    cm->cmsg_level = 1234;
    result("unknown level cmsg (ignored)", sendmsg(s, &m, 0));
    cm->cmsg_level = SOL_IPV6;
    cm->cmsg_type = IPV6_HOPLIMIT;
    *(int *)CMSG_DATA(cm) = 999;
    m.msg_name = &b6;
    m.msg_namelen = sizeof b6;
    result("v6 IPV6_HOPLIMIT 999 cmsg", sendmsg(s6, &m, 0));
    cm->cmsg_type = IPV6_PKTINFO;
    cm->cmsg_len = CMSG_LEN(20);
    m.msg_controllen = CMSG_SPACE(20);
    memset(CMSG_DATA(cm), 0, 20);
    *(int *)(CMSG_DATA(cm) + 16) = 12345;
    result("v6 IPV6_PKTINFO bad ifindex", sendmsg(s6, &m, 0));
    m.msg_control = BAD;
    result("control bad pointer", sendmsg(s6, &m, 0));
    m.msg_control = c;
    m.msg_namelen = -1;
    result("msg_namelen -1", sendmsg(s6, &m, 0));

    return 0;
}
