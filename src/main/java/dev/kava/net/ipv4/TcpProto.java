package dev.kava.net.ipv4;

import dev.kava.abi.In;
import dev.kava.abi.Socket;

/**
 * TCP's registration (tcp_init and the inetsw entry of af_inet.c): IPPROTO_TCP in inet_protos
 * and {SOCK_STREAM, IPPROTO_TCP} in inetsw, the first (and so the default) stream protocol.
 */
public final class TcpProto {
    private TcpProto() {}

    private static boolean done;

    public static synchronized void init() {
        if (done) return;
        done = true;
        TcpInput.init();
        AfInet.register(new InetProtosw(Socket.SOCK_STREAM, In.IPPROTO_TCP,
                (net, t, family, type, protocol, kern) -> new TcpSock(net, family),
                InetProtosw.PERMANENT | InetProtosw.ICSK));
    }
}
