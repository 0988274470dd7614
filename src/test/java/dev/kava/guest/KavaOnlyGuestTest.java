package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Guest programs qemu-riscv64-static cannot be the oracle for (exec of a riscv64 binary needs
 * binfmt_misc on the host; qemu-user has no clone3): each src/test/guest/kava-only/NAME.c runs
 * under kava and must print exactly NAME.expected (whose last line is "status N"). The expected
 * output is what Linux prints, checked by hand on a riscv64 machine. Also the deterministic mode:
 * a multithreaded program run twice prints the same bytes.
 */
class KavaOnlyGuestTest {
    static final Path SOURCES = Path.of("src/test/guest/kava-only");
    static final Path ROOT = Path.of("target/guest-kava-only");
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicTest> kavaOnlyPrograms() throws IOException {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        createRoot();
        List<Path> sources;
        try (Stream<Path> s = Files.list(SOURCES)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> {
            Path bin = GuestToolchain.compile(src, ROOT, true);
            String name = bin.getFileName().toString();
            GuestRun run = GuestRun.underKava(ROOT, name, null, TIMEOUT);
            String want = Files.readString(src.resolveSibling(name + ".expected"), StandardCharsets.UTF_8);
            String got = run.stdoutText() + "status " + run.status() + "\n";
            assertEquals(want, got, name + "\n--- kava stderr ---\n" + run.stderrText());
        }));
    }

    /**
     * Scripts the exec test runs: one for its own binary, a loop, an empty #! line; a
     * non-executable file; and the mount points of /proc and /sys.
     */
    static void createRoot() throws IOException {
        Files.createDirectories(ROOT.resolve("data"));
        // Empty mount points: the kernel mounts procfs, sysfs and a tmpfs (the programs' scratch space) on them.
        Files.createDirectories(ROOT.resolve("proc"));
        Files.createDirectories(ROOT.resolve("sys"));
        Files.createDirectories(ROOT.resolve("tmp"));
        script("script.sh", "#!/exec_clone3 child\n");
        script("loop.sh", "#!/loop.sh\n");
        script("empty.sh", "#!  \n");
        Path data = ROOT.resolve("data/hello.txt");
        Files.writeString(data, "hello\n");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void script(String name, String text) throws IOException {
        Path p = ROOT.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Each process a fatal signal ends is named once in the kernel log (kava-only/selfcheck/kill_log.c). */
    @Test
    void fatalSignalLoggedOnce() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Files.createDirectories(ROOT);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/kava-only/selfcheck/kill_log.c"), ROOT, true);
        GuestRun r = GuestRun.underKava(ROOT, bin.getFileName().toString(), null, TIMEOUT);
        assertEquals("killed 40\n", r.stdoutText(), r.stderrText());
        long logged = r.stderrText().lines().filter(l -> l.endsWith("killed by SIGKILL")).count();
        assertEquals(40, logged, "kernel log:\n" + r.stderrText());
    }

    @Test
    void deterministicRunsRepeat() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Files.createDirectories(ROOT);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/deterministic/race.c"), ROOT, true);
        String name = bin.getFileName().toString();
        GuestRun a = GuestRun.underKava(ROOT, name, null, TIMEOUT, true);
        GuestRun b = GuestRun.underKava(ROOT, name, null, TIMEOUT, true);
        assertEquals(0, a.status(), a.stderrText());
        assertArrayEquals(a.stdout(), b.stdout(), "deterministic runs differ:\n" + a.stdoutText() + "\n---\n" + b.stdoutText());
    }

    /**
     * The acceptance criterion of --deterministic: a multi-threaded program run twice prints the same
     * bytes and leaves the same strace -f trace (same tids, addresses, results and interleaving).
     */
    @Test
    void deterministicRunsRepeatTheirTrace() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Files.createDirectories(ROOT);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/deterministic/race.c"), ROOT, true);
        String name = bin.getFileName().toString();
        java.io.ByteArrayOutputStream ta = new java.io.ByteArrayOutputStream(), tb = new java.io.ByteArrayOutputStream();
        GuestRun a = GuestRun.underKava(ROOT, name, null, TIMEOUT, true, new java.io.PrintStream(ta, true, StandardCharsets.UTF_8));
        GuestRun b = GuestRun.underKava(ROOT, name, null, TIMEOUT, true, new java.io.PrintStream(tb, true, StandardCharsets.UTF_8));
        assertEquals(0, a.status(), a.stderrText());
        String traceA = ta.toString(StandardCharsets.UTF_8), traceB = tb.toString(StandardCharsets.UTF_8);
        // The trace must show the threads (clone and the strace -f prefixes), or it proves nothing.
        org.junit.jupiter.api.Assertions.assertTrue(traceA.contains("[pid ") && traceA.contains("exit_group("), traceA);
        assertArrayEquals(a.stdout(), b.stdout(), "deterministic runs differ:\n" + a.stdoutText() + "\n---\n" + b.stdoutText());
        assertEquals(traceA, traceB, "deterministic runs leave different strace traces");
        assertUnfinishedCallsResume(traceA);
    }

    /**
     * strace -f's interleaving: a call interrupted by another task's line ends "<unfinished ...>"
     * and its result comes later as "[pid N] <... name resumed>" from the same task.
     */
    private static void assertUnfinishedCallsResume(String trace) {
        java.util.regex.Pattern open = java.util.regex.Pattern.compile("^(\\[pid +\\d+\\] )(\\w+)\\(.* <unfinished \\.\\.\\.>$");
        java.util.Map<String, String> pending = new java.util.HashMap<>();
        int unfinished = 0;
        for (String line : trace.split("\n")) {
            var m = open.matcher(line);
            if (m.matches()) {
                unfinished++;
                pending.put(m.group(1), m.group(2));
                continue;
            }
            for (var e : new java.util.ArrayList<>(pending.entrySet())) {
                // Once one task is left, strace drops the "[pid N] " prefixes.
                String resumed = "<... " + e.getValue() + " resumed>";
                if (line.startsWith(e.getKey() + resumed) || line.startsWith(resumed)) pending.remove(e.getKey());
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(unfinished > 0, "two threads never interleaved a call:\n" + trace);
        org.junit.jupiter.api.Assertions.assertTrue(pending.isEmpty(), "calls never resumed: " + pending + "\n" + trace);
    }
}
