package dev.kava.tools.rootfs;

import dev.kava.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kava rootfs build --packages busybox-static --dir X} against Debian's real archive,
 * from a clean cache, then the tree is checked and booted. Without network the user's own
 * cache is used offline if it has a verified index and the .deb; with neither, the test skips.
 */
class RootfsIntegrationTest {
    private static boolean archiveReachable() {
        String mirror;
        try {
            mirror = AptSources.findMirror(null, System.getenv(), Path.of("/etc/apt"));
        } catch (RootfsException e) {
            return false;
        }
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create(mirror + "/dists/trixie/InRelease")).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void busyboxStaticRootFromDebian(@TempDir Path tmp) throws Exception {
        Path x = tmp.resolve("X");
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--packages", "busybox-static", "--dir", x.toString()));
        if (archiveReachable()) {
            args.addAll(List.of("--cache", tmp.resolve("cache").toString()));
        } else {
            Path userCache = RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), "trixie");
            assumeTrue(Files.isRegularFile(userCache.resolve("index/trixie/InRelease")),
                    "neither the Debian archive nor a cached index (" + userCache + ") is available");
            args.addAll(List.of("--offline"));
        }
        long t0 = System.nanoTime();
        int rc = Main.execute(args.toArray(new String[0]));
        System.out.printf("rootfs build --packages busybox-static: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, rc, "kava rootfs build failed");

        // X/bin/busybox is a riscv64 ELF executable.
        byte[] elf;
        try (InputStream in = Files.newInputStream(x.resolve("bin/busybox"))) {
            elf = in.readNBytes(64);
        }
        assertEquals(0x7f, elf[0]);
        assertEquals("ELF", new String(elf, 1, 3, StandardCharsets.US_ASCII));
        assertEquals(2, elf[4], "ELFCLASS64");
        assertEquals(243, ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getShort(18), "EM_RISCV");
        // /bin/sh links to busybox.
        assertEquals(x.resolve("usr/bin/busybox").toRealPath(), x.resolve("bin/sh").toRealPath());
        assertTrue(Files.isSymbolicLink(x.resolve("usr/bin/sh")));
        Manifest m = Manifest.read(tmp.resolve("X.mtree"));
        assertEquals(0755, m.get("/usr/bin/busybox").mode());

        // The applet links are those busybox --list-full names (when qemu can run it to ask).
        Path qemu = Path.of("/usr/bin/qemu-riscv64-static");
        if (Files.isExecutable(qemu)) {
            Process p = new ProcessBuilder(qemu.toString(), x.resolve("usr/bin/busybox").toString(), "--list-full").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            int checked = 0;
            for (String line : out.strip().split("\n")) {
                if (line.equals("linuxrc") || line.endsWith("/busybox")) continue;
                assertTrue(Files.isSymbolicLink(x.resolve(line)) || line.equals("usr/bin/busybox"), "missing applet link " + line);
                assertEquals(x.resolve("usr/bin/busybox").toRealPath(), x.resolve(line).toRealPath(), line);
                checked++;
            }
            assertTrue(checked > 200, "applets checked: " + checked);
        }

        // And the tree boots: kava runs its /bin/sh with busybox's applets.
        assertEquals(7, Main.execute("run", "--root", x.toString(), "/bin/sh", "-c",
                "test -x /bin/ls && test \"$(cat /etc/hostname)\" = kava && exit 7"));
    }

    /**
     * The acceptance: an image from a clean cache, LZMA-compressed (the superblock's
     * available_compr_algs has Z_EROFS_COMPRESSION_LZMA), that boots: /bin lists and
     * /etc/os-release names trixie.
     */
    @Test
    void busyboxStaticImageIsLzmaErofsAndBoots(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("root.erofs");
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--packages", "busybox-static", "-o", image.toString()));
        if (archiveReachable()) {
            args.addAll(List.of("--cache", tmp.resolve("cache").toString()));
        } else {
            Path userCache = RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), "trixie");
            assumeTrue(Files.isRegularFile(userCache.resolve("index/trixie/InRelease")),
                    "neither the Debian archive nor a cached index (" + userCache + ") is available");
            args.addAll(List.of("--offline"));
        }
        assertEquals(0, Main.execute(args.toArray(new String[0])), "kava rootfs build -o failed");
        byte[] sb = new byte[128];
        try (InputStream in = Files.newInputStream(image)) {
            in.skipNBytes(1024);
            sb = in.readNBytes(128);
        }
        ByteBuffer b = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xE0F5E1E2, b.getInt(0), "EROFS_SUPER_MAGIC_V1");
        int incompat = b.getInt(80);
        assertTrue((incompat & 0x2) != 0, "EROFS_FEATURE_INCOMPAT_COMPR_CFGS: compressed files are configured");
        int algs = b.getShort(84) & 0xffff;
        assertTrue((algs & (1 << 1)) != 0, "available_compr_algs includes LZMA: " + Integer.toBinaryString(algs));
        assertEquals(7, Main.execute("run", "--root", image.toString(), "/bin/sh", "-c",
                "ls /bin | head >/dev/null && grep -q trixie /etc/os-release && exit 7"));
    }
}
