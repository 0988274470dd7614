package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.In;
import dev.kava.abi.Socket;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.net.IovIter;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;

/**
 * A TCP socket owned by the kernel itself, not by a task or a file: what Linux's in-kernel
 * users get from {@code sock_create_kern} and drive with {@code kernel_connect},
 * {@code kernel_sendmsg}, {@code kernel_recvmsg} and {@code kernel_sock_shutdown}
 * (net/socket.c). kava's host port forwarding and user-mode NAT use it to speak TCP to guest
 * programs with the guest's own stack.
 *
 * <p>Every operation is non-blocking (MSG_DONTWAIT, O_NONBLOCK): the caller is a host thread
 * with an event loop, told of changes by {@link #onWake} (a wait-queue callback, like a kernel
 * user's {@code sk_data_ready}/{@code sk_write_space}), which runs on whichever thread changed
 * the socket and must only schedule work. No signals are raised (MSG_NOSIGNAL). Addresses and
 * ports are host-order ints.
 */
public final class KernelTcpSocket {
    private final TcpSock sk;

    private KernelTcpSocket(TcpSock sk) {
        this.sk = sk;
    }

    /** sock_create_kern(net, AF_INET, SOCK_STREAM, IPPROTO_TCP): owned by root, as inet_create makes it. */
    public static KernelTcpSocket create(Net net) {
        TcpSock sk = new TcpSock(net, Socket.AF_INET);
        sk.pmtudisc = net.ipv4.ipNoPmtuDisc != 0 ? In.IP_PMTUDISC_DONT : In.IP_PMTUDISC_WANT;
        return new KernelTcpSocket(sk);
    }

    private static byte[] sockaddr(int addr, int port) {
        byte[] a = new byte[In.SOCKADDR_IN_SIZE];
        InetSock.putSockaddrIn(a, addr, port);
        return a;
    }

    /** kernel_bind. Throws ErrnoException (EADDRINUSE, EADDRNOTAVAIL, ...). */
    public void bind(int addr, int port) {
        sk.bind(null, sockaddr(addr, port), In.SOCKADDR_IN_SIZE);
    }

    /** kernel_listen */
    public void listen(int backlog) {
        sk.listen(null, backlog);
    }

    /** kernel_accept with O_NONBLOCK: a connection that finished its handshake, or null when none is waiting. */
    public KernelTcpSocket accept() {
        try {
            return new KernelTcpSocket(sk.accept(null, Fcntl.O_NONBLOCK));
        } catch (ErrnoException e) {
            if (e.errno == Errno.EAGAIN) return null;
            throw e;
        }
    }

    /**
     * kernel_connect with O_NONBLOCK: starts the handshake (on loopback it is over before this
     * returns). Throws ErrnoException for an immediate failure (ECONNREFUSED, ENETUNREACH, ...);
     * later ones show in {@link #poll} and {@link #error}.
     */
    public void connect(int addr, int port) {
        try {
            sk.connect(null, sockaddr(addr, port), In.SOCKADDR_IN_SIZE, Fcntl.O_NONBLOCK);
        } catch (ErrnoException e) {
            if (e.errno != Errno.EINPROGRESS) throw e;
        }
    }

    /** Whether the handshake is still going on (SYN_SENT or SYN_RECV). */
    public boolean connecting() {
        int st = sk.state;
        return st == Tcp.TCP_SYN_SENT || st == Tcp.TCP_SYN_RECV;
    }

    /** The poll mask (tcp_poll): POLLIN, POLLOUT, POLLHUP, POLLERR, POLLRDHUP. */
    public int poll() {
        return sk.poll(null, null);
    }

    /** SO_ERROR: the pending error, cleared (0 if none). */
    public int error() {
        return sk.sockError();
    }

    /** kernel_sendmsg(MSG_DONTWAIT|MSG_NOSIGNAL): bytes queued (maybe fewer than len), or -errno (EAGAIN: the send buffer is full). */
    public int send(byte[] buf, int off, int len) {
        MsgHdr msg = new MsgHdr(IovIter.kernel(buf, off, len));
        msg.flags = Socket.MSG_DONTWAIT | Socket.MSG_NOSIGNAL;
        return (int) sk.sendmsg(null, msg, len);
    }

    /** kernel_recvmsg(MSG_DONTWAIT): bytes read, 0 at end of stream, or -errno (EAGAIN: nothing yet). */
    public int recv(byte[] buf, int off, int len) {
        MsgHdr msg = new MsgHdr(IovIter.kernel(buf, off, len));
        return (int) sk.recvmsg(null, msg, len, Socket.MSG_DONTWAIT);
    }

    /** kernel_sock_shutdown(SHUT_WR): a FIN after the queued data. */
    public void shutdownOutput() {
        try {
            sk.shutdown(null, Socket.SHUT_WR);
        } catch (ErrnoException e) {
            // ENOTCONN: the connection is already gone; nothing to finish.
        }
    }

    /** setsockopt(TCP_NODELAY) */
    public void setNodelay(boolean on) {
        sk.nodelay = on;
    }

    /** The local address and port (getsockname). */
    public int localAddr() {
        return sk.rcvSaddr != 0 ? sk.rcvSaddr : sk.saddr;
    }

    public int localPort() {
        return sk.sport;
    }

    /** The peer's address and port (0 before connect). */
    public int peerAddr() {
        return sk.daddr;
    }

    public int peerPort() {
        return sk.dport;
    }

    /** Adds a callback run at every wakeup of the socket's wait queue (data, space, state changes). */
    public void onWake(WaitQueue.Callback c) {
        sk.wq.add(c);
    }

    public void removeWake(WaitQueue.Callback c) {
        sk.wq.remove(c);
    }

    /** sock_release: an orderly close (FIN, or RST when unread data is left, as tcp_close does). */
    public void close() {
        sk.release();
    }

    /** SO_LINGER {1, 0} then close: the connection is reset (RST), as a host peer's reset is passed on. */
    public void abort() {
        sk.linger = true;
        sk.lingertime = 0;
        sk.release();
    }
}
