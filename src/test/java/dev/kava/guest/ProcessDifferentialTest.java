package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Acceptance tests of the kernel core (processes, signals, memory across fork, threads, futex,
 * clone3, exec, rlimits, timers): each program in src/test/guest/proc is compiled for riscv64 and
 * run under qemu-riscv64-static (the oracle) and under kava; stdout and exit status must match.
 *
 * <p>Where qemu-user itself cannot act as the oracle, NAME.expected (stdout) and
 * NAME.expected-status hold Linux's answer, written from the kernel source and named in the
 * program's header comment: exec.c (qemu-user 7.2 cannot execve a riscv64 program without
 * binfmt_misc), clone3.c (qemu-user 7.2 answers clone3 with ENOSYS) and clone_sighand.c (qemu-user
 * 7.2 refuses CLONE_VM without CLONE_THREAD). signals.expected is
 * qemu-riscv64-static's own output, recorded (identical over repeated runs) because qemu 7.2's
 * signal emulation sometimes hangs this program under load (a sigsuspend race in qemu-user),
 * which made the live oracle flaky in CI.
 *
 * <p>deterministic.c is not compared with qemu (its output depends on scheduling): it must print
 * the same bytes in two deterministic kava runs. badptr.c is in {@link BadInputTest}.
 */
class ProcessDifferentialTest {
    static final Path SOURCES = Path.of("src/test/guest/proc");
    static final Path ROOT = Path.of("target/guest-proc");
    static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);
    static final Duration KAVA_TIMEOUT = Duration.ofSeconds(Long.getLong("kava.guest.timeout", 300));

    /** Programs not compared here: deterministic.c has its own test, badptr.c is BadInputTest's. */
    static final Set<String> NOT_DIFFERENTIAL = Set.of("deterministic", "deterministic_timers", "badptr");

    /**
     * Programs whose kava run is skipped (Assumptions.abort) until the feature lands; they still
     * run under qemu, so the program itself stays validated. The lead prunes this as features land.
     */
    static final Map<String, String> PENDING = Map.ofEntries();

    @TestFactory
    Stream<DynamicTest> processPrograms() throws IOException {
        prepareRoot();
        List<Path> sources;
        try (Stream<Path> s = Files.list(SOURCES)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        return sources.stream()
                .filter(src -> !NOT_DIFFERENTIAL.contains(name(src)))
                .map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> compare(src)));
    }

    /** Two deterministic runs of a program whose output depends on scheduling print the same bytes. */
    @Test
    void deterministicModeIsReproducible() throws Exception {
        prepareRoot();
        Path bin = GuestToolchain.compile(SOURCES.resolve("deterministic.c"), ROOT);
        String name = bin.getFileName().toString();
        GuestRun qemu = GuestRun.underQemu(ROOT, name, null, QEMU_TIMEOUT);
        assertEquals(0, qemu.status(), "deterministic.c fails under qemu:\n" + qemu.stderrText());
        assertTrue(qemu.stdoutText().endsWith("entries 200\n"), qemu.stdoutText());
        GuestRun first = GuestRun.underKava(ROOT, name, null, KAVA_TIMEOUT, true);
        GuestRun second = GuestRun.underKava(ROOT, name, null, KAVA_TIMEOUT, true);
        assertEquals(0, first.status(), "kava:\n" + first.stderrText());
        assertTrue(first.stdoutText().endsWith("entries 200\n"), first.stdoutText() + first.stderrText());
        assertEquals(first.stdoutText(), second.stdoutText(), "two deterministic runs differ");
    }

    /**
     * In deterministic mode timers fire by the virtual clock, not a host timer thread: two runs of
     * a program whose ITIMER_REAL, ITIMER_PROF and POSIX timer signals interrupt spinning and
     * sleeping threads print the same bytes (which thread was interrupted, and when).
     */
    @Test
    void deterministicTimersAreReproducible() throws Exception {
        prepareRoot();
        Path bin = GuestToolchain.compile(SOURCES.resolve("deterministic_timers.c"), ROOT);
        String name = bin.getFileName().toString();
        GuestRun first = GuestRun.underKava(ROOT, name, null, KAVA_TIMEOUT, true);
        GuestRun second = GuestRun.underKava(ROOT, name, null, KAVA_TIMEOUT, true);
        assertEquals(0, first.status(), "kava:\n" + first.stderrText());
        assertTrue(first.stdoutText().contains("events 60,"), first.stdoutText() + first.stderrText());
        assertTrue(first.stdoutText().contains("PROF"), "ITIMER_PROF never fired:\n" + first.stdoutText());
        assertEquals(first.stdoutText(), second.stdoutText(), "two deterministic runs differ");
    }

    static String name(Path src) {
        return src.getFileName().toString().replaceFirst("\\.c$", "");
    }

    /** The root both runs see: the test data of GuestDifferentialTest, the scripts and an executable non-program. */
    static void prepareRoot() throws IOException {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Files.createDirectories(ROOT);
        GuestDifferentialTest.GuestData.create(ROOT);
        try (Stream<Path> s = Files.list(SOURCES)) {
            for (Path sh : s.filter(p -> p.toString().endsWith(".sh")).toList()) {
                Path to = ROOT.resolve(sh.getFileName().toString());
                Files.copy(sh, to, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path garbage = ROOT.resolve("garbage.bin");
        Files.write(garbage, "garbage\0\1\2 not an executable\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void compare(Path src) throws Exception {
        Path bin = GuestToolchain.compile(src, ROOT);
        String name = bin.getFileName().toString();
        Path stdinFile = src.resolveSibling(name + ".stdin");
        byte[] stdin = Files.isRegularFile(stdinFile) ? Files.readAllBytes(stdinFile) : null;
        Path expectedFile = src.resolveSibling(name + ".expected");
        byte[] want;
        int wantStatus;
        if (Files.isRegularFile(expectedFile)) {
            want = Files.readAllBytes(expectedFile);
            Path st = src.resolveSibling(name + ".expected-status");
            wantStatus = Files.isRegularFile(st) ? Integer.parseInt(Files.readString(st).trim()) : 0;
        } else {
            GuestRun qemu = GuestRun.underQemu(ROOT, name, stdin, QEMU_TIMEOUT);
            want = qemu.stdout();
            wantStatus = qemu.status();
        }
        String pending = PENDING.get(name);
        // -Dkava.pending.run=true runs the pending programs under kava too, to see which have landed.
        if (pending != null && !Boolean.getBoolean("kava.pending.run")) Assumptions.abort("pending: " + pending);
        GuestRun actual = GuestRun.underKava(ROOT, name, stdin, KAVA_TIMEOUT);
        String context = "\n--- kava stderr ---\n" + actual.stderrText();
        if (!java.util.Arrays.equals(want, actual.stdout())) {
            fail(name + ": stdout differs from Linux's\n"
                    + GuestDifferentialTest.firstDifference(new String(want, StandardCharsets.UTF_8), actual.stdoutText()) + context);
        }
        assertEquals(wantStatus, actual.status(), name + ": exit status differs from Linux's" + context);
    }
}
