package dev.kava.net.host;

import dev.kava.abi.Errno;
import dev.kava.abi.Poll;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.net.ipv4.KernelTcpSocket;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection spliced between a host socket (java.nio) and a kernel TCP socket in the
 * guest's stack: the bytes each side sends are written to the other. Backpressure is the two
 * stacks' own: a buffer of {@link #BUF} bytes each way, and while it is full the relay stops
 * reading that side (its receive window closes, or the host's socket buffer fills). A half-close
 * is passed on once the data before it is through (EOF from one side becomes a FIN / shutdown
 * of output on the other); a reset on one side resets the other. All of it runs on the
 * {@link HostNetLoop} thread; the guest side's wakeups only schedule {@link #pump}.
 */
final class TcpRelay implements AutoCloseable {
    static final int BUF = 64 * 1024;

    private final HostNetLoop loop;
    private final SocketChannel host;
    private final KernelTcpSocket guest;
    private SelectionKey key;
    /** host -> guest: filled from host reads, drained by guest sends (write mode between pumps). */
    private final ByteBuffer up = ByteBuffer.allocate(BUF);
    /** guest -> host: filled by guest receives, drained by host writes (write mode between pumps). */
    private final ByteBuffer down = ByteBuffer.allocate(BUF);
    private boolean hostEof, guestEof, guestShut, hostShut, closed;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final WaitQueue.Callback wakeup = k -> schedule();
    private final Runnable onClose;

    /** Splices host and guest (the guest socket connected or connecting); onClose runs once both are closed. */
    TcpRelay(HostNetLoop loop, SocketChannel host, KernelTcpSocket guest, Runnable onClose) {
        this.loop = loop;
        this.host = host;
        this.guest = guest;
        this.onClose = onClose;
    }

    /** Registers both sides and moves what is already there. On the loop thread. */
    void start() throws IOException {
        try {
            host.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a TCP channel option on this platform: latency only
        }
        key = loop.register(host, SelectionKey.OP_READ, k -> pump());
        guest.onWake(wakeup);
        pump();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(() -> {
                scheduled.set(false);
                pump();
            });
        }
    }

    /** Moves whatever can move both ways without blocking; then waits for the side that can go on. */
    void pump() {
        if (closed) return;
        if (guest.connecting()) {
            // Nothing moves before the handshake is over (a SYN waiting for room in a full
            // accept queue, say); the guest's wakeup at its end calls again.
            key.interestOps(0);
            return;
        }
        try {
            toGuest();
            if (closed) return;
            toHost();
            if (closed) return;
            if (hostEof && guestEof && up.position() == 0 && down.position() == 0) {
                finish(false);
                return;
            }
            int ops = 0;
            if (!hostEof && up.hasRemaining()) ops |= SelectionKey.OP_READ;
            if (down.position() > 0) ops |= SelectionKey.OP_WRITE;
            key.interestOps(ops);
        } catch (IOException e) {
            // The host side failed (reset, broken pipe): the guest's connection is reset too.
            finish(true);
        }
    }

    private void toGuest() throws IOException {
        while (true) {
            if (!hostEof && up.hasRemaining()) {
                int n = host.read(up);
                if (n < 0) hostEof = true;
            }
            if (up.position() == 0) break;
            up.flip();
            int r = guest.send(up.array(), up.position(), up.remaining());
            if (r > 0) up.position(up.position() + r);
            up.compact();
            if (r == -Errno.EAGAIN) return; // the guest's send buffer is full: its wakeup resumes
            if (r < 0) {
                finish(true);
                return;
            }
            if (hostEof || r == 0) break;
        }
        if (hostEof && up.position() == 0 && !guestShut) {
            guestShut = true;
            guest.shutdownOutput();
        }
    }

    private void toHost() throws IOException {
        while (true) {
            if (down.position() > 0) {
                down.flip();
                host.write(down);
                down.compact();
                if (down.position() > 0) return; // the host's buffer is full: OP_WRITE resumes
            }
            if (guestEof) break;
            int r = guest.recv(down.array(), down.position(), down.remaining());
            if (r > 0) {
                down.position(down.position() + r);
            } else if (r == 0) {
                guestEof = true;
            } else if (r == -Errno.EAGAIN) {
                break;
            } else {
                finish(true); // ECONNRESET and friends
                return;
            }
        }
        if (guestEof && down.position() == 0 && !hostShut) {
            hostShut = true;
            host.shutdownOutput();
        }
        if ((guest.poll() & Poll.POLLERR) != 0 && guest.error() != 0) finish(true);
    }

    /** Closes both sides: in order when both are done, with resets when one side failed. */
    private void finish(boolean reset) {
        if (closed) return;
        closed = true;
        guest.removeWake(wakeup);
        if (key != null) key.cancel();
        try {
            if (reset) host.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            host.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (reset) guest.abort();
        else guest.close();
        onClose.run();
    }

    /** The forwarder is going away: the guest's connection is reset, the host's closed. */
    @Override
    public void close() {
        finish(true);
    }
}
