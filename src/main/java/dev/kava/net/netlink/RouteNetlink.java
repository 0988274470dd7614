package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.RtnlListener;
import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.InIfaddr;
import dev.kava.net.ipv6.Inet6Ifaddr;
import dev.kava.net.ipv6.Rt6Info;

import java.util.ArrayList;
import java.util.List;

/**
 * NETLINK_ROUTE's kernel side in one namespace (net/core/rtnetlink.c): netlink_rcv_skb's walk
 * over a datagram's messages with their acks, rtnetlink_rcv_msg's dispatch by message type and
 * family (links here and in {@link RtnlLink}, addresses in {@link RtnlAddr4} and
 * {@link RtnlAddr6}, routes in {@link RtnlRoute4} and {@link RtnlRoute6}), dumps, and the
 * multicast notifications of every change the stack reports to its {@link RtnlListener}s. Requests run on the sender's thread; doit handlers
 * take RTNL themselves.
 */
final class RouteNetlink implements NetlinkKernel, RtnlListener {
    final Net net;

    /** The request being handled on this thread: notifications it causes carry its port id and sequence number. */
    private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

    RouteNetlink(Net net) {
        this.net = net;
        net.addRtnlListener(this);
    }

    private NetlinkTable table() {
        return NetlinkTable.of(net, Netlink.NETLINK_ROUTE);
    }

    @Override
    public int groups() {
        return Rtnetlink.RTNLGRP_MAX;
    }

    @Override
    public boolean nonrootRecv() {
        return true;
    }

    @Override
    public boolean nonrootSend() {
        return false;
    }

    /** One request message within a datagram. */
    static final class Request {
        final Task task;
        final NetlinkSock src;
        final byte[] b;
        /** Offset of the nlmsghdr and its nlmsg_len. */
        final int off, len;
        final int type, flags, seq;
        /** NETLINK_EXT_ACK's message for the ack, if the handler set one. */
        String extack;

        Request(Task task, NetlinkSock src, byte[] b, int off) {
            this.task = task;
            this.src = src;
            this.b = b;
            this.off = off;
            this.len = NlAttrs.u32(b, off);
            this.type = NlAttrs.u16(b, off + Netlink.NLMSG_TYPE);
            this.flags = NlAttrs.u16(b, off + Netlink.NLMSG_FLAGS);
            this.seq = NlAttrs.u32(b, off + Netlink.NLMSG_SEQ);
        }

        /** nlmsg_len(nlh): the payload length. */
        int payloadLen() {
            return len - Netlink.NLMSG_HDRLEN;
        }

        int payload() {
            return off + Netlink.NLMSG_HDRLEN;
        }

        int u8(int at) {
            return b[payload() + at] & 0xff;
        }

        int u16(int at) {
            return NlAttrs.u16(b, payload() + at);
        }

        int u32(int at) {
            return NlAttrs.u32(b, payload() + at);
        }

        boolean strict() {
            return src.strictChk;
        }

        /** nlmsg_parse of the attributes after a family header of hdrlen bytes (none if the message is shorter). */
        NlAttrs attrs(int hdrlen, int max, int[] minLen, boolean[] exact, boolean strict) {
            int start = payload() + Netlink.align(hdrlen);
            int end = off + len;
            if (payloadLen() < hdrlen) {
                if (strict) throw ErrnoException.of(Errno.EINVAL);
                start = end;
            }
            return NlAttrs.parse(b, Math.min(start, end), end, max, minLen, exact, strict);
        }

        /** Whether the sender may change things (netlink_net_capable(skb, CAP_NET_ADMIN)). */
        boolean admin() {
            return task.group.cred.euid() == 0;
        }

        ErrnoException fail(int errno, String msg) {
            extack = msg;
            return ErrnoException.of(errno);
        }
    }

    /**
     * netlink_rcv_skb: each complete message in turn; a message that is not a request, or a
     * control message, is only acked (if asked); an error always gets an NLMSG_ERROR, success
     * only with NLM_F_ACK; a dump that started is answered by the dump itself.
     */
    @Override
    public void input(Task t, NetlinkSock src, byte[] data) {
        int at = 0;
        while (data.length - at >= Netlink.NLMSG_HDRLEN) {
            int msgLen = NlAttrs.u32(data, at);
            if (Integer.compareUnsigned(msgLen, Netlink.NLMSG_HDRLEN) < 0 || Integer.compareUnsigned(msgLen, data.length - at) > 0) return;
            Request r = new Request(t, src, data, at);
            int err = 0;
            boolean dumped = false;
            if ((r.flags & Netlink.NLM_F_REQUEST) != 0 && r.type >= Netlink.NLMSG_MIN_TYPE) {
                CURRENT.set(r);
                try {
                    dumped = rcvMsg(r);
                } catch (ErrnoException e) {
                    err = e.errno;
                } finally {
                    CURRENT.remove();
                }
            }
            if (!dumped && ((r.flags & Netlink.NLM_F_ACK) != 0 || err != 0)) {
                src.ack(data, at, msgLen, r.seq, err, r.extack);
            }
            at += Math.min(Netlink.align(msgLen), data.length - at);
        }
    }

