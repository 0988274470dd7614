package dev.kava.net;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Socket;
import dev.kava.abi.Stat;
import dev.kava.fs.File;
import dev.kava.fs.Kstat;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket as an open file (struct socket with its sockfs inode and file, net/socket.c):
 * read and write are recvmsg and sendmsg without flags, poll and the ioctls go to the
 * protocol, and /proc/PID/fd shows it as "socket:[ino]". The protocol half is {@link #sk}.
 */
public final class SocketFile extends File {
    /** The device number of sockfs (an anonymous superblock; 0:8 on a typical boot). */
    private static final long SOCKFS_DEV = 0x8;
    private static final AtomicLong NEXT_INO = new AtomicLong(20000);

    /** sock->type (a family may change it: AF_UNIX makes SOCK_RAW a SOCK_DGRAM). */
    public volatile int type;
    /** sock->state (SS_UNCONNECTED, SS_CONNECTED, ...) */
    public volatile int state = Socket.SS_UNCONNECTED;
    /** sock->sk: the protocol half; null once released. */
    public volatile Sock sk;

    private final long ino;
    private final int uid, gid;
    private final long timeSec, timeNsec;
    /** f_owner as FIOSETOWN / SIOCSPGRP set it (a pid, or minus a process group). */
    private volatile int owner;

    /**
     * sock_alloc and sock_alloc_file: a sockfs inode owned by the caller's fsuid/fsgid, mode
     * S_IFSOCK|0777, and a file open for reading and writing (with O_NONBLOCK if asked).
     */
    public SocketFile(Task t, int type, int flags) {
        super(Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK));
        this.type = type;
        this.ino = NEXT_INO.getAndIncrement();
        this.uid = t.group.cred.fsuid();
        this.gid = t.group.cred.fsgid();
        long now = t.kernel.clock().realtimeNanos();
        this.timeSec = Math.floorDiv(now, 1_000_000_000L);
        this.timeNsec = Math.floorMod(now, 1_000_000_000L);
    }

    /** sock_from_file: the socket behind a descriptor's file, or ENOTSOCK. */
    public static SocketFile from(File f) {
        if (f instanceof SocketFile s) return s;
        throw ErrnoException.of(Errno.ENOTSOCK);
    }

    public boolean nonBlocking() {
        return (flags & Fcntl.O_NONBLOCK) != 0;
    }

    public long ino() {
        return ino;
    }

    /** f_owner: who gets SIGURG (a pid, or minus a process group; 0 for nobody). */
    public int owner() {
        return owner;
    }

    /** The protocol half, or EBADF if the socket was released under a racing close. */
    public Sock sk() {
        Sock s = sk;
        if (s == null) throw ErrnoException.of(Errno.EBADF);
        return s;
    }

    // ---- sock_read_iter / sock_write_iter

    private long recv(Task t, IovIter it) {
        if (it.count() == 0) return 0; // "Match SYS5 behaviour"
        MsgHdr msg = new MsgHdr(it);
        return sk().recvmsg(t, msg, it.count(), nonBlocking() ? Socket.MSG_DONTWAIT : 0);
    }

    private long send(Task t, IovIter it) {
        MsgHdr msg = new MsgHdr(it);
        if (nonBlocking()) msg.flags = Socket.MSG_DONTWAIT;
        if (type == Socket.SOCK_SEQPACKET) msg.flags |= Socket.MSG_EOR;
        return sk().sendmsg(t, msg, it.count());
    }

    @Override
    public long readIter(Task t, long[] segs) {
        return recv(t, IovIter.user(t.mem.addressSpace(), segs));
    }

    @Override
    public long writeIter(Task t, long[] segs) {
        return send(t, IovIter.user(t.mem.addressSpace(), segs));
    }

    /** A read into a kernel buffer (splice, sendfile). */
    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        return (int) recv(t, IovIter.kernel(dst, off, len));
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        return (int) send(t, IovIter.kernel(src, off, len));
    }

    /** sock_splice_read: a receive into the kernel buffer, without waiting with SPLICE_F_NONBLOCK or O_NONBLOCK. */
    @Override
    public int spliceRead(Task t, byte[] dst, int off, int len, boolean nonBlock) {
        if (len == 0) return 0;
        MsgHdr msg = new MsgHdr(IovIter.kernel(dst, off, len));
        return (int) sk().recvmsg(t, msg, len, nonBlock || nonBlocking() ? Socket.MSG_DONTWAIT : 0);
    }

    /** splice_to_socket: splice and sendfile write to a socket. */
    @Override
    public boolean canSpliceWrite() {
        return true;
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public int poll(Task t, Poll.Table pt) {
        Sock s = sk;
        return s == null ? dev.kava.abi.Poll.POLLNVAL : s.poll(t, pt);
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    /**
     * sock_ioctl: the owner ioctls and SIOCGIFCONF, then the protocol's, then the device ioctls
     * (sock_do_ioctl); unknown ones are ENOTTY.
     */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Socket.FIOSETOWN, Socket.SIOCSPGRP -> {
                int who = t.mem.read32(arg);
                if (who != 0) {
                    boolean found = who > 0 ? t.kernel.findGroup(who) != null || t.kernel.findTask(who) != null
                            : who != Integer.MIN_VALUE && t.kernel.findGroupByPgid(-who) != null;
                    if (!found) throw ErrnoException.of(Errno.ESRCH);
                }
                owner = who;
                return 0;
            }
            case Socket.FIOGETOWN, Socket.SIOCGPGRP -> {
                t.mem.write32(arg, owner);
                return 0;
            }
            case dev.kava.abi.Sockios.SIOCGIFCONF -> {
                return dev.kava.net.core.DevIoctl.ifconf(t, dev.kava.net.core.Net.of(t.kernel), arg);
            }
            default -> {
                try {
                    return sk().ioctl(t, cmd, arg);
                } catch (ErrnoException e) {
                    if (e.errno != Errno.ENOIOCTLCMD) throw e;
                }
                // sock_do_ioctl: what the family does not know may be a device ioctl.
                return dev.kava.net.core.DevIoctl.sockDoIoctl(t, dev.kava.net.core.Net.of(t.kernel), cmd, arg);
            }
        }
    }

    /** A sockfs inode: S_IFSOCK|0777, owned by its creator, times of its creation. */
    @Override
    public Kstat stat() {
        return new Kstat(SOCKFS_DEV, ino, Stat.S_IFSOCK | 0777, 1, uid, gid, 0, 0, 4096, 0,
                timeSec, timeNsec, timeSec, timeNsec, timeSec, timeNsec);
    }

    /** sock_close: __sock_release, after eventpoll_release as __fput orders them. */
    @Override
    public void release() {
        release(null);
    }

    /** sock_close with the closing task, which the protocol's release may wait in (SO_LINGER). */
    @Override
    public void release(dev.kava.kernel.Task closer) {
        eventpollRelease();
        Sock s = sk;
        sk = null;
        if (s != null) s.release(closer);
    }
}
