package dev.kava.fs.erofs;

import dev.kava.abi.Stat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kava.fs.erofs.ErofsFormat.*;

/**
 * mkfs.erofs: builds an EROFS image from a directory tree, reproducibly (sorted entries, a
 * UUID derived from the content, no build clock unless asked). Layout:
 *
 * <pre>
 *   block 0            superblock at 1024, then the compression configurations
 *   blocks 1..         file data (plain blocks, chunks, compressed pclusters), streamed
 *   meta_blkaddr..     the inodes (32-byte slots), each with its inline xattrs and its inline
 *                      tail, chunk map or lcluster indexes
 *   after the inodes   directory blocks (they name nids, known only once inodes are placed)
 * </pre>
 *
 * Regular files are compressed in fixed-size physical clusters (COMPRESSED_FULL indexes)
 * when that saves blocks, else stored flat with the tail inline in the inode's block; files
 * with holes are chunk-based with EROFS_NULL_ADDR for holes. Only user.* xattrs are read from
 * the source (what Java can see).
 */
public final class MkfsErofs {
    /** Build options (the mkfs.erofs command line). */
    public static final class Options {
        /** Z_EROFS_COMPRESSION_*, or -1 for none. */
        public int algorithm = Z_EROFS_COMPRESSION_LZMA;
        public int level = -1;
        /** Physical cluster size in bytes (-C), a multiple of the block size. */
        public int pclusterSize = 4096;
        /** -T: one timestamp for every inode and the build time. */
        public Long fixedTime;
        /** --all-root: every file owned by 0:0. */
        public boolean allRoot;
        public boolean xattrs = true;
        public int blockSize = 4096;
        /** -L volume label. */
        public String label = "";
        /** Compression worker threads (--workers). */
        public int threads = Runtime.getRuntime().availableProcessors();
        /**
         * What the image records for a path instead of what the host says (a tree staged by an
         * unprivileged user keeps owners, set-id bits and device nodes in a manifest), or null.
         */
        public Metadata metadata;
    }

    /** What a build produced. */
    public record Stats(long blocks, long inodes, long bytes, long compressedFiles, long dataBytesIn) {}

    /** Overriding metadata for a path of the tree ("/" or "/usr/bin/su"): null keeps the host's. */
    @FunctionalInterface
    public interface Metadata {
        Meta get(String path);
    }

    /** mode with its type bits; rdev in the user-visible encoding (character and block devices). */
    public record Meta(int mode, int uid, int gid, long rdev) {}

    private Path sourceRoot;

    private final Options o;
    private final int blksz, blkbits;
    private final Compressor compressor;
    private FileChannel out;
    private long nextBlock = 1;
    private long compressedFiles, dataBytesIn;
    private boolean usedChunks, usedBigPcluster;
    private long xattrBlkaddr;

    private MkfsErofs(Options o) {
        this.o = o;
        this.blksz = o.blockSize;
        this.blkbits = Integer.numberOfTrailingZeros(blksz);
        if (Integer.bitCount(blksz) != 1 || blksz < 512 || blksz > 4096) throw new IllegalArgumentException("block size " + blksz);
        if (o.pclusterSize < blksz || o.pclusterSize % blksz != 0 || o.pclusterSize > Z_EROFS_PCLUSTER_MAX_SIZE) {
            throw new IllegalArgumentException("physical cluster size must be a multiple of " + blksz + " up to "
                    + Z_EROFS_PCLUSTER_MAX_SIZE + ": " + o.pclusterSize);
        }
        this.compressor = o.algorithm < 0 ? null : Compressor.of(o.algorithm, o.level);
    }

    /** Builds image from the tree at source. */
    public static Stats build(Path source, Path image, Options o) throws IOException {
        return new MkfsErofs(o).run(source, image);
    }

    // ---------------------------------------------------------------- the tree

    private static final class XattrEntry {
        final int index;
        final byte[] name, value;
        /** The id of this xattr in the shared area (its offset / 4), or -1 when inline. */
        int sharedId = -1;

        XattrEntry(int index, byte[] name, byte[] value) {
            this.index = index;
            this.name = name;
            this.value = value;
        }

        int size() {
            return xattrAlign(XATTR_ENTRY_SIZE + name.length + value.length);
        }
    }

    private static final class Node {
        Path host;
        int mode, uid, gid, nlink = 1;
        long size, mtime;
        int mtimeNsec;
        int rdev;
        Node parent;
        final List<Child> children = new ArrayList<>();
        List<XattrEntry> xattrs = List.of();
        boolean written;

        // layout
        int layout = EROFS_INODE_FLAT_PLAIN;
        boolean extended;
        long startblk;
        byte[] inlineTail;
        int[] chunkMap;
        int chunkBits;
        byte[] zIndexes;
        long zBlocks;
        int zAdvise;
        byte[] dirData;
        long nid = -1;
        int metaSize;

        int type() {
            return mode & Stat.S_IFMT;
        }

        int xattrIsize() {
            if (xattrs.isEmpty()) return 0;
            int body = 0;
            for (XattrEntry x : xattrs) body += x.sharedId >= 0 ? 4 : x.size();
            return XATTR_IBODY_HEADER_SIZE + body;
        }

