/* NETLINK_ROUTE for IPv6 (changes need CAP_NET_ADMIN and would change the host under qemu): an
 * address added and removed on lo with the notifications a subscriber of RTNLGRP_IPV6_IFADDR
 * and RTNLGRP_IPV6_ROUTE gets, its effect on bind(), address and route dumps, a route added and
 * removed, a route lookup. The expected output is Linux's (run natively in `unshare -n` with lo
 * up): addrconf.c (inet6_rtm_newaddr: the prefix route, the address tentative, then after DAD,
 * which is immediate on lo, the address again and its local route; EEXIST, EADDRNOTAVAIL) and
 * route.c (rt6_fill_node, inet6_rtm_getroute). */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char buf[32768];
static int seq = 100;

static void addattr(struct nlmsghdr *n, int type, const void *data, int len) {
    struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void show(struct nlmsghdr *h) {
    char s[64] = "-";
    if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
        struct ifaddrmsg *i = NLMSG_DATA(h);
        int len = IFA_PAYLOAD(h);
        unsigned flags = i->ifa_flags;
        for (struct rtattr *a = IFA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
            if (a->rta_type == IFA_ADDRESS) inet_ntop(i->ifa_family, RTA_DATA(a), s, sizeof s);
            if (a->rta_type == IFA_FLAGS) flags = *(unsigned *)RTA_DATA(a);
        }
        printf("  %s family %d %s/%d scope %d flags 0x%x index %d\n", h->nlmsg_type == RTM_NEWADDR ? "newaddr" : "deladdr",
               i->ifa_family, s, i->ifa_prefixlen, i->ifa_scope, flags, i->ifa_index);
    } else if (h->nlmsg_type == RTM_NEWROUTE || h->nlmsg_type == RTM_DELROUTE) {
        struct rtmsg *r = NLMSG_DATA(h);
        int len = RTM_PAYLOAD(h);
        char src[64] = "-", pref[64] = "-";
        int oif = 0, prio = -1, table = 0, rpref = -1;
        for (struct rtattr *a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
            if (a->rta_type == RTA_DST) inet_ntop(r->rtm_family, RTA_DATA(a), s, sizeof s);
            if (a->rta_type == RTA_SRC) inet_ntop(r->rtm_family, RTA_DATA(a), src, sizeof src);
            if (a->rta_type == RTA_PREFSRC) inet_ntop(r->rtm_family, RTA_DATA(a), pref, sizeof pref);
            if (a->rta_type == RTA_OIF) oif = *(int *)RTA_DATA(a);
            if (a->rta_type == RTA_PRIORITY) prio = *(int *)RTA_DATA(a);
            if (a->rta_type == RTA_TABLE) table = *(int *)RTA_DATA(a);
            if (a->rta_type == RTA_PREF) rpref = *(unsigned char *)RTA_DATA(a);
        }
        printf("  %s family %d %s/%d from %s/%d type %d table %d/%d proto %d scope %d flags 0x%x oif %d metric %d prefsrc %s pref %d\n",
               h->nlmsg_type == RTM_NEWROUTE ? "newroute" : "delroute", r->rtm_family, s, r->rtm_dst_len, src, r->rtm_src_len,
               r->rtm_type, r->rtm_table, table, r->rtm_protocol, r->rtm_scope, r->rtm_flags, oif, prio, pref, rpref);
    } else {
        printf("  type %d\n", h->nlmsg_type);
    }
}

/* Sends n (with NLM_F_ACK unless it is a dump) and prints what comes back; returns the error or 0. */
static int talk(int fd, struct nlmsghdr *n) {
    int dump = (n->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    n->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
    n->nlmsg_seq = ++seq;
    if (send(fd, n, n->nlmsg_len, 0) < 0) return -errno;
    for (;;) {
        int len = recv(fd, buf, sizeof buf, 0);
        if (len < 0) return -1000 - errno;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != (unsigned)seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
            if (h->nlmsg_type == NLMSG_DONE) return *(int *)NLMSG_DATA(h);
            show(h);
        }
    }
}

/* Prints the subscriber's next n notifications. */
static void notes(int fd, int n) {
    while (n > 0) {
        int len = recv(fd, buf, sizeof buf, 0);
        if (len < 0) {
            printf("  recv: %d\n", -errno);
            return;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len), n--) show(h);
    }
}

static int addr6(int fd, int type, int flags, const char *ip, int plen) {
    struct { struct nlmsghdr n; struct ifaddrmsg i; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.i);
    r.n.nlmsg_type = type;
    r.n.nlmsg_flags = flags;
    r.i.ifa_family = AF_INET6;
    r.i.ifa_prefixlen = plen;
    r.i.ifa_index = 1;
    struct in6_addr in;
    inet_pton(AF_INET6, ip, &in);
    addattr(&r.n, IFA_LOCAL, &in, 16);
    return talk(fd, &r.n);
}

