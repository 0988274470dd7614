/*
 * TCP simultaneous open (RFC 793 crossed SYNs), the way it happens on one host: a socket
 * connected to its own address and port. Its SYN reaches itself in SYN_SENT (-> SYN_RECV,
 * SYN-ACK), the SYN-ACK reaches it in SYN_RECV (-> ESTABLISHED), and what it sends it reads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(s, (struct sockaddr *)&a, &l) != 0) {
        perror("bind");
        return 1;
    }
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    printf("connect to itself: %d %s\n", r, r ? strerror(errno) : "");
    struct sockaddr_in peer;
    l = sizeof peer;
    getpeername(s, (struct sockaddr *)&peer, &l);
    printf("peer is itself: %d\n", peer.sin_port == a.sin_port && peer.sin_addr.s_addr == a.sin_addr.s_addr);
    struct tcp_info ti;
    l = sizeof ti;
    getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &l);
    printf("state established: %d\n", ti.tcpi_state == TCP_ESTABLISHED);
    printf("write: %zd\n", write(s, "hello, me", 9));
    char buf[32] = {0};
    ssize_t n = read(s, buf, sizeof buf);
    printf("read: %zd %s\n", n, buf);
    printf("shutdown: %d\n", shutdown(s, SHUT_WR));
    n = read(s, buf, sizeof buf);
    printf("read after my own FIN: %zd\n", n);
    printf("close: %d\n", close(s));
    return 0;
}
