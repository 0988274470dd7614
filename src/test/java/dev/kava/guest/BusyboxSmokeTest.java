package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests with real Debian software: Debian trixie's riscv64 busybox-static, fetched,
 * verified and unpacked into target/guest-busybox by kava's own root filesystem builder
 * ({@code kava rootfs build --packages busybox-static}, run in-process: no apt-get or dpkg
 * needed; the index and the .deb are cached under ~/.cache/kava/debs, so later runs work
 * offline), run under kava in-process.
 *
 * <p>The shared acceptance script busybox-smoke.sh (shared/acceptance beside the repository) runs
 * inside kava and must pass every check; a set of single busybox command lines must print what
 * Linux prints (checked under qemu-riscv64-static).
 */
class BusyboxSmokeTest {
    static final Path ROOT = Path.of("target/guest-busybox");
    static final String SUITE = "trixie";
    static final String PACKAGE = "busybox-static";
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("kava.guest.timeout", 300));
    static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");

    private static boolean rootReady;

    /**
     * The busybox root, built afresh once per test run by {@code kava rootfs build} (a few
     * seconds once the .deb is cached). Works offline from the builder's cache when the archive
     * cannot be reached; skips the test only when neither the archive nor a cached index is there.
     */
    static synchronized Path root() throws Exception {
        if (rootReady) return ROOT;
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--suite", SUITE, "--packages", PACKAGE,
                "--dir", ROOT.toString()));
        String unreachable = archiveUnreachable();
        if (unreachable != null) {
            Path index = debCache().resolve("index").resolve(SUITE).resolve("InRelease");
            Assumptions.assumeTrue(Files.isRegularFile(index) && cachedDeb() != null, () -> "skipped: " + PACKAGE
                    + " is not in " + debCache() + " and the Debian archive cannot be reached: " + unreachable);
            args.add("--offline");
        }
        deleteTree(ROOT);
        Files.deleteIfExists(Path.of(ROOT + ".mtree"));
        int rc = dev.kava.cli.Main.execute(args.toArray(new String[0]));
        assertEquals(0, rc, "kava " + String.join(" ", args) + " failed (its messages are on stderr)");
        assertTrue(Files.isRegularFile(ROOT.resolve("usr/bin/busybox")), "no usr/bin/busybox after kava rootfs build");
        rootReady = true;
        return ROOT;
    }

    /** Removes a tree without following its symbolic links. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    /** Where kava rootfs build (and tools/debian-fetch) keep the suite's index and .debs. */
    static Path debCache() {
        return dev.kava.tools.rootfs.RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), SUITE);
    }

    static Path cachedDeb() throws IOException {
        Path dir = debCache();
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(PACKAGE + "_")
                    && f.getFileName().toString().endsWith("_riscv64.deb")).findFirst().orElse(null);
        }
    }

    /** Null when a TCP connection to the archive kava rootfs build would use succeeds, else why not. */
    static String archiveUnreachable() {
        String url;
        try {
            url = dev.kava.tools.rootfs.AptSources.findMirror(null, System.getenv(), Path.of("/etc/apt"));
        } catch (RuntimeException e) {
            return "no archive: " + e.getMessage();
        }
        URI u = URI.create(url);
        int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 5000);
            return null;
        } catch (IOException e) {
            return url + ": " + e;
        }
    }

    /** The shared acceptance script: -Dkava.acceptance.dir, else shared/acceptance beside the repository. */
    static Path smokeScript() {
        String dir = System.getProperty("kava.acceptance.dir");
        Path p = (dir != null ? Path.of(dir) : Path.of("..", "shared", "acceptance")).resolve("busybox-smoke.sh");
        Assumptions.assumeTrue(Files.isRegularFile(p), () -> "skipped: no acceptance script at " + p.toAbsolutePath()
                + " (set -Dkava.acceptance.dir)");
        return p;
    }

    /**
     * busybox-smoke.sh inside kava: every check passes (the last line says 0 failed), on the
     * host's cores and in the deterministic mode (one vCPU, time counted in instructions).
     */
    @ParameterizedTest(name = "deterministic={0}")
    @ValueSource(booleans = {false, true})
    void smokeScriptPasses(boolean deterministic) throws Exception {
        Path root = root();
        Files.copy(smokeScript(), root.resolve("busybox-smoke.sh"), StandardCopyOption.REPLACE_EXISTING);
        List<String> env = new ArrayList<>(ENV);
        env.add("BB=/bin/busybox");
        GuestRun r = GuestRun.underKava(root, List.of("/bin/busybox", "sh", "/busybox-smoke.sh"), env, null, TIMEOUT, deterministic);
        String out = r.stdoutText();
        List<String> lines = out.lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String failures = String.join("\n", lines.stream().filter(l -> l.startsWith("not ok")).toList());
        assertTrue(last.matches("\\d+ passed, 0 failed"), "last line: " + last + "\n" + failures
                + "\n--- kava stderr ---\n" + r.stderrText());
        assertEquals(0, r.status(), out + r.stderrText());
    }

    /**
     * The default root as ./kava builds it (kava rootfs build -o: busybox-static in an LZMA
     * EROFS image) passes the script too, with the script on a read-only volume at /root.
     */
    @Test
    void smokeScriptPassesOnTheDefaultRootImage() throws Exception {
        root(); // the archive or the cache must be there (skips otherwise)
        Path image = Path.of("target/guest-busybox.erofs");
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--suite", SUITE, "--packages", PACKAGE,
                "-o", image.toString()));
        if (archiveUnreachable() != null) args.add("--offline");
        assertEquals(0, dev.kava.cli.Main.execute(args.toArray(new String[0])), "kava " + String.join(" ", args) + " failed");
        Path scripts = Files.createDirectories(Path.of("target/guest-busybox-scripts"));
        Files.copy(smokeScript(), scripts.resolve("busybox-smoke.sh"), StandardCopyOption.REPLACE_EXISTING);
        List<String> env = new ArrayList<>(ENV);
        env.add("BB=/bin/busybox");
        GuestRun r = GuestRun.underKava(image, List.of("/bin/busybox", "sh", "/root/busybox-smoke.sh"), env, null, TIMEOUT,
                false, null, List.of(new dev.kava.init.InitMounts.Volume(scripts, "/root", false)));
        String out = r.stdoutText();
        List<String> lines = out.lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String failures = String.join("\n", lines.stream().filter(l -> l.startsWith("not ok")).toList());
        assertTrue(last.matches("\\d+ passed, 0 failed"), "last line: " + last + "\n" + failures
                + "\n--- kava stderr ---\n" + r.stderrText());
        assertEquals(0, r.status(), out + r.stderrText());
    }

    /** One busybox command line, what it must print and its exit status. */
    record Case(String name, List<String> argv, String stdout, int status) {}

    static Case sh(String name, String script, String stdout) {
        return new Case(name, List.of("/bin/busybox", "sh", "-c", script), stdout, 0);
    }

    /** Busybox commands that need no writable filesystem, /proc or /dev: they must work today. */
    @TestFactory
    Stream<DynamicTest> commandsThatWorkToday() throws Exception {
        Path root;
        try {
            root = root();
        } catch (org.opentest4j.TestAbortedException skipped) {
            // A factory's own skip is not reported; a skipped test carries the reason.
            return Stream.of(DynamicTest.dynamicTest("busybox root", () -> {
                throw skipped;
            }));
        }
        String md5Busybox = md5(Files.readAllBytes(root.resolve("usr/bin/busybox")));
        String seq5000 = String.join("", IntStream.rangeClosed(1, 5000).mapToObj(i -> i + "\n").toList());
        List<Case> cases = List.of(
                new Case("echo", List.of("/bin/busybox", "echo", "hi"), "hi\n", 0),
                sh("arithmetic", "echo $((6*7))", "42\n"),
                sh("pipeline", "busybox seq 1 100 | busybox wc -l", "100\n"),
                sh("exit statuses", "busybox false; echo $?; (exit 7); echo $?; busybox sh -c 'exit 300'; echo $?", "1\n7\n44\n"),
                new Case("exit status of sh", List.of("/bin/busybox", "sh", "-c", "exit 3"), "", 3),
                sh("many forks", "i=0; while [ $i -lt 50 ]; do busybox true; i=$((i+1)); done; echo $i", "50\n"),
                // No background jobs (&) yet: busybox sh opens /dev/null as their stdin.
                sh("killed by signals", "busybox sh -c 'kill -9 $$'; echo $?; busybox sh -c 'kill $$'; echo $?", "137\n143\n"),
                sh("trap", "trap 'echo got' USR1; kill -USR1 $$; echo after", "got\nafter\n"),
                sh("sigpipe", "{ { busybox yes; echo $? >&3; } | busybox head -n 2; } 3>&1", "y\ny\n141\n"),
                sh("timeout", "busybox timeout 0.3 busybox sleep 5; echo $?", "143\n"),
                sh("md5sum of a file", "busybox md5sum /bin/busybox", md5Busybox + "  /bin/busybox\n"),
                sh("gzip through pipes", "busybox seq 1 5000 | busybox gzip | busybox gunzip | busybox md5sum",
                        md5(seq5000.getBytes(StandardCharsets.US_ASCII)) + "  -\n"),
                // Debian's busybox-static awk has no math functions; printf of a double it has.
                new Case("awk", List.of("/bin/busybox", "awk", "BEGIN{for(i=1;i<=100;i++) s+=i; printf \"%d %.2f %s\\n\", s, s/7, substr(\"kava\", 2)}"),
                        "5050 721.43 ava\n", 0),
                new Case("ionice", List.of("/bin/busybox", "ionice", "-c2", "-n7", "/bin/busybox", "ionice"), "best-effort: prio 7\n", 0),
                sh("uname", "busybox uname -m; busybox uname -r | busybox cut -d. -f1", "riscv64\n7\n"),
                sh("linux32 and linux64", "busybox linux32 busybox uname -m; busybox linux64 busybox uname -m", "riscv32\nriscv64\n"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            GuestRun r = GuestRun.underKava(root, c.argv(), ENV, null, TIMEOUT);
            String context = c.argv() + "\n--- kava stderr ---\n" + r.stderrText();
            assertEquals(c.stdout(), r.stdoutText(), context);
            assertEquals(c.status(), r.status(), context);
        }));
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
