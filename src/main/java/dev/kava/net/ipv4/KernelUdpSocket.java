package dev.kava.net.ipv4;

import dev.kava.abi.In;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.net.IovIter;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;

/**
 * A UDP socket owned by the kernel (sock_create_kern(AF_INET, SOCK_DGRAM)), connected to one
 * peer, driven without blocking by a host thread as {@link KernelTcpSocket} is: kava's UDP port
 * forwarding sends host datagrams into the guest with it. Addresses and ports are host-order ints.
 */
public final class KernelUdpSocket {
    private final UdpSock sk;

    private KernelUdpSocket(UdpSock sk) {
        this.sk = sk;
    }

    public static KernelUdpSocket create(Net net) {
        UdpSock sk = (UdpSock) UdpSock.create(net, null, Socket.AF_INET, Socket.SOCK_DGRAM, In.IPPROTO_UDP, true);
        sk.pmtudisc = net.ipv4.ipNoPmtuDisc != 0 ? In.IP_PMTUDISC_DONT : In.IP_PMTUDISC_WANT;
        return new KernelUdpSocket(sk);
    }

    /** kernel_connect: the peer every datagram goes to and the only one heard from (an ephemeral local port). */
    public void connect(int addr, int port) {
        byte[] a = new byte[In.SOCKADDR_IN_SIZE];
        InetSock.putSockaddrIn(a, addr, port);
        sk.connect(null, a, a.length, 0);
    }

    /** kernel_sendmsg(MSG_DONTWAIT|MSG_NOSIGNAL) of one datagram: its length, or -errno. */
    public int send(byte[] buf, int off, int len) {
        MsgHdr msg = new MsgHdr(IovIter.kernel(buf, off, len));
        msg.flags = Socket.MSG_DONTWAIT | Socket.MSG_NOSIGNAL;
        try {
            return (int) sk.sendmsg(null, msg, len);
        } catch (ErrnoException e) {
            return -e.errno;
        }
    }

    /** kernel_recvmsg(MSG_DONTWAIT) of one datagram (cut to len): its length, or -errno (EAGAIN: none waiting; ECONNREFUSED from an ICMP error). */
    public int recv(byte[] buf, int off, int len) {
        MsgHdr msg = new MsgHdr(IovIter.kernel(buf, off, len));
        try {
            return (int) sk.recvmsg(null, msg, len, Socket.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            return -e.errno;
        }
    }

    public void onWake(WaitQueue.Callback c) {
        sk.wq.add(c);
    }

    public void close() {
        sk.release();
    }
}
