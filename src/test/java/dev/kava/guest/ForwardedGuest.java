package dev.kava.guest;

import dev.kava.fs.HostStdio;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;
import dev.kava.net.core.Net;
import dev.kava.net.host.HostNetLoop;
import dev.kava.net.host.PortForward;
import dev.kava.net.host.UserNet;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A guest program running in an in-process kernel in the background, with host ports forwarded
 * into it as {@code kava run -p} does (and the host's loopback reachable as --net host-loopback makes it), for tests where a host client talks to a guest server.
 * Closing it kills what is still running and stops the forwarding.
 */
final class ForwardedGuest implements AutoCloseable {
    final Kernel kernel;
    final HostNetLoop hostNet;
    final CompletableFuture<ExitStatus> exit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream(),
            klog = new ByteArrayOutputStream();

    ForwardedGuest(Path root, List<String> argv, List<String> env, List<PortForward.Spec> forwards) throws Exception {
        this(root, argv, env, forwards, false);
    }

    /** As above; hostLoopback: with kava run --net host-loopback's eth0 and NAT. */
    ForwardedGuest(Path root, List<String> argv, List<String> env, List<PortForward.Spec> forwards, boolean hostLoopback)
            throws Exception {
        Kernel.Config config = new Kernel.Config()
                .root(root)
                .stdin(InputStream.nullInputStream())
                .stdout(out)
                .stderr(err)
                .stdioKinds(HostStdio.Kind.NULL, HostStdio.Kind.PIPE, HostStdio.Kind.PIPE)
                .kernelLog(new PrintStream(klog, true, StandardCharsets.UTF_8));
        kernel = new Kernel(config);
        hostNet = new HostNetLoop("kava-hostnet-test", e -> kernel.log().oops("host network", e));
        if (hostLoopback) UserNet.attach(hostNet, Net.of(kernel));
        for (PortForward.Spec s : forwards) PortForward.start(hostNet, Net.of(kernel), s);
        exit = CompletableFuture.supplyAsync(() -> kernel.run(argv.get(0), argv, env), r -> {
            Thread t = new Thread(r, "kava-" + argv.get(0));
            t.setDaemon(true);
            t.start();
        });
    }

    /** A host TCP port free right now (the kernel binds it a moment later). */
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits for the guest program to end: its exit status as a shell shows it. */
    int waitFor(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS).shellStatus();
    }

    String output() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** stdout, stderr and the kernel log, for a failure message. */
    String diagnostics() {
        return "--- guest stdout ---\n" + output() + "\n--- guest stderr ---\n" + err.toString(StandardCharsets.UTF_8)
                + "\n--- kernel log ---\n" + klog.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        hostNet.close();
        if (!exit.isDone()) kernel.killAll();
        try {
            exit.get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // killed or failed: the test has its verdict already
        }
    }
}
