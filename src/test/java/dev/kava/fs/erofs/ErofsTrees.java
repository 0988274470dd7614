package dev.kava.fs.erofs;

import dev.kava.abi.Stat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test trees for EROFS and a comparison of an image with the tree it was made from. */
final class ErofsTrees {
    private ErofsTrees() {}

    static final String HUGE = "huge-sparse";
    static final long HUGE_SIZE = 5L << 30;
    static final long HUGE_DATA_AT = (9L << 29) + 12345; // 4.5 GiB + a bit

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Every kind of file the issue lists; special files and odd owners only as root. */
    static void make(Path root, boolean huge) throws IOException {
        Random r = new Random(42);
        Files.createDirectories(root);
        Files.write(root.resolve("empty"), new byte[0]);
        for (int n : new int[]{1, 4095, 4096, 4097, 8191, 8192, 8193, 100_000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            Files.write(root.resolve("rand-" + n), b);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30_000; i++) text.append("line ").append(i).append(" of some compressible text ").append(i % 97).append('\n');
        Files.writeString(root.resolve("text"), text);
        byte[] mixed = new byte[300_000];
        for (int i = 0; i < mixed.length; i++) mixed[i] = (byte) ((i / 5000) % 2 == 0 ? r.nextInt() : i % 7);
        Files.write(root.resolve("mixed"), mixed);
        Files.write(root.resolve("zeros"), new byte[200_000]);
        Path deep = root;
        for (int i = 0; i < 24; i++) deep = deep.resolve("d" + i);
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("bottom"), "deep\n");
        Files.writeString(root.resolve("x".repeat(255)), "long name\n");
        Files.writeString(root.resolve("caf\u00e9-\u00fcml\u00e4ut"), "utf-8 name\n");
        Path many = root.resolve("many");
        Files.createDirectories(many);
        for (int i = 0; i < 600; i++) Files.writeString(many.resolve(String.format("entry-%04d-%s", i, "n".repeat(i % 40))), "e" + i);
        Files.writeString(root.resolve("linked"), text.substring(0, 5000));
        for (int i = 0; i < 12; i++) Files.createLink(root.resolve("hard-" + i), root.resolve("linked"));
        Files.createSymbolicLink(root.resolve("sym-rel"), Path.of("text"));
        Files.createSymbolicLink(root.resolve("sym-abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("sym-dangling"), Path.of("no/such/" + "p".repeat(300)));
        Files.createSymbolicLink(root.resolve("sym-long"), Path.of("t".repeat(3000)));
        Path xa = root.resolve("with-xattrs");
        Files.writeString(xa, "xattrs\n");
        UserDefinedFileAttributeView v = Files.getFileAttributeView(xa, UserDefinedFileAttributeView.class);
        v.write("test", ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        v.write("empty", ByteBuffer.wrap(new byte[0]));
        v.write("big", ByteBuffer.wrap(new byte[1000]));
        Files.getFileAttributeView(many, UserDefinedFileAttributeView.class).write("dir", ByteBuffer.wrap(new byte[]{1, 2, 3}));
        // The same xattr on several inodes: mkfs tools put it in the shared xattr area.
        for (String f : new String[]{"text", "mixed", "zeros", "many", "rand-8192"}) {
            Files.getFileAttributeView(root.resolve(f), UserDefinedFileAttributeView.class)
                    .write("shared.attribute", ByteBuffer.wrap("one value for all".getBytes(StandardCharsets.UTF_8)));
        }
        Path exe = root.resolve("exe");
        Files.writeString(exe, "#!/bin/sh\n");
        Files.setAttribute(exe, "unix:mode", 04755);
        Files.setAttribute(root.resolve("d0"), "unix:mode", 01777);
        Files.setAttribute(root.resolve("rand-1"), "unix:mode", 0600);
        if (huge) {
            try (RandomAccessFile f = new RandomAccessFile(root.resolve(HUGE).toFile(), "rw")) {
                f.setLength(HUGE_SIZE);
                f.seek(HUGE_DATA_AT);
                f.write("data past 4 GiB".getBytes(StandardCharsets.US_ASCII));
                f.seek(0);
                f.write("head".getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (isRoot()) {
            run("mkfifo", root.resolve("fifo").toString());
            run("mknod", root.resolve("chr").toString(), "c", "1", "3");
            run("mknod", root.resolve("blk").toString(), "b", "7", "300");
            Files.setAttribute(root.resolve("rand-1"), "unix:uid", 1000);
            Files.setAttribute(root.resolve("rand-1"), "unix:gid", 1000);
            Files.setAttribute(root.resolve("text"), "unix:uid", 70000);
            Files.setAttribute(root.resolve("text"), "unix:gid", 70001);
        }
        // Times: one with nanoseconds, one far in the past.
        Files.setLastModifiedTime(root.resolve("empty"), FileTime.from(Instant.ofEpochSecond(1_000_000_000L, 123_456_789)));
        Files.setLastModifiedTime(root.resolve("rand-4096"), FileTime.from(Instant.ofEpochSecond(86400)));
    }

    static void run(String... cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n" + out);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /**
     * Checks that an image holds exactly the tree: names, types, modes, owners, mtimes (with
     * nanoseconds when exactNsec), sizes, contents, symlink targets, hard-link identity, user
     * xattrs. Skips names in skip.
     */
    static void compare(ErofsImage img, Path root, boolean exactNsec, List<String> skip) throws IOException {
        Map<Object, Long> linkNid = new HashMap<>();
        compareDir(img, img.root(), root, exactNsec, skip, linkNid);
    }

    private static void compareDir(ErofsImage img, ErofsImage.Node dir, Path host, boolean exactNsec, List<String> skip,
                                   Map<Object, Long> linkNid) throws IOException {
        List<String> hostNames = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(host)) {
            for (Path p : ds) if (!skip.contains(p.getFileName().toString())) hostNames.add(p.getFileName().toString());
        }
        List<String> imgNames = new ArrayList<>();
        for (ErofsImage.Dirent d : img.readdir(dir)) {
            String n = new String(d.name(), StandardCharsets.UTF_8);
            if (n.equals(".") || n.equals("..")) continue;
            imgNames.add(n);
        }
        hostNames.sort(null);
        imgNames.sort(null);
        assertEquals(hostNames, imgNames, "entries of " + host);
        for (String name : hostNames) {
            Path p = host.resolve(name);
            ErofsImage.Dirent d = img.lookup(dir, name.getBytes(StandardCharsets.UTF_8));
            assertNotNull(d, "lookup " + p);
            ErofsImage.Node n = img.node(d.nid());
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            assertEquals(Integer.toOctalString(mode), Integer.toOctalString(n.mode), "mode of " + p);
            assertEquals((int) (Integer) a.get("uid"), n.uid, "uid of " + p);
            assertEquals((int) (Integer) a.get("gid"), n.gid, "gid of " + p);
            assertEquals(MkfsErofs.fileType(mode), d.fileType(), "dirent type of " + p);
            FileTime mt = (FileTime) a.get("lastModifiedTime");
            if ((mode & Stat.S_IFMT) != Stat.S_IFDIR) {
                assertEquals(mt.toInstant().getEpochSecond(), n.mtime, "mtime of " + p);
                if (exactNsec) assertEquals(mt.toInstant().getNano(), n.mtimeNsec, "mtime nsec of " + p);
            }
            switch (mode & Stat.S_IFMT) {
                case Stat.S_IFDIR -> {
                    compareXattrs(img, n, p);
                    compareDir(img, n, p, exactNsec, List.of(), linkNid);
                }
                case Stat.S_IFLNK -> assertEquals(Files.readSymbolicLink(p).toString(), new String(img.readlink(n), StandardCharsets.UTF_8), "target of " + p);
                case Stat.S_IFREG -> {
                    assertEquals((long) (Long) a.get("size"), n.size, "size of " + p);
                    compareContent(img, n, p);
                    int nlink = (Integer) a.get("nlink");
                    assertEquals(nlink, n.nlink, "nlink of " + p);
                    if (nlink > 1) {
                        Object key = List.of(a.get("dev"), a.get("ino"));
                        Long prev = linkNid.putIfAbsent(key, n.nid);
                        if (prev != null) assertEquals(prev.longValue(), n.nid, "hard link identity of " + p);
                    }
                    compareXattrs(img, n, p);
                }
                case Stat.S_IFCHR, Stat.S_IFBLK -> {
                    long rdev = (Long) a.get("rdev");
                    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                    long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
                    assertEquals(major, n.rdevMajor(), "major of " + p);
                    assertEquals(minor, n.rdevMinor(), "minor of " + p);
                }
                default -> { }
            }
        }
    }

    private static void compareXattrs(ErofsImage img, ErofsImage.Node n, Path p) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        Map<String, byte[]> want = new HashMap<>();
        for (String name : v.list()) {
            ByteBuffer bb = ByteBuffer.allocate(v.size(name));
            v.read(name, bb);
            want.put("user." + name, Arrays.copyOf(bb.array(), bb.position()));
        }
        Map<String, byte[]> got = new HashMap<>();
        for (ErofsImage.Xattr x : img.xattrs(n)) if (x.name().startsWith("user.")) got.put(x.name(), x.value());
        assertEquals(want.keySet(), got.keySet(), "xattrs of " + p);
        for (var e : want.entrySet()) assertArrayEquals(e.getValue(), got.get(e.getKey()), e.getKey() + " of " + p);
    }

    /** Compares data where the host file has data; its holes must read as zeros (sampled). */
    private static void compareContent(ErofsImage img, ErofsImage.Node n, Path p) throws IOException {
        long size = n.size;
        List<long[]> ranges = Sparse.dataRanges(p, size);
        byte[] want = new byte[1 << 16], got = new byte[1 << 16];
        try (var ch = java.nio.channels.FileChannel.open(p)) {
            for (long[] r : ranges) {
                for (long pos = r[0]; pos < r[1]; pos += want.length) {
                    int k = (int) Math.min(want.length, r[1] - pos);
                    ByteBuffer bb = ByteBuffer.wrap(want, 0, k);
                    while (bb.hasRemaining()) if (ch.read(bb, pos + bb.position()) < 0) break;
                    assertEquals(k, img.read(n, pos, got, 0, k), "read of " + p + " at " + pos);
                    assertTrue(Arrays.equals(want, 0, k, got, 0, k), "content of " + p + " at " + pos);
                }
            }
        }
        if (ranges.size() != 1 || ranges.getFirst()[0] != 0 || ranges.getFirst()[1] != size) {
            Random r = new Random(size);
            for (int i = 0; i < 64; i++) {
                long at = Math.floorMod(r.nextLong(), size);
                if (Sparse.overlaps(ranges, at, at + 1)) continue;
                byte[] one = new byte[1];
                assertEquals(1, img.read(n, at, one, 0, 1));
                assertEquals(0, one[0], "hole of " + p + " at " + at);
            }
        }
    }
}
