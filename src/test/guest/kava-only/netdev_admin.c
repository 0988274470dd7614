/* Changing lo as root through ioctls: its MTU (and the fragmentation a small MTU brings, IPv4
 * and IPv6), bringing it down and up, an alias address, and the permission checks. qemu-user
 * cannot be the oracle without changing the host; the expected output is Linux's, from
 *   unshare -n sh -c 'ip link set lo up; qemu-riscv64-static ./netdev_admin'
 * (a private network namespace, as root). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int ctl;

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long io(int cmd, const char *name, struct ifreq *r) {
    strcpy(r->ifr_name, name);
    return ioctl(ctl, cmd, r);
}

/* The Ip: counters of /proc/net/snmp by name. */
static long snmp(const char *name) {
    FILE *f = fopen("/proc/net/snmp", "r");
    char h[2048], v[2048];
    long out = -1;
    while (fgets(h, sizeof h, f) && fgets(v, sizeof v, f)) {
        if (strncmp(h, "Ip: ", 4)) continue;
        char *sh, *sv;
        char *th = strtok_r(h, " \n", &sh), *tv = strtok_r(v, " \n", &sv);
        while ((th = strtok_r(NULL, " \n", &sh)) && (tv = strtok_r(NULL, " \n", &sv)))
            if (!strcmp(th, name)) out = atol(tv);
    }
    fclose(f);
    return out;
}

static void big_udp(int family, int size, int dontfrag) {
    int r = socket(family, SOCK_DGRAM, 0), s = socket(family, SOCK_DGRAM, 0);
    struct timeval tv = {2, 0};
    setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_storage a = {0};
    socklen_t al;
    if (family == AF_INET) {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
        a4->sin_family = AF_INET;
        inet_pton(AF_INET, "127.0.0.1", &a4->sin_addr);
        al = sizeof *a4;
        if (dontfrag) setsockopt(s, SOL_IP, IP_MTU_DISCOVER, &(int){IP_PMTUDISC_DO}, sizeof(int));
    } else {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a;
        a6->sin6_family = AF_INET6;
        a6->sin6_addr = in6addr_loopback;
        al = sizeof *a6;
        if (dontfrag) setsockopt(s, IPPROTO_IPV6, IPV6_DONTFRAG, &(int){1}, sizeof(int));
    }
    bind(r, (struct sockaddr *)&a, al);
    getsockname(r, (struct sockaddr *)&a, &al);
    static char buf[70000], in[70000];
    for (int i = 0; i < size; i++) buf[i] = (char)(i * 7);
    long fo = snmp("FragOKs"), fc = snmp("FragCreates"), ro = snmp("ReasmOKs");
    char what[64];
    snprintf(what, sizeof what, "%s send %d%s", family == AF_INET ? "IPv4" : "IPv6", size, dontfrag ? " DF" : "");
    result(what, sendto(s, buf, size, 0, (struct sockaddr *)&a, al));
    if (!dontfrag) {
        long n = recv(r, in, sizeof in, 0);
        printf("  received %ld intact %d\n", n, n == size && !memcmp(buf, in, size));
        if (family == AF_INET)
            printf("  FragOKs +%ld FragCreates +%ld ReasmOKs +%ld\n", snmp("FragOKs") - fo, snmp("FragCreates") - fc,
                   snmp("ReasmOKs") - ro);
    }
    close(r);
    close(s);
}

