package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad images (issue part 5): hand-made corruptions give the errno Linux gives, and a seeded
 * mutation fuzzer over real images (every layout and algorithm) finds no exception other than
 * ErofsException and no hang. The seed is printed; KAVA_EROFS_FUZZ_SEED replays one.
 */
class ErofsFuzzTest {
    private static byte[] image(Path dir, int alg, int pcluster) throws IOException {
        Path tree = dir.resolve("t" + alg + "-" + pcluster);
        if (!Files.exists(tree)) {
            Files.createDirectories(tree.resolve("sub/deeper"));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3000; i++) sb.append("fuzz line ").append(i).append('\n');
            Files.writeString(tree.resolve("text"), sb);
            Files.writeString(tree.resolve("sub/small"), "small\n");
            Files.write(tree.resolve("sub/deeper/block"), new byte[4096]);
            byte[] r = new byte[9000];
            new Random(1).nextBytes(r);
            Files.write(tree.resolve("rand"), r);
            Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/small"));
            Files.createLink(tree.resolve("hard"), tree.resolve("text"));
            try (var f = new java.io.RandomAccessFile(tree.resolve("sparse").toFile(), "rw")) {
                f.setLength(1 << 20);
                f.seek(700_000);
                f.write(1);
            }
            Files.getFileAttributeView(tree.resolve("text"), java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("k", java.nio.ByteBuffer.wrap("v".getBytes()));
        }
        Path img = dir.resolve("i" + alg + "-" + pcluster + ".img");
        MkfsErofs.Options o = new MkfsErofs.Options();
        o.algorithm = alg;
        o.pclusterSize = pcluster;
        o.fixedTime = 1_700_000_000L;
        MkfsErofs.build(tree, img, o);
        return Files.readAllBytes(img);
    }

    /** Mounts and walks everything, reading all data; only ErofsException may come out. */
    static long exercise(byte[] img) {
        long work = 0;
        ErofsImage e;
        try {
            e = ErofsImage.open(ImageSource.of(img), 1 << 20);
        } catch (ErofsException ex) {
            return 0;
        }
        ArrayDeque<ErofsImage.Node> q = new ArrayDeque<>();
        q.add(e.root());
        java.util.Set<Long> seen = new java.util.HashSet<>();
        byte[] buf = new byte[65536];
        while (!q.isEmpty() && work < 200) {
            ErofsImage.Node d = q.poll();
            if (!seen.add(d.nid)) continue;
            List<ErofsImage.Dirent> es;
            try {
                es = e.readdir(d);
                e.xattrs(d);
            } catch (ErofsException ex) {
                continue;
            }
            for (ErofsImage.Dirent de : es) {
                work++;
                try {
                    e.lookup(d, de.name());
                    ErofsImage.Node n = e.node(de.nid());
                    e.xattrs(n);
                    if (n.isDir()) {
                        if (!de.nameString().startsWith(".")) q.add(n);
                    } else if (n.type() == 0120000) {
                        e.readlink(n);
                    } else if (n.type() == 0100000) {
                        long lim = Math.min(n.size, 2 << 20);
                        for (long p = 0; p < lim; p += buf.length) e.read(n, p, buf, 0, buf.length);
                        if (n.size > lim) e.read(n, n.size - 1, buf, 0, 1);
                    }
                } catch (ErofsException ex) {
                    // the expected outcome for a corrupted structure
                }
            }
        }
        return work;
    }

