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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's python3 interactive REPL on kava's console, driven through a real host pty as a
 * user would: Python 3.13's default REPL (pyrepl: terminfo, raw mode, its own line editing)
 * shows its prompt, evaluates 1+1, and exit() ends it with status 0; afterwards the host
 * terminal has its settings back.
 */
class PythonReplTest {
    static final long STEP_MS = 120_000;

    @Test
    void defaultReplOnTheConsole() throws Throwable {
        Assumptions.assumeTrue(HostPty.supported(), "needs a Linux host pty");
        Path root = CpythonRoot.get();
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
            CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(() -> kernel.run("/usr/bin/python3",
                    List.of("python3"), List.of("HOME=/root", "TERM=xterm", "LANG=C.UTF-8", "PATH=/usr/bin:/bin")));
            try {
                String banner = pty.readUntil(">>> ", STEP_MS);
                assertTrue(banner.contains("Python 3.13"), banner);
                assertFalse(banner.contains("can't use pyrepl"), "the default REPL, not the basic one: " + banner);
                pty.type("1+1\r");
                assertTrue(pty.readUntil("2\r\n", STEP_MS).endsWith("2\r\n"), "1+1 is 2");
                pty.readUntil(">>> ", STEP_MS);
                pty.type("exit()\r");
                assertEquals(ExitStatus.exited(0), run.get(STEP_MS, TimeUnit.MILLISECONDS), klog.toString(StandardCharsets.UTF_8));
            } finally {
                kernel.killAll();
                term.close();
            }
            assertEquals(cookedLflag, pty.slaveLflag(), "the host terminal got its settings back");
        }
    }
}
