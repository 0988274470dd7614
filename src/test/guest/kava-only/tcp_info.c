/* TCP_INFO and the SOL_TCP options: states, negotiated options, defaults. Kava-only: qemu-user copies
 * TCP_INFO as a 4-byte int, and the host picks its own default congestion control. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void info(const char *what, int fd) {
    struct tcp_info ti;
    memset(&ti, 0xff, sizeof ti);
    socklen_t l = sizeof ti;
    int r = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l);
    printf("%s: r %d len>=104 %d state %u ca %u opts ts %d sack %d wscale %d ecn %d rcv_wscale %u snd_wscale %u"
           " retrans %u unacked %u cwnd>0 %d\n",
           what, r, l >= 104, ti.tcpi_state, ti.tcpi_ca_state, !!(ti.tcpi_options & TCPI_OPT_TIMESTAMPS),
           !!(ti.tcpi_options & TCPI_OPT_SACK), !!(ti.tcpi_options & TCPI_OPT_WSCALE), !!(ti.tcpi_options & TCPI_OPT_ECN),
           ti.tcpi_options & TCPI_OPT_WSCALE ? ti.tcpi_rcv_wscale : 0, ti.tcpi_options & TCPI_OPT_WSCALE ? ti.tcpi_snd_wscale : 0,
           ti.tcpi_total_retrans, ti.tcpi_unacked, ti.tcpi_snd_cwnd > 0);
}

static void intopt(const char *name, int fd, int opt) {
    int v = -12345;
    socklen_t l = sizeof v;
    int r = getsockopt(fd, IPPROTO_TCP, opt, &v, &l);
    printf("  %s: r %d v %d len %d\n", name, r, r ? -errno : v, l);
}

static void setopt(const char *name, int fd, int opt, int val) {
    int r = setsockopt(fd, IPPROTO_TCP, opt, &val, sizeof val);
    int v = -1;
    socklen_t l = sizeof v;
    getsockopt(fd, IPPROTO_TCP, opt, &v, &l);
    printf("  set %s %d: %d %s -> %d\n", name, val, r, r ? strerror(errno) : "", v);
}

int main(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    info("fresh", l);
    printf("defaults:\n");
    intopt("TCP_NODELAY", l, TCP_NODELAY);
    intopt("TCP_MAXSEG", l, TCP_MAXSEG);
    intopt("TCP_CORK", l, TCP_CORK);
    intopt("TCP_KEEPIDLE", l, TCP_KEEPIDLE);
    intopt("TCP_KEEPINTVL", l, TCP_KEEPINTVL);
    intopt("TCP_KEEPCNT", l, TCP_KEEPCNT);
    intopt("TCP_SYNCNT", l, TCP_SYNCNT);
    intopt("TCP_LINGER2", l, TCP_LINGER2);
    intopt("TCP_DEFER_ACCEPT", l, TCP_DEFER_ACCEPT);
    intopt("TCP_WINDOW_CLAMP", l, TCP_WINDOW_CLAMP);
    intopt("TCP_QUICKACK", l, TCP_QUICKACK);
    intopt("TCP_USER_TIMEOUT", l, TCP_USER_TIMEOUT);
    intopt("TCP_NOTSENT_LOWAT", l, TCP_NOTSENT_LOWAT);
    intopt("TCP_INQ", l, TCP_INQ);
    intopt("bogus 99", l, 99);
    char cc[32] = {0};
    socklen_t cl = sizeof cc;
    int r = getsockopt(l, IPPROTO_TCP, TCP_CONGESTION, cc, &cl);
    printf("TCP_CONGESTION: %d %s len %d\n", r, cc, cl);
    r = setsockopt(l, IPPROTO_TCP, TCP_CONGESTION, "reno", 4);
    cl = sizeof cc;
    getsockopt(l, IPPROTO_TCP, TCP_CONGESTION, cc, &cl);
    printf("set reno: %d now %s\n", r, cc);
    r = setsockopt(l, IPPROTO_TCP, TCP_CONGESTION, "nonesuch", 8);
    printf("set nonesuch: %d %s\n", r, strerror(errno));
    setsockopt(l, IPPROTO_TCP, TCP_CONGESTION, "cubic", 5);
    printf("setting:\n");
    setopt("TCP_MAXSEG", l, TCP_MAXSEG, 1000);
    setopt("TCP_MAXSEG", l, TCP_MAXSEG, 10);
    setopt("TCP_MAXSEG", l, TCP_MAXSEG, 0);
    setopt("TCP_KEEPIDLE", l, TCP_KEEPIDLE, 30);
    setopt("TCP_KEEPIDLE", l, TCP_KEEPIDLE, 0);
    setopt("TCP_KEEPIDLE", l, TCP_KEEPIDLE, 40000);
    setopt("TCP_KEEPINTVL", l, TCP_KEEPINTVL, 5);
    setopt("TCP_KEEPCNT", l, TCP_KEEPCNT, 3);
    setopt("TCP_KEEPCNT", l, TCP_KEEPCNT, 200);
    setopt("TCP_SYNCNT", l, TCP_SYNCNT, 2);
    setopt("TCP_SYNCNT", l, TCP_SYNCNT, 0);
    setopt("TCP_LINGER2", l, TCP_LINGER2, 10);
    setopt("TCP_LINGER2", l, TCP_LINGER2, 500);
    setopt("TCP_LINGER2", l, TCP_LINGER2, -5);
    setopt("TCP_DEFER_ACCEPT", l, TCP_DEFER_ACCEPT, 5);
    setopt("TCP_DEFER_ACCEPT", l, TCP_DEFER_ACCEPT, 0);
    setopt("TCP_USER_TIMEOUT", l, TCP_USER_TIMEOUT, 1500);
    setopt("TCP_USER_TIMEOUT", l, TCP_USER_TIMEOUT, -1);
    setopt("TCP_WINDOW_CLAMP", l, TCP_WINDOW_CLAMP, 100);
    setopt("TCP_QUICKACK", l, TCP_QUICKACK, 0);
    setopt("TCP_QUICKACK", l, TCP_QUICKACK, 1);
    setopt("TCP_CORK", l, TCP_CORK, 1);
    setopt("TCP_CORK", l, TCP_CORK, 0);
    setopt("TCP_INQ", l, TCP_INQ, 2);
    short tiny = 1;
    r = setsockopt(l, IPPROTO_TCP, TCP_NODELAY, &tiny, sizeof tiny);
    printf("short optlen: %d %s\n", r, strerror(errno));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 7);
    getsockname(l, (struct sockaddr *)&a, &al);
    struct tcp_info ti;
    socklen_t tl = sizeof ti;
    getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &tl);
    printf("listener: state %u backlog %u queued %u\n", ti.tcpi_state, ti.tcpi_sacked, ti.tcpi_unacked);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    tl = sizeof ti;
    getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &tl);
    printf("listener with one pending: queued %u\n", ti.tcpi_unacked);
    int s = accept(l, NULL, NULL);
    info("client", c);
    info("server", s);
    write(c, "ping", 4);
    char buf[8];
    read(s, buf, 4);
    info("client after data", c);
    /* TCP_INFO with a short buffer gives what fits */
    unsigned char small[4];
    socklen_t sl = sizeof small;
    r = getsockopt(c, IPPROTO_TCP, TCP_INFO, small, &sl);
    printf("short TCP_INFO: %d len %d state %u\n", r, sl, small[0]);
    shutdown(c, SHUT_WR);
    read(s, buf, sizeof buf);
    info("server after peer shutdown", s);
    close(s);
    read(c, buf, sizeof buf);
    info("client after both", c);
    close(c);
    close(l);
    /* ECN negotiation follows net.ipv4.tcp_ecn: by default (2) it is accepted, never asked for. */
    return 0;
}
