/* UDP-Lite beyond what qemu-user can show: the options at level SOL_UDPLITE (qemu-user does not
 * pass that level through), hand-made UDP-Lite datagrams through a raw socket (a coverage
 * under 8 or beyond the datagram, a zero or wrong checksum: dropped; a coverage shorter than
 * the datagram with the bytes after it damaged: delivered) and the UdpLite line of
 * /proc/net/snmp. The expected output is the host kernel's, from this program compiled natively
 * and run in a private network namespace: unshare -rn sh -c 'ip link set lo up; ./udplite_kava'. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOL_UDPLITE 136
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

/* The UdpLite line of /proc/net/snmp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors. */
static void snmp(long v[7]) {
    FILE *f = fopen("/proc/net/snmp", "r");
    char line[512];
    int seen = 0;
    memset(v, 0, 7 * sizeof *v);
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "UdpLite: ", 9) != 0) continue;
        if (seen++ == 0) continue; /* the names */
        sscanf(line + 9, "%ld %ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]);
    }
    if (f) fclose(f);
}

static unsigned short csum(const unsigned char *p, int len, unsigned long sum) {
    for (int i = 0; i + 1 < len; i += 2) sum += (p[i] << 8) | p[i + 1];
    if (len & 1) sum += p[len - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned short)~sum;
}

/* A UDP-Lite datagram from 127.0.0.1:sport to 127.0.0.1:dport with a coverage field and a
 * checksum over cov bytes (a checksum of -1: compute it; otherwise that value). */
static void send_raw(int raw, int sport, int dport, int len, int covfield, int cov, int check) {
    unsigned char d[200];
    memset(d, 0, sizeof d);
    d[0] = sport >> 8, d[1] = sport, d[2] = dport >> 8, d[3] = dport;
    d[4] = covfield >> 8, d[5] = covfield;
    for (int i = 8; i < len; i++) d[i] = 'a' + i % 26;
    if (check < 0) {
        /* pseudo-header: 127.0.0.1 twice, protocol, the whole length */
        unsigned long sum = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 136 + len;
        check = csum(d, cov, sum);
        if (check == 0) check = 0xffff;
    }
    d[6] = check >> 8, d[7] = check;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (sendto(raw, d, len, 0, (struct sockaddr *)&to, sizeof to) != len) printf("raw send: %s\n", strerror(errno));
}

static long last[7];

/* Whether a datagram arrived within 100 ms (its length, or -1), and the counters that moved. */
static int got(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) return -1;
    char buf[256];
    return (int)recv(fd, buf, sizeof buf, MSG_DONTWAIT);
}

static void counters(void) {
    long now[7];
    snmp(now);
    printf(" (InDatagrams +%ld InErrors +%ld InCsumErrors +%ld)\n", now[0] - last[0], now[2] - last[2], now[6] - last[6]);
    memcpy(last, now, sizeof last);
}

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    int rc = setopt_int(s, SOL_UDPLITE, UDPLITE_SEND_CSCOV, 3);
    printf("SOL_UDPLITE set send 3: %d get %d\n", rc, getopt_int(s, SOL_UDPLITE, UDPLITE_SEND_CSCOV));
    rc = setopt_int(s, SOL_UDPLITE, UDPLITE_RECV_CSCOV, -5);
    printf("SOL_UDPLITE set recv -5: %d get %d\n", rc, getopt_int(s, SOL_UDPLITE, UDPLITE_RECV_CSCOV));
    printf("SOL_UDPLITE short optlen: %d\n", setsockopt(s, SOL_UDPLITE, UDPLITE_SEND_CSCOV, "", 1) < 0 ? -errno : 0);
    printf("SOL_UDPLITE unknown option: %d\n", setopt_int(s, SOL_UDPLITE, 99, 1));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    rc = setopt_int(u, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 20);
    printf("udp socket SOL_UDPLITE set: %d get %d\n", rc, getopt_int(u, SOL_UDPLITE, UDPLITE_RECV_CSCOV));
    close(u);
    close(s);

    int r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(r, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(r, (struct sockaddr *)&a, &al);
    int port = ntohs(a.sin_port);
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDPLITE);
    if (raw < 0) {
        printf("raw socket: %s\n", strerror(errno));
        return 1;
    }
    long b[7], e[7];
    snmp(b);
    memcpy(last, b, sizeof last);
    send_raw(raw, 4000, port, 60, 0, 60, -1);
    printf("full coverage: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 20, 20, -1);
    printf("coverage 20: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 4, 4, -1);
    printf("coverage 4: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 61, 60, -1);
    printf("coverage 61 of 60: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 0, 60, 0);
    printf("zero checksum: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 0, 60, 0x1234);
    printf("wrong checksum: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 8, 8, -1);
    printf("coverage 8: %d", got(r));
    counters();
    setopt_int(r, SOL_UDPLITE, UDPLITE_RECV_CSCOV, 30);
    send_raw(raw, 4000, port, 60, 20, 20, -1);
    printf("coverage 20, recv 30: %d", got(r));
    counters();
    send_raw(raw, 4000, port, 60, 30, 30, -1);
    printf("coverage 30, recv 30: %d", got(r));
    counters();
    send_raw(raw, 4000, port + 1 == 65536 ? 1 : port + 1, 60, 0, 60, -1);
    snmp(e);
    const char *names[] = {"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors", "SndbufErrors", "InCsumErrors"};
    for (int i = 0; i < 7; i++) printf("UdpLite %s +%ld\n", names[i], e[i] - b[i]);
    return 0;
}