    /** rtnetlink_rcv_msg: returns true when a dump was started (which answers for itself). */
    private boolean rcvMsg(Request r) {
        int type = r.type;
        if (type > Rtnetlink.RTM_MAX) throw ErrnoException.of(Errno.EOPNOTSUPP);
        // All the messages must have at least 1 byte length.
        if (r.payloadLen() < Rtnetlink.RTGENMSG_SIZE) return false;
        int family = r.u8(0);
        int kind = (type - Rtnetlink.RTM_BASE) & 3; // RTNL_KIND_NEW, DEL, GET, SET
        if (kind != 2 && !r.admin()) throw ErrnoException.of(Errno.EPERM);
        boolean dump = kind == 2 && (r.flags & Netlink.NLM_F_DUMP) != 0;
        switch (type) {
            case Rtnetlink.RTM_GETLINK -> {
                if (dump && family == Socket.AF_INET6) {
                    return startDump(r, () -> new DumpResult(RtnlLink6.dump(this, r), false));
                }
                if (dump) {
                    return startDump(r, () -> {
                        RtnlLink.Answer a = RtnlLink.dump(this, r);
                        return new DumpResult(a.msgs(), a.filtered());
                    });
                }
                RtnlLink.get(this, r);
            }
            case Rtnetlink.RTM_NEWLINK -> RtnlLink.newLink(this, r);
            case Rtnetlink.RTM_SETLINK -> RtnlLink.setLink(this, r);
            case Rtnetlink.RTM_DELLINK -> RtnlLink.delLink(this, r);
            // AF_INET and AF_INET6 have their own dumpit; other families fall back to PF_UNSPEC's
            // rtnl_dump_all, which runs every family's in turn (IPv4, then IPv6).
            case Rtnetlink.RTM_GETADDR -> {
                if (!dump) throw ErrnoException.of(Errno.EOPNOTSUPP);
                return startDump(r, () -> {
                    List<byte[]> msgs = new ArrayList<>();
                    boolean filtered = false;
                    if (family != Socket.AF_INET6) {
                        RtnlAddr4.Filter f = RtnlAddr4.validateDump(this, r);
                        msgs.addAll(RtnlAddr4.dump(this, r, f));
                        filtered |= f.filtered;
                    }
                    if (family != Socket.AF_INET) {
                        RtnlAddr4.Filter f = RtnlAddr6.validateDump(this, r);
                        msgs.addAll(RtnlAddr6.dump(this, r, f));
                        filtered |= f.filtered;
                    }
                    return new DumpResult(msgs, filtered);
                });
            }
            case Rtnetlink.RTM_NEWADDR -> {
                if (family == Socket.AF_INET6) RtnlAddr6.newAddr(this, r);
                else {
                    requireFamily(family, Socket.AF_INET);
                    RtnlAddr4.newAddr(this, r);
                }
            }
            case Rtnetlink.RTM_DELADDR -> {
                if (family == Socket.AF_INET6) RtnlAddr6.delAddr(this, r);
                else {
                    requireFamily(family, Socket.AF_INET);
                    RtnlAddr4.delAddr(this, r);
                }
            }
            case Rtnetlink.RTM_GETROUTE -> {
                if (dump) {
                    return startDump(r, () -> {
                        List<byte[]> msgs = new ArrayList<>();
                        boolean filtered = false;
                        if (family != Socket.AF_INET6) {
                            RtnlRoute4.Filter f = RtnlRoute4.validateDump(this, r, family);
                            msgs.addAll(RtnlRoute4.dump(this, r, f));
                            filtered |= f.filterSet;
                        }
                        if (family != Socket.AF_INET) {
                            RtnlRoute4.Filter f = RtnlRoute4.validateDump(this, r, family);
                            msgs.addAll(RtnlRoute6.dump(this, r, f, family));
                            filtered |= f.filterSet;
                        }
                        return new DumpResult(msgs, filtered);
                    });
                }
                if (family == Socket.AF_INET6) RtnlRoute6.get(this, r);
                else {
                    requireFamily(family, Socket.AF_INET);
                    RtnlRoute4.get(this, r);
                }
            }
            case Rtnetlink.RTM_NEWROUTE -> {
                if (family == Socket.AF_INET6) RtnlRoute6.newRoute(this, r);
                else {
                    requireFamily(family, Socket.AF_INET);
                    RtnlRoute4.newRoute(this, r);
                }
            }
            case Rtnetlink.RTM_DELROUTE -> {
                if (family == Socket.AF_INET6) RtnlRoute6.delRoute(this, r);
                else {
                    requireFamily(family, Socket.AF_INET);
                    RtnlRoute4.delRoute(this, r);
                }
            }
            default -> throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        return false;
    }

    /** A doit registered only for AF_INET: any other family finds no handler (EOPNOTSUPP). */
    private static void requireFamily(int family, int want) {
        if (family != want) throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** A dump callback's messages, and whether a filter of the request applied (NLM_F_DUMP_FILTERED). */
    record DumpResult(List<byte[]> msgs, boolean filtered) {}

    /**
     * netlink_dump_start with rtnetlink's dumpit: the callback runs (here all at once, under
     * RTNL) and its messages are handed out as the reader reads. An error of the callback (a
     * request strict checking rejects, say) ends the dump at once: NLMSG_DONE carries it.
     */
    private boolean startDump(Request r, java.util.function.Supplier<DumpResult> dumpit) {
        NetlinkSock.Dump d;
        try {
            DumpResult res = dumpit.get();
            d = new NetlinkSock.Dump(res.msgs(), r.seq, res.filtered() ? Netlink.NLM_F_DUMP_FILTERED : 0,
                    RtnlLink.MIN_DUMP_ALLOC, true, 0, null);
        } catch (ErrnoException e) {
            d = new NetlinkSock.Dump(List.of(), r.seq, 0, 0, true, e.errno, r.extack);
        }
        r.src.startDump(d);
        return true;
    }

    /** rtnl_unicast: a reply to the requester. */
    void unicast(Request r, byte[] msg) {
        r.src.unicastFromKernel(msg);
    }

    /**
     * rtnl_notify: a message to a group; with NLM_F_ECHO on the request that caused it, the
     * requester gets it too (and is then left out of the broadcast).
     */
    void notify(byte[] msg, int group) {
        Request r = CURRENT.get();
        boolean echo = r != null && (r.flags & Netlink.NLM_F_ECHO) != 0;
        int exclude = echo ? r.src.portid : 0;
        table().broadcast(msg, 0, exclude, group, NetlinkSock.Creds.KERNEL, null);
        if (echo) r.src.unicastFromKernel(msg);
    }

    /** The port id and sequence number a notification carries: the request's, or 0 for the kernel's own changes. */
    static int[] notifyIds() {
        Request r = CURRENT.get();
        return r == null ? new int[]{0, 0} : new int[]{r.src.portid, r.seq};
    }

    // ---- RtnlListener: the stack's changes as notifications

    @Override
    public void link(NetDevice dev, boolean deleted, int change) {
        int[] ids = notifyIds();
        byte[] m = RtnlLink.fill(dev, deleted ? Rtnetlink.RTM_DELLINK : Rtnetlink.RTM_NEWLINK, ids[0], ids[1], change, 0, 0);
        notify(m, Rtnetlink.RTNLGRP_LINK);
    }

    @Override
    public void addr4(InIfaddr ifa, boolean deleted) {
        int[] ids = notifyIds();
        byte[] m = RtnlAddr4.fill(ifa, deleted ? Rtnetlink.RTM_DELADDR : Rtnetlink.RTM_NEWADDR, ids[0], ids[1], 0);
        notify(m, Rtnetlink.RTNLGRP_IPV4_IFADDR);
    }

    @Override
    public void route4(int tableId, FibAlias fa, boolean deleted) {
        int[] ids = notifyIds();
        byte[] m = RtnlRoute4.fill(fa, tableId, deleted ? Rtnetlink.RTM_DELROUTE : Rtnetlink.RTM_NEWROUTE, ids[0], ids[1], 0);
        notify(m, Rtnetlink.RTNLGRP_IPV4_ROUTE);
    }

    @Override
    public void addr6(Object ifa, boolean deleted) {
        int[] ids = notifyIds();
        byte[] m = RtnlAddr6.fill((Inet6Ifaddr) ifa, deleted ? Rtnetlink.RTM_DELADDR : Rtnetlink.RTM_NEWADDR, ids[0], ids[1], 0);
        notify(m, Rtnetlink.RTNLGRP_IPV6_IFADDR);
    }

    @Override
    public void route6(Object rt, boolean deleted) {
        int[] ids = notifyIds();
        byte[] m = RtnlRoute6.fill((Rt6Info) rt, null, null, deleted ? Rtnetlink.RTM_DELROUTE : Rtnetlink.RTM_NEWROUTE, ids[0], ids[1], 0);
        notify(m, Rtnetlink.RTNLGRP_IPV6_ROUTE);
    }
}
