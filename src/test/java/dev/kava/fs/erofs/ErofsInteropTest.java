package dev.kava.fs.erofs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EROFS interoperability: images from kava's mkfs.erofs are read back by kava, checked by
 * erofs-utils' fsck.erofs 1.8 and mounted by the host kernel (as root); images from
 * erofs-utils' mkfs.erofs are read by kava. Every comparison is against the source tree.
 */
class ErofsInteropTest {
    static Path work, tree;
    static Path erofsUtils; // tools/erofs-utils, or null when neither network nor cache has it

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createTempDirectory("kava-erofs");
        tree = work.resolve("tree");
        ErofsTrees.make(tree, true);
        Path script = Path.of("tools/erofs-utils").toAbsolutePath();
        try {
            Process p = new ProcessBuilder(script.toString(), "dir").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0) erofsUtils = script;
        } catch (IOException | InterruptedException e) {
            erofsUtils = null;
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        Path mnt = work.resolve("mnt");
        if (Files.isDirectory(mnt)) {
            try {
                new ProcessBuilder("umount", mnt.toString()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // best effort
            }
        }
        try (var s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Path kavaImage(String alg, int pcluster) throws IOException {
        Path img = work.resolve("kava-" + alg + "-" + pcluster + ".img");
        if (Files.exists(img)) return img;
        MkfsErofs.Options o = new MkfsErofs.Options();
        o.algorithm = switch (alg) {
            case "lz4" -> ErofsFormat.Z_EROFS_COMPRESSION_LZ4;
            case "lzma" -> ErofsFormat.Z_EROFS_COMPRESSION_LZMA;
            case "deflate" -> ErofsFormat.Z_EROFS_COMPRESSION_DEFLATE;
            default -> -1;
        };
        o.pclusterSize = pcluster;
        MkfsErofs.build(tree, img, o);
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none:4096", "lz4:4096", "lz4:65536", "lzma:4096", "lzma:65536", "deflate:16384"})
    void kavaImagesReadBackByKava(String variant) throws IOException {
        String[] v = variant.split(":");
        Path img = kavaImage(v[0], Integer.parseInt(v[1]));
        try (ErofsImage e = ErofsImage.open(ImageSource.open(img))) {
            ErofsTrees.compare(e, tree, true, List.of());
            if (!v[0].equals("none")) assertTrue(e.availableComprAlgs != 0, "compressed files in " + variant);
        }
        StringWriter sw = new StringWriter();
        FsckErofs.Report r = FsckErofs.check(img, null, new PrintWriter(sw));
        assertTrue(r.ok(), sw.toString());
    }

    @Test
    void reproducible() throws IOException {
        Path a = kavaImage("lzma", 4096);
        Path b = work.resolve("again.img");
        MkfsErofs.Options o = new MkfsErofs.Options();
        o.threads = 1; // the image does not depend on the number of workers
        MkfsErofs.build(tree, b, o);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4", "lzma", "deflate"})
    void kavaImagesPassErofsUtilsFsck(String alg) throws IOException, InterruptedException {
        Assumptions.assumeTrue(erofsUtils != null, "erofs-utils 1.8 unavailable (no network and no cache)");
        Path img = kavaImage(alg, alg.equals("lzma") ? 65536 : 4096);
        // A check decodes every file. (Not --extract: erofs-utils 1.8.6's extraction fails on any
        // sparse file past 4 GiB, its own images included.)
        Process p = new ProcessBuilder(erofsUtils.toString(), "fsck.erofs", img.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "erofs-utils fsck.erofs:\n" + log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4", "lzma", "deflate"})
    void kavaImagesMountOnTheHostKernel(String alg) throws IOException, InterruptedException {
        Assumptions.assumeTrue(ErofsTrees.isRoot(), "mounting needs root");
        Path img = kavaImage(alg, alg.equals("deflate") ? 16384 : 4096);
        Path mnt = Files.createDirectories(work.resolve("mnt"));
        Process m = new ProcessBuilder("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString())
                .redirectErrorStream(true).start();
        String mlog = new String(m.getInputStream().readAllBytes());
        m.waitFor(60, TimeUnit.SECONDS);
        Assumptions.assumeTrue(m.exitValue() == 0, "mount -t erofs -o loop unavailable here: " + mlog);
        try {
            Process d = new ProcessBuilder("diff", "-r", "--no-dereference", "-x", ErofsTrees.HUGE, "-x", "fifo", "-x", "chr", "-x", "blk", tree.toString(), mnt.toString())
                    .redirectErrorStream(true).start();
            String dlog = new String(d.getInputStream().readAllBytes());
            assertTrue(d.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, d.exitValue(), "diff -r against the host kernel's mount:\n" + dlog);
            // The file past 4 GiB: its size and the data around its only written bytes.
            Path huge = mnt.resolve(ErofsTrees.HUGE);
            assertEquals(ErofsTrees.HUGE_SIZE, Files.size(huge));
            long at = ErofsTrees.HUGE_DATA_AT - 1000;
            Process c = new ProcessBuilder("cmp", "-i", at + ":" + at, "-n", "100000",
                    tree.resolve(ErofsTrees.HUGE).toString(), huge.toString()).redirectErrorStream(true).start();
            String clog = new String(c.getInputStream().readAllBytes());
            assertTrue(c.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, c.exitValue(), clog);
            // Attributes as the kernel shows them.
            Process s = new ProcessBuilder("sh", "-c", "cd " + tree + " && find . ! -name . -printf '%p %m %U %G %n %l\\n' | sort > "
                    + work.resolve("a.txt") + " && cd " + mnt + " && find . ! -name . -printf '%p %m %U %G %n %l\\n' | sort > "
                    + work.resolve("b.txt") + " && cmp " + work.resolve("a.txt") + " " + work.resolve("b.txt")).redirectErrorStream(true).start();
            String slog = new String(s.getInputStream().readAllBytes());
            assertTrue(s.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, s.exitValue(), "attributes differ: " + slog);
            // xattrs as the kernel reads them (inline and shared).
            String py = "import os,sys\n"
                    + "def dump(r):\n"
                    + "  out=[]\n"
                    + "  for d,ds,fs in os.walk(r):\n"
                    + "    for n in sorted(ds+fs):\n"
                    + "      p=os.path.join(d,n)\n"
                    + "      if os.path.islink(p) or n=='" + ErofsTrees.HUGE + "': continue\n"
                    + "      for a in sorted(os.listxattr(p, follow_symlinks=False)):\n"
                    + "        out.append((os.path.relpath(p,r),a,os.getxattr(p,a,follow_symlinks=False)))\n"
                    + "  return out\n"
                    + "a=dump(sys.argv[1]); b=dump(sys.argv[2])\n"
                    + "print(len(a)); sys.exit(0 if a==b and len(a)>0 else 1)\n";
            Process x = new ProcessBuilder("python3", "-c", py, tree.toString(), mnt.toString()).redirectErrorStream(true).start();
            String xlog = new String(x.getInputStream().readAllBytes());
            assertTrue(x.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, x.exitValue(), "xattrs differ on the kernel's mount: " + xlog);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-zlzma", "-zlz4", "-zlz4hc", "-zdeflate", "", "-zlzma -C65536", "-zlz4hc -Eztailpacking",
            "-zlzma -Efragments,dedupe", "-zlz4 -Eall-fragments", "--chunksize=65536", "-zlz4 --xattr-prefix=user.shared.", "-zzstd", "-zzstd -C65536"})
    void erofsUtilsImagesReadByKava(String opts) throws IOException, InterruptedException {
        Assumptions.assumeTrue(erofsUtils != null, "erofs-utils 1.8 unavailable (no network and no cache)");
        Path img = work.resolve("utils-" + opts.replaceAll("[^a-z0-9]", "_") + ".img");
        List<String> cmd = new ArrayList<>(List.of(erofsUtils.toString(), "mkfs.erofs", "-d0", "--exclude-path=" + ErofsTrees.HUGE));
        for (String o : opts.split(" ")) if (!o.isEmpty()) cmd.add(o);
        cmd.add(img.toString());
        cmd.add(tree.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        try (ErofsImage e = ErofsImage.open(ImageSource.open(img))) {
            ErofsTrees.compare(e, tree, false, List.of(ErofsTrees.HUGE));
        }
        StringWriter sw = new StringWriter();
        assertTrue(FsckErofs.check(img, null, new PrintWriter(sw)).ok(), sw.toString());
    }
}
