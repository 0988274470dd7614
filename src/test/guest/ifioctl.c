/* The interface ioctls on sockets of each family (busybox ifconfig, if_nametoindex): lo's
 * name, index, flags, MTU, hardware address, queue length and IPv4 addresses. Only lo's data is
 * printed (the host has other devices); nothing is changed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
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

static void lo_info(int s, const char *fam) {
    struct ifreq r;
    printf("-- %s socket\n", fam);
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "lo");
    result("SIOCGIFINDEX", ioctl(s, SIOCGIFINDEX, &r));
    printf("ifindex %d\n", r.ifr_ifindex);
    memset(&r, 0, sizeof r);
    r.ifr_ifindex = 1;
    result("SIOCGIFNAME 1", ioctl(s, SIOCGIFNAME, &r));
    printf("name %s\n", r.ifr_name);
    strcpy(r.ifr_name, "lo");
    result("SIOCGIFFLAGS", ioctl(s, SIOCGIFFLAGS, &r));
    printf("flags %#x\n", r.ifr_flags & 0xffff);
    result("SIOCGIFMTU", ioctl(s, SIOCGIFMTU, &r));
    printf("mtu %d\n", r.ifr_mtu);
    result("SIOCGIFTXQLEN", ioctl(s, SIOCGIFTXQLEN, &r));
    printf("qlen %d\n", r.ifr_qlen);
    result("SIOCGIFMETRIC", ioctl(s, SIOCGIFMETRIC, &r));
    printf("metric %d\n", r.ifr_metric);
    memset(&r.ifr_hwaddr, 0x55, sizeof r.ifr_hwaddr);
    result("SIOCGIFHWADDR", ioctl(s, SIOCGIFHWADDR, &r));
    unsigned char *h = (unsigned char *)r.ifr_hwaddr.sa_data;
    printf("hw family %d addr %02x:%02x:%02x:%02x:%02x:%02x rest %02x\n", r.ifr_hwaddr.sa_family, h[0], h[1], h[2], h[3],
           h[4], h[5], h[6]);
    int cmds[] = {SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR};
    const char *names[] = {"SIOCGIFADDR", "SIOCGIFNETMASK", "SIOCGIFBRDADDR", "SIOCGIFDSTADDR"};
    for (int i = 0; i < 4; i++) {
        memset(&r.ifr_addr, 0, sizeof r.ifr_addr);
        long rc = ioctl(s, cmds[i], &r);
        result(names[i], rc);
        if (rc == 0) printf("  family %d %s\n", r.ifr_addr.sa_family, inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
    }
    strcpy(r.ifr_name, "nosuch0");
    result("SIOCGIFFLAGS nosuch0", ioctl(s, SIOCGIFFLAGS, &r));
    result("SIOCGIFADDR nosuch0", ioctl(s, SIOCGIFADDR, &r));
    r.ifr_ifindex = 100000;
    result("SIOCGIFNAME 100000", ioctl(s, SIOCGIFNAME, &r));
    strcpy(r.ifr_name, "lo:0");
    result("SIOCGIFFLAGS lo:0", ioctl(s, SIOCGIFFLAGS, &r));
    result("SIOCGIFADDR lo:0", ioctl(s, SIOCGIFADDR, &r));
}

int main(void) {
    int s4 = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0), su = socket(AF_UNIX, SOCK_DGRAM, 0);
    lo_info(s4, "AF_INET");
    lo_info(s6, "AF_INET6");
    lo_info(su, "AF_UNIX");

    /* SIOCGIFCONF: the length needed, then room for one entry, which is lo's (ifindex 1 comes first). */
    struct ifconf ic = {.ifc_len = 0, .ifc_buf = NULL};
    result("SIOCGIFCONF NULL", ioctl(s4, SIOCGIFCONF, &ic));
    printf("length needed is a multiple of 40 and at least 40: %d\n", ic.ifc_len >= 40 && ic.ifc_len % 40 == 0);
    struct ifreq one[2];
    ic.ifc_len = sizeof one[0] + 10;
    ic.ifc_req = one;
    result("SIOCGIFCONF one", ioctl(s4, SIOCGIFCONF, &ic));
    printf("len %d name %s family %d addr %s\n", ic.ifc_len, one[0].ifr_name, one[0].ifr_addr.sa_family,
           inet_ntoa(((struct sockaddr_in *)&one[0].ifr_addr)->sin_addr));
    ic.ifc_len = 10;
    result("SIOCGIFCONF too small", ioctl(su, SIOCGIFCONF, &ic));
    printf("len %d\n", ic.ifc_len);

    printf("if_nametoindex lo %u, if_indextoname 1 %s\n", if_nametoindex("lo"), if_indextoname(1, (char[IF_NAMESIZE]){0}));
    errno = 0;
    printf("if_nametoindex nosuch0 %u %s\n", if_nametoindex("nosuch0"), strerror(errno));

    /* The setters need CAP_NET_ADMIN; root has it, so they are not tried here (they would change the host). */
    int n;
    result("FIONREAD on an empty UDP socket", ioctl(s4, FIONREAD, &n));
    printf("n %d\n", n);
    result("a tty ioctl on a socket", ioctl(s4, TCGETS, &n) < 0 ? -1 : 0);
    return 0;
}
