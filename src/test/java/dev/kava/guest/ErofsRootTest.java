package dev.kava.guest;

import dev.kava.fs.erofs.ErofsFormat;
import dev.kava.fs.erofs.MkfsErofs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A static guest program run from an EROFS root image (kava run --root IMAGE): it walks the
 * image and prints what it reads; qemu-riscv64-static running the same program in the source
 * directory on the host is the oracle.
 */
class ErofsRootTest {
    @Test
    void staticProgramFromErofsRoot(@TempDir Path dir) throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, "missing: " + missing);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/erofs/walk.c"), Path.of("target/guest-erofs"));
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("etc/sub"));
        Files.copy(bin, tree.resolve("walk"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20000; i++) text.append("erofs line ").append(i).append('\n');
        Files.writeString(tree.resolve("etc/text"), text);
        Files.writeString(tree.resolve("etc/sub/small"), "small\n");
        Files.write(tree.resolve("etc/block"), new byte[4096]);
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("sub/small"));
        Files.createLink(tree.resolve("etc/hard"), tree.resolve("etc/text"));
        Files.setLastModifiedTime(tree.resolve("etc/text"), FileTime.fromMillis(1_234_567_890_123L));
        GuestRun.prepareRoot(tree); // dev/ and tmp/ mount points, in the image as on the host
        for (int alg : new int[]{ErofsFormat.Z_EROFS_COMPRESSION_LZMA, ErofsFormat.Z_EROFS_COMPRESSION_LZ4}) {
            Path img = dir.resolve("root-" + alg + ".img");
            MkfsErofs.Options o = new MkfsErofs.Options();
            o.algorithm = alg;
            MkfsErofs.build(tree, img, o);
            GuestRun kava = GuestRun.underKava(img, "walk", null, Duration.ofSeconds(120));
            GuestRun qemu = GuestRun.underQemu(tree, "walk", null, Duration.ofSeconds(120));
            String k = kava.stdoutText(), q = qemu.stdoutText();
            // On the host the tree is writable: only the kava side sees EROFS's answers.
            q = q.replace("write: EBADF", "write: EBADF").replace("mkdir: ok", "mkdir: fails");
            assertEquals(q, k, "stderr: " + kava.stderrText());
            assertEquals(qemu.status(), kava.status());
            assertTrue(k.contains("./etc/text mode 100644"), k);
            assertTrue(k.contains("-> sub/small"), k);
            Files.deleteIfExists(tree.resolve("newdir"));
        }
    }
}
