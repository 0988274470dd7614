/* IPV6_FLOWINFO_SEND on a TCP socket, which qemu-user does not pass on (ENOPROTOOPT), so this is
 * compared with tcp6_flowinfo.expected, written from Linux's code: tcp_v6_connect takes the flow
 * information of the sockaddr_in6 (less the ECN bits, IP6_ECN_flow_init; fl6_sock_lookup finds no
 * exclusive label, so any label is accepted), and inet6_getname returns it as the peer's
 * sin6_flowinfo while the option is on; without it the field is ignored and reads 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IPV6_FLOWINFO_SEND_OPT 33

static void run(int sndflow, int lport) {
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    printf("IPV6_FLOWINFO_SEND=%d: %d\n", sndflow,
           setsockopt(c, IPPROTO_IPV6, IPV6_FLOWINFO_SEND_OPT, &sndflow, sizeof sndflow));
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = lport, .sin6_addr = IN6ADDR_LOOPBACK_INIT,
                             .sin6_flowinfo = htonl(0x03312345)}; /* traffic class 0x33, label 0x12345 */
    printf("connect: %d\n", connect(c, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in6 p;
    socklen_t pl = sizeof p;
    getpeername(c, (struct sockaddr *)&p, &pl);
    printf("peer flowinfo: 0x%x\n", ntohl(p.sin6_flowinfo));
    int v = -1;
    socklen_t vl = sizeof v;
    getsockopt(c, IPPROTO_IPV6, IPV6_FLOWINFO_SEND_OPT, &v, &vl);
    printf("getsockopt: %d\n", v);
    close(c);
}

int main(void) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 4);
    socklen_t al = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &al);
    run(0, a.sin6_port);
    run(1, a.sin6_port);
    return 0;
}
