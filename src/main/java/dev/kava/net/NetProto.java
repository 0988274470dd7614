package dev.kava.net;

import dev.kava.abi.Socket;
import dev.kava.kernel.Task;

/**
 * An address family (struct net_proto_family): what socket() and socketpair() call to make
 * the protocol half of a new socket. Families register themselves (sock_register); socket()
 * with a family nobody registered fails with EAFNOSUPPORT.
 */
public interface NetProto {
    /** The AF_ number this family serves. */
    int family();

    /**
     * create: checks protocol and sock.type (EPROTONOSUPPORT, ESOCKTNOSUPPORT) and returns the
     * new sock; kern is true for sockets the kernel makes for itself.
     */
    Sock create(Task t, SocketFile sock, int protocol, boolean kern);

    /** net_families[] */
    final class Registry {
        private Registry() {}

        private static final NetProto[] FAMILIES = new NetProto[Socket.NPROTO];

        /** sock_register: later registrations of the same family replace the earlier one. */
        public static synchronized void register(NetProto p) {
            FAMILIES[p.family()] = p;
        }

        /** The family's operations, or null (family already known to be in 0..NPROTO-1). */
        public static synchronized NetProto get(int family) {
            return FAMILIES[family];
        }
    }
}