        int isize() {
            return extended ? INODE_EXTENDED_SIZE : INODE_COMPACT_SIZE;
        }
    }

    private record Child(byte[] name, Node node) {}

    private Node scan(Path root) throws IOException {
        Map<Object, Node> links = new HashMap<>();
        Node top = stat(root, null);
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(top);
        while (!todo.isEmpty()) {
            Node d = todo.poll();
            List<Path> entries = new ArrayList<>();
            try (var ds = Files.newDirectoryStream(d.host)) {
                for (Path p : ds) entries.add(p);
            }
            List<Child> kids = new ArrayList<>();
            for (Path p : entries) {
                byte[] name = p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                if (name.length > EROFS_NAME_LEN) throw new IOException(p + ": name longer than " + EROFS_NAME_LEN + " bytes");
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,nlink", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                Node n = null;
                Object key = null;
                if ((mode & Stat.S_IFMT) != Stat.S_IFDIR && (Integer) a.get("nlink") > 1) {
                    key = List.of(a.get("dev"), a.get("ino"));
                    n = links.get(key);
                    if (n != null) n.nlink++;
                }
                if (n == null) {
                    n = stat(p, d);
                    if (key != null) links.put(key, n);
                    if (n.type() == Stat.S_IFDIR) todo.add(n);
                }
                kids.add(new Child(name, n));
            }
            kids.sort((x, y) -> Arrays.compareUnsigned(x.name, y.name));
            d.children.addAll(kids);
        }
        return top;
    }

