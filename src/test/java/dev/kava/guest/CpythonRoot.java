package dev.kava.guest;

import dev.kava.cli.Main;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root the Python tests run in, made by kava's own builder from Debian trixie's riscv64
 * packages (the same set as tools/cpython-tests): python3, its regression-test package
 * libpython3.13-testsuite, busybox-static for /bin/sh, and ncurses-base for terminfo (the REPL).
 * Debian compiles the .pyc files in the packages' postinst, which the builder does not run; here
 * python3 itself compiles them once under qemu-riscv64-static (a minute), so that each test does
 * not compile the standard library again under emulation. Built once into target/guest-cpython
 * and reused while the marker file is there; skipped without archive, cache or qemu.
 */
final class CpythonRoot {
    static final Path ROOT = Path.of("target/guest-cpython");
    static final String PACKAGES = "python3,libpython3.13-testsuite,busybox-static,ncurses-base";
    private static final Path READY = Path.of("target/guest-cpython.ready");

    private CpythonRoot() {}

    static synchronized Path get() throws Exception {
        if (Files.isRegularFile(READY) && Files.isExecutable(ROOT.resolve("usr/bin/python3"))) return ROOT;
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing + " (it compiles the .pyc files)");
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--suite", BusyboxSmokeTest.SUITE,
                "--packages", PACKAGES, "--dir", ROOT.toString()));
        String unreachable = BusyboxSmokeTest.archiveUnreachable();
        if (unreachable != null) {
            Path index = BusyboxSmokeTest.debCache().resolve("index").resolve(BusyboxSmokeTest.SUITE).resolve("InRelease");
            Assumptions.assumeTrue(Files.isRegularFile(index), () -> "skipped: no cached Debian index in "
                    + BusyboxSmokeTest.debCache() + " and the archive cannot be reached: " + unreachable);
            args.add("--offline");
        }
        BusyboxSmokeTest.deleteTree(ROOT);
        Files.deleteIfExists(Path.of(ROOT + ".mtree"));
        int rc = Main.execute(args.toArray(new String[0]));
        Assumptions.assumeTrue(rc == 0 || unreachable == null, "the python packages are not all in the offline cache");
        assertEquals(0, rc, "kava " + String.join(" ", args) + " failed (its messages are on stderr)");
        assertTrue(Files.isExecutable(ROOT.resolve("usr/bin/python3")), "no usr/bin/python3 after kava rootfs build");
        compilePyc(ROOT.toAbsolutePath());
        Files.writeString(READY, PACKAGES + "\n");
        return ROOT;
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