    @Test
    void handMadeCorruptions(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] good = image(dir, ErofsFormat.Z_EROFS_COMPRESSION_LZ4, 4096);
        assertTrue(exercise(good) > 5);
        // Bad magic: EINVAL at mount.
        byte[] b = good.clone();
        b[1024] ^= 1;
        assertEquals(Errno.EINVAL, mountErrno(b));
        // Bad checksum: EBADMSG (EFSBADCRC).
        b = good.clone();
        b[1024 + ErofsFormat.SB_INOS] ^= 1;
        assertEquals(Errno.EBADMSG, mountErrno(b));
        // Truncated image: EINVAL (no superblock) or EIO.
        assertEquals(Errno.EINVAL, mountErrno(java.util.Arrays.copyOf(good, 1100)));
        // Unknown incompatible feature: EINVAL.
        b = good.clone();
        b[1024 + ErofsFormat.SB_FEATURE_INCOMPAT + 2] = 1;
        fixChecksum(b);
        assertEquals(Errno.EINVAL, mountErrno(b));
        // Root nid pointing outside the image: EIO from the read.
        b = good.clone();
        b[1024 + ErofsFormat.SB_ROOTNID_2B] = (byte) 0xff;
        b[1024 + ErofsFormat.SB_ROOTNID_2B + 1] = (byte) 0xff;
        b[1024 + ErofsFormat.SB_META_BLKADDR + 2] = 0x10;
        fixChecksum(b);
        int err = mountErrno(b);
        assertTrue(err == Errno.EIO || err == Errno.EUCLEAN || err == Errno.EINVAL, Errno.name(err));
        // A compressed pcluster that decodes to garbage: EIO on that file only, others fine.
        byte[] lz = image(dir, ErofsFormat.Z_EROFS_COMPRESSION_LZMA, 4096);
        ErofsImage ok = ErofsImage.open(ImageSource.of(lz));
        ErofsImage.Node text = ok.node(ok.lookup(ok.root(), "text".getBytes()).nid());
        assertTrue(text.isCompressed());
        ErofsImage.Extent ext = ok.mapCompressed(text, 0);
        byte[] bad = lz.clone();
        for (int i = 0; i < 64; i++) bad[(int) (ext.pa() + ext.plen() - 1 - i * 7)] ^= (byte) 0x5a;
        ErofsImage c = ErofsImage.open(ImageSource.of(bad));
        ErofsImage.Node t2 = c.node(text.nid);
        ErofsException ex = org.junit.jupiter.api.Assertions.assertThrows(ErofsException.class,
                () -> c.read(t2, 0, new byte[4096], 0, 4096));
        assertTrue(ex.errno == Errno.EIO || ex.errno == Errno.EUCLEAN, Errno.name(ex.errno));
        ErofsImage.Node small = c.node(c.lookup(c.node(c.lookup(c.root(), "sub".getBytes()).nid()), "small".getBytes()).nid());
        byte[] s = new byte[6];
        assertEquals(6, c.read(small, 0, s, 0, 6));
        assertEquals("small\n", new String(s));
    }

    private static int mountErrno(byte[] img) {
        try {
            ErofsImage.open(ImageSource.of(img));
        } catch (ErofsException e) {
            return e.errno;
        }
        return 0;
    }

    private static void fixChecksum(byte[] b) {
        if (b.length < 4096) return;
        int crc = ErofsImage.superblockChecksum(b, 1024, 4096 - 1024);
        MkfsErofs.putLe32(b, 1024 + ErofsFormat.SB_CHECKSUM, crc);
    }

    @Test
    void mutatedImages(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(image(dir, -1, 4096));
        seeds.add(image(dir, ErofsFormat.Z_EROFS_COMPRESSION_LZ4, 16384));
        seeds.add(image(dir, ErofsFormat.Z_EROFS_COMPRESSION_LZMA, 4096));
        seeds.add(image(dir, ErofsFormat.Z_EROFS_COMPRESSION_DEFLATE, 8192));
        // erofs-utils' layouts too (compact indexes, ztailpacking, fragments, dedupe, zstd), when it is at hand.
        for (String opts : new String[]{"-zlz4hc -Eztailpacking,fragments", "-zlzma -Ededupe", "-zzstd", "-zdeflate -Eall-fragments"}) {
            byte[] u = erofsUtilsImage(dir, opts);
            if (u != null) seeds.add(u);
        }
        String env = System.getenv("KAVA_EROFS_FUZZ_SEED");
        long seed = env != null ? Long.parseLong(env) : System.nanoTime();
        System.out.println("ErofsFuzzTest seed " + seed + " (replay with KAVA_EROFS_FUZZ_SEED=" + seed + ")");
        Random r = new Random(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        ExecutorService ex = Executors.newSingleThreadExecutor(t -> {
            Thread th = new Thread(t, "erofs-fuzz");
            th.setDaemon(true);
            return th;
        });
        int iterations = 0;
        try {
            while (System.nanoTime() < deadline && iterations < 4000) {
                byte[] base = seeds.get(r.nextInt(seeds.size()));
                byte[] m = mutate(base, r);
                if (r.nextInt(4) == 0) fixChecksum(m);
                int it = iterations;
                Future<Long> f = ex.submit(() -> exercise(m));
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException te) {
                    fail("iteration " + it + " hung (seed " + seed + ")");
                } catch (java.util.concurrent.ExecutionException ee) {
                    Throwable cause = ee.getCause();
                    java.io.StringWriter sw = new java.io.StringWriter();
                    cause.printStackTrace(new java.io.PrintWriter(sw));
                    fail("iteration " + it + " (seed " + seed + "): unexpected " + sw);
                }
                iterations++;
            }
        } finally {
            ex.shutdownNow();
        }
        System.out.println("ErofsFuzzTest: " + iterations + " mutated images of " + seeds.size() + " seeds, no unexpected exception");
        assertTrue(iterations > 50);
    }

    private static byte[] erofsUtilsImage(Path dir, String opts) {
        try {
            Path tree = dir.resolve("t-1-4096"); // made by image() above
            Path img = dir.resolve("u" + Math.abs(opts.hashCode()) + ".img");
            List<String> cmd = new ArrayList<>(List.of(Path.of("tools/erofs-utils").toAbsolutePath().toString(), "mkfs.erofs", "-d0"));
            cmd.addAll(List.of(opts.split(" ")));
            cmd.add(img.toString());
            cmd.add(tree.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            byte[] b = Files.readAllBytes(img);
            return exercise(b) > 5 ? b : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static byte[] mutate(byte[] base, Random r) {
        byte[] m = base.clone();
        int kind = r.nextInt(5);
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            int at;
            if (kind == 0) at = 1024 + r.nextInt(160); // the superblock
            else if (kind == 1) at = m.length - 1 - r.nextInt(Math.min(m.length, 3 * 4096)); // inodes, dirs
            else at = r.nextInt(m.length);
            switch (r.nextInt(4)) {
                case 0 -> m[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> m[at] = (byte) r.nextInt();
                case 2 -> m[at] = (byte) 0xff;
                default -> m[at] = 0;
            }
        }
        if (kind == 4 && r.nextBoolean()) m = java.util.Arrays.copyOf(m, 1024 + r.nextInt(m.length - 1024));
        return m;
    }
}
