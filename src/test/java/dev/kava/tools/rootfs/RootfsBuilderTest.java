package dev.kava.tools.rootfs;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole builder against a signed archive made in the test (file: and http: mirrors). */
class RootfsBuilderTest {
    private static final TestKey KEY = TestKey.generate("kava Test Archive <archive@kava.invalid>");

    @TempDir
    Path tmp;

    FakeArchive archive;
    Path cache, home, aptDir;
    Path hello;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        archive = new FakeArchive(tmp.resolve("archive"), KEY, "kavatest");
        cache = tmp.resolve("cache");
        home = tmp.resolve("home");
        aptDir = tmp.resolve("apt");
        Files.createDirectories(aptDir);
        archive.add(new TestDeb("libhello1", "1.0-1", "riscv64").control("Multi-Arch: same\n")
                .dir("./", 0755).file("./usr/lib/riscv64-linux-gnu/libhello.so.1", 0644, "ELF?"), "libhello1", "1.0-1", "riscv64");
        hello = archive.add(new TestDeb("hello", "2.10-3", "riscv64").control("Depends: libhello1 (>= 1.0), sh-provider | busybox\n")
                .dir("./", 0755).file("./usr/bin/hello", 0755, "#!/bin/sh\necho hello\n")
                .file("./usr/bin/sudo-ish", 04755, "suid"), "hello", "2.10-3", "riscv64");
        archive.add(new TestDeb("busybox", "1:1.37.0-6", "riscv64")
                .dir("./", 0755).file("./usr/bin/busybox", 0755, 0, 0, BusyboxAppletsTest.fakeBusybox(true)), "busybox", "1:1.37.0-6", "riscv64");
        archive.add(new TestDeb("base-files", "13.8", "riscv64")
                .file("./usr/lib/os-release", 0644, "PRETTY_NAME=\"from base-files\"\n").symlink("./etc/os-release", "../usr/lib/os-release"),
                "base-files", "13.8", "riscv64");
        archive.publish(Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(7)));
    }

    private RootfsBuilder.Options opts(String mirror, Path dir, boolean offline, String... pkgs) throws IOException {
        return new RootfsBuilder.Options("kavatest", "riscv64", List.of(pkgs), mirror, cache, dir, null, null, offline, true,
                List.of(archive.keyFile()));
    }

    private RootfsBuilder.Result build(RootfsBuilder.Options o) {
        return build(o, Map.of(), null);
    }

    private RootfsBuilder.Result build(RootfsBuilder.Options o, Map<String, String> env, RootfsImageWriter writer) {
        RootfsBuilder.Host host = new RootfsBuilder.Host(env, aptDir, tmp.resolve("no-keyrings"), home, Clock.systemUTC(),
                new Fetcher(Map.of()), writer);
        return new RootfsBuilder(o, host, new PrintStream(log, true, StandardCharsets.UTF_8), false).build();
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void buildsATreeFromTheArchive() throws IOException {
        Path dir = tmp.resolve("root");
        RootfsBuilder.Result r = build(opts(archive.url(), dir, false, "hello"));
        assertEquals(List.of("libhello1", "busybox", "hello"), r.packages().stream().map(BinaryPackage::name).toList(),
                "sh-provider is in no package: busybox; base-files is not added unasked");
        assertEquals(3, r.downloaded());
        assertEquals("#!/bin/sh\necho hello\n", Files.readString(dir.resolve("usr/bin/hello")));
        assertEquals("busybox", Files.readSymbolicLink(dir.resolve("bin/sh")).toString());
        assertTrue(Files.isSymbolicLink(dir.resolve("usr/bin/ls")), "applet links");
        assertEquals("root:x:0:0:root:/root:/bin/sh", Files.readAllLines(dir.resolve("etc/passwd")).get(0));
        assertEquals("kava\n", Files.readString(dir.resolve("etc/hostname")));
        assertTrue(Files.readString(dir.resolve("etc/profile")).contains("PS1="));
        assertTrue(Files.readString(dir.resolve("etc/os-release")).contains("VERSION_CODENAME=kavatest"));
        for (String d : List.of("proc", "sys", "dev", "tmp", "run", "root", "var/tmp")) assertTrue(Files.isDirectory(dir.resolve(d)), d);
        String status = Files.readString(dir.resolve("var/lib/dpkg/status"));
        assertTrue(status.contains("Package: hello\nStatus: install ok unpacked\n"), status);
        assertTrue(Files.readString(dir.resolve("var/lib/dpkg/info/hello.list")).contains("/usr/bin/hello\n"));

        Manifest m = Manifest.read(r.manifestFile());
        assertEquals(tmp.resolve("root.mtree"), r.manifestFile());
        assertEquals(04755, m.get("/usr/bin/sudo-ish").mode());
        assertEquals(01777, m.get("/tmp").mode());
        assertEquals(0700, m.get("/root").mode());
        assertEquals(Manifest.Type.SYMLINK, m.get("/usr/bin/sh").type(), "manifest paths are canonical: /bin is a symlink");
        assertTrue(Files.isRegularFile(cache.resolve("index/kavatest/main/binary-riscv64/Packages")), "kept uncompressed");
        assertFalse(Files.exists(cache.resolve("index/kavatest/main/binary-riscv64/Packages.xz")));
        assertTrue(Files.isRegularFile(cache.resolve("hello_2.10-3_riscv64.deb")));
        assertTrue(log().contains("get 1/3 libhello1 1.0-1"), log());
    }

    @Test
    void osReleaseFromBaseFilesWins() throws IOException {
        Path dir = tmp.resolve("root");
        build(opts(archive.url(), dir, false, "busybox", "base-files"));
        assertEquals("PRETTY_NAME=\"from base-files\"\n", Files.readString(dir.resolve("etc/os-release")));
    }

    @Test
    void rebuildsOfflineFromTheCache() throws IOException {
        build(opts(archive.url(), tmp.resolve("one"), false, "hello"));
        // With the archive gone, --offline and an unreachable mirror both use the verified cache.
        RootfsBuilder.deleteTree(archive.root.resolve("pool"));
        RootfsBuilder.Result r = build(opts(null, tmp.resolve("two"), true, "hello"));
        assertEquals(0, r.downloaded());
        assertTrue(Files.isRegularFile(tmp.resolve("two/usr/bin/hello")));
        r = build(opts("http://127.0.0.1:9/debian", tmp.resolve("three"), false, "hello")); // nothing listens there
        assertTrue(log().contains("using the cached index"), log());
        assertEquals(0, r.downloaded());
        // But a package that is not cached cannot come from anywhere.
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(null, tmp.resolve("four"), true, "base-files")));
        assertTrue(e.getMessage().contains("base-files 13.8 is not in the cache"), e.getMessage());
    }

    @Test
    void noArchiveAndNoCacheIsAClearError() {
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(null, tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("no Debian archive configured") && e.getMessage().contains("no cached index"), e.getMessage());
    }

    @Test
    void mirrorFromTheEnvironment() throws IOException {
        RootfsBuilder.Result r = build(opts(null, tmp.resolve("root"), false, "busybox"), Map.of(AptSources.ENV, archive.url()), null);
        assertEquals(1, r.packages().size());
    }

    @Test
    void aTamperedDebIsRefusedAndDeleted() throws IOException {
        byte[] good = Files.readAllBytes(hello);
        byte[] bad = good.clone();
        bad[bad.length - 10] ^= 1;
        Files.write(hello, bad);
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("SHA256 mismatch") && e.getMessage().contains("hello_2.10-3_riscv64.deb")
                && e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("hello_2.10-3_riscv64.deb")));
        assertFalse(Files.exists(cache.resolve("hello_2.10-3_riscv64.deb.part")));
        // A corrupt file in the cache is noticed, deleted and fetched again.
        Files.write(hello, good);
        Files.write(cache.resolve("hello_2.10-3_riscv64.deb"), bad);
        build(opts(archive.url(), tmp.resolve("root2"), false, "hello"));
        assertTrue(log().contains("does not match the index: deleting it"), log());
        assertEquals(FakeArchive.sha256(good), DebianArchive.sha256(cache.resolve("hello_2.10-3_riscv64.deb")));
    }

    @Test
    void aBadSignatureIsRefusedAndNotCached() throws IOException {
        archive.publish(Instant.now(), null, TestKey.generate("Mallory <m@kava.invalid>"));
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("no good signature"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("index/kavatest/InRelease")));
        // Tampered after signing.
        archive.publish(Instant.now(), null);
        Path inRelease = archive.root.resolve("dists/kavatest/InRelease");
        Files.writeString(inRelease, Files.readString(inRelease).replace("Components: main", "Components: main evil"));
        e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
    }

    @Test
    void expiredIndexIsRefused() throws IOException {
        archive.publish(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(3)));
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("expired") && e.getMessage().contains("Valid-Until"), e.getMessage());
    }

    @Test
    void anOlderIndexThanTheCachedOneIsRefused() throws IOException {
        build(opts(archive.url(), tmp.resolve("one"), false, "busybox"));
        archive.publish(Instant.now().minus(Duration.ofDays(30)), null);
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("two"), false, "busybox")));
        assertTrue(e.getMessage().contains("older") && e.getMessage().contains("back in time"), e.getMessage());
    }

    @Test
    void aPackagesIndexThatDoesNotMatchIsRefused() throws IOException {
        Path xz = archive.root.resolve("dists/kavatest/main/binary-riscv64/Packages.xz");
        byte[] other = TestDeb.xz("Package: evil\nVersion: 1\nArchitecture: all\n".getBytes(StandardCharsets.UTF_8));
        try (var s = Files.list(xz.resolveSibling("by-hash/SHA256"))) {
            for (Path p : s.toList()) Files.write(p, other);
        }
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "hello")));
        assertTrue(e.getMessage().contains("SHA256 mismatch") && e.getMessage().contains("Packages"), e.getMessage());
    }

    @Test
    void unresolvableAndUnknownPackagesAreReported() {
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("root"), false, "nosuch")));
        assertTrue(e.getMessage().contains("package nosuch is not in the archive"), e.getMessage());
        assertThrows(RootfsException.class, () -> build(opts(archive.url(), tmp.resolve("x"), false, "Bad Name")));
    }

    @Test
    void refusesANonEmptyDirectory() throws IOException {
        Path dir = tmp.resolve("full");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("keep"), "mine");
        RootfsException e = assertThrows(RootfsException.class, () -> build(opts(archive.url(), dir, false, "hello")));
        assertTrue(e.getMessage().contains("not empty"));
        assertEquals("mine", Files.readString(dir.resolve("keep")));
    }

    @Test
    void imageNeedsAWriter() throws IOException {
        RootfsBuilder.Options o = new RootfsBuilder.Options("kavatest", "riscv64", List.of("hello"), archive.url(), cache, null,
                tmp.resolve("root.img"), null, false, true, List.of(archive.keyFile()));
        RootfsException e = assertThrows(RootfsException.class, () -> build(o));
        assertTrue(e.getMessage().contains("EROFS image writer") && e.getMessage().contains("--dir"), e.getMessage());

        List<String> seen = new ArrayList<>();
        RootfsImageWriter fake = new RootfsImageWriter() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public void write(Path tree, Manifest manifest, Path image) throws IOException {
                assertTrue(Files.isRegularFile(tree.resolve("usr/bin/hello")));
                assertEquals(04755, manifest.get("/usr/bin/sudo-ish").mode());
                Files.writeString(image, "image of " + manifest.entries().size() + " paths");
                seen.add(tree.toString());
            }
        };
        build(o, Map.of(), fake);
        assertEquals(1, seen.size());
        assertTrue(Files.readString(tmp.resolve("root.img")).startsWith("image of "));
        assertFalse(Files.exists(Path.of(seen.get(0)), LinkOption.NOFOLLOW_LINKS), "the staging tree is removed");
    }

    /** The same over HTTP, from a server on the loopback address: redirects, by-hash, 404s. */
    @Test
    void overHttp() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/moved/")) {
                ex.getResponseHeaders().add("Location", path.substring("/moved".length()));
                ex.sendResponseHeaders(301, -1);
                ex.close();
                return;
            }
            Path f = archive.root.resolve(path.substring("/debian/".length())).normalize();
            if (!path.startsWith("/debian/") || !f.startsWith(archive.root) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(f);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        try {
            String base = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
            RootfsBuilder.Result r = build(opts(base + "/moved/debian", tmp.resolve("root"), false, "hello"));
            assertEquals(3, r.downloaded());
            assertTrue(requests.get() >= 5, "InRelease, Packages.xz and 3 .debs: " + requests.get());
            RootfsBuilder.Options o = opts(base + "/debian", tmp.resolve("x"), false, "hello");
            RootfsBuilder.Options noSuite = new RootfsBuilder.Options("nosuite", o.arch(), o.packages(), o.mirror(), o.cache(), o.dir(),
                    o.image(), o.manifestFile(), o.offline(), o.busyboxLinks(), o.keyrings());
            RootfsException e = assertThrows(RootfsException.class, () -> build(noSuite));
            assertTrue(e.getMessage().contains("has no suite nosuite"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
