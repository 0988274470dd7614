package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential tests: each C program in src/test/guest is compiled for riscv64, run under
 * qemu-riscv64-static (Linux itself answers its syscalls: the oracle) and under kava, and must
 * print the same bytes to stdout and end with the same status. Programs in src/test/guest/dynamic
 * are linked dynamically and run with the cross toolchain's ld.so and libc under the root.
 */
class GuestDifferentialTest {
    static final Path SOURCES = Path.of("src/test/guest");
    static final Path BUILD = Path.of("target/guest");
    static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);
    static final Duration KAVA_TIMEOUT = Duration.ofSeconds(Long.getLong("kava.guest.timeout", 300));

    @TestFactory
    Stream<DynamicTest> guestPrograms() throws IOException {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Files.createDirectories(BUILD);
        GuestData.create(BUILD);
        List<Path> sources;
        try (Stream<Path> s = Files.list(SOURCES)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> compare(src, BUILD, true)));
    }

    /** Dynamically linked programs (src/test/guest/dynamic): PT_INTERP, ld.so, shared libraries mapped from files. */
    @TestFactory
    Stream<DynamicTest> dynamicallyLinkedPrograms() throws IOException {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Path root = Path.of("target/guest-dynamic");
        Assumptions.assumeTrue(GuestToolchain.installSharedLibs(root),
                () -> "skipped: no riscv64 shared libraries in " + GuestToolchain.CROSS_LIBS + " (Debian: libc6-riscv64-cross)");
        List<Path> sources;
        try (Stream<Path> s = Files.list(SOURCES.resolve("dynamic"))) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> compare(src, root, false)));
    }

    private static void compare(Path src, Path root, boolean statically) throws Exception {
        Path bin = GuestToolchain.compile(src, root, statically);
        GuestData.scratch(root);
        String name = bin.getFileName().toString();
        // NAME.stdin beside NAME.c is fed to both runs; without one, stdin is /dev/null.
        Path stdinFile = src.resolveSibling(name + ".stdin");
        byte[] stdin = Files.isRegularFile(stdinFile) ? Files.readAllBytes(stdinFile) : null;
        GuestRun expected = GuestRun.underQemu(root, name, stdin, QEMU_TIMEOUT);
        GuestRun actual = GuestRun.underKava(root, name, stdin, KAVA_TIMEOUT);
        String context = "\n--- kava stderr ---\n" + actual.stderrText();
        if (!java.util.Arrays.equals(expected.stdout(), actual.stdout())) {
            fail(name + ": stdout differs from qemu's\n" + firstDifference(expected.stdoutText(), actual.stdoutText()) + context);
        }
        assertEquals(expected.status(), actual.status(), name + ": exit status differs from qemu's" + context);
    }

    /** The first differing line, with its neighbours, for a failure message. */
    static String firstDifference(String want, String got) {
        String[] a = want.split("\n", -1), b = got.split("\n", -1);
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) i++;
        StringBuilder sb = new StringBuilder("first difference at line " + (i + 1) + ":\n");
        for (int k = Math.max(0, i - 2); k < i; k++) sb.append("  ").append(a[k]).append('\n');
        sb.append("- qemu: ").append(i < a.length ? a[i] : "<end of output>").append('\n');
        sb.append("+ kava: ").append(i < b.length ? b[i] : "<end of output>").append('\n');
        sb.append("(qemu printed ").append(a.length - 1).append(" lines, kava ").append(b.length - 1).append(")");
        return sb.toString();
    }

    /**
     * The read-only tree files.c and mm.c look at, the same for both runs (they run with BUILD as
     * root / cwd), and an empty scratch directory tmp/: under kava the root's /tmp gets a tmpfs
     * (the hostfs root is read-only), under qemu it is the host directory itself. Programs that
     * create files do it under the relative path tmp/, which is the same place in both runs.
     */
    static final class GuestData {
        /** Empties root/tmp (what an earlier qemu run left there) and makes sure it exists. */
        static void scratch(Path root) throws IOException {
            Path tmp = root.resolve("tmp");
            if (Files.isDirectory(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(tmp, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                        Files.delete(f);
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        if (e != null) throw e;
                        if (!dir.equals(tmp)) Files.delete(dir);
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.deleteIfExists(tmp);
                Files.createDirectories(tmp);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        static void create(Path root) throws IOException {
            scratch(root);
            Path data = root.resolve("data");
            Path sub = data.resolve("sub");
            Files.createDirectories(sub);
            write(data.resolve("hello.txt"), "hello, kava\nsecond line\n");
            write(sub.resolve("inner.txt"), "inner file\n");
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
            link(data.resolve("link"), "hello.txt");
            link(data.resolve("dangling"), "nowhere");
            link(data.resolve("loop"), "loop");
            // An empty tmp: kava mounts a tmpfs there (InitMounts); under qemu it is a directory of the host's.
            Files.createDirectories(root.resolve("tmp"));
        }

        private static void write(Path p, String content) throws IOException {
            if (!Files.isRegularFile(p) || !Files.readString(p).equals(content)) Files.writeString(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }

        private static void link(Path p, String target) throws IOException {
            if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().equals(target)) return;
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        }
    }
}