int main(void) {
    ctl = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    io(SIOCGIFFLAGS, "lo", &r);
    printf("flags %#x\n", r.ifr_flags & 0xffff);

    /* MTU */
    r.ifr_mtu = 1500;
    result("SIOCSIFMTU 1500", io(SIOCSIFMTU, "lo", &r));
    io(SIOCGIFMTU, "lo", &r);
    printf("mtu %d\n", r.ifr_mtu);
    big_udp(AF_INET, 1000, 0);
    big_udp(AF_INET, 5000, 0);
    big_udp(AF_INET, 65507, 0);
    big_udp(AF_INET, 5000, 1);
    big_udp(AF_INET6, 5000, 0);
    big_udp(AF_INET6, 65527, 0);
    /* IPV6_DONTFRAG (EMSGSIZE here, as on Linux) is left out: qemu-user does not pass the option on. */
    /* lo has no MTU bounds; below 68 IPv4 lets go of it (its addresses go), below 1280 IPv6 does. */
    r.ifr_mtu = 70000;
    result("SIOCSIFMTU 70000", io(SIOCSIFMTU, "lo", &r));
    r.ifr_mtu = 10;
    result("SIOCSIFMTU 10", io(SIOCSIFMTU, "lo", &r));
    r.ifr_mtu = -1;
    result("SIOCSIFMTU -1", io(SIOCSIFMTU, "lo", &r));
    result("SIOCGIFADDR with MTU 10", io(SIOCGIFADDR, "lo", &r));
    r.ifr_mtu = 65536;
    result("SIOCSIFMTU 65536", io(SIOCSIFMTU, "lo", &r));
    result("SIOCGIFADDR back at 65536", io(SIOCGIFADDR, "lo", &r));
    r.ifr_qlen = 500;
    result("SIOCSIFTXQLEN 500", io(SIOCSIFTXQLEN, "lo", &r));
    io(SIOCGIFTXQLEN, "lo", &r);
    printf("qlen %d\n", r.ifr_qlen);
    r.ifr_qlen = -1;
    result("SIOCSIFTXQLEN -1", io(SIOCSIFTXQLEN, "lo", &r));

    /* Down: the local routes go, so does sending; up again brings them back. */
    io(SIOCGIFFLAGS, "lo", &r);
    r.ifr_flags &= ~IFF_UP;
    result("lo down", io(SIOCSIFFLAGS, "lo", &r));
    io(SIOCGIFFLAGS, "lo", &r);
    printf("flags %#x\n", r.ifr_flags & 0xffff);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in lo = {.sin_family = AF_INET, .sin_port = htons(9)};
    inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);
    result("send to 127.0.0.1 while down", sendto(u, "x", 1, 0, (struct sockaddr *)&lo, sizeof lo));
    result("bind 127.0.0.1 while down", bind(socket(AF_INET, SOCK_DGRAM, 0), (struct sockaddr *)&lo, sizeof lo));
    result("SIOCGIFADDR while down", io(SIOCGIFADDR, "lo", &r));
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 lo6 = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    result("send to ::1 while down", sendto(u6, "x", 1, 0, (struct sockaddr *)&lo6, sizeof lo6));
    io(SIOCGIFFLAGS, "lo", &r);
    r.ifr_flags |= IFF_UP;
    result("lo up", io(SIOCSIFFLAGS, "lo", &r));
    memset(&r.ifr_addr, 0, sizeof r.ifr_addr);
    result("SIOCGIFADDR after up (lo gets 127.0.0.1 back)", io(SIOCGIFADDR, "lo", &r));
    printf("  %s\n", inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
    result("send to 127.0.0.1 again", sendto(u, "x", 1, 0, (struct sockaddr *)&lo, sizeof lo));
    result("send to ::1 again", sendto(u6, "x", 1, 0, (struct sockaddr *)&lo6, sizeof lo6));

    /* An alias address */
    struct sockaddr_in *sin = (struct sockaddr_in *)&r.ifr_addr;
    memset(&r, 0, sizeof r);
    sin->sin_family = AF_INET;
    inet_pton(AF_INET, "10.9.8.7", &sin->sin_addr);
    result("SIOCSIFADDR lo:1 10.9.8.7", io(SIOCSIFADDR, "lo:1", &r));
    const int cmds[] = {SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR};
    for (int i = 0; i < 3; i++) {
        memset(&r.ifr_addr, 0, sizeof r.ifr_addr);
        long rc = io(cmds[i], "lo:1", &r);
        if (rc < 0) result("get", rc);
        else printf("lo:1 %d: %s\n", i, inet_ntoa(sin->sin_addr));
    }
    inet_pton(AF_INET, "255.255.0.0", &sin->sin_addr);
    sin->sin_family = AF_INET;
    result("SIOCSIFNETMASK lo:1", io(SIOCSIFNETMASK, "lo:1", &r));
    io(SIOCGIFNETMASK, "lo:1", &r);
    printf("netmask %s\n", inet_ntoa(sin->sin_addr));
    inet_pton(AF_INET, "255.0.255.0", &sin->sin_addr);
    result("SIOCSIFNETMASK non-contiguous", io(SIOCSIFNETMASK, "lo:1", &r));
    struct ifreq all[8];
    struct ifconf ic = {.ifc_len = sizeof all, .ifc_req = all};
    ioctl(ctl, SIOCGIFCONF, &ic);
    for (int i = 0; i < ic.ifc_len / (int)sizeof all[0]; i++)
        printf("ifconf %s %s\n", all[i].ifr_name, inet_ntoa(((struct sockaddr_in *)&all[i].ifr_addr)->sin_addr));
    struct sockaddr_in al = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.9.8.7", &al.sin_addr);
    int b = socket(AF_INET, SOCK_DGRAM, 0);
    result("bind 10.9.8.7", bind(b, (struct sockaddr *)&al, sizeof al));
    inet_pton(AF_INET, "10.9.200.1", &al.sin_addr);
    result("bind 10.9.200.1 (in the prefix, on lo)", bind(socket(AF_INET, SOCK_DGRAM, 0), (struct sockaddr *)&al, sizeof al));
    memset(&r, 0, sizeof r);
    result("SIOCSIFFLAGS lo:1 down (remove)", io(SIOCSIFFLAGS, "lo:1", &r));
    result("SIOCGIFADDR lo:1 after", io(SIOCGIFADDR, "lo:1", &r));
    result("bind 10.9.8.7 after", bind(socket(AF_INET, SOCK_DGRAM, 0), (struct sockaddr *)&(struct sockaddr_in){.sin_family = AF_INET,
        .sin_addr.s_addr = htonl(0x0a090807)}, sizeof(struct sockaddr_in)));
    memset(&r, 0, sizeof r);
    sin->sin_family = AF_INET;
    inet_pton(AF_INET, "224.0.0.1", &sin->sin_addr);
    result("SIOCSIFADDR multicast", io(SIOCSIFADDR, "lo:2", &r));
    sin->sin_family = AF_INET6;
    result("SIOCSIFADDR wrong family", io(SIOCSIFADDR, "lo:2", &r));
    result("SIOCSIFADDR no such device", io(SIOCSIFADDR, "nosuch0", &r));

    /* Without CAP_NET_ADMIN */
    if (setuid(65534) < 0) perror("setuid");
    io(SIOCGIFFLAGS, "lo", &r);
    result("SIOCSIFFLAGS as nobody", io(SIOCSIFFLAGS, "lo", &r));
    r.ifr_mtu = 1500;
    result("SIOCSIFMTU as nobody", io(SIOCSIFMTU, "lo", &r));
    result("SIOCSIFADDR as nobody", io(SIOCSIFADDR, "lo:3", &r));
    result("SIOCGIFMTU as nobody", io(SIOCGIFMTU, "lo", &r));
    return 0;
}
