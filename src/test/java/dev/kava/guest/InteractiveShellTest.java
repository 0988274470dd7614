package dev.kava.guest;

import dev.kava.cli.Main;
import dev.kava.drivers.tty.NativeTerminal;
import dev.kava.fs.HostStdio;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;
import dev.kava.tools.rootfs.RootfsBuilder;
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
 * The interactive session, driven through a real host pseudo-terminal as a user at a
 * terminal would: Debian's busybox sh on kava's console shows its prompt, runs echo, survives
 * ^C interrupting sleep, stops a job with ^Z and resumes it with fg, runs vi on a file (which
 * draws it) and quits it with :q; afterwards the host terminal has its settings back.
 */
class InteractiveShellTest {
    static final Path ROOT = Path.of("target/guest-interactive");
    static final long STEP_MS = 60_000;
    static final String PROMPT = "kava$ ";

    /** A busybox-static root made by kava's own builder (cached .debs; skipped without archive and cache). */
    static Path busyboxRoot() throws Exception {
        if (Files.isExecutable(ROOT.resolve("bin/busybox"))) return ROOT;
        Path cache = RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), "trixie");
        int rc = Main.execute("rootfs", "build", "--packages", "busybox-static", "--dir", ROOT.toString());
        Assumptions.assumeTrue(rc == 0 || Files.isRegularFile(cache.resolve("index/trixie/InRelease")),
                "no Debian archive reachable and no cached index");
        assertEquals(0, rc, "kava rootfs build failed");
        return ROOT;
    }

    @Test
    void busyboxShellOnTheConsole() throws Throwable {
        Assumptions.assumeTrue(HostPty.supported(), "needs a Linux host pty");
        Path root = busyboxRoot();
        try (HostPty pty = new HostPty()) {
            pty.setWindowSize(80, 24);
            int cookedLflag = pty.slaveLflag();
            NativeTerminal term = NativeTerminal.open(pty.slave, pty.slave);
            assertNotNull(term, "the pty slave is a terminal");
            assertTrue(term.enterRaw());
            ByteArrayOutputStream klog = new ByteArrayOutputStream();
            Kernel kernel = new Kernel(new Kernel.Config()
                    .root(root)
                    .stdioKinds(HostStdio.Kind.TTY, HostStdio.Kind.TTY, HostStdio.Kind.TTY)
                    .console(term)
                    .kernelLog(new PrintStream(klog, true, StandardCharsets.UTF_8)));
            CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(() -> kernel.run("/bin/sh",
                    List.of("sh", "-i"), List.of("PS1=" + PROMPT, "HOME=/root", "TERM=vt100", "PATH=/usr/bin:/bin")));
            try {
                assertTrue(pty.readUntil(PROMPT, STEP_MS).endsWith(PROMPT), "the prompt");
                pty.type("echo hi\r");
                assertTrue(pty.readUntil("hi\r\n" + PROMPT, STEP_MS).contains("echo hi\r\nhi\r\n"), "echo");

                pty.type("sleep 100\r");
                pty.readUntil("sleep 100\r\n", STEP_MS);
                Thread.sleep(500);
                pty.type("\u0003");
                pty.readUntil(PROMPT, STEP_MS);
                pty.type("echo alive $?\r");
                assertTrue(pty.readUntil("alive 130\r\n" + PROMPT, STEP_MS).contains("alive 130"), "^C killed sleep, not the shell");

                pty.type("sleep 100\r");
                pty.readUntil("sleep 100\r\n", STEP_MS);
                Thread.sleep(500);
                pty.type("\u001a");
                String stopped = pty.readUntil(PROMPT, STEP_MS);
                assertTrue(stopped.contains("Stopped"), "^Z stops the job: " + stopped);
                pty.type("fg\r");
                assertTrue(pty.readUntil("sleep 100\r\n", STEP_MS).contains("sleep 100"), "fg names the job");
                Thread.sleep(500);
                pty.type("\u0003");
                pty.readUntil(PROMPT, STEP_MS);

                pty.type("echo 'line one of the file' > /tmp/f; vi /tmp/f\r");
                assertTrue(pty.readUntil("line one of the file", STEP_MS).contains("line one of the file"), "vi draws the file");
                Thread.sleep(300);
                pty.type(":q\r");
                pty.readUntil(PROMPT, STEP_MS);
                pty.type("echo back $?\r");
                assertTrue(pty.readUntil("back 0\r\n" + PROMPT, STEP_MS).contains("back 0"), "vi exited with 0");

                pty.type("exit\r");
                assertEquals(ExitStatus.exited(0), run.get(STEP_MS, TimeUnit.MILLISECONDS), klog.toString(StandardCharsets.UTF_8));
            } finally {
                kernel.killAll();
                term.close();
            }
            assertEquals(cookedLflag, pty.slaveLflag(), "the host terminal got its settings back");
        }
    }
}
