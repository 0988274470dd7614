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

    /** How many references to f sit in receive queues (for tests). */
    public static int inflight(File f) {
        return UnixGc.inflight(f);
    }
}
