package dev.kava.net;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Socket;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

/**
 * The socket syscalls (net/socket.c): socket, socketpair, bind, listen, accept, accept4,
 * connect, getsockname, getpeername, sendto, recvfrom, setsockopt, getsockopt, shutdown,
 * sendmsg, recvmsg, sendmmsg and recvmmsg. Each checks its arguments in Linux's order
 * (descriptor, then user memory and flags as __sys_* does), then hands over to the family.
 */
public final class SocketSyscalls {
    private SocketSyscalls() {}

    /** MAX_RW_COUNT */
    private static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~Page.MASK;
    /** UIO_MAXIOV */
    private static final int UIO_MAXIOV = 1024;
    /** The inline control buffer of ____sys_sendmsg: beyond it, sock_kmalloc (bounded by optmem_max). */
    private static final int CTL_INLINE = Socket.CMSGHDR_SIZE + 20;

    public static void register(SyscallTable t) {
        dev.kava.net.unix.UnixProto.init(); // af_unix_init: AF_UNIX is built in
        dev.kava.net.ipv4.AfInet.init(); // inet_init: AF_INET, IPv4, ICMP and the datagram transports
        dev.kava.net.ipv6.AfInet6.init(); // inet6_init: AF_INET6, IPv6, ICMPv6
        dev.kava.net.netlink.NetlinkProto.init(); // netlink_proto_init and rtnetlink_init: AF_NETLINK, NETLINK_ROUTE
        t.register(SyscallNr.SOCKET, (task, a) -> socket(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.SOCKETPAIR, (task, a) -> socketpair(task, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.register(SyscallNr.BIND, (task, a) -> bind(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.LISTEN, (task, a) -> listen(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.ACCEPT, (task, a) -> accept4(task, (int) a[0], a[1], a[2], 0));
        t.register(SyscallNr.ACCEPT4, (task, a) -> accept4(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.CONNECT, (task, a) -> connect(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.GETSOCKNAME, (task, a) -> getname(task, (int) a[0], a[1], a[2], false));
        t.register(SyscallNr.GETPEERNAME, (task, a) -> getname(task, (int) a[0], a[1], a[2], true));
        t.register(SyscallNr.SENDTO, (task, a) -> sendto(task, (int) a[0], a[1], a[2], (int) a[3], a[4], (int) a[5]));
        t.register(SyscallNr.RECVFROM, (task, a) -> recvfrom(task, (int) a[0], a[1], a[2], (int) a[3], a[4], a[5]));
        t.register(SyscallNr.SETSOCKOPT, (task, a) -> setsockopt(task, (int) a[0], (int) a[1], (int) a[2], a[3], (int) a[4]));
        t.register(SyscallNr.GETSOCKOPT, (task, a) -> getsockopt(task, (int) a[0], (int) a[1], (int) a[2], a[3], a[4]));
        t.register(SyscallNr.SHUTDOWN, (task, a) -> shutdown(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.SENDMSG, (task, a) -> sendmsg(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.RECVMSG, (task, a) -> recvmsg(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.SENDMMSG, (task, a) -> sendmmsg(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.RECVMMSG, (task, a) -> recvmmsg(task, (int) a[0], a[1], (int) a[2], (int) a[3], a[4]));
    }

    // ---- helpers

    /** access_ok */
    private static boolean accessOk(long addr, long len) {
        return Long.compareUnsigned(len, Mmap.TASK_SIZE) <= 0 && Long.compareUnsigned(addr, Mmap.TASK_SIZE - len) <= 0;
    }

    private static long nofile(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
    }

    /** fdget: the descriptor's file (O_PATH ones do not count), or EBADF. */
    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** sockfd_lookup_light: EBADF, then ENOTSOCK. */
    private static SocketFile lookup(Task t, int fd) {
        return SocketFile.from(fdget(t, fd));
    }

    /**
     * move_addr_to_kernel: at most a sockaddr_storage; EINVAL for a length outside 0..128,
     * EFAULT for memory that cannot be read. Returns a sockaddr_storage with the address first.
     */
    static byte[] moveAddrToKernel(Task t, long uaddr, int ulen) {
        if (ulen < 0 || ulen > Socket.SOCKADDR_STORAGE_SIZE) throw ErrnoException.of(Errno.EINVAL);
        byte[] k = new byte[Socket.SOCKADDR_STORAGE_SIZE];
        if (ulen == 0) return k;
        t.mem.read(uaddr, k, 0, ulen);
        return k;
    }

    /**
     * move_addr_to_user: reads the caller's buffer length, reports the full length klen back
     * (POSIX: "the value before truncation"), then copies as much as fits; EINVAL for a
     * negative buffer length, EFAULT for bad memory.
     */
    static void moveAddrToUser(Task t, byte[] kaddr, int klen, long uaddr, long ulenAddr) {
        int len = t.mem.read32(ulenAddr);
        if (len > klen) len = klen;
        if (len >= 0) t.mem.write32(ulenAddr, klen);
        if (len != 0) {
            if (len < 0) throw ErrnoException.of(Errno.EINVAL);
            t.mem.write(uaddr, kaddr, 0, len);
        }
    }

    /** import_ubuf: one user buffer, capped at MAX_RW_COUNT; EFAULT outside user space. */
    private static long[] importUbuf(long buf, long len) {
        if (Long.compareUnsigned(len, MAX_RW_COUNT) > 0) len = MAX_RW_COUNT;
        if (!accessOk(buf, len)) throw ErrnoException.of(Errno.EFAULT);
        return new long[]{buf, len};
    }

    /** import_iovec: at most UIO_MAXIOV segments, each length >= 0 and in user space, the total capped at MAX_RW_COUNT. */
    private static long[] importIovec(Task t, long iov, long nr) {
        if (Long.compareUnsigned(nr, UIO_MAXIOV) > 0) throw ErrnoException.of(Errno.EINVAL);
        if (nr == 0) return new long[0];
        byte[] raw = t.mem.read(iov, (int) nr * 16);
        long[] segs = new long[(int) nr * 2];
        for (int i = 0; i < nr; i++) {
            if (Uaccess.getLong(raw, i * 16 + 8) < 0) throw ErrnoException.of(Errno.EINVAL);
        }
        long total = 0;
        for (int i = 0; i < nr; i++) {
            long base = Uaccess.getLong(raw, i * 16), len = Uaccess.getLong(raw, i * 16 + 8);
            if (!accessOk(base, len)) throw ErrnoException.of(Errno.EFAULT);
            if (len > MAX_RW_COUNT - total) len = MAX_RW_COUNT - total;
            total += len;
            segs[2 * i] = base;
            segs[2 * i + 1] = len;
        }
        return segs;
    }

    /** Installs a new socket file at the lowest free descriptor (fd_install after sock_alloc_file). */
    private static int install(Task t, SocketFile f, int flags) {
        return t.group.files.install(f, (flags & Socket.SOCK_CLOEXEC) != 0, 0, nofile(t));
    }

    /** Undoes an install: the descriptor goes and the socket is released. */
    private static void uninstall(Task t, int fd, SocketFile f) {
        if (fd >= 0 && t.group.files.get(fd) == f) t.group.files.remove(fd);
        if (FdTable.refCount(f) == 0) f.fput();
    }

    // ---- socket, socketpair

    /**
     * __sock_create: EAFNOSUPPORT for a family out of range, EINVAL for a type out of range,
     * EAFNOSUPPORT for a family kava does not have, then the family's own checks.
     */
    public static SocketFile sockCreate(Task t, int family, int type, int protocol, int fileFlags, boolean kern) {
        if (family < 0 || family >= Socket.NPROTO) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        if (type < 0 || type >= Socket.SOCK_MAX) throw ErrnoException.of(Errno.EINVAL);
        if (family == Socket.AF_INET && type == Socket.SOCK_PACKET) family = Socket.AF_PACKET;
        SocketFile sock = new SocketFile(t, type, fileFlags);
        createSk(t, sock, family, protocol, kern);
        return sock;
    }

    private static void createSk(Task t, SocketFile sock, int family, int protocol, boolean kern) {
        NetProto pf = NetProto.Registry.get(family);
        if (pf == null) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        Sock sk = pf.create(t, sock, protocol, kern);
        sk.socket = sock;
        sock.sk = sk;
    }

    static long socket(Task t, int family, int type, int protocol) {
        int flags = type & ~Socket.SOCK_TYPE_MASK;
        if ((flags & ~(Socket.SOCK_CLOEXEC | Socket.SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        type &= Socket.SOCK_TYPE_MASK;
        SocketFile sock = sockCreate(t, family, type, protocol, flags, false);
        try {
            return install(t, sock, flags);
        } catch (ErrnoException e) {
            sock.fput();
            throw e;
        }
    }

    /**
     * __sys_socketpair: the two descriptors are reserved and written to user memory before the
     * sockets exist, so EMFILE and EFAULT come before the family's errors.
     */
    static long socketpair(Task t, int family, int type, int protocol, long usockvec) {
        int flags = type & ~Socket.SOCK_TYPE_MASK;
        if ((flags & ~(Socket.SOCK_CLOEXEC | Socket.SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        type &= Socket.SOCK_TYPE_MASK;
        SocketFile s1 = new SocketFile(t, type, flags), s2 = new SocketFile(t, type, flags);
        int fd1 = install(t, s1, flags), fd2 = -1;
        try {
            fd2 = install(t, s2, flags);
            byte[] b = new byte[8];
            Uaccess.putInt(b, 0, fd1);
            Uaccess.putInt(b, 4, fd2);
            t.mem.write(usockvec, b);
            if (family < 0 || family >= Socket.NPROTO) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            if (type < 0 || type >= Socket.SOCK_MAX) throw ErrnoException.of(Errno.EINVAL);
            if (family == Socket.AF_INET && type == Socket.SOCK_PACKET) family = Socket.AF_PACKET;
            createSk(t, s1, family, protocol, false);
            createSk(t, s2, family, protocol, false);
            s1.sk().socketpair(t, s2.sk());
            s1.state = s2.state = Socket.SS_CONNECTED;
            return 0;
        } catch (RuntimeException e) {
            uninstall(t, fd2, s2);
            uninstall(t, fd1, s1);
            throw e;
        }
    }

    // ---- bind, listen, accept, connect

    static long bind(Task t, int fd, long umyaddr, int addrlen) {
        SocketFile sock = lookup(t, fd);
        byte[] addr = moveAddrToKernel(t, umyaddr, addrlen);
        sock.sk().bind(t, addr, addrlen);
        return 0;
    }

    /** __sys_listen: a backlog above net.core.somaxconn (or negative) is somaxconn. */
    static long listen(Task t, int fd, int backlog) {
        SocketFile sock = lookup(t, fd);
        if (Integer.compareUnsigned(backlog, Socket.SOMAXCONN) > 0) backlog = Socket.SOMAXCONN;
        sock.sk().listen(t, backlog);
        return 0;
    }

    /**
     * __sys_accept4_file and do_accept: EBADF, EINVAL for unknown flags, EMFILE, ENOTSOCK,
     * then the family's accept. The peer's address is copied out after the connection is
     * taken; a failure there closes it (ECONNABORTED if it has no name any more).
     */
    static long accept4(Task t, int fd, long upeerAddr, long upeerAddrlen, int flags) {
        File f = fdget(t, fd);
        if ((flags & ~(Socket.SOCK_CLOEXEC | Socket.SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        if (t.group.files.lowestFree(nofile(t)) < 0) return -Errno.EMFILE;
        SocketFile sock = SocketFile.from(f);
        SocketFile newsock = new SocketFile(t, sock.type, flags);
        Sock nsk = sock.sk().accept(t, sock.flags());
        nsk.socket = newsock;
        newsock.sk = nsk;
        newsock.state = Socket.SS_CONNECTED;
        int newfd = -1;
        try {
            if (upeerAddr != 0) {
                byte[] address = new byte[Socket.SOCKADDR_STORAGE_SIZE];
                int len;
                try {
                    len = nsk.getname(address, true);
                } catch (ErrnoException e) {
                    throw ErrnoException.of(Errno.ECONNABORTED);
                }
                moveAddrToUser(t, address, len, upeerAddr, upeerAddrlen);
            }
            newfd = install(t, newsock, flags);
            return newfd;
        } catch (RuntimeException e) {
            uninstall(t, newfd, newsock);
            throw e;
        }
    }

    /** __sys_connect: EBADF, then the address (EINVAL, EFAULT), then ENOTSOCK. */
    static long connect(Task t, int fd, long uservaddr, int addrlen) {
        File f = fdget(t, fd);
        byte[] addr = moveAddrToKernel(t, uservaddr, addrlen);
        SocketFile sock = SocketFile.from(f);
        sock.sk().connect(t, addr, addrlen, sock.flags());
        return 0;
    }

    static long getname(Task t, int fd, long usockaddr, long usockaddrLen, boolean peer) {
        SocketFile sock = lookup(t, fd);
        byte[] address = new byte[Socket.SOCKADDR_STORAGE_SIZE];
        int len = sock.sk().getname(address, peer);
        moveAddrToUser(t, address, len, usockaddr, usockaddrLen);
        return 0;
    }

    // ---- sendto, recvfrom

    static long sendto(Task t, int fd, long buff, long len, int flags, long addr, int addrLen) {
        long[] seg = importUbuf(buff, len);
        SocketFile sock = lookup(t, fd);
        MsgHdr msg = new MsgHdr(IovIter.user(t.mem.addressSpace(), seg));
        if (addr != 0) {
            msg.name = moveAddrToKernel(t, addr, addrLen);
            msg.namelen = addrLen;
        }
        flags &= ~Socket.MSG_INTERNAL_SENDMSG_FLAGS;
        if (sock.nonBlocking()) flags |= Socket.MSG_DONTWAIT;
        msg.flags = flags;
        return sock.sk().sendmsg(t, msg, seg[1]);
    }

    static long recvfrom(Task t, int fd, long ubuf, long size, int flags, long addr, long addrLen) {
        long[] seg = importUbuf(ubuf, size);
        SocketFile sock = lookup(t, fd);
        MsgHdr msg = new MsgHdr(IovIter.user(t.mem.addressSpace(), seg));
        if (addr != 0) msg.wantName();
        if (sock.nonBlocking()) flags |= Socket.MSG_DONTWAIT;
        long err = sock.sk().recvmsg(t, msg, seg[1], flags);
        if (err >= 0 && addr != 0) moveAddrToUser(t, msg.name, msg.namelen, addr, addrLen);
        return err;
    }

    // ---- setsockopt, getsockopt, shutdown

    static long setsockopt(Task t, int fd, int level, int optname, long optval, int optlen) {
        SocketFile sock = lookup(t, fd);
        if (optlen < 0) return -Errno.EINVAL;
        Sock sk = sock.sk();
        if (level == Socket.SOL_SOCKET && !sk.customSolSocket()) sk.sockSetsockopt(t, optname, optval, optlen);
        else sk.setsockopt(t, level, optname, optval, optlen);
        return 0;
    }

    static long getsockopt(Task t, int fd, int level, int optname, long optval, long optlen) {
        SocketFile sock = lookup(t, fd);
        Sock sk = sock.sk();
        if (level == Socket.SOL_SOCKET) sk.sockGetsockopt(t, optname, optval, optlen);
        else sk.getsockopt(t, level, optname, optval, optlen);
        return 0;
    }

    static long shutdown(Task t, int fd, int how) {
        lookup(t, fd).sk().shutdown(t, how);
        return 0;
    }

    // ---- sendmsg, recvmsg and their batched forms

    /** A user_msghdr as read from user memory. */
    private record UserMsghdr(long name, int namelen, long iov, long iovlen, long control, long controllen, int flags) {
        static UserMsghdr read(Task t, long umsg) {
            byte[] b = t.mem.read(umsg, Socket.MSGHDR_SIZE);
            return new UserMsghdr(Uaccess.getLong(b, Socket.MSG_NAME), Uaccess.getInt(b, Socket.MSG_NAMELEN),
                    Uaccess.getLong(b, Socket.MSG_IOV), Uaccess.getLong(b, Socket.MSG_IOVLEN),
                    Uaccess.getLong(b, Socket.MSG_CONTROL), Uaccess.getLong(b, Socket.MSG_CONTROLLEN),
                    Uaccess.getInt(b, Socket.MSG_FLAGS));
        }
    }

    /**
     * copy_msghdr_from_user and __copy_msghdr: a negative name length is EINVAL, a longer one
     * than sockaddr_storage is cut to it; more than UIO_MAXIOV segments is EMSGSIZE. On send
     * the address is copied in.
     */
    private static MsgHdr copyMsghdr(Task t, UserMsghdr u, boolean send) {
        int namelen = u.name == 0 ? 0 : u.namelen;
        if (namelen < 0) throw ErrnoException.of(Errno.EINVAL);
        if (namelen > Socket.SOCKADDR_STORAGE_SIZE) namelen = Socket.SOCKADDR_STORAGE_SIZE;
        byte[] name = null;
        if (u.name != 0 && namelen != 0) {
            if (send) name = moveAddrToKernel(t, u.name, namelen);
        } else {
            namelen = 0;
        }
        if (Long.compareUnsigned(u.iovlen, UIO_MAXIOV) > 0) throw ErrnoException.of(Errno.EMSGSIZE);
        long[] segs = importIovec(t, u.iov, u.iovlen);
        MsgHdr msg = new MsgHdr(IovIter.user(t.mem.addressSpace(), segs));
        if (send) {
            msg.name = name;
            msg.namelen = name == null ? 0 : namelen;
        }
        msg.controlUser = u.control;
        msg.controllen = u.controllen < 0 && !send ? Long.MAX_VALUE : u.controllen; // a size_t beyond any buffer
        msg.flags = u.flags;
        return msg;
    }

    /** ___sys_sendmsg; returns what sock_sendmsg returned and leaves the message in out[0]. */
    private static long sysSendmsg(Task t, SocketFile sock, long umsg, int flags, int allowedMsghdrFlags, MsgHdr[] out) {
        UserMsghdr u = UserMsghdr.read(t, umsg);
        MsgHdr msg = copyMsghdr(t, u, true);
        out[0] = msg;
        // ____sys_sendmsg
        if (Long.compareUnsigned(msg.controllen, Integer.MAX_VALUE) > 0) throw ErrnoException.of(Errno.ENOBUFS);
        flags |= u.flags & allowedMsghdrFlags;
        int ctlLen = (int) msg.controllen;
        msg.control = null;
        if (ctlLen != 0) {
            if (ctlLen > CTL_INLINE && ctlLen >= Sock.OPTMEM_MAX) throw ErrnoException.of(Errno.ENOBUFS);
            msg.control = t.mem.read(msg.controlUser, ctlLen);
        }
        msg.controlUser = 0;
        flags &= ~Socket.MSG_INTERNAL_SENDMSG_FLAGS;
        msg.flags = flags;
        if (sock.nonBlocking()) msg.flags |= Socket.MSG_DONTWAIT;
        return sock.sk().sendmsg(t, msg, msg.iter.count());
    }

    static long sendmsg(Task t, int fd, long umsg, int flags) {
        if ((flags & Socket.MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        SocketFile sock = lookup(t, fd);
        return sysSendmsg(t, sock, umsg, flags, 0, new MsgHdr[1]);
    }

    /** ___sys_recvmsg and ____sys_recvmsg: the address, flags and control length are written back after the data. */
    private static long sysRecvmsg(Task t, SocketFile sock, long umsg, int flags) {
        UserMsghdr u = UserMsghdr.read(t, umsg);
        MsgHdr msg = copyMsghdr(t, u, false);
        long uaddr = u.name;
        msg.wantName();
        long cmsgPtr = msg.controlUser;
        msg.flags = flags & (Socket.MSG_CMSG_CLOEXEC | Socket.MSG_CMSG_COMPAT);
        if (sock.nonBlocking()) flags |= Socket.MSG_DONTWAIT;
        long len = sock.sk().recvmsg(t, msg, msg.iter.count(), flags);
        if (uaddr != 0) moveAddrToUser(t, msg.name, msg.namelen, uaddr, umsg + Socket.MSG_NAMELEN);
        t.mem.write32(umsg + Socket.MSG_FLAGS, msg.flags & ~Socket.MSG_CMSG_COMPAT);
        t.mem.write64(umsg + Socket.MSG_CONTROLLEN, msg.controlUser - cmsgPtr);
        return len;
    }

    static long recvmsg(Task t, int fd, long umsg, int flags) {
        if ((flags & Socket.MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        SocketFile sock = lookup(t, fd);
        return sysRecvmsg(t, sock, umsg, flags);
    }

    /**
     * __sys_sendmmsg: up to UIO_MAXIOV messages, each one's count written to its msg_len;
     * stops at the first error or partial send. An error after some messages went is not
     * reported: the count is.
     */
    static long sendmmsg(Task t, int fd, long mmsg, int vlen, int flags) {
        if ((flags & Socket.MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        long n = Integer.toUnsignedLong(vlen);
        if (n > UIO_MAXIOV) n = UIO_MAXIOV;
        SocketFile sock = lookup(t, fd);
        int oflags = flags;
        flags |= Socket.MSG_BATCH;
        int datagrams = 0;
        long err = 0;
        MsgHdr[] out = new MsgHdr[1];
        long entry = mmsg;
        while (datagrams < n) {
            if (datagrams == n - 1) flags = oflags;
            try {
                err = sysSendmsg(t, sock, entry, flags, Socket.MSG_EOR, out);
                t.mem.write32(entry + Socket.MMSG_LEN, (int) err);
                err = 0;
            } catch (ErrnoException e) {
                err = -e.errno;
                break;
            }
            entry += Socket.MMSGHDR_SIZE;
            datagrams++;
            if (out[0].iter.count() != 0) break;
        }
        if (datagrams != 0) return datagrams;
        return err;
    }

    /**
     * do_recvmmsg: a pending socket error first; then messages until vlen, an error, or the
     * timeout (which is only looked at between messages, as Linux does). MSG_WAITFORONE makes
     * every message after the first non-blocking. An error after some messages is kept in
     * SO_ERROR (EAGAIN is not) and the count is returned.
     */
    static long recvmmsg(Task t, int fd, long mmsg, int vlen, int flags, long timeoutAddr) {
        if ((flags & Socket.MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        long timeoutNs = -1, endTime = 0;
        if (timeoutAddr != 0) {
            byte[] ts = t.mem.read(timeoutAddr, 16);
            long sec = Uaccess.getLong(ts, 0), nsec = Uaccess.getLong(ts, 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -Errno.EINVAL;
            timeoutNs = sec > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : sec * 1_000_000_000L + nsec;
            long now = t.kernel.clock().monotonicNanos();
            endTime = timeoutNs == 0 ? 0 : (Long.MAX_VALUE - now < timeoutNs ? Long.MAX_VALUE : now + timeoutNs);
        }
        SocketFile sock = lookup(t, fd);
        Sock sk = sock.sk();
        if ((flags & Socket.MSG_ERRQUEUE) == 0) {
            int e = sk.sockError();
            if (e != 0) return -e;
        }
        long n = Integer.toUnsignedLong(vlen);
        int datagrams = 0;
        long err = 0;
        long entry = mmsg;
        while (datagrams < n) {
            try {
                long r = sysRecvmsg(t, sock, entry, flags & ~Socket.MSG_WAITFORONE);
                t.mem.write32(entry + Socket.MMSG_LEN, (int) r);
                err = 0;
            } catch (ErrnoException e) {
                err = -e.errno;
                break;
            }
            entry += Socket.MMSGHDR_SIZE;
            datagrams++;
            if ((flags & Socket.MSG_WAITFORONE) != 0) flags |= Socket.MSG_DONTWAIT;
            if (timeoutAddr != 0) {
                long left = endTime == Long.MAX_VALUE ? timeoutNs : endTime - t.kernel.clock().monotonicNanos();
                if (left <= 0) {
                    timeoutNs = 0;
                    break;
                }
                timeoutNs = left;
            }
        }
        long result;
        if (err == 0) {
            result = datagrams;
        } else if (datagrams == 0) {
            return err;
        } else {
            if (err != -Errno.EAGAIN) sk.err = (int) -err;
            result = datagrams;
        }
        if (result > 0 && timeoutAddr != 0) {
            byte[] ts = new byte[16];
            Uaccess.putLong(ts, 0, timeoutNs / 1_000_000_000L);
            Uaccess.putLong(ts, 8, timeoutNs % 1_000_000_000L);
            t.mem.write(timeoutAddr, ts);
        }
        return result;
    }
}
