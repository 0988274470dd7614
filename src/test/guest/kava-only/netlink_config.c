/* NETLINK_ROUTE changes (they need CAP_NET_ADMIN and would change the host under qemu): an
 * address, the MTU, lo down and up, a route, with the notifications a subscriber gets and the
 * effect on the stack (route lookups, SIOCGIFMTU/SIOCGIFFLAGS). The expected output follows
 * Linux: devinet.c (inet_rtm_newaddr/deladdr: EEXIST "Address already assigned", EADDRNOTAVAIL),
 * fib_frontend.c (local routes of an address; routes through a device flushed when it goes
 * down), rtnetlink.c (do_setlink: MTU, flags; unknown types EOPNOTSUPP; EPERM without
 * CAP_NET_ADMIN) and route.c (inet_rtm_getroute: ENETUNREACH without a route). */
#include <errno.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[16384];
static int seq = 100;

static void addattr(struct nlmsghdr *n, int type, const void *data, int len) {
    struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Sends n with NLM_F_ACK and returns the ack's error (0 or -errno). */
static int talk(int fd, struct nlmsghdr *n) {
    n->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    n->nlmsg_seq = ++seq;
    if (send(fd, n, n->nlmsg_len, 0) < 0) return -errno;
    for (;;) {
        int len = recv(fd, buf, sizeof buf, 0);
        if (len < 0) return -1000 - errno;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == (unsigned)seq) return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        }
    }
}

static int addr(int fd, int type, int flags, const char *ip, int plen) {
    struct { struct nlmsghdr n; struct ifaddrmsg i; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.i);
    r.n.nlmsg_type = type;
    r.n.nlmsg_flags = flags;
    r.i.ifa_family = AF_INET;
    r.i.ifa_prefixlen = plen;
    r.i.ifa_index = 1;
    struct in_addr in;
    inet_pton(AF_INET, ip, &in);
    addattr(&r.n, IFA_LOCAL, &in, 4);
    addattr(&r.n, IFA_ADDRESS, &in, 4);
    return talk(fd, &r.n);
}

static int link_set(int fd, unsigned flags, unsigned change, int mtu) {
    struct { struct nlmsghdr n; struct ifinfomsg i; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.i);
    r.n.nlmsg_type = RTM_NEWLINK;
    r.i.ifi_index = 1;
    r.i.ifi_flags = flags;
    r.i.ifi_change = change;
    if (mtu) addattr(&r.n, IFLA_MTU, &mtu, 4);
    return talk(fd, &r.n);
}

static int route(int fd, int type, int flags, const char *dst, int plen) {
    struct { struct nlmsghdr n; struct rtmsg r; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.r);
    r.n.nlmsg_type = type;
    r.n.nlmsg_flags = flags;
    r.r.rtm_family = AF_INET;
    r.r.rtm_dst_len = plen;
    r.r.rtm_table = RT_TABLE_MAIN;
    r.r.rtm_protocol = RTPROT_BOOT;
    r.r.rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : RT_SCOPE_LINK;
    r.r.rtm_type = type == RTM_DELROUTE ? 0 : RTN_UNICAST;
    struct in_addr in;
    inet_pton(AF_INET, dst, &in);
    addattr(&r.n, RTA_DST, &in, 4);
    int oif = 1;
    addattr(&r.n, RTA_OIF, &oif, 4);
    return talk(fd, &r.n);
}

/* RTM_GETROUTE for dst: "type N oif N" or the error. */
static void get(int fd, const char *dst) {
    struct { struct nlmsghdr n; struct rtmsg r; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.r);
    r.n.nlmsg_type = RTM_GETROUTE;
    r.n.nlmsg_flags = NLM_F_REQUEST;
    r.n.nlmsg_seq = ++seq;
    r.r.rtm_family = AF_INET;
    struct in_addr in;
    inet_pton(AF_INET, dst, &in);
    addattr(&r.n, RTA_DST, &in, 4);
    send(fd, &r, r.n.nlmsg_len, 0);
    int len = recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    if (len < 0 || h->nlmsg_type == NLMSG_ERROR) {
        printf("get %s: error %d\n", dst, len < 0 ? -errno : ((struct nlmsgerr *)NLMSG_DATA(h))->error);
        return;
    }
    struct rtmsg *m = NLMSG_DATA(h);
    printf("get %s: type %d cloned %d\n", dst, m->rtm_type, (m->rtm_flags & RTM_F_CLONED) != 0);
}

