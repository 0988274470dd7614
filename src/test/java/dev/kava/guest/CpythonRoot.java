package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root the Python tests run in, made by kava's own builder from Debian trixie's riscv64
 * packages (the same set as tools/cpython-tests): python3, its regression-test package
 * libpython3.13-testsuite, busybox-static for /bin/sh, and ncurses-base for terminfo (the REPL).
 * Debian compiles the .pyc files in the packages' postinst, which the builder does not run; here
 * python3 itself compiles them once under qemu-riscv64-static (a minute), so that each test does
 * not compile the standard library again under emulation. Built and reused as every DebianRoot
 * (target/guest-cpython); skipped without archive, cache or qemu.
 */
final class CpythonRoot {
    static final String PACKAGES = "python3,libpython3.13-testsuite,busybox-static,ncurses-base";

    private CpythonRoot() {}

    static Path get() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing + " (it compiles the .pyc files)");
        return DebianRoot.get("cpython", PACKAGES, "usr/bin/python3", root -> compilePyc(root.toAbsolutePath()));
    }

    /**
     * python3 -m compileall under qemu; -s/-p make the code objects name /usr/lib/..., the path
     * inside the guest. Some test data files are deliberately not Python (compileall reports
     * them and goes on), so its exit status is not looked at.
     */
    private static void compilePyc(Path root) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(GuestToolchain.QEMU, "-L", root.toString(), root + "/usr/bin/python3",
                "-m", "compileall", "-q", "-s", root.toString(), "-p", "/", root + "/usr/lib/python3.13")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("compileall under qemu took more than 15 minutes");
        }
        assertTrue(Files.isRegularFile(root.resolve("usr/lib/python3.13/__pycache__/os.cpython-313.pyc")),
                "compileall left no os.cpython-313.pyc");
    }
}
