package dev.kava.net.unix;

import dev.kava.abi.Errno;
import dev.kava.abi.Socket;
import dev.kava.fs.File;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.net.NetProto;
import dev.kava.net.Sock;
import dev.kava.net.SocketFile;

/** The AF_UNIX family (unix_family_ops and unix_create in net/unix/af_unix.c). */
public final class UnixProto implements NetProto {
    private static final UnixProto INSTANCE = new UnixProto();

    private UnixProto() {}

    /** af_unix_init: registers the family. */
    public static void init() {
        NetProto.Registry.register(INSTANCE);
    }

    @Override
    public int family() {
        return Socket.AF_UNIX;
    }

    /**
     * unix_create: protocol 0 (or PF_UNIX); SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, and
     * SOCK_RAW which becomes SOCK_DGRAM; ESOCKTNOSUPPORT for the other types.
     */
    @Override
    public Sock create(Task t, SocketFile sock, int protocol, boolean kern) {
        if (protocol != 0 && protocol != Socket.AF_UNIX) throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        switch (sock.type) {
            case Socket.SOCK_STREAM, Socket.SOCK_DGRAM, Socket.SOCK_SEQPACKET -> { }
            case Socket.SOCK_RAW -> sock.type = Socket.SOCK_DGRAM;
            default -> throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        }
        return UnixSock.create1(UnixNet.of(t.kernel), sock.type);
    }

    /** unix_nr_socks of a kernel's network namespace: AF_UNIX sockets alive (for tests and /proc). */
    public static int liveSockets(Kernel k) {
        UnixNet net = UnixNet.of(k);
        synchronized (UnixSock.LOCK) {
            return net.nrSocks;
        }
    }

    /**
     * /proc/net/unix (unix_seq_show): the header, then per socket its (hashed) address,
     * reference count, protocol 0, flags (__SO_ACCEPTCON for a listener), type, socket state and
     * inode, and the bound name (abstract names with '@' first and for each NUL).
     */
    public static String procNetUnix(Kernel k) {
        UnixNet net = UnixNet.of(k);
        StringBuilder sb = new StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        synchronized (UnixSock.LOCK) {
            for (UnixSock s : net.socks) {
                dev.kava.net.SocketFile f = s.socket;
                int st = f != null ? (s.state == Sock.TCP_ESTABLISHED ? Socket.SS_CONNECTED : Socket.SS_UNCONNECTED)
                        : (s.state == Sock.TCP_ESTABLISHED ? Socket.SS_CONNECTING : Socket.SS_DISCONNECTING);
                int ref = s.peer != null || s.state == Sock.TCP_LISTEN ? 3 : 2;
                sb.append(String.format("%016x: %08X %08X %08X %04X %02X %5d", System.identityHashCode(s) & 0xffffffffL,
                        ref, 0, s.state == Sock.TCP_LISTEN ? Socket.__SO_ACCEPTCON : 0, s.type, st,
                        f != null ? f.ino() : 0));
                byte[] a = s.addr;
                if (a != null) {
                    sb.append(' ');
                    int i = 0, len = a.length - dev.kava.abi.Un.SUN_PATH_OFFSET;
                    if (a[dev.kava.abi.Un.SUN_PATH_OFFSET] != 0) {
                        len--;
                    } else {
                        sb.append('@');
                        i++;
                    }
                    for (; i < len; i++) {
                        byte c = a[dev.kava.abi.Un.SUN_PATH_OFFSET + i];
                        sb.append(c == 0 ? '@' : (char) (c & 0xff));
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** How many references to f sit in receive queues (for tests). */
    public static int inflight(File f) {
        return UnixGc.inflight(f);
    }
}
