package dev.kava.guest;

import dev.kava.drivers.tty.NativeTerminal;
import dev.kava.fs.HostStdio;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kava's console on a real terminal: a host pty whose slave is the host terminal kava runs in
 * (put in raw mode as kava run does), the test typing on the master. The guest program reads a
 * line in canonical mode (echo and erase done by kava's line discipline), is interrupted by ^C
 * (SIGINT for its foreground group), reads a key in raw mode, and gets SIGWINCH when the host
 * terminal is resized. Afterwards the host terminal has its settings back.
 */
class ConsoleGuestTest {
    static final Path ROOT = Path.of("target/guest-console");
    static final long STEP_MS = 30_000;

    @Test
    void theConsoleIsATerminalWithLineEditingSignalsAndResizes() throws Throwable {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Assumptions.assumeTrue(HostPty.supported(), "needs a Linux host pty");
        Files.createDirectories(ROOT);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/console/tty_console.c"), ROOT, true);
        String name = bin.getFileName().toString();
        try (HostPty pty = new HostPty()) {
            pty.setWindowSize(77, 22);
            int cookedLflag = pty.slaveLflag();
            NativeTerminal term = NativeTerminal.open(pty.slave, pty.slave);
            assertNotNull(term, "the pty slave is a terminal");
            assertTrue(term.enterRaw());
            assertEquals(0, pty.slaveLflag() & HostPty.ICANON, "raw mode on the host side");
            ByteArrayOutputStream klog = new ByteArrayOutputStream();
            Kernel kernel = new Kernel(new Kernel.Config()
                    .root(ROOT)
                    .stdioKinds(HostStdio.Kind.TTY, HostStdio.Kind.TTY, HostStdio.Kind.TTY)
                    .console(term)
                    .kernelLog(new PrintStream(klog, true, StandardCharsets.UTF_8)));
            CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(
                    () -> kernel.run("/" + name, List.of("/" + name), List.of()));
            try {
                assertEquals("tty 1 foreground 1 leader 1 size 77x22\r\nname> ", pty.readUntil("name> ", STEP_MS));
                pty.type("hello wo\u007frld\r");
                assertEquals("hello wo\b \brld\r\nline 11 [hello wrld]\r\nwait> ", pty.readUntil("wait> ", STEP_MS));
                pty.type("ab");
                assertEquals("ab", pty.readUntil("ab", STEP_MS));
                // The echo comes from the line discipline, not from read(): wait until the
                // program sleeps in read(), or a ^C that came first would be handled before the
                // read, flush "ab", and leave the read waiting forever (as on Linux).
                awaitSleeping(kernel, 1);
                pty.type("\u0003");
                assertEquals("^Cread -1 errno 4 signal 2\r\nkey> ", pty.readUntil("key> ", STEP_MS));
                pty.type("q");
                assertEquals("\r\nkey 1 113\r\nresize> ", pty.readUntil("resize> ", STEP_MS));
                pty.setWindowSize(90, 33);
                assertEquals("size 90x33\r\n", pty.readUntil("\r\n", STEP_MS));
                assertEquals(ExitStatus.exited(0), run.get(STEP_MS, TimeUnit.MILLISECONDS),
                        klog.toString(StandardCharsets.UTF_8));
            } finally {
                kernel.killAll();
                term.close();
            }
            assertEquals(cookedLflag, pty.slaveLflag(), "the host terminal got its settings back");
        }
    }

    /** Waits (up to STEP_MS) until task tid is blocked, not runnable. */
    private static void awaitSleeping(Kernel kernel, int tid) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            dev.kava.kernel.Task t = kernel.findTask(tid);
            if (t != null && !t.se.isRunnable()) return;
            Thread.sleep(5);
        }
        throw new AssertionError("task " + tid + " never blocked in read()");
    }
}