    private Node stat(Path p, Node parent) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        Node n = new Node();
        n.host = p;
        n.parent = parent;
        n.mode = (Integer) a.get("mode");
        n.uid = o.allRoot ? 0 : (Integer) a.get("uid");
        n.gid = o.allRoot ? 0 : (Integer) a.get("gid");
        n.rdev = (int) (long) (Long) a.get("rdev");
        int type = n.type();
        n.size = type == Stat.S_IFREG ? (Long) a.get("size") : 0;
        if (type == Stat.S_IFLNK) n.size = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8).length;
        FileTime mt = (FileTime) a.get("lastModifiedTime");
        if (o.fixedTime != null) {
            n.mtime = o.fixedTime;
            n.mtimeNsec = 0;
        } else {
            n.mtime = mt.toInstant().getEpochSecond();
            n.mtimeNsec = mt.toInstant().getNano();
        }
        if (o.xattrs && (type == Stat.S_IFREG || type == Stat.S_IFDIR)) n.xattrs = readXattrs(p);
        if (o.metadata != null) override(n, p);
        return n;
    }

    /** Applies the caller's metadata for p: a placeholder file may become a device node or fifo. */
    private void override(Node n, Path p) {
        StringBuilder rel = new StringBuilder();
        for (Path c : sourceRoot.relativize(p)) rel.append('/').append(c);
        Meta m = o.metadata.get(rel.isEmpty() ? "/" : rel.toString());
        if (m == null) return;
        int oldType = n.type();
        n.mode = m.mode();
        n.uid = m.uid();
        n.gid = m.gid();
        int type = n.type();
        if (type == Stat.S_IFCHR || type == Stat.S_IFBLK) n.rdev = (int) m.rdev();
        if (type != oldType && type != Stat.S_IFREG) {
            n.size = 0;
            n.xattrs = List.of();
        }
    }

    private static List<XattrEntry> readXattrs(Path p) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (v == null) return List.of();
            List<String> names = new ArrayList<>(v.list());
            if (names.isEmpty()) return List.of();
            names.sort(null);
            List<XattrEntry> out = new ArrayList<>();
            for (String name : names) {
                ByteBuffer bb = ByteBuffer.allocate(v.size(name));
                v.read(name, bb);
                byte[] nb = name.getBytes(StandardCharsets.UTF_8);
                if (nb.length > 255 || bb.position() > 65535) continue;
                out.add(new XattrEntry(EROFS_XATTR_INDEX_USER, nb, Arrays.copyOf(bb.array(), bb.position())));
            }
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- build

    private Stats run(Path source, Path image) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) throw new IOException(source + ": not a directory");
        sourceRoot = source;
        Node root = scan(source);
        // Breadth-first, children in name order: the order of inodes and data.
        List<Node> all = new ArrayList<>();
        ArrayDeque<Node> q = new ArrayDeque<>();
        q.add(root);
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(root);
        while (!q.isEmpty()) {
            Node n = q.poll();
            all.add(n);
            for (Child c : n.children) {
                if (seen.add(c.node)) q.add(c.node);
            }
        }
        for (Node n : all) {
            if (n.type() == Stat.S_IFDIR) {
                int subdirs = 0;
                for (Child c : n.children) if (c.node.type() == Stat.S_IFDIR) subdirs++;
                n.nlink = 2 + subdirs;
            }
        }
        long epoch = Long.MAX_VALUE;
        for (Node n : all) epoch = Math.min(epoch, n.mtime);
        if (o.fixedTime != null) epoch = o.fixedTime;
        if (epoch == Long.MAX_VALUE || epoch < 0) epoch = 0;
        for (Node n : all) {
            long rel = n.mtime - epoch;
            n.extended = n.size > 0xffffffffL || n.uid > 0xffff || n.gid > 0xffff || n.uid < 0 || n.gid < 0
                    || n.nlink > 0xffff || rel < 0 || rel > 0xffffffffL || n.mtimeNsec != 0;
        }

        byte[] shared = planSharedXattrs(all);
        Files.deleteIfExists(image);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            out = ch;
            // Shared xattrs first: xattr_blkaddr is block 1 when there are any.
            if (shared.length > 0) xattrBlkaddr = appendBlocks(shared, 0, shared.length);
            // Data of regular files and long symlinks, streamed from block 1.
            writeAllFiles(all);
            // Directory contents (sizes only; nids come later).
            for (Node n : all) if (n.type() == Stat.S_IFDIR) planDir(n);
            long metaBlkaddr = nextBlock;
            long cursor = 0;
            for (Node n : all) {
                n.metaSize = metaSize(n);
                cursor = (cursor + 31) & ~31L;
                boolean keepInBlock = n.inlineTail != null || n.metaSize <= blksz;
                if (keepInBlock && (cursor & (blksz - 1)) + n.metaSize > blksz) cursor = (cursor + blksz - 1) & -(long) blksz;
                n.nid = cursor >> EROFS_ISLOTBITS;
                cursor += n.metaSize;
            }
            long metaBlocks = (cursor + blksz - 1) >> blkbits;
            if (root.nid > 0xffff) throw new IOException("root nid too large");
            nextBlock = metaBlkaddr + metaBlocks;
            // Directory blocks after the inodes.
            for (Node n : all) if (n.type() == Stat.S_IFDIR) writeDir(n);
            byte[] meta = new byte[(int) (metaBlocks << blkbits)];
            for (Node n : all) writeInode(n, meta, (int) (n.nid << EROFS_ISLOTBITS), epoch);
            writeAt(meta, metaBlkaddr << blkbits);
            long totalBlocks = nextBlock;
            // The image ends at a block boundary.
            if (ch.size() < totalBlocks << blkbits) writeAt(new byte[1], (totalBlocks << blkbits) - 1);
            byte[] sb = superblock(root, all.size(), epoch, metaBlkaddr, totalBlocks);
            writeAt(sb, 0);
            // UUID derived from the content, then the checksum over it.
            byte[] uuid = contentUuid(ch, totalBlocks << blkbits);
            System.arraycopy(uuid, 0, sb, EROFS_SUPER_OFFSET + SB_UUID, 16);
            int len = blksz - EROFS_SUPER_OFFSET;
            int crc = ErofsImage.superblockChecksum(sb, EROFS_SUPER_OFFSET, len);
            putLe32(sb, EROFS_SUPER_OFFSET + SB_CHECKSUM, crc);
            writeAt(sb, 0);
            ch.force(false);
            return new Stats(totalBlocks, all.size(), totalBlocks << blkbits, compressedFiles, dataBytesIn);
        }
    }

    private byte[] superblock(Node root, long inos, long epoch, long metaBlkaddr, long totalBlocks) {
        byte[] b = new byte[blksz];
        int s = EROFS_SUPER_OFFSET;
        putLe32(b, s + SB_MAGIC, EROFS_SUPER_MAGIC_V1);
        putLe32(b, s + SB_FEATURE_COMPAT, FEATURE_COMPAT_SB_CHKSUM | FEATURE_COMPAT_MTIME);
        b[s + SB_BLKSZBITS] = (byte) blkbits;
        b[s + SB_EXTSLOTS] = 0;
        putLe16(b, s + SB_ROOTNID_2B, (int) root.nid);
        putLe64(b, s + SB_INOS, inos);
        putLe64(b, s + SB_EPOCH, epoch);
        putLe32(b, s + SB_FIXED_NSEC, 0);
        putLe32(b, s + SB_BLOCKS_LO, (int) totalBlocks);
        putLe32(b, s + SB_META_BLKADDR, (int) metaBlkaddr);
        putLe32(b, s + SB_XATTR_BLKADDR, (int) xattrBlkaddr);
        byte[] label = o.label.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(label, 0, b, s + SB_VOLUME_NAME, Math.min(15, label.length));
        int incompat = 0;
        if (compressor != null && compressedFiles > 0) {
            incompat |= FEATURE_INCOMPAT_ZERO_PADDING | FEATURE_INCOMPAT_COMPR_CFGS;
            putLe16(b, s + SB_U1, 1 << compressor.algorithm);
            // The algorithm's configuration record follows the superblock (z_erofs_parse_cfgs).
            int p = s + SB_BASE_SIZE;
            switch (compressor.algorithm) {
                case Z_EROFS_COMPRESSION_LZ4 -> {
                    putLe16(b, p, 14);
                    putLe16(b, p + 2, 65535); // max_distance
                    putLe16(b, p + 4, o.pclusterSize >> blkbits); // max_pclusterblks
                }
                case Z_EROFS_COMPRESSION_LZMA -> {
                    putLe16(b, p, 14);
                    putLe32(b, p + 2, ((Compressor.Lzma) compressor).maxDictUsed);
                    putLe16(b, p + 6, 0);
                }
                case Z_EROFS_COMPRESSION_DEFLATE -> {
                    putLe16(b, p, 6);
                    b[p + 2] = 15; // windowbits
                }
                default -> throw new IllegalStateException();
            }
        }
        if (usedChunks) incompat |= FEATURE_INCOMPAT_CHUNKED_FILE;
        putLe32(b, s + SB_FEATURE_INCOMPAT, incompat);
        putLe32(b, s + SB_BUILD_TIME, 0);
        return b;
    }

    private static byte[] contentUuid(FileChannel ch, long size) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer bb = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (pos < size) {
                bb.clear();
                int n = ch.read(bb, pos);
                if (n <= 0) break;
                md.update(bb.array(), 0, n);
                pos += n;
            }
            byte[] u = Arrays.copyOf(md.digest(), 16);
            u[6] = (byte) ((u[6] & 0x0f) | 0x50); // name-based (version 5 style)
            u[8] = (byte) ((u[8] & 0x3f) | 0x80); // RFC 4122 variant
            return u;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Xattrs that several inodes carry (name and value alike) go once into the shared xattr
     * area, as erofs-utils does at its default tolerance of 2; each inode then names them by
     * id. Returns the area's bytes (empty when nothing is shared).
     */
    private byte[] planSharedXattrs(List<Node> all) {
        Map<String, List<XattrEntry>> byKey = new java.util.TreeMap<>();
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        for (Node n : all) {
            for (XattrEntry x : n.xattrs) {
                String key = x.index + ":" + b64.encodeToString(x.name) + ":" + b64.encodeToString(x.value);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
            }
        }
        java.io.ByteArrayOutputStream area = new java.io.ByteArrayOutputStream();
        for (List<XattrEntry> same : byKey.values()) {
            if (same.size() < 2) continue;
            XattrEntry x = same.getFirst();
            int id = area.size() / 4;
            byte[] e = new byte[x.size()];
            e[0] = (byte) x.name.length;
            e[1] = (byte) x.index;
            putLe16(e, 2, x.value.length);
            System.arraycopy(x.name, 0, e, 4, x.name.length);
            System.arraycopy(x.value, 0, e, 4 + x.name.length, x.value.length);
            area.writeBytes(e);
            for (XattrEntry y : same) y.sharedId = id;
        }
        return area.toByteArray();
    }

    // ---------------------------------------------------------------- file data

    /**
     * Writes file data in the tree's order. Compression runs ahead on worker threads, a
     * bounded number of bytes in flight; the writer takes results in order, so the image is
     * the same whatever the threads' timing.
     */
    private void writeAllFiles(List<Node> all) throws IOException {
        int threads = Math.max(1, Math.min(o.threads, Runtime.getRuntime().availableProcessors()));
        java.util.concurrent.ExecutorService pool = threads > 1 && compressor != null
                ? java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "mkfs.erofs-worker");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        try {
            List<Node> files = new ArrayList<>();
            for (Node n : all) if (n.type() == Stat.S_IFREG) files.add(n);
            ArrayDeque<java.util.concurrent.Future<Prepared>> ahead = new ArrayDeque<>();
            int submitted = 0;
            long inFlight = 0;
            final long maxInFlight = 128L << 20;
            int fi = 0;
            for (Node n : all) {
                if (n.type() == Stat.S_IFLNK) {
                    writeSymlink(n);
                    continue;
                }
                if (n.type() != Stat.S_IFREG) continue;
                Prepared p;
                if (pool == null) {
                    p = prepare(n);
                } else {
                    while (submitted < files.size() && (submitted <= fi || inFlight < maxInFlight)) {
                        Node f = files.get(submitted++);
                        inFlight += Math.min(f.size, IN_MEMORY_LIMIT);
                        ahead.add(pool.submit(() -> prepare(f)));
                    }
                    try {
                        p = ahead.poll().get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof IOException io) throw io;
                        if (e.getCause() instanceof RuntimeException re) throw re;
                        throw new IOException(e.getCause());
                    }
                    inFlight -= Math.min(n.size, IN_MEMORY_LIMIT);
                }
                fi++;
                writeFile(n, p);
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    private void writeAt(byte[] b, long pos) throws IOException {
        writeAt(b, 0, b.length, pos);
    }

    private void writeAt(byte[] b, int off, int len, long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) pos += out.write(bb, pos);
    }

    /** Appends len bytes as whole blocks (zero-padded) at nextBlock; returns the first block. */
    private long appendBlocks(byte[] b, int off, int len) throws IOException {
        long start = nextBlock;
        writeAt(b, off, len, start << blkbits);
        long nblocks = (len + blksz - 1) >> blkbits;
        if ((len & (blksz - 1)) != 0) writeAt(new byte[blksz - (len & (blksz - 1))], (start << blkbits) + len);
        nextBlock += nblocks;
        return start;
    }

    private int inlineRoom(Node n) {
        return blksz - n.isize() - n.xattrIsize();
    }

    private void writeSymlink(Node n) throws IOException {
        byte[] target = Files.readSymbolicLink(n.host).toString().getBytes(StandardCharsets.UTF_8);
        n.size = target.length;
        if (target.length >= 4096) throw new IOException(n.host + ": symlink target too long");
        if (target.length <= inlineRoom(n)) {
            n.layout = EROFS_INODE_FLAT_INLINE;
            n.inlineTail = target;
        } else {
            n.layout = EROFS_INODE_FLAT_PLAIN;
            n.startblk = appendBlocks(target, 0, target.length);
        }
    }

    /**
     * What the compression workers prepare for one file, off the writer's thread: where the
     * file has data and, for files small enough to hold in memory, its encoded pclusters
     * (null when compression does not pay or was not tried).
     */
    private record Prepared(List<long[]> data, Encoded encoded) {}

    /** A compressed file's pclusters, block numbers relative to its first block. */
    private record Encoded(List<Extent> extents, List<byte[]> blocks, long used) {}

    /** Files up to this size are compressed by the workers, in memory; larger ones stream. */
    private static final long IN_MEMORY_LIMIT = 64L << 20;

    private Prepared prepare(Node n) throws IOException {
        if (n.size == 0) return new Prepared(List.of(), null);
        List<long[]> data = Sparse.dataRanges(n.host, n.size);
        boolean holes = data.size() != 1 || data.getFirst()[0] != 0 || data.getFirst()[1] != n.size;
        Encoded enc = null;
        if (!holes && compressor != null && n.size > blksz && n.size <= IN_MEMORY_LIMIT) {
            try (FileChannel in = FileChannel.open(n.host, StandardOpenOption.READ)) {
                enc = encode(n.size, in, null);
            }
        }
        return new Prepared(data, enc);
    }

    private void writeFile(Node n, Prepared prep) throws IOException {
        if (n.written) return;
        n.written = true;
        long size = n.size;
        if (size == 0) {
            n.layout = EROFS_INODE_FLAT_PLAIN;
            n.startblk = 0;
            return;
        }
        dataBytesIn += size;
        List<long[]> data = prep.data;
        boolean holes = data.size() != 1 || data.getFirst()[0] != 0 || data.getFirst()[1] != size;
        if (holes && size > blksz) {
            writeChunked(n, data);
            return;
        }
        if (prep.encoded != null) {
            long base = nextBlock;
            for (byte[] b : prep.encoded.blocks) appendBlocks(b, 0, b.length);
            List<Extent> abs = new ArrayList<>();
            for (Extent x : prep.encoded.extents) abs.add(new Extent(x.la, x.llen, x.plain, x.blkaddr + base, x.cblks));
            setCompressed(n, abs, prep.encoded.used);
            return;
        }
        try (FileChannel in = FileChannel.open(n.host, StandardOpenOption.READ)) {
            if (compressor != null && size > IN_MEMORY_LIMIT && !holes && writeCompressed(n, in)) return;
            writeFlat(n, in);
        }
    }

    private static void readFully(FileChannel in, byte[] b, int off, int len, long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) {
            int k = in.read(bb, pos + (bb.position() - off));
            if (k < 0) {
                Arrays.fill(b, bb.position(), off + len, (byte) 0); // the file shrank: zeros
                return;
            }
        }
    }

    private void writeFlat(Node n, FileChannel in) throws IOException {
        long size = n.size;
        long full = size >> blkbits;
        int tail = (int) (size & (blksz - 1));
        boolean inline = tail > 0 && tail <= inlineRoom(n);
        long rawLen = inline ? full << blkbits : size;
        n.layout = inline ? EROFS_INODE_FLAT_INLINE : EROFS_INODE_FLAT_PLAIN;
        n.startblk = nextBlock;
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        while (pos < rawLen) {
            int k = (int) Math.min(buf.length, rawLen - pos);
            readFully(in, buf, 0, k, pos);
            appendBlocks(buf, 0, k);
            pos += k;
        }
        if (rawLen == 0) n.startblk = 0;
        if (inline) {
            n.inlineTail = new byte[tail];
            readFully(in, n.inlineTail, 0, tail, full << blkbits);
        }
    }

    /** Chunk-based layout for sparse files: a 4-byte block map, EROFS_NULL_ADDR for holes. */
    private void writeChunked(Node n, List<long[]> data) throws IOException {
        long size = n.size;
        int bits = 0;
        while (((size + ((long) blksz << bits) - 1) >> (blkbits + bits)) > 16384 && bits < 20) bits++;
        long chunk = (long) blksz << bits;
        long nchunks = (size + chunk - 1) / chunk;
        n.layout = EROFS_INODE_CHUNK_BASED;
        n.chunkBits = bits;
        n.chunkMap = new int[(int) nchunks];
        usedChunks = true;
        byte[] buf = new byte[(int) Math.min(chunk, 1 << 20)];
        try (FileChannel in = FileChannel.open(n.host, StandardOpenOption.READ)) {
            for (long c = 0; c < nchunks; c++) {
                long start = c * chunk, len = Math.min(chunk, size - start);
                if (!Sparse.overlaps(data, start, start + len)) {
                    n.chunkMap[(int) c] = EROFS_NULL_ADDR;
                    continue;
                }
                // Read the chunk; an all-zero chunk is a hole too.
                boolean zero = true;
                for (long p = 0; p < len && zero; p += buf.length) {
                    int k = (int) Math.min(buf.length, len - p);
                    readFully(in, buf, 0, k, start + p);
                    for (int i = 0; i < k; i++) if (buf[i] != 0) { zero = false; break; }
                }
                if (zero) {
                    n.chunkMap[(int) c] = EROFS_NULL_ADDR;
                    continue;
                }
                long first = nextBlock;
                if (first > 0xfffffffeL) throw new IOException("image too large");
                for (long p = 0; p < len; p += buf.length) {
                    int k = (int) Math.min(buf.length, len - p);
                    readFully(in, buf, 0, k, start + p);
                    appendBlocks(buf, 0, k);
                }
                n.chunkMap[(int) c] = (int) first;
            }
        }
    }

    /** One extent of a compressed file: its logical start, length and where its pcluster lives. */
    private record Extent(long la, long llen, boolean plain, long blkaddr, int cblks) {}

    /**
     * Compresses a file into pclusters at nextBlock. Keeps the result (true) only if it
     * takes fewer blocks than the raw data; otherwise rewinds (false).
     */
    private boolean writeCompressed(Node n, FileChannel in) throws IOException {
        long startBlock = nextBlock;
        Encoded e = encode(n.size, in, this::appendBlock);
        if (e == null) {
            out.truncate(startBlock << blkbits);
            nextBlock = startBlock;
            return false;
        }
        setCompressed(n, e.extents, e.used);
        return true;
    }

    private long appendBlock(byte[] b) throws IOException {
        return appendBlocks(b, 0, b.length);
    }

    private interface BlockSink {
        long append(byte[] b) throws IOException;
    }

    private void setCompressed(Node n, List<Extent> extents, long used) {
        compressedFiles++;
        n.layout = EROFS_INODE_COMPRESSED_FULL;
        n.zBlocks = used;
        boolean big = o.pclusterSize > blksz;
        if (big) usedBigPcluster = true;
        n.zAdvise = big ? Z_EROFS_ADVISE_BIG_PCLUSTER_1 : 0;
        n.zIndexes = indexes(extents, n.size, big);
    }

    /**
     * Compresses a file into pclusters: to sink (the image) when given, else into memory with
     * block numbers counted from 0. Null when the result would not take fewer blocks than the
     * raw data.
     */
    private Encoded encode(long size, FileChannel in, BlockSink sink) throws IOException {
        int cap = o.pclusterSize;
        int maxIn = compressor.maxInput();
        // A sliding buffer over the file: [bufStart, bufStart + bufLen).
        byte[] window = new byte[(int) Math.min(size, 2L * maxIn)];
        long bufStart = 0;
        int bufLen = 0;
        List<Extent> extents = new ArrayList<>();
        List<byte[]> blocks = new ArrayList<>();
        long pos = 0;
        long rawBlocks = (size + blksz - 1) >> blkbits;
        long used = 0;
        while (pos < size) {
            long remaining = size - pos;
            int want = (int) Math.min(remaining, maxIn);
            if (pos + want > bufStart + bufLen) {
                int keep = (int) (bufStart + bufLen - pos);
                if (keep > 0) System.arraycopy(window, (int) (pos - bufStart), window, 0, keep);
                else keep = 0;
                int fill = (int) Math.min(window.length - keep, size - pos - keep);
                readFully(in, window, keep, fill, pos + keep);
                bufStart = pos;
                bufLen = keep + fill;
            }
            int at = (int) (pos - bufStart);
            Compressor.Chunk c = null;
            if (remaining > blksz) c = compressor.compress(window, at, want, cap);
            int cblks = c == null ? 0 : (c.data().length + blksz - 1) >> blkbits;
            byte[] pcl;
            Extent x;
            if (c != null && c.consumed() > (long) cblks << blkbits) {
                pcl = new byte[cblks << blkbits];
                System.arraycopy(c.data(), 0, pcl, pcl.length - c.data().length, c.data().length);
                x = new Extent(pos, c.consumed(), false, used, cblks);
                pos += c.consumed();
                used += cblks;
            } else {
                // A plain pcluster holds one block, and Linux maps it lcluster by lcluster: the
                // lcluster after its head must hold the next head (z_erofs_do_map_blocks rejects
                // a plain extent longer than its pcluster). So: a whole block while at least one
                // remains, else up to the end of this lcluster, then the rest from the next one.
                int c0 = (int) (pos & (blksz - 1));
                int k;
                if (remaining <= blksz - c0) k = (int) remaining;
                else if (remaining >= blksz) k = blksz;
                else k = blksz - c0;
                pcl = new byte[blksz];
                System.arraycopy(window, at, pcl, 0, k);
                x = new Extent(pos, k, true, used, 1);
                pos += k;
                used += 1;
            }
            if (sink != null) {
                long blk = sink.append(pcl);
                x = new Extent(x.la, x.llen, x.plain, blk, x.cblks);
            } else {
                blocks.add(pcl);
            }
            extents.add(x);
            if (used >= rawBlocks) return null; // no gain: store it flat instead
            if (extents.size() == 16 && extents.stream().allMatch(Extent::plain)) return null; // does not compress
        }
        return new Encoded(extents, blocks, used);
    }

    /** The full lcluster indexes (struct z_erofs_lcluster_index), one per logical block. */
    private byte[] indexes(List<Extent> extents, long size, boolean big) {
        long totalidx = (size + blksz - 1) >> blkbits;
        byte[] idx = new byte[(int) (totalidx * Z_EROFS_LCLUSTER_INDEX_SIZE)];
        for (int e = 0; e < extents.size(); e++) {
            Extent x = extents.get(e);
            long headLcn = x.la >> blkbits;
            long nextHead = e + 1 < extents.size() ? extents.get(e + 1).la >> blkbits : totalidx;
            int o = (int) (headLcn * 8);
            putLe16(idx, o, x.plain ? Z_EROFS_LCLUSTER_TYPE_PLAIN : Z_EROFS_LCLUSTER_TYPE_HEAD1);
            putLe16(idx, o + 2, (int) (x.la & (blksz - 1)));
            putLe32(idx, o + 4, (int) x.blkaddr);
            for (long j = headLcn + 1; j < nextHead; j++) {
                int p = (int) (j * 8);
                putLe16(idx, p, Z_EROFS_LCLUSTER_TYPE_NONHEAD);
                putLe16(idx, p + 2, 0);
                int d0 = (int) (j - headLcn);
                if (big && !x.plain && j == headLcn + 1) d0 = Z_EROFS_LI_D0_CBLKCNT | x.cblks;
                putLe16(idx, p + 4, d0);
                putLe16(idx, p + 6, (int) (nextHead - j));
            }
        }
        return idx;
    }

    // ---------------------------------------------------------------- directories

    private List<Child> dirEntries(Node d) {
        List<Child> es = new ArrayList<>(d.children);
        es.add(new Child(".".getBytes(StandardCharsets.US_ASCII), d));
        es.add(new Child("..".getBytes(StandardCharsets.US_ASCII), d.parent == null ? d : d.parent));
        es.sort((x, y) -> Arrays.compareUnsigned(x.name, y.name));
        return es;
    }

    /** Splits the sorted entries into blocks; returns the block boundaries (entry indexes). */
    private List<int[]> dirBlocks(List<Child> es) {
        List<int[]> blocks = new ArrayList<>();
        int i = 0;
        while (i < es.size()) {
            int used = 0, j = i;
            while (j < es.size() && used + DIRENT_SIZE + es.get(j).name.length <= blksz) {
                used += DIRENT_SIZE + es.get(j).name.length;
                j++;
            }
            blocks.add(new int[]{i, j, used});
            i = j;
        }
        return blocks;
    }

    private void planDir(Node d) {
        List<int[]> blocks = dirBlocks(dirEntries(d));
        int last = blocks.getLast()[2];
        d.size = (long) (blocks.size() - 1) * blksz + last;
        d.layout = last <= inlineRoom(d) && last < blksz ? EROFS_INODE_FLAT_INLINE : EROFS_INODE_FLAT_PLAIN;
        if (d.layout == EROFS_INODE_FLAT_INLINE) d.inlineTail = new byte[last]; // filled in writeDir
    }

    private void writeDir(Node d) throws IOException {
        List<Child> es = dirEntries(d);
        List<int[]> blocks = dirBlocks(es);
        byte[] data = new byte[blocks.size() * blksz];
        for (int b = 0; b < blocks.size(); b++) {
            int[] r = blocks.get(b);
            int base = b * blksz;
            int nameoff = (r[1] - r[0]) * DIRENT_SIZE;
            for (int i = r[0]; i < r[1]; i++) {
                Child c = es.get(i);
                int de = base + (i - r[0]) * DIRENT_SIZE;
                putLe64(data, de, c.node.nid);
                putLe16(data, de + 8, nameoff);
                data[de + 10] = (byte) fileType(c.node.mode);
                System.arraycopy(c.name, 0, data, base + nameoff, c.name.length);
                nameoff += c.name.length;
            }
        }
        int fullBlocks = d.layout == EROFS_INODE_FLAT_INLINE ? blocks.size() - 1 : blocks.size();
        if (d.layout == EROFS_INODE_FLAT_INLINE) {
            System.arraycopy(data, fullBlocks * blksz, d.inlineTail, 0, d.inlineTail.length);
        }
        d.startblk = fullBlocks > 0 ? appendBlocks(data, 0, fullBlocks * blksz) : 0;
    }

    static int fileType(int mode) {
        return switch (mode & Stat.S_IFMT) {
            case Stat.S_IFREG -> FT_REG_FILE;
            case Stat.S_IFDIR -> FT_DIR;
            case Stat.S_IFCHR -> FT_CHRDEV;
            case Stat.S_IFBLK -> FT_BLKDEV;
            case Stat.S_IFIFO -> FT_FIFO;
            case Stat.S_IFSOCK -> FT_SOCK;
            case Stat.S_IFLNK -> FT_SYMLINK;
            default -> FT_UNKNOWN;
        };
    }

    // ---------------------------------------------------------------- inodes

    private int metaSize(Node n) {
        int base = n.isize() + n.xattrIsize();
        return switch (n.layout) {
            case EROFS_INODE_FLAT_INLINE -> base + n.inlineTail.length;
            case EROFS_INODE_CHUNK_BASED -> (int) ErofsImage.align(base, 4) + 4 * n.chunkMap.length;
            case EROFS_INODE_COMPRESSED_FULL -> (int) fullIndexStart(base) + n.zIndexes.length;
            default -> base;
        };
    }

    private void writeInode(Node n, byte[] meta, int at, long epoch) {
        int format = (n.extended ? EROFS_INODE_LAYOUT_EXTENDED : EROFS_INODE_LAYOUT_COMPACT) | n.layout << EROFS_I_DATALAYOUT_BIT;
        int xsize = n.xattrIsize();
        int icount = xsize == 0 ? 0 : (xsize - XATTR_IBODY_HEADER_SIZE) / 4 + 1;
        int type = n.type();
        int iu = switch (type) {
            case Stat.S_IFCHR, Stat.S_IFBLK -> encodeRdev(n.rdev);
            case Stat.S_IFIFO, Stat.S_IFSOCK -> 0;
            default -> switch (n.layout) {
                case EROFS_INODE_CHUNK_BASED -> n.chunkBits; // chunk format: blkbits, block map
                case EROFS_INODE_COMPRESSED_FULL -> (int) n.zBlocks;
                default -> (int) n.startblk;
            };
        };
        long ino = n.nid + 1;
        if (n.extended) {
            putLe16(meta, at + IE_FORMAT, format);
            putLe16(meta, at + IE_XATTR_ICOUNT, icount);
            putLe16(meta, at + IE_MODE, n.mode & 0xffff);
            putLe16(meta, at + IE_NB, 0);
            putLe64(meta, at + IE_SIZE, n.size);
            putLe32(meta, at + IE_U, iu);
            putLe32(meta, at + IE_INO, (int) ino);
            putLe32(meta, at + IE_UID, n.uid);
            putLe32(meta, at + IE_GID, n.gid);
            putLe64(meta, at + IE_MTIME, n.mtime);
            putLe32(meta, at + IE_MTIME_NSEC, n.mtimeNsec);
            putLe32(meta, at + IE_NLINK, n.nlink);
        } else {
            putLe16(meta, at + IC_FORMAT, format);
            putLe16(meta, at + IC_XATTR_ICOUNT, icount);
            putLe16(meta, at + IC_MODE, n.mode & 0xffff);
            putLe16(meta, at + IC_NB, n.nlink);
            putLe32(meta, at + IC_SIZE, (int) n.size);
            putLe32(meta, at + IC_MTIME, (int) (n.mtime - epoch));
            putLe32(meta, at + IC_U, iu);
            putLe32(meta, at + IC_INO, (int) ino);
            putLe16(meta, at + IC_UID, n.uid);
            putLe16(meta, at + IC_GID, n.gid);
        }
        int p = at + n.isize();
        if (xsize > 0) {
            putLe32(meta, p, 0); // h_name_filter (unused: no XATTR_FILTER feature)
            int nshared = 0;
            for (XattrEntry x : n.xattrs) if (x.sharedId >= 0) putLe32(meta, p + XATTR_IBODY_HEADER_SIZE + 4 * nshared++, x.sharedId);
            meta[p + 4] = (byte) nshared;
            int q = p + XATTR_IBODY_HEADER_SIZE + 4 * nshared;
            for (XattrEntry x : n.xattrs) {
                if (x.sharedId >= 0) continue;
                meta[q] = (byte) x.name.length;
                meta[q + 1] = (byte) x.index;
                putLe16(meta, q + 2, x.value.length);
                System.arraycopy(x.name, 0, meta, q + 4, x.name.length);
                System.arraycopy(x.value, 0, meta, q + 4 + x.name.length, x.value.length);
                q += x.size();
            }
        }
        int base = n.isize() + xsize;
        switch (n.layout) {
            case EROFS_INODE_FLAT_INLINE -> System.arraycopy(n.inlineTail, 0, meta, at + base, n.inlineTail.length);
            case EROFS_INODE_CHUNK_BASED -> {
                int q = at + (int) ErofsImage.align(base, 4);
                for (int c : n.chunkMap) {
                    putLe32(meta, q, c);
                    q += 4;
                }
            }
            case EROFS_INODE_COMPRESSED_FULL -> {
                int h = at + (int) ErofsImage.align(base, 8);
                putLe32(meta, h, 0); // h_reserved1 / h_idata_size
                putLe16(meta, h + 4, n.zAdvise);
                meta[h + 6] = (byte) compressor.algorithm; // HEAD1 algorithm
                meta[h + 7] = 0; // lcluster = block
                System.arraycopy(n.zIndexes, 0, meta, at + (int) fullIndexStart(base), n.zIndexes.length);
            }
            default -> { }
        }
    }

    /** new_encode_dev for the on-disk rdev: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12). */
    private static int encodeRdev(int hostRdev) {
        // The host's st_rdev is glibc's encoding: major = bits 8..19 and 32..43, minor = 0..7 and 20..31.
        long r = hostRdev & 0xffffffffL;
        int major = (int) ((r >>> 8) & 0xfff);
        int minor = (int) ((r & 0xff) | ((r >>> 12) & 0xfff00));
        return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
    }

    // ---------------------------------------------------------------- little-endian helpers

    static void putLe16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    static void putLe32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    static void putLe64(byte[] b, int o, long v) {
        putLe32(b, o, (int) v);
        putLe32(b, o + 4, (int) (v >>> 32));
    }
}