/* Prints and consumes the notifications waiting on the listener. */
static void drain(int fd) {
    int len;
    while ((len = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
                struct ifaddrmsg *a = NLMSG_DATA(h);
                int alen = IFA_PAYLOAD(h);
                char ip[32] = "";
                for (struct rtattr *t = IFA_RTA(a); RTA_OK(t, alen); t = RTA_NEXT(t, alen))
                    if (t->rta_type == IFA_LOCAL) inet_ntop(AF_INET, RTA_DATA(t), ip, sizeof ip);
                printf("  notify %s %s/%d seq-is-request %d\n", h->nlmsg_type == RTM_NEWADDR ? "newaddr" : "deladdr", ip,
                       a->ifa_prefixlen, h->nlmsg_seq == (unsigned)seq);
            } else if (h->nlmsg_type == RTM_NEWLINK) {
                struct ifinfomsg *i = NLMSG_DATA(h);
                printf("  notify newlink %d up %d\n", i->ifi_index, (i->ifi_flags & IFF_UP) != 0);
            } else {
                printf("  notify type %d\n", h->nlmsg_type);
            }
        }
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    int mon = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_LINK };
    bind(mon, (struct sockaddr *)&sa, sizeof sa);

    get(fd, "10.1.2.3");
    printf("newaddr: %d\n", addr(fd, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "10.1.2.3", 24));
    drain(mon);
    get(fd, "10.1.2.3");
    get(fd, "10.1.2.9");
    printf("newaddr again: %d\n", addr(fd, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "10.1.2.3", 24));
    printf("deladdr: %d\n", addr(fd, RTM_DELADDR, 0, "10.1.2.3", 24));
    drain(mon);
    printf("deladdr again: %d\n", addr(fd, RTM_DELADDR, 0, "10.1.2.3", 24));
    get(fd, "10.1.2.3");

    printf("route add: %d\n", route(fd, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "10.9.0.0", 16));
    get(fd, "10.9.1.1");
    printf("route add again: %d\n", route(fd, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "10.9.0.0", 16));
    printf("route bad prefix: %d\n", route(fd, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "10.9.0.1", 16));
    printf("route del: %d\n", route(fd, RTM_DELROUTE, 0, "10.9.0.0", 16));
    printf("route del again: %d\n", route(fd, RTM_DELROUTE, 0, "10.9.0.0", 16));

    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    printf("mtu 1500: %d\n", link_set(fd, 0, 0, 1500));
    ioctl(fd, SIOCGIFMTU, &ifr);
    printf("SIOCGIFMTU: %d\n", ifr.ifr_mtu);
    printf("mtu 65536: %d\n", link_set(fd, 0, 0, 65536));
    drain(mon);
    printf("lo down: %d\n", link_set(fd, 0, IFF_UP, 0));
    ioctl(fd, SIOCGIFFLAGS, &ifr);
    printf("SIOCGIFFLAGS up: %d\n", (ifr.ifr_flags & IFF_UP) != 0);
    get(fd, "127.0.0.1");
    drain(mon);
    printf("lo up: %d\n", link_set(fd, IFF_UP, IFF_UP, 0));
    get(fd, "127.0.0.1");
    drain(mon);

    struct { struct nlmsghdr n; struct ifinfomsg i; } u;
    memset(&u, 0, sizeof u);
    u.n.nlmsg_len = sizeof u;
    u.n.nlmsg_type = 99;
    printf("unknown type: %d\n", talk(fd, &u.n));
    u.n.nlmsg_type = RTM_DELLINK;
    u.i.ifi_index = 1;
    printf("dellink lo: %d\n", talk(fd, &u.n));
    if (setuid(1000) == 0) printf("unprivileged newaddr: %d\n", addr(fd, RTM_NEWADDR, NLM_F_CREATE, "10.1.2.3", 24));
    return 0;
}