static int route6(int fd, int type, int flags, const char *dst, int plen) {
    struct { struct nlmsghdr n; struct rtmsg r; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.r);
    r.n.nlmsg_type = type;
    r.n.nlmsg_flags = flags;
    r.r.rtm_family = AF_INET6;
    r.r.rtm_dst_len = plen;
    r.r.rtm_table = RT_TABLE_MAIN;
    r.r.rtm_protocol = RTPROT_BOOT;
    r.r.rtm_scope = RT_SCOPE_UNIVERSE;
    r.r.rtm_type = type == RTM_NEWROUTE ? RTN_UNICAST : 0;
    struct in6_addr in;
    inet_pton(AF_INET6, dst, &in);
    addattr(&r.n, RTA_DST, &in, 16);
    int one = 1;
    addattr(&r.n, RTA_OIF, &one, 4);
    return talk(fd, &r.n);
}

static int dump(int fd, int type, int family) {
    struct { struct nlmsghdr n; struct rtmsg r; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(type == RTM_GETADDR ? sizeof(struct ifaddrmsg) : sizeof r.r);
    r.n.nlmsg_type = type;
    r.n.nlmsg_flags = NLM_F_DUMP;
    r.r.rtm_family = family;
    return talk(fd, &r.n);
}

static int get6(int fd, const char *dst) {
    struct { struct nlmsghdr n; struct rtmsg r; char a[64]; } r;
    memset(&r, 0, sizeof r);
    r.n.nlmsg_len = NLMSG_LENGTH(sizeof r.r);
    r.n.nlmsg_type = RTM_GETROUTE;
    r.r.rtm_family = AF_INET6;
    struct in6_addr in;
    inet_pton(AF_INET6, dst, &in);
    addattr(&r.n, RTA_DST, &in, 16);
    return talk(fd, &r.n);
}

static int bind6(const char *ip) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    int r = bind(s, (struct sockaddr *)&a, sizeof a) < 0 ? -errno : 0;
    close(s);
    return r;
}

int main(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    int mon = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    bind(fd, (struct sockaddr *)&sa, sizeof sa);
    sa.nl_groups = 1u << (RTNLGRP_IPV6_IFADDR - 1) | 1u << (RTNLGRP_IPV6_ROUTE - 1);
    bind(mon, (struct sockaddr *)&sa, sizeof sa);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(mon, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("bind 2001:db8::1: %d\n", bind6("2001:db8::1"));
    printf("dump addr inet6: %d\n", dump(fd, RTM_GETADDR, AF_INET6));
    printf("dump route inet6: %d\n", dump(fd, RTM_GETROUTE, AF_INET6));
    printf("get ::1: %d\n", get6(fd, "::1"));
    printf("get 2001:db8::5: %d\n", get6(fd, "2001:db8::5"));

    printf("newaddr 2001:db8::1/64: %d\n", addr6(fd, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "2001:db8::1", 64));
    notes(mon, 4); /* prefix route, tentative address, address after DAD, local route */
    printf("bind 2001:db8::1: %d\n", bind6("2001:db8::1"));
    printf("newaddr again: %d\n", addr6(fd, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "2001:db8::1", 64));
    printf("dump addr unspec: %d\n", dump(fd, RTM_GETADDR, AF_UNSPEC));
    printf("dump route inet6: %d\n", dump(fd, RTM_GETROUTE, AF_INET6));
    printf("get 2001:db8::5: %d\n", get6(fd, "2001:db8::5"));
    printf("deladdr: %d\n", addr6(fd, RTM_DELADDR, 0, "2001:db8::1", 64));
    notes(mon, 3);
    printf("deladdr again: %d\n", addr6(fd, RTM_DELADDR, 0, "2001:db8::1", 64));
    printf("bind 2001:db8::1: %d\n", bind6("2001:db8::1"));

    printf("newroute 2001:db8:1::/48: %d\n", route6(fd, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "2001:db8:1::", 48));
    notes(mon, 1);
    printf("newroute again: %d\n", route6(fd, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "2001:db8:1::", 48));
    printf("dump route inet6: %d\n", dump(fd, RTM_GETROUTE, AF_INET6));
    printf("delroute: %d\n", route6(fd, RTM_DELROUTE, 0, "2001:db8:1::", 48));
    notes(mon, 1);
    printf("delroute again: %d\n", route6(fd, RTM_DELROUTE, 0, "2001:db8:1::", 48));
    return 0;
}
