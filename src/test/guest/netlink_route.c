/* AF_NETLINK / NETLINK_ROUTE as glibc and iproute2 use it. Only lo's data is printed: the
 * host qemu forwards to has other interfaces, and those are not kava's. */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[65536];

static int send_req(int fd, int type, int flags, int seq, void *body, int bodylen) {
    struct { struct nlmsghdr h; char b[64]; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(bodylen);
    req.h.nlmsg_type = type;
    req.h.nlmsg_flags = flags;
    req.h.nlmsg_seq = seq;
    memcpy(req.b, body, bodylen);
    struct sockaddr_nl k = { .nl_family = AF_NETLINK };
    return sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof k);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* Socket creation: types and protocols. */
    int fd = socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE);
    printf("stream: %d %s\n", fd, fd < 0 ? strerror(errno) : "");
    fd = socket(AF_NETLINK, SOCK_RAW, 32);
    printf("proto 32: %d %s\n", fd, fd < 0 ? strerror(errno) : "");

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    printf("route socket ok: %d\n", fd >= 0);
    struct sockaddr_nl sa;
    socklen_t sl = sizeof sa;
    memset(&sa, 0xff, sizeof sa);
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    printf("unbound: len %d family %d pid %u groups %u\n", (int)sl, sa.nl_family, sa.nl_pid, sa.nl_groups);
    struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
    printf("bind short: %d %s\n", bind(fd, (struct sockaddr *)&me, 4), strerror(errno));
    printf("bind: %d\n", bind(fd, (struct sockaddr *)&me, sizeof me));
    sl = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    printf("bound: pid is tgid %d groups %u\n", sa.nl_pid == (unsigned)getpid(), sa.nl_groups);
    int fd2 = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    struct sockaddr_nl any = { .nl_family = AF_NETLINK };
    bind(fd2, (struct sockaddr *)&any, sizeof any);
    sl = sizeof sa;
    getsockname(fd2, (struct sockaddr *)&sa, &sl);
    printf("second autobind negative: %d\n", (int)sa.nl_pid < 0);
    struct sockaddr_nl same = { .nl_family = AF_NETLINK, .nl_pid = getpid() };
    int fd3 = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    printf("bind taken pid: %d %s\n", bind(fd3, (struct sockaddr *)&same, sizeof same), strerror(errno));

    int one = 1, v = 0;
    socklen_t vl = sizeof v;
    printf("strict chk set: %d\n", setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one));
    getsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v, &vl);
    printf("strict chk get: %d len %d\n", v, (int)vl);
    int grp = RTNLGRP_IPV4_IFADDR;
    printf("add membership: %d\n", setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof grp));
    grp = 0;
    printf("add membership 0: %d %s\n", setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof grp), strerror(errno));
    unsigned int mem[4] = {0};
    vl = sizeof mem;
    getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, mem, &vl);
    printf("memberships: %08x\n", mem[0]);
    printf("bad level: %d %s\n", setsockopt(fd, SOL_IP, NETLINK_EXT_ACK, &one, sizeof one), strerror(errno));

    /* RTM_GETLINK dump: peek for the size as iproute2 does, then read; print lo. */
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    send_req(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 7, &ifi, sizeof ifi);
    int done = 0, msgs = 0;
    while (!done) {
        struct iovec iov = { NULL, 0 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
        int n = recvmsg(fd, &mh, MSG_PEEK | MSG_TRUNC);
        if (n <= 0) { printf("peek %d\n", n); break; }
        if (!(mh.msg_flags & MSG_TRUNC)) printf("no MSG_TRUNC\n");
        n = recv(fd, buf, sizeof buf, 0);
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                printf("done: seq %u flags %x\n", h->nlmsg_seq, h->nlmsg_flags);
                done = 1;
                break;
            }
            msgs++;
            if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_seq != 7 || !(h->nlmsg_flags & NLM_F_MULTI)) printf("odd message\n");
            struct ifinfomsg *im = NLMSG_DATA(h);
            if (im->ifi_index != 1) continue;
            printf("lo: type %d flags %x\n", im->ifi_type, im->ifi_flags);
            /* Attribute order differs between kernel versions: print in a fixed order. */
            char lname[32] = "", qdisc[32] = "";
            unsigned mtu = 0, txqlen = 0, oper = 9, minmtu = 1, maxmtu = 1, txq = 0;
            int alen = -1, s64 = -1, s32 = -1;
            int len = IFLA_PAYLOAD(h);
            for (struct rtattr *a = IFLA_RTA(im); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                switch (a->rta_type) {
                case IFLA_IFNAME: snprintf(lname, sizeof lname, "%s", (char *)RTA_DATA(a)); break;
                case IFLA_MTU: mtu = *(unsigned *)RTA_DATA(a); break;
                case IFLA_TXQLEN: txqlen = *(unsigned *)RTA_DATA(a); break;
                case IFLA_OPERSTATE: oper = *(unsigned char *)RTA_DATA(a); break;
                case IFLA_QDISC: snprintf(qdisc, sizeof qdisc, "%s", (char *)RTA_DATA(a)); break;
                case IFLA_ADDRESS: alen = RTA_PAYLOAD(a); break;
                case IFLA_MIN_MTU: minmtu = *(unsigned *)RTA_DATA(a); break;
                case IFLA_MAX_MTU: maxmtu = *(unsigned *)RTA_DATA(a); break;
                case IFLA_NUM_TX_QUEUES: txq = *(unsigned *)RTA_DATA(a); break;
                case IFLA_STATS64: s64 = RTA_PAYLOAD(a); break;
                case IFLA_STATS: s32 = RTA_PAYLOAD(a); break;
                }
            }
            printf("  name %s mtu %u txqlen %u operstate %u qdisc %s address len %d\n", lname, mtu, txqlen, oper, qdisc, alen);
            printf("  min_mtu %u max_mtu %u txqueues %u stats64 %d stats %d\n", minmtu, maxmtu, txq, s64, s32);
        }
    }
    printf("links seen: %d\n", msgs > 0);

    /* GETLINK by name, and errors: an unknown device, an unknown message type, a bad header. */
    struct { struct ifinfomsg i; struct rtattr a; char name[4]; } byname;
    memset(&byname, 0, sizeof byname);
    byname.a.rta_type = IFLA_IFNAME;
    byname.a.rta_len = RTA_LENGTH(3);
    strcpy(byname.name, "lo");
    send_req(fd, RTM_GETLINK, NLM_F_REQUEST, 8, &byname, sizeof byname);
    int n = recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    printf("getlink lo: type %d seq %u index %d single %d\n", h->nlmsg_type, h->nlmsg_seq,
           ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index, NLMSG_ALIGN(h->nlmsg_len) == n);
    struct ifinfomsg bad = { .ifi_index = 999999 };
    send_req(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 9, &bad, sizeof bad);
    n = recv(fd, buf, sizeof buf, 0);
    struct nlmsgerr *e = NLMSG_DATA(h);
    printf("getlink 999999: type %d err %d seq %u len %d\n", h->nlmsg_type, e->error, h->nlmsg_seq, n);
    /* (Unknown message types are for kava-only tests: qemu's netlink translation refuses them.) */
    send_req(fd, RTM_GETLINK, NLM_F_REQUEST, 11, &ifi, 1);
    n = recv(fd, buf, sizeof buf, 0);
    printf("short getlink: err %d\n", e->error);
    send_req(fd, RTM_GETLINK, 0, 12, &ifi, sizeof ifi);
    n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    printf("not a request: %d %s\n", n, n < 0 ? strerror(errno) : "");
    send_req(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 13, &ifi, 0);
    n = recv(fd, buf, sizeof buf, 0);
    printf("noop ack: err %d flags %x len %d\n", e->error, h->nlmsg_flags, n);
    /* A dump with a non-zero header under strict checking. */
    struct ifinfomsg strictbad = { .ifi_index = 1 };
    send_req(fd, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 14, &strictbad, sizeof strictbad);
    n = recv(fd, buf, sizeof buf, 0);
    printf("strict dump with index: type %d err %d\n", h->nlmsg_type, e->error);
    /* Changing things needs CAP_NET_ADMIN... which root has; an unprivileged newaddr is covered by kava-only tests. */

    /* Address dump, AF_INET, lo only. */
    struct ifaddrmsg ifa = { .ifa_family = AF_INET };
    send_req(fd, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 20, &ifa, sizeof ifa);
    done = 0;
    while (!done) {
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) { done = 1; break; }
            struct ifaddrmsg *am = NLMSG_DATA(h);
            if (am->ifa_index != 1) continue;
            int len = IFA_PAYLOAD(h);
            char local[32] = "";
            char label[32] = "";
            unsigned flags = 0;
            for (struct rtattr *a = IFA_RTA(am); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                if (a->rta_type == IFA_LOCAL) inet_ntop(AF_INET, RTA_DATA(a), local, sizeof local);
                if (a->rta_type == IFA_LABEL) snprintf(label, sizeof label, "%s", (char *)RTA_DATA(a));
                if (a->rta_type == IFA_FLAGS) flags = *(unsigned *)RTA_DATA(a);
            }
            printf("addr: %s/%d scope %d flags %x label %s\n", local, am->ifa_prefixlen, am->ifa_scope, flags, label);
        }
    }

    /* Route dump of the local table, 127.x routes only. */
    struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_LOCAL };
    send_req(fd, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 30, &rt, sizeof rt);
    done = 0;
    while (!done) {
        n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) { printf("route done flags %x\n", h->nlmsg_flags); done = 1; break; }
            struct rtmsg *r = NLMSG_DATA(h);
            int len = RTM_PAYLOAD(h);
            char dst[32] = "0.0.0.0";
            unsigned table = 0, oif = 0;
            for (struct rtattr *a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                if (a->rta_type == RTA_DST) inet_ntop(AF_INET, RTA_DATA(a), dst, sizeof dst);
                if (a->rta_type == RTA_TABLE) table = *(unsigned *)RTA_DATA(a);
                if (a->rta_type == RTA_OIF) oif = *(unsigned *)RTA_DATA(a);
            }
            if (strncmp(dst, "127.", 4) != 0) continue;
            printf("route: %s/%d type %d scope %d proto %d table %u oif %u\n", dst, r->rtm_dst_len, r->rtm_type,
                   r->rtm_scope, r->rtm_protocol, table, oif);
        }
    }

    /* glibc's users of netlink. */
    printf("if_nametoindex(lo) = %u\n", if_nametoindex("lo"));
    struct if_nameindex *ni = if_nameindex(), *p;
    for (p = ni; p && p->if_index; p++) if (p->if_index == 1) printf("if_nameindex: 1 %s\n", p->if_name);
    if_freenameindex(ni);
    char name[IF_NAMESIZE];
    printf("if_indextoname(1) = %s\n", if_indextoname(1, name));
    struct ifaddrs *ifs, *i;
    if (getifaddrs(&ifs) != 0) { perror("getifaddrs"); return 1; }
    for (i = ifs; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo") != 0 || !i->ifa_addr) continue;
        if (i->ifa_addr->sa_family == AF_INET) {
            char a[32], m[32];
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof a);
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, m, sizeof m);
            printf("getifaddrs: lo inet %s mask %s flags %x\n", a, m, i->ifa_flags);
        } else if (i->ifa_addr->sa_family == AF_PACKET) {
            printf("getifaddrs: lo packet flags %x data %d\n", i->ifa_flags, i->ifa_data != NULL);
        }
    }
    freeifaddrs(ifs);
    close(fd);
    return 0;
}
