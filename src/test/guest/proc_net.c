/* /proc/net: the udp, udp6, raw and unix tables show this process's sockets (found by inode;
 * the host has others), lo in dev and if_inet6, and the headers of route and snmp. Columns
 * that differ between kernels by design (hash buckets, pointers, reference counts) are not
 * printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static unsigned long ino(int fd) {
    struct stat st;
    fstat(fd, &st);
    return st.st_ino;
}

/* Prints the line of path whose inode column (field 10 of the inet tables) is inode. */
static void inet_line(const char *path, unsigned long inode, int port, int rport) {
    FILE *f = fopen(path, "r");
    char line[512];
    if (!fgets(line, sizeof line, f)) return;
    printf("%s header: [%s]\n", path, strtok(line, "\n"));
    while (fgets(line, sizeof line, f)) {
        char local[64], remote[64], txrx[32], trtm[32];
        unsigned st, retr, uid, timeout, drops, ref;
        unsigned long in;
        char ptr[32];
        int sl;
        int n = sscanf(line, "%d: %63s %63s %x %31s %31s %x %u %u %lu %u %31s %u", &sl, local, remote, &st, txrx, trtm,
                       &retr, &uid, &timeout, &in, &ref, ptr, &drops);
        if (n != 13 || in != inode) continue;
        char *colon = strrchr(local, ':');
        int lport = (int)strtol(colon + 1, NULL, 16);
        *colon = 0;
        colon = strrchr(remote, ':');
        int rp = (int)strtol(colon + 1, NULL, 16);
        *colon = 0;
        printf("  local %s port ok %d remote %s port ok %d st %02X queues %s %s retr %u uid %u timeout %u drops %u ptrlen %zu\n",
               local, lport == port, remote, rp == rport, st, txrx, trtm, retr, uid, timeout, drops, strlen(ptr));
    }
    fclose(f);
}

static int port_of(int s) {
    struct sockaddr_in6 a;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    return ntohs(a.sin6_port);
}

int main(void) {
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bind(u, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(u, (struct sockaddr *)&a, &al);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    send(c, "12345", 5, 0);
    inet_line("/proc/net/udp", ino(u), port_of(u), 0);
    inet_line("/proc/net/udp", ino(c), port_of(c), port_of(u));

    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bind(u6, (struct sockaddr *)&a6, sizeof a6);
    inet_line("/proc/net/udp6", ino(u6), port_of(u6), 0);
    int d6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any = {.sin6_family = AF_INET6};
    bind(d6, (struct sockaddr *)&any, sizeof any);
    inet_line("/proc/net/udp6", ino(d6), port_of(d6), 0);
    inet_line("/proc/net/udp", ino(d6), port_of(d6), 0);

    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    inet_line("/proc/net/raw", ino(r), 1, 0);
    int r6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    inet_line("/proc/net/raw6", ino(r6), 58, 0);

    /* unix: an abstract listener and a socketpair */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path + 1, sizeof un.sun_path - 1, "kava-proc-net-%d", getpid());
    bind(l, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 1 + strlen(un.sun_path + 1));
    listen(l, 1);
    int sp[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sp);
    FILE *f;
    char line[512];
    /* Linux lists sockets in hash order: look for each in turn. */
    unsigned long want[2] = {ino(l), ino(sp[0])};
    for (int w = 0; w < 2; w++) {
    f = fopen("/proc/net/unix", "r");
    fgets(line, sizeof line, f);
    if (w == 0) printf("unix header: %s", line);
    while (fgets(line, sizeof line, f)) {
        char num[32], path[256] = "";
        unsigned ref, proto, flags, type, st;
        unsigned long in;
        int n = sscanf(line, "%31s %x %x %x %x %x %lu %255s", num, &ref, &proto, &flags, &type, &st, &in, path);
        if (n < 7) continue;
        if (in != want[w]) continue;
        char *pid = strstr(path, "-proc-net-");
        if (pid) strcpy(pid, "-proc-net-PID");
        printf("  proto %x flags %08X type %04X st %02X path [%s] numlen %zu\n", proto, flags, type, st, path, strlen(num));
    }
    fclose(f);
    }

    /* dev: the header and that lo has a line of 16 counters */
    f = fopen("/proc/net/dev", "r");
    fgets(line, sizeof line, f);
    printf("dev: %s", line);
    fgets(line, sizeof line, f);
    printf("dev: %s", line);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "    lo:", 7)) continue;
        unsigned long long v[16];
        int n = sscanf(line + 7, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                       &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
                       &v[15]);
        printf("lo counters %d, rx bytes == tx bytes %d, packets too %d\n", n, v[0] == v[8], v[1] == v[9]);
    }
    fclose(f);

    f = fopen("/proc/net/if_inet6", "r");
    while (fgets(line, sizeof line, f)) if (strstr(line, " lo\n")) printf("if_inet6: %s", line);
    fclose(f);
    f = fopen("/proc/net/route", "r");
    fgets(line, sizeof line, f);
    printf("route header length %zu: %.60s\n", strlen(line), line);
    fclose(f);
    f = fopen("/proc/net/snmp", "r");
    while (fgets(line, sizeof line, f)) {
        char *sp1 = strchr(line, ' ');
        /* The Tcp group comes with TCP. */
        if (sp1 && (sp1[1] < '0' || sp1[1] > '9') && strncmp(line, "IcmpMsg", 7) && strncmp(line, "Tcp:", 4))
            printf("snmp: %s", line);
    }
    fclose(f);
    return 0;
}
