package dev.kava.net.ipv4;

import dev.kava.kernel.Task;
import dev.kava.net.core.Net;

/**
 * An entry of inetsw (struct inet_protosw, include/net/protocol.h): a socket type and
 * protocol, and how to make its sock. {@link AfInet#register} (inet_register_protosw) adds
 * one; socket(AF_INET, type, protocol) finds it, protocol 0 taking the first of the type. TCP
 * registers {SOCK_STREAM, IPPROTO_TCP}.
 */
public record InetProtosw(int type, int protocol, Factory factory, int flags) {
    /** INET_PROTOSW_REUSE: the socket starts with SO_REUSEADDR set. */
    public static final int REUSE = 0x01;
    /** INET_PROTOSW_PERMANENT: cannot be replaced. */
    public static final int PERMANENT = 0x02;
    /** INET_PROTOSW_ICSK: a connection-oriented (inet_connection_sock) protocol. */
    public static final int ICSK = 0x04;

    /** sk_alloc + the proto's init: a new sock of this protocol (its permission checks included). */
    @FunctionalInterface
    public interface Factory {
        InetSock create(Net net, Task t, int family, int type, int protocol, boolean kern);
    }

    /** Whether protocol is IPPROTO_IP, a wildcard. */
    public boolean wildcard() {
        return protocol == dev.kava.abi.In.IPPROTO_IP;
    }
}
