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
        List<dev.kava.init.InitMounts.Volume> volumes = Volumes.of(src.resolveSibling(name + ".volumes"), root);
        Volumes.reset(volumes);
        GuestRun expected = GuestRun.underQemu(root, name, stdin, QEMU_TIMEOUT);
        String qemuTree = Volumes.snapshot(volumes);
        Volumes.reset(volumes);
        GuestRun actual = GuestRun.underKava(root, name, stdin, KAVA_TIMEOUT, false, null, volumes);
        String context = "\n--- kava stderr ---\n" + actual.stderrText();
        if (!java.util.Arrays.equals(expected.stdout(), actual.stdout())) {
            fail(name + ": stdout differs from qemu's\n" + firstDifference(expected.stdoutText(), actual.stdoutText()) + context);
        }
        assertEquals(expected.status(), actual.status(), name + ": exit status differs from qemu's" + context);
        assertEquals(qemuTree, Volumes.snapshot(volumes), name + ": the volumes' host trees differ" + context);
    }

    /**
     * NAME.volumes beside NAME.c: one line per host directory kava mounts, "SUBDIR[:ro|:rw]",
     * a directory of the root mounted at /SUBDIR. Under qemu the program reaches the same host
     * directory as SUBDIR relative to its working directory (the root), so a program that uses
     * relative paths sees the same files both ways; each run starts with the directories empty,
     * and after both the trees they leave on the host must be the same.
     */
    static final class Volumes {
        static List<dev.kava.init.InitMounts.Volume> of(Path spec, Path root) throws IOException {
            if (!Files.isRegularFile(spec)) return List.of();
            List<dev.kava.init.InitMounts.Volume> out = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(spec)) {
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(":");
                out.add(new dev.kava.init.InitMounts.Volume(root.resolve(parts[0]).toAbsolutePath(), "/" + parts[0],
                        parts.length > 1 && parts[1].equals("rw")));
            }
            return out;
        }

        /** Empties each volume's host directory (never following a symlink out of it). */
        static void reset(List<dev.kava.init.InitMounts.Volume> volumes) throws IOException {
            for (var v : volumes) {
                if (Files.exists(v.host(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> s = Files.walk(v.host())) {
                        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            if (!p.equals(v.host())) Files.delete(p);
                        }
                    }
                }
                Files.createDirectories(v.host());
            }
        }

        /** Every file under the volumes: path, type, permissions, size and content hash, sorted. */
        static String snapshot(List<dev.kava.init.InitMounts.Volume> volumes) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (var v : volumes) {
                List<Path> all;
                try (Stream<Path> s = Files.walk(v.host())) {
                    all = s.sorted().toList();
                }
                for (Path p : all) {
                    var a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    sb.append(v.host().relativize(p)).append(' ')
                            .append(a.isDirectory() ? 'd' : a.isSymbolicLink() ? 'l' : a.isRegularFile() ? '-' : '?')
                            .append(java.nio.file.attribute.PosixFilePermissions.toString(a.permissions())).append(' ')
                            .append(a.isRegularFile() ? a.size() : 0);
                    if (a.isRegularFile()) sb.append(' ').append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
                    if (a.isSymbolicLink()) sb.append(" -> ").append(Files.readSymbolicLink(p));
                    sb.append('\n');
                }
            }
            return sb.toString();
        }
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
