package dev.kava.guest;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's own regression suite inside kava: each module marked "fast" in
 * src/test/guest/cpython/modules (all of them pass under qemu-riscv64-static, that is on Linux)
 * runs as `python3 -m test -v --timeout N MODULE` in a fresh kernel, and must end with
 * "Result: SUCCESS". The whole list, compared with qemu module by module, is tools/cpython-tests.
 */
class CpythonSuiteTest {
    static final Path MODULES = Path.of("src/test/guest/cpython/modules");
    /** regrtest's own per-module timeout; the harness waits a little longer. */
    static final int MODULE_TIMEOUT_S = Integer.getInteger("kava.cpython.timeout", 600);
    static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8", "TERM=dumb");

    /** The modules marked fast: lines "MODULE fast", # comments. */
    static List<String> fastModules() throws IOException {
        return Files.readAllLines(MODULES).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length > 1 && f[1].equals("fast"))
                .map(f -> f[0])
                .toList();
    }

    @TestFactory
    Stream<DynamicTest> fastModulesPassInsideKava() throws Exception {
        Path root;
        try {
            root = CpythonRoot.get();
        } catch (org.opentest4j.TestAbortedException skipped) {
            // A factory's own skip is not reported; a skipped test carries the reason.
            return Stream.of(DynamicTest.dynamicTest("python root", () -> {
                throw skipped;
            }));
        }
        return fastModules().stream().map(m -> DynamicTest.dynamicTest(m, () -> {
            GuestRun r = GuestRun.underKava(root,
                    List.of("/usr/bin/python3", "-m", "test", "-v", "--timeout", Integer.toString(MODULE_TIMEOUT_S), m),
                    ENV, null, Duration.ofSeconds(MODULE_TIMEOUT_S + 120));
            String out = r.stdoutText() + r.stderrText();
            List<String> lines = out.lines().toList();
            String failures = lines.stream()
                    .filter(l -> l.startsWith("FAIL:") || l.startsWith("ERROR:") || l.contains("Error:"))
                    .collect(Collectors.joining("\n"));
            assertTrue(lines.contains("Result: SUCCESS"), m + " did not pass inside kava (exit status " + r.status()
                    + "):\n" + failures + "\n--- last output ---\n" + out.substring(Math.max(0, out.length() - 4000)));
        }));
    }
}
