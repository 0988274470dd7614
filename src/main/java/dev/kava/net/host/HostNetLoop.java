package dev.kava.net.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The one host thread that moves bytes between the guest's network and host sockets (the
 * equivalent of slirp's or passt's main loop): a java.nio selector for the host side, and a
 * queue of work the guest side hands it ({@link #execute}, from wait-queue callbacks of kernel
 * sockets, which run on vCPU threads and must not block). Everything a forwarder does runs on
 * this thread, so its state needs no locks.
 */
public final class HostNetLoop implements AutoCloseable {
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final java.util.List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** Where a bug in a forwarder is reported (the kernel log); the loop goes on. */
    private final Consumer<Throwable> oops;

    public HostNetLoop(String name, Consumer<Throwable> oops) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.oops = oops;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        thread.start();
    }

    /** Runs r on the loop thread, soon. Callable from any thread. */
    public void execute(Runnable r) {
        tasks.add(r);
        if (Thread.currentThread() != thread) selector.wakeup();
    }

    /** Whether the caller is the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Registers a channel with the selector (on the loop thread); handler runs when it is ready. */
    public SelectionKey register(SelectableChannel ch, int ops, Consumer<SelectionKey> handler) throws IOException {
        assert inLoop();
        ch.configureBlocking(false);
        return ch.register(selector, ops, handler);
    }

    /** Something closed with the loop (a listener, a forwarder). */
    public void own(AutoCloseable c) {
        owned.add(c);
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(1000);
                if (closed) break;
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    @SuppressWarnings("unchecked")
                    Consumer<SelectionKey> h = (Consumer<SelectionKey>) k.attachment();
                    runSafely(() -> h.accept(k));
                }
                Runnable r;
                while ((r = tasks.poll()) != null) runSafely(r);
            } catch (IOException | RuntimeException e) {
                if (!closed) oops.accept(e);
            }
        }
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            oops.accept(e);
        }
    }

    /** Stops the loop and closes what it owns (listeners, their connections): the host sees resets or EOF. */
    @Override
    public void close() {
        if (closed) return;
        execute(() -> {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
            closed = true;
        });
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
