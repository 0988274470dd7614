package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static dev.kava.fs.erofs.ErofsFormat.*;

/**
 * A read-only view of an EROFS image: the superblock (fs/erofs/super.c), on-disk inodes
 * (inode.c), block mapping of flat, inline and chunk-based files (data.c), compressed files
 * (zmap.c + decompressor*.c), directories (dir.c, namei.c) and xattrs (xattr.c). It follows
 * the Linux reader's checks; whatever the image holds, its methods either answer or throw an
 * {@link ErofsException} carrying the errno Linux would return, never anything else.
 * Thread-safe: the caches are synchronized, everything else is immutable once read.
 */
public final class ErofsImage implements AutoCloseable {
    private static final int PAGE_SHIFT = 12;
    /** Bound on one decoded extent: Z_EROFS_PCLUSTER_MAX_DSIZE. */
    private static final int MAX_EXTENT = Z_EROFS_PCLUSTER_MAX_DSIZE;

    private final ImageSource src;
    public final int blkszbits, blksz;
    public final int featureCompat, featureIncompat;
    public final long rootNid, inos, epoch, blocks;
    public final int fixedNsec, buildTime;
    public final long metaBlkaddr, xattrBlkaddr;
    public final byte[] uuid, volumeName;
    public final int availableComprAlgs, lz4MaxDistance, extraDevices, dirblkbits;
    public final int xattrPrefixCount;
    public final long xattrPrefixStart, packedNid;
    public final int sbSize;
    public final int checksum;
    /** LZMA dictionary size from the compression configuration (0 if none). */
    public final int lzmaDictSize;
    /** Long xattr name prefixes: {base_index, infix bytes}. */
    private final List<byte[]> longPrefixes = new ArrayList<>();

    private final Map<Long, byte[]> blockCache = lru(512);
    private final Map<Long, Node> nodeCache = lru(8192);
    private final ExtentCache extentCache;

    private ErofsImage(ImageSource src, long cacheBytes) {
        this.src = src;
        this.extentCache = new ExtentCache(cacheBytes);
        if (src.size() < EROFS_SUPER_OFFSET + SB_BASE_SIZE) throw mountError("image too small for a superblock");
        byte[] sb = new byte[SB_BASE_SIZE + 16];
        src.read(EROFS_SUPER_OFFSET, sb, 0, Math.min(sb.length, (int) Math.min(Integer.MAX_VALUE, src.size() - EROFS_SUPER_OFFSET)));
        if (le32(sb, SB_MAGIC) != EROFS_SUPER_MAGIC_V1) throw mountError("cannot find valid erofs superblock");
        featureCompat = le32(sb, SB_FEATURE_COMPAT);
        blkszbits = sb[SB_BLKSZBITS] & 0xff;
        if (blkszbits < 9 || blkszbits > PAGE_SHIFT) throw mountError("blkszbits " + blkszbits + " isn't supported");
        blksz = 1 << blkszbits;
        checksum = le32(sb, SB_CHECKSUM);
        if ((featureCompat & FEATURE_COMPAT_SB_CHKSUM) != 0) verifyChecksum();
        int extslots = sb[SB_EXTSLOTS] & 0xff;
        sbSize = SB_BASE_SIZE + EROFS_SB_EXTSLOT_SIZE * extslots;
        if (sbSize > blksz - EROFS_SUPER_OFFSET) throw mountError("invalid sb_extslots " + extslots + " (more than a fs block)");
        featureIncompat = le32(sb, SB_FEATURE_INCOMPAT);
        if ((featureIncompat & ~ALL_FEATURE_INCOMPAT) != 0) {
            throw mountError(String.format("unidentified incompatible feature %x, please upgrade kernel",
                    featureIncompat & ~ALL_FEATURE_INCOMPAT));
        }
        if ((featureIncompat & FEATURE_INCOMPAT_METABOX) != 0) {
            throw new ErofsException(Errno.EOPNOTSUPP, "metabox images are not supported yet");
        }
        boolean bit48 = (featureIncompat & FEATURE_INCOMPAT_48BIT) != 0;
        long blocksHi = bit48 ? le16(sb, SB_ROOTNID_2B) : 0;
        long root = le16(sb, SB_ROOTNID_2B);
        if (bit48) {
            byte[] ext = new byte[8];
            if (sbSize >= SB_ROOTNID_8B + 8) {
                src.read(EROFS_SUPER_OFFSET + SB_ROOTNID_8B, ext, 0, 8);
                long r8 = le64(ext, 0);
                if (r8 != 0) root = r8;
            }
        }
        rootNid = root;
        inos = le64(sb, SB_INOS);
        epoch = le64(sb, SB_EPOCH);
        fixedNsec = le32(sb, SB_FIXED_NSEC);
        blocks = (le32(sb, SB_BLOCKS_LO) & 0xffffffffL) | blocksHi << 32;
        metaBlkaddr = le32(sb, SB_META_BLKADDR) & 0xffffffffL;
        xattrBlkaddr = le32(sb, SB_XATTR_BLKADDR) & 0xffffffffL;
        uuid = Arrays.copyOfRange(sb, SB_UUID, SB_UUID + 16);
        volumeName = Arrays.copyOfRange(sb, SB_VOLUME_NAME, SB_VOLUME_NAME + 16);
        extraDevices = le16(sb, SB_EXTRA_DEVICES);
        if (extraDevices != 0) throw new ErofsException(Errno.EOPNOTSUPP, "multi-device images are not supported");
        dirblkbits = sb[SB_DIRBLKBITS] & 0xff;
        if (dirblkbits != 0) throw mountError("dirblkbits " + dirblkbits + " isn't supported");
        xattrPrefixCount = sb[SB_XATTR_PREFIX_COUNT] & 0xff;
        xattrPrefixStart = le32(sb, SB_XATTR_PREFIX_START) & 0xffffffffL;
        packedNid = le64(sb, SB_PACKED_NID);
        buildTime = le32(sb, SB_BUILD_TIME);
        int u1 = le16(sb, SB_U1);
        int dict = 0;
        if ((featureIncompat & FEATURE_INCOMPAT_COMPR_CFGS) != 0) {
            availableComprAlgs = u1;
            lz4MaxDistance = 0;
            dict = parseComprCfgs(u1);
        } else {
            availableComprAlgs = 1 << Z_EROFS_COMPRESSION_LZ4;
            lz4MaxDistance = u1;
        }
        lzmaDictSize = dict;
        if (xattrPrefixCount > 0) loadXattrPrefixes();
        Node r = node(rootNid);
        if (!r.isDir()) throw mountError("rootino(nid " + rootNid + ") is not a directory(i_mode " + Integer.toOctalString(r.mode) + ")");
    }

    /** Opens (mounts) an image: EINVAL, EBADMSG or EOPNOTSUPP errors as Linux's mount gives them. */
    public static ErofsImage open(ImageSource src) {
        return open(src, 32L << 20);
    }

    /** As {@link #open(ImageSource)}, with a bound on the decompressed-extent cache, in bytes. */
    public static ErofsImage open(ImageSource src, long cacheBytes) {
        try {
            return new ErofsImage(src, cacheBytes);
        } catch (ErofsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ErofsException(Errno.EINVAL, "bad superblock: " + e);
        }
    }

    @Override
    public void close() {
        src.close();
    }

    public ImageSource source() {
        return src;
    }

    private static ErofsException mountError(String message) {
        return new ErofsException(Errno.EINVAL, message);
    }

    /** crc32c over the superblock's block from offset 1024, with the checksum field zeroed (erofs_superblock_csum_verify). */
    private void verifyChecksum() {
        int len = blksz > EROFS_SUPER_OFFSET ? blksz - EROFS_SUPER_OFFSET : blksz;
        if (src.size() < EROFS_SUPER_OFFSET + (long) len) throw mountError("image too small for its superblock block");
        byte[] b = new byte[len];
        src.read(EROFS_SUPER_OFFSET, b, 0, len);
        int expected = le32(b, SB_CHECKSUM);
        int crc = superblockChecksum(b, 0, len);
        if (crc != expected) {
            throw new ErofsException(ErofsException.EFSBADCRC, String.format("invalid checksum 0x%08x, 0x%08x expected", crc, expected));
        }
    }

    /**
     * Linux's crc32c(~0, sb, len) with the checksum field taken as zero. Linux's crc32c() does
     * not invert its result, java.util.zip.CRC32C does: hence the final complement.
     */
    static int superblockChecksum(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, SB_CHECKSUM);
        c.update(new byte[4], 0, 4);
        c.update(b, off + SB_CHECKSUM + 4, len - SB_CHECKSUM - 4);
        return ~(int) c.getValue();
    }

    /** z_erofs_parse_cfgs: one length-prefixed record per available algorithm after the superblock. */
    private int parseComprCfgs(int algs) {
        if ((algs & ~Z_EROFS_ALL_COMPR_ALGS) != 0) {
            throw mountError(String.format("unidentified algorithms %x, please upgrade kernel", algs & ~Z_EROFS_ALL_COMPR_ALGS));
        }
        long[] pos = {EROFS_SUPER_OFFSET + sbSize};
        int dict = 0;
        for (int alg = 0; alg < Z_EROFS_COMPRESSION_MAX; alg++) {
            if ((algs & (1 << alg)) == 0) continue;
            byte[] cfg = readMetadata(pos, null);
            switch (alg) {
                case Z_EROFS_COMPRESSION_LZMA -> {
                    if (cfg.length < 14) throw mountError("invalid lzma cfgs, size=" + cfg.length);
                    int d = le32(cfg, 0), format = le16(cfg, 4);
                    if (format != 0) throw mountError("unidentified lzma format " + format + ", please check kernel version");
                    if (d < 4096 || d > Z_EROFS_LZMA_MAX_DICT_SIZE) throw mountError("unsupported lzma dictionary size " + d);
                    dict = d;
                }
                case Z_EROFS_COMPRESSION_DEFLATE -> {
                    if (cfg.length < 1) throw mountError("invalid deflate cfgs");
                    int wb = cfg[0] & 0xff;
                    if (wb > 15) throw mountError("unsupported windowbits " + wb);
                }
                default -> { }
            }
        }
        return dict;
    }

    /**
     * erofs_read_metadata: at *pos rounded up to 4, a __le16 length (0 meaning 65536) then that
     * many bytes, from the image (packed == null) or from the packed inode's data.
     */
    private byte[] readMetadata(long[] pos, Node packed) {
        pos[0] = (pos[0] + 3) & ~3L;
        byte[] lb = new byte[2];
        readFrom(packed, pos[0], lb, 2);
        int len = le16(lb, 0);
        if (len == 0) len = 65536;
        pos[0] += 2;
        byte[] data = new byte[len];
        readFrom(packed, pos[0], data, len);
        pos[0] += len;
        return data;
    }

    private void readFrom(Node packed, long pos, byte[] dst, int len) {
        if (packed == null) {
            src.read(pos, dst, 0, len);
        } else if (read(packed, pos, dst, 0, len) != len) {
            throw ErofsException.corrupted("metadata beyond the packed inode");
        }
    }

    private void loadXattrPrefixes() {
        Node packed = null;
        if ((featureCompat & FEATURE_COMPAT_PLAIN_XATTR_PFX) == 0 && (featureIncompat & FEATURE_INCOMPAT_FRAGMENTS) != 0
                && packedNid != 0) {
            packed = node(packedNid);
        }
        long[] pos = {xattrPrefixStart << 2};
        for (int i = 0; i < xattrPrefixCount; i++) {
            byte[] p = readMetadata(pos, packed);
            if (p.length < 1) throw ErofsException.corrupted("empty xattr prefix");
            longPrefixes.add(p);
        }
    }

    // ---------------------------------------------------------------- metadata reads

    /** Reads len bytes of metadata at an image position, through the block cache. */
    void readMeta(long pos, byte[] dst, int off, int len) {
        while (len > 0) {
            long blk = pos >>> blkszbits;
            int bo = (int) (pos & (blksz - 1));
            int n = Math.min(len, blksz - bo);
            byte[] b = block(blk);
            System.arraycopy(b, bo, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    byte[] meta(long pos, int len) {
        byte[] b = new byte[len];
        readMeta(pos, b, 0, len);
        return b;
    }

    private byte[] block(long blk) {
        synchronized (blockCache) {
            byte[] b = blockCache.get(blk);
            if (b != null) return b;
        }
        long pos = blk << blkszbits;
        if (pos < 0 || blk > (Long.MAX_VALUE >>> blkszbits)) throw new ErofsException(Errno.EIO, "block " + blk + " out of range");
        byte[] b = new byte[blksz];
        long avail = src.size() - pos;
        if (avail <= 0) throw new ErofsException(Errno.EIO, "metadata block " + blk + " is outside the image");
        src.read(pos, b, 0, (int) Math.min(blksz, avail));
        synchronized (blockCache) {
            blockCache.put(blk, b);
        }
        return b;
    }

    // ---------------------------------------------------------------- inodes

    /** An on-disk inode as erofs_read_inode() reads it. */
    public final class Node {
        public final long nid;
        public final int format, layout, isize, xattrIsize;
        public final int mode, nlink, uid, gid;
        public final long size, mtime;
        public final int mtimeNsec;
        /** startblk for flat inodes (EROFS_NULL_ADDR, as -1L, when unmapped). */
        public final long startblk;
        public final int rdev;
        public final int chunkformat, chunkbits;
        /** i_u.blocks_lo of compressed inodes. */
        public final long compressedBlocks;
        public final boolean dotOmitted;
        final long iloc;
        private volatile ZInfo z;

        private Node(long nid) {
            if ((nid & ~EROFS_DIRENT_NID_MASK) != 0) throw ErofsException.unsupported("metabox nid " + Long.toUnsignedString(nid));
            if (nid < 0 || nid > (Long.MAX_VALUE >> EROFS_ISLOTBITS) - (metaBlkaddr << blkszbits)) {
                throw ErofsException.corrupted("bogus nid " + nid);
            }
            this.nid = nid;
            iloc = (metaBlkaddr << blkszbits) + (nid << EROFS_ISLOTBITS);
            byte[] dic = meta(iloc, INODE_COMPACT_SIZE);
            int ifmt = le16(dic, IC_FORMAT);
            if ((ifmt & ~EROFS_I_ALL) != 0) throw ErofsException.unsupported("unsupported i_format " + ifmt + " of nid " + nid);
            format = ifmt;
            layout = (ifmt >> EROFS_I_DATALAYOUT_BIT) & EROFS_I_DATALAYOUT_MASK;
            if (layout >= EROFS_INODE_DATALAYOUT_MAX) throw ErofsException.unsupported("unsupported datalayout " + layout + " of nid " + nid);
            long nbHi = 0;
            long addrmask = -1L;
            int iu;
            int nb;
            long sz;
            switch ((ifmt >> EROFS_I_VERSION_BIT) & EROFS_I_VERSION_MASK) {
                case EROFS_INODE_LAYOUT_EXTENDED -> {
                    byte[] die = meta(iloc, INODE_EXTENDED_SIZE);
                    isize = INODE_EXTENDED_SIZE;
                    xattrIsize = xattrIbodySize(le16(die, IE_XATTR_ICOUNT));
                    mode = le16(die, IE_MODE);
                    nb = le16(die, IE_NB);
                    uid = le32(die, IE_UID);
                    gid = le32(die, IE_GID);
                    nlink = le32(die, IE_NLINK);
                    mtime = le64(die, IE_MTIME);
                    mtimeNsec = le32(die, IE_MTIME_NSEC);
                    sz = le64(die, IE_SIZE);
                    iu = le32(die, IE_U);
                    nbHi = nb;
                }
                default -> {
                    isize = INODE_COMPACT_SIZE;
                    xattrIsize = xattrIbodySize(le16(dic, IC_XATTR_ICOUNT));
                    mode = le16(dic, IC_MODE);
                    nb = le16(dic, IC_NB);
                    uid = le16(dic, IC_UID);
                    gid = le16(dic, IC_GID);
                    int m = mode;
                    if ((m & Stat.S_IFMT) != Stat.S_IFDIR && ((ifmt >> EROFS_I_NLINK_1_BIT) & 1) != 0) {
                        nlink = 1;
                        nbHi = nb;
                    } else {
                        nlink = nb;
                        nbHi = 0;
                        addrmask = (1L << 32) - 1;
                    }
                    mtime = epoch + (le32(dic, IC_MTIME) & 0xffffffffL);
                    mtimeNsec = fixedNsec;
                    sz = le32(dic, IC_SIZE) & 0xffffffffL;
                    iu = le32(dic, IC_U);
                }
            }
            if (sz < 0) throw ErofsException.corrupted("negative i_size @ nid " + nid);
            size = sz;
            int type = mode & Stat.S_IFMT;
            long sb = 0;
            int rd = 0;
            boolean dot = false;
            switch (type) {
                case Stat.S_IFDIR, Stat.S_IFREG, Stat.S_IFLNK -> {
                    dot = type == Stat.S_IFDIR && ((ifmt >> EROFS_I_DOT_OMITTED_BIT) & 1) != 0;
                    sb = (iu & 0xffffffffL) | (nbHi & 0xffff) << 32;
                    if (layout == EROFS_INODE_FLAT_PLAIN && ((sb ^ 0xffffffffL) & addrmask) == 0) sb = -1L;
                }
                case Stat.S_IFCHR, Stat.S_IFBLK -> rd = iu;
                case Stat.S_IFIFO, Stat.S_IFSOCK -> rd = 0;
                default -> throw ErofsException.corrupted("bogus i_mode (" + Integer.toOctalString(mode) + ") @ nid " + nid);
            }
            startblk = sb;
            rdev = rd;
            dotOmitted = dot;
            boolean compressed = layout == EROFS_INODE_COMPRESSED_FULL || layout == EROFS_INODE_COMPRESSED_COMPACT;
            if (compressed && (featureIncompat & FEATURE_INCOMPAT_COMPR_CFGS) == 0 && availableComprAlgs == 0) {
                throw ErofsException.corrupted("compressed inode (nid " + nid + ") is invalid in a plain filesystem");
            }
            compressedBlocks = compressed ? (iu & 0xffffffffL) | (nbHi & 0xffff) << 32 : 0;
            if (layout == EROFS_INODE_CHUNK_BASED) {
                chunkformat = iu & 0xffff;
                if ((chunkformat & ~EROFS_CHUNK_FORMAT_ALL) != 0) {
                    throw ErofsException.unsupported("unsupported chunk format " + Integer.toHexString(chunkformat) + " of nid " + nid);
                }
                chunkbits = blkszbits + (chunkformat & EROFS_CHUNK_FORMAT_BLKBITS_MASK);
                if (chunkbits > 62) throw ErofsException.corrupted("chunk size too large @ nid " + nid);
            } else {
                chunkformat = 0;
                chunkbits = 0;
            }
        }

        public int type() {
            return mode & Stat.S_IFMT;
        }

        public boolean isDir() {
            return type() == Stat.S_IFDIR;
        }

        public boolean isCompressed() {
            return layout == EROFS_INODE_COMPRESSED_FULL || layout == EROFS_INODE_COMPRESSED_COMPACT;
        }

        /** The rdev as a dev_t (new_decode_dev). */
        public long rdevEncoded() {
            int major = (rdev & 0xfff00) >>> 8;
            int minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
            return Stat.encodeDev(major, minor);
        }

        public int rdevMajor() {
            return (rdev & 0xfff00) >>> 8;
        }

        public int rdevMinor() {
            return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
        }

        /** Blocks the file occupies, as i_blocks in 512-byte units. */
        public long blocks512() {
            if (isCompressed()) return compressedBlocks << (blkszbits - 9);
            return ((size + blksz - 1) >>> blkszbits) << (blkszbits - 9);
        }

        long iblks() {
            return (size + blksz - 1) >>> blkszbits;
        }
    }

    /** erofs_iget: the inode at nid (cached). */
    public Node node(long nid) {
        synchronized (nodeCache) {
            Node n = nodeCache.get(nid);
            if (n != null) return n;
        }
        Node n = new Node(nid);
        synchronized (nodeCache) {
            nodeCache.put(nid, n);
        }
        return n;
    }

    public Node root() {
        return node(rootNid);
    }

    // ---------------------------------------------------------------- data

    /**
     * Reads up to len bytes of a file's data at pos; returns the count (0 at or past the end).
     * Holes read as zeros.
     */
    public int read(Node n, long pos, byte[] dst, int off, int len) {
        if (pos < 0) throw new ErofsException(Errno.EINVAL, "negative position");
        if (pos >= n.size || len <= 0) return 0;
        len = (int) Math.min(len, n.size - pos);
        int done = 0;
        while (done < len) {
            long p = pos + done;
            int k;
            if (n.isCompressed()) {
                k = readCompressed(n, p, dst, off + done, len - done);
            } else {
                k = readFlat(n, p, dst, off + done, len - done);
            }
            if (k <= 0) throw ErofsException.corrupted("no progress reading nid " + n.nid + " at " + p);
            done += k;
        }
        return done;
    }

    /** Reads the whole content of a small file (symlinks, directories in tests). */
    public byte[] readAll(Node n, int limit) {
        if (n.size > limit) throw ErofsException.corrupted("file too large: " + n.size);
        byte[] b = new byte[(int) n.size];
        int k = read(n, 0, b, 0, b.length);
        if (k != b.length) throw ErofsException.corrupted("short read");
        return b;
    }

    /** One mapped range (struct erofs_map_blocks). */
    record Mapping(long la, long llen, long pa, long plen, boolean mapped) {}

    /** erofs_map_blocks for uncompressed inodes (flat plain, flat inline, chunk-based). */
    Mapping mapFlat(Node n, long la) {
        if (n.layout == EROFS_INODE_CHUNK_BASED) return mapChunk(n, la);
        boolean tailpacking = n.layout == EROFS_INODE_FLAT_INLINE;
        long nblocks = n.iblks();
        long lastblk = nblocks - (tailpacking ? 1 : 0);
        long lastPos = lastblk << blkszbits;
        if (la < lastPos) {
            if (n.startblk == -1L) return new Mapping(la, lastPos - la, 0, 0, false);
            return new Mapping(la, lastPos - la, (n.startblk << blkszbits) + la, lastPos - la, true);
        }
        if (tailpacking) {
            long pa = n.iloc + n.isize + n.xattrIsize + (la & (blksz - 1));
            long plen = n.size - la;
            if ((pa & (blksz - 1)) + plen > blksz) {
                throw ErofsException.corrupted("inline data cross block boundary @ nid " + n.nid);
            }
            return new Mapping(la, plen, pa, plen, true);
        }
        throw ErofsException.corrupted("internal error @ nid: " + n.nid + " (size " + n.size + "), m_la 0x" + Long.toHexString(la));
    }

    private Mapping mapChunk(Node n, long la) {
        boolean indexes = (n.chunkformat & EROFS_CHUNK_FORMAT_INDEXES) != 0;
        int unit = indexes ? CHUNK_INDEX_SIZE : EROFS_BLOCK_MAP_ENTRY_SIZE;
        long chunknr = la >>> n.chunkbits;
        long pos = align(n.iloc + n.isize + n.xattrIsize, unit) + unit * chunknr;
        byte[] e = meta(pos, unit);
        long start = chunknr << n.chunkbits;
        long chunk = 1L << n.chunkbits;
        long llen = Math.min(chunk, n.size - start);
        long blk;
        if (!indexes) {
            int a = le32(e, 0);
            if (a == EROFS_NULL_ADDR) return new Mapping(start, llen, 0, 0, false);
            blk = a & 0xffffffffL;
        } else {
            int lo = le32(e, 4);
            if (lo == EROFS_NULL_ADDR) return new Mapping(start, llen, 0, 0, false);
            blk = lo & 0xffffffffL;
            if ((n.chunkformat & EROFS_CHUNK_FORMAT_48BIT) != 0) blk |= (long) le16(e, 0) << 32;
        }
        return new Mapping(start, llen, blk << blkszbits, llen, true);
    }

    private int readFlat(Node n, long pos, byte[] dst, int off, int len) {
        Mapping m = mapFlat(n, pos);
        long inExtent = m.la + m.llen - pos;
        if (inExtent <= 0) throw ErofsException.corrupted("bad mapping @ nid " + n.nid);
        int k = (int) Math.min(len, inExtent);
        if (!m.mapped) {
            Arrays.fill(dst, off, off + k, (byte) 0);
        } else {
            long pa = m.pa + (pos - m.la);
            if (pa < 0) throw new ErofsException(Errno.EIO, "block address overflow @ nid " + n.nid);
            // Directories and symlinks are metadata as Linux reads them: through the block cache.
            if (n.type() == Stat.S_IFREG) src.read(pa, dst, off, k);
            else readMeta(pa, dst, off, k);
        }
        return k;
    }

    // ---------------------------------------------------------------- compressed data (zmap.c)

    /** Per-inode compression state (z_erofs_fill_inode_lazy). */
    private static final class ZInfo {
        int advise;
        int[] alg = new int[2];
        int lclusterbits;
        int idataSize;
        long idataOff;
        long tailextentHeadlcn;
        long fragmentOff;
        boolean wholeFragment;
    }

    /** A compressed extent: logical range, physical range and how to decode it. */
    record Extent(long la, long llen, long pa, long plen, int alg, boolean meta, boolean fragment, boolean partialRef,
                  boolean fullMapped) {}

    /** struct z_erofs_maprecorder */
    private static final class MapRecorder {
        final Node n;
        final ZInfo z;
        long lcn;
        int type, headtype;
        int clusterofs;
        int delta0, delta1;
        long pblk, compressedblks;
        long nextpackoff;
        boolean partialref;
        // m_la and flags of the map being built
        long mla;

        MapRecorder(Node n, ZInfo z) {
            this.n = n;
            this.z = z;
        }
    }

    private ZInfo zinfo(Node n) {
        ZInfo z = n.z;
        if (z != null) return z;
        synchronized (n) {
            if (n.z != null) return n.z;
            z = fillInodeLazy(n);
            n.z = z;
            return z;
        }
    }

    private ZInfo fillInodeLazy(Node n) {
        ZInfo z = new ZInfo();
        long pos = align(n.iloc + n.isize + n.xattrIsize, 8);
        byte[] h = meta(pos, Z_EROFS_MAP_HEADER_SIZE);
        int clusterbits = h[7] & 0xff;
        if ((clusterbits >> Z_EROFS_FRAGMENT_INODE_BIT) != 0) {
            z.advise = Z_EROFS_ADVISE_FRAGMENT_PCLUSTER;
            z.fragmentOff = le64(h, 0) ^ (1L << 63);
            z.tailextentHeadlcn = 0;
            z.wholeFragment = true;
            z.lclusterbits = blkszbits;
            return z;
        }
        z.advise = le16(h, 4);
        z.alg[0] = h[6] & 15;
        z.alg[1] = (h[6] & 0xff) >> 4;
        if (z.alg[0] >= Z_EROFS_COMPRESSION_MAX || z.alg[1] >= Z_EROFS_COMPRESSION_MAX) {
            throw ErofsException.unsupported("unknown HEAD format " + Arrays.toString(z.alg) + " for nid " + n.nid + ", please upgrade kernel");
        }
        if (n.layout == EROFS_INODE_COMPRESSED_FULL && (z.advise & Z_EROFS_ADVISE_EXTENTS) != 0) {
            throw ErofsException.unsupported("extent-based compressed inodes are not supported (nid " + n.nid + ")");
        }
        z.lclusterbits = blkszbits + (clusterbits & 15);
        if (z.lclusterbits > 30) throw ErofsException.corrupted("bogus lcluster bits for nid " + n.nid);
        if ((featureIncompat & FEATURE_INCOMPAT_BIG_PCLUSTER) == 0
                && (z.advise & (Z_EROFS_ADVISE_BIG_PCLUSTER_1 | Z_EROFS_ADVISE_BIG_PCLUSTER_2)) != 0) {
            throw ErofsException.corrupted("per-inode big pcluster without sb feature for nid " + n.nid);
        }
        if (n.layout == EROFS_INODE_COMPRESSED_COMPACT
                && ((z.advise & Z_EROFS_ADVISE_BIG_PCLUSTER_1) == 0) != ((z.advise & Z_EROFS_ADVISE_BIG_PCLUSTER_2) == 0)) {
            throw ErofsException.corrupted("big pcluster head1/2 of compact indexes should be consistent for nid " + n.nid);
        }
        z.tailextentHeadlcn = -1;
        if ((z.advise & Z_EROFS_ADVISE_INLINE_PCLUSTER) != 0) {
            z.idataSize = le16(h, 2);
            MapRecorder m = new MapRecorder(n, z);
            Extent e = doMapBlocks(m, n.size - 1, true);
            if (e.plen == 0 || (e.pa & (blksz - 1)) + e.plen > blksz) {
                throw ErofsException.corrupted("invalid tail-packing pclustersize " + e.plen);
            }
        }
        if ((z.advise & Z_EROFS_ADVISE_FRAGMENT_PCLUSTER) != 0) {
            z.fragmentOff = le32(h, 0) & 0xffffffffL;
            MapRecorder m = new MapRecorder(n, z);
            doMapBlocks(m, n.size - 1, true);
        }
        return z;
    }

    private void loadLcluster(MapRecorder m, long lcn, boolean lookahead) {
        switch (m.n.layout) {
            case EROFS_INODE_COMPRESSED_FULL -> loadFullLcluster(m, lcn);
            case EROFS_INODE_COMPRESSED_COMPACT -> loadCompactLcluster(m, lcn, lookahead);
            default -> throw new ErofsException(Errno.EINVAL, "not a compressed inode");
        }
    }

    private void loadFullLcluster(MapRecorder m, long lcn) {
        Node n = m.n;
        long pos = fullIndexStart(n.iloc + n.isize + n.xattrIsize) + lcn * Z_EROFS_LCLUSTER_INDEX_SIZE;
        if (lcn < 0 || pos < 0) throw ErofsException.corrupted("bogus lcn " + lcn + " @ nid " + n.nid);
        byte[] di = meta(pos, Z_EROFS_LCLUSTER_INDEX_SIZE);
        m.nextpackoff = pos + Z_EROFS_LCLUSTER_INDEX_SIZE;
        m.lcn = lcn;
        int advise = le16(di, 0);
        m.type = advise & Z_EROFS_LI_LCLUSTER_TYPE_MASK;
        if (m.type == Z_EROFS_LCLUSTER_TYPE_NONHEAD) {
            m.clusterofs = 1 << m.z.lclusterbits;
            m.delta0 = le16(di, 4);
            if ((m.delta0 & Z_EROFS_LI_D0_CBLKCNT) != 0) {
                if ((m.z.advise & (Z_EROFS_ADVISE_BIG_PCLUSTER_1 | Z_EROFS_ADVISE_BIG_PCLUSTER_2)) == 0) {
                    throw ErofsException.corrupted("CBLKCNT without big pcluster @ nid " + n.nid);
                }
                m.compressedblks = m.delta0 & ~Z_EROFS_LI_D0_CBLKCNT;
                m.delta0 = 1;
            }
            m.delta1 = le16(di, 6);
        } else {
            m.partialref = (advise & Z_EROFS_LI_PARTIAL_REF) != 0;
            m.clusterofs = le16(di, 2);
            if (m.clusterofs >= 1 << m.z.lclusterbits) throw ErofsException.corrupted("bogus clusterofs @ nid " + n.nid);
            m.pblk = le32(di, 4) & 0xffffffffL;
        }
    }

    private static int decodeCompactedBits(int lobits, byte[] in, int base, int pos, int[] type) {
        int at = base + pos / 8;
        int v = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8 | (in[at + 2] & 0xff) << 16 | (in[at + 3] & 0xff) << 24;
        v >>>= (pos & 7);
        type[0] = (v >>> lobits) & 3;
        return v & ((1 << lobits) - 1);
    }

    private static int compactedLaDistance(int lobits, int encodebits, int vcnt, byte[] in, int base, int i) {
        int lo = 0, d1 = 0;
        int[] type = new int[1];
        do {
            lo = decodeCompactedBits(lobits, in, base, encodebits * i, type);
            if (type[0] != Z_EROFS_LCLUSTER_TYPE_NONHEAD) return d1;
            ++d1;
        } while (++i < vcnt);
        if ((lo & Z_EROFS_LI_D0_CBLKCNT) == 0) d1 += lo - 1;
        return d1;
    }

    private void unpackCompactedIndex(MapRecorder m, int amortizedshift, long pos, boolean lookahead) {
        int lclusterbits = m.z.lclusterbits;
        int vcnt;
        if ((1 << amortizedshift) == 4 && lclusterbits <= 14) vcnt = 2;
        else if ((1 << amortizedshift) == 2 && lclusterbits <= 12) vcnt = 16;
        else throw ErofsException.unsupported("unsupported compacted index for nid " + m.n.nid);
        int packSize = vcnt << amortizedshift;
        long packStart = pos - Math.floorMod(pos, (long) packSize);
        m.nextpackoff = packStart + packSize;
        boolean bigPcluster = (m.z.advise & Z_EROFS_ADVISE_BIG_PCLUSTER_1) != 0;
        int lobits = Math.max(lclusterbits, 11 + 1); // ilog2(Z_EROFS_LI_D0_CBLKCNT) + 1
        int encodebits = ((packSize) - 4) * 8 / vcnt;
        byte[] in = meta(packStart, packSize);
        int i = (int) ((pos - packStart) >> amortizedshift);
        int[] type = new int[1];
        int lo = decodeCompactedBits(lobits, in, 0, encodebits * i, type);
        m.type = type[0];
        if (m.type == Z_EROFS_LCLUSTER_TYPE_NONHEAD) {
            m.clusterofs = 1 << lclusterbits;
            if (lookahead) m.delta1 = compactedLaDistance(lobits, encodebits, vcnt, in, 0, i);
            if ((lo & Z_EROFS_LI_D0_CBLKCNT) != 0) {
                if (!bigPcluster) throw ErofsException.corrupted("CBLKCNT without big pcluster @ nid " + m.n.nid);
                m.compressedblks = lo & ~Z_EROFS_LI_D0_CBLKCNT;
                m.delta0 = 1;
                return;
            } else if (i + 1 != vcnt) {
                m.delta0 = lo;
                return;
            }
            if (i == 0) throw ErofsException.corrupted("bogus compacted pack @ nid " + m.n.nid);
            lo = decodeCompactedBits(lobits, in, 0, encodebits * (i - 1), type);
            if (type[0] != Z_EROFS_LCLUSTER_TYPE_NONHEAD) lo = 0;
            else if ((lo & Z_EROFS_LI_D0_CBLKCNT) != 0) lo = 1;
            m.delta0 = lo + 1;
            return;
        }
        m.clusterofs = lo;
        m.delta0 = 0;
        long nblk;
        if (!bigPcluster) {
            nblk = 1;
            while (i > 0) {
                --i;
                lo = decodeCompactedBits(lobits, in, 0, encodebits * i, type);
                if (type[0] == Z_EROFS_LCLUSTER_TYPE_NONHEAD) i -= lo;
                if (i >= 0) ++nblk;
            }
        } else {
            nblk = 0;
            while (i > 0) {
                --i;
                lo = decodeCompactedBits(lobits, in, 0, encodebits * i, type);
                if (type[0] == Z_EROFS_LCLUSTER_TYPE_NONHEAD) {
                    if ((lo & Z_EROFS_LI_D0_CBLKCNT) != 0) {
                        --i;
                        nblk += lo & ~Z_EROFS_LI_D0_CBLKCNT;
                        continue;
                    }
                    if (lo <= 1) throw ErofsException.corrupted("bigpcluster with plain d0 == 1 @ nid " + m.n.nid);
                    i -= lo - 2;
                    continue;
                }
                ++nblk;
            }
        }
        m.pblk = (le32(in, packSize - 4) & 0xffffffffL) + nblk;
    }

    private void loadCompactLcluster(MapRecorder m, long lcn, boolean lookahead) {
        Node n = m.n;
        long ebase = Z_EROFS_MAP_HEADER_SIZE + align(n.iloc + n.isize + n.xattrIsize, 8);
        long totalidx = n.iblks();
        if (lcn < 0 || lcn >= totalidx) throw new ErofsException(Errno.EINVAL, "lcn " + lcn + " beyond the file @ nid " + n.nid);
        m.lcn = lcn;
        long initial4b = (32 - ebase % 32) / 4;
        if (initial4b == 32 / 4) initial4b = 0;
        long compacted2b;
        if ((m.z.advise & Z_EROFS_ADVISE_COMPACTED_2B) != 0 && initial4b < totalidx) {
            compacted2b = (totalidx - initial4b) / 16 * 16;
        } else {
            compacted2b = 0;
        }
        long pos = ebase;
        int amortizedshift;
        if (lcn < initial4b) {
            amortizedshift = 2;
        } else {
            pos += initial4b * 4;
            lcn -= initial4b;
            if (lcn < compacted2b) {
                amortizedshift = 1;
            } else {
                pos += compacted2b * 2;
                lcn -= compacted2b;
                amortizedshift = 2;
            }
        }
        pos += lcn << amortizedshift;
        unpackCompactedIndex(m, amortizedshift, pos, lookahead);
    }

    private void extentLookback(MapRecorder m, long lookbackDistance) {
        int lclusterbits = m.z.lclusterbits;
        while (m.lcn >= lookbackDistance) {
            long lcn = m.lcn - lookbackDistance;
            loadLcluster(m, lcn, false);
            switch (m.type) {
                case Z_EROFS_LCLUSTER_TYPE_NONHEAD -> {
                    lookbackDistance = m.delta0;
                    if (lookbackDistance == 0) throw ErofsException.corrupted("bogus lookback distance 0 @ nid " + m.n.nid);
                }
                case Z_EROFS_LCLUSTER_TYPE_PLAIN, Z_EROFS_LCLUSTER_TYPE_HEAD1, Z_EROFS_LCLUSTER_TYPE_HEAD2 -> {
                    m.headtype = m.type;
                    m.mla = (lcn << lclusterbits) | m.clusterofs;
                    return;
                }
                default -> throw ErofsException.unsupported("unknown type " + m.type + " @ lcn " + lcn + " of nid " + m.n.nid);
            }
        }
        throw ErofsException.corrupted("bogus lookback distance " + lookbackDistance + " @ lcn " + m.lcn + " of nid " + m.n.nid);
    }

    private long extentCompressedLen(MapRecorder m) {
        int lclusterbits = m.z.lclusterbits;
        if (m.headtype == Z_EROFS_LCLUSTER_TYPE_PLAIN
                || (m.headtype == Z_EROFS_LCLUSTER_TYPE_HEAD1 && (m.z.advise & Z_EROFS_ADVISE_BIG_PCLUSTER_1) == 0)
                || (m.headtype == Z_EROFS_LCLUSTER_TYPE_HEAD2 && (m.z.advise & Z_EROFS_ADVISE_BIG_PCLUSTER_2) == 0)) {
            return 1L << lclusterbits;
        }
        long lcn = m.lcn + 1;
        if (m.compressedblks == 0) {
            loadLcluster(m, lcn, false);
            switch (m.type) {
                case Z_EROFS_LCLUSTER_TYPE_PLAIN, Z_EROFS_LCLUSTER_TYPE_HEAD1, Z_EROFS_LCLUSTER_TYPE_HEAD2 ->
                        m.compressedblks = 1L << (lclusterbits - blkszbits);
                case Z_EROFS_LCLUSTER_TYPE_NONHEAD -> {
                    if (m.delta0 != 1) throw ErofsException.corrupted("bogus CBLKCNT @ lcn " + lcn + " of nid " + m.n.nid);
                    if (m.compressedblks == 0) throw ErofsException.corrupted("cannot found CBLKCNT @ lcn " + lcn + " of nid " + m.n.nid);
                }
                default -> throw ErofsException.corrupted("cannot found CBLKCNT @ lcn " + lcn + " of nid " + m.n.nid);
            }
        }
        return m.compressedblks << blkszbits;
    }

    /** z_erofs_get_extent_decompressedlen: the extent runs to the next HEAD lcluster (or EOF). */
    private long extentDecompressedLen(MapRecorder m, long mla, int headtype) {
        int lclusterbits = m.z.lclusterbits;
        long headlcn = mla >>> lclusterbits;
        long lcn = headlcn;
        long size = m.n.size;
        do {
            if ((lcn << lclusterbits) >= size) return size - mla;
            loadLcluster(m, lcn, true);
            if (m.type == Z_EROFS_LCLUSTER_TYPE_NONHEAD) {
                // delta[1] moves on to the next HEAD. A plain pcluster spans one lcluster: Linux
                // maps the lcluster after its head as longer than the pcluster and fails.
                if (headtype == Z_EROFS_LCLUSTER_TYPE_PLAIN && lcn == headlcn + 1) {
                    throw ErofsException.corrupted("plain extent spans a non-head lcluster @ nid " + m.n.nid);
                }
            } else if (m.type == Z_EROFS_LCLUSTER_TYPE_PLAIN || m.type == Z_EROFS_LCLUSTER_TYPE_HEAD1
                    || m.type == Z_EROFS_LCLUSTER_TYPE_HEAD2) {
                if (lcn != headlcn) break;
                m.delta1 = 1;
            } else {
                throw ErofsException.unsupported("unknown type " + m.type + " @ lcn " + lcn + " of nid " + m.n.nid);
            }
            lcn += m.delta1;
        } while (m.delta1 != 0);
        return (lcn << lclusterbits) + m.clusterofs - mla;
    }

    /** z_erofs_do_map_blocks, with the extent always fully mapped (its decoded length known). */
    private Extent doMapBlocks(MapRecorder m, long ofs, boolean findtail) {
        ZInfo z = m.z;
        Node n = m.n;
        boolean ztailpacking = (z.advise & Z_EROFS_ADVISE_INLINE_PCLUSTER) != 0;
        boolean fragment = (z.advise & Z_EROFS_ADVISE_FRAGMENT_PCLUSTER) != 0;
        int lclusterbits = z.lclusterbits;
        long initialLcn = ofs >>> lclusterbits;
        long endoff = ofs & ((1L << lclusterbits) - 1);
        loadLcluster(m, initialLcn, false);
        if (ztailpacking && findtail) z.idataOff = m.nextpackoff;
        long end = (m.lcn + 1) << lclusterbits;
        boolean fullMapped = false;
        switch (m.type) {
            case Z_EROFS_LCLUSTER_TYPE_PLAIN, Z_EROFS_LCLUSTER_TYPE_HEAD1, Z_EROFS_LCLUSTER_TYPE_HEAD2 -> {
                if (endoff >= m.clusterofs) {
                    m.headtype = m.type;
                    m.mla = (m.lcn << lclusterbits) | m.clusterofs;
                    if (ztailpacking && end > n.size) end = n.size;
                    break;
                }
                if (m.lcn == 0) throw ErofsException.corrupted("invalid logical cluster 0 at nid " + n.nid);
                end = (m.lcn << lclusterbits) | m.clusterofs;
                fullMapped = true;
                m.delta0 = 1;
                extentLookback(m, m.delta0);
            }
            case Z_EROFS_LCLUSTER_TYPE_NONHEAD -> extentLookback(m, m.delta0);
            default -> throw ErofsException.unsupported("unknown type " + m.type + " @ offset " + ofs + " of nid " + n.nid);
        }
        long mla = m.mla;
        boolean partialref = m.partialref;
        long llen = end - mla;
        if (findtail) {
            z.tailextentHeadlcn = m.lcn;
            if (fragment && n.layout == EROFS_INODE_COMPRESSED_FULL) z.fragmentOff |= m.pblk << 32;
        }
        long pa = 0, plen = 0;
        boolean meta = false, frag = false;
        if (ztailpacking && m.lcn == z.tailextentHeadlcn) {
            meta = true;
            pa = z.idataOff;
            plen = z.idataSize;
        } else if (fragment && m.lcn == z.tailextentHeadlcn) {
            frag = true;
        } else {
            pa = m.pblk << blkszbits;
            if (m.pblk > (Long.MAX_VALUE >>> blkszbits)) throw ErofsException.corrupted("bogus pblk @ nid " + n.nid);
            plen = extentCompressedLen(m);
        }
        int alg;
        if (m.headtype == Z_EROFS_LCLUSTER_TYPE_PLAIN) {
            if (llen > plen && !frag) throw ErofsException.corrupted("plain extent longer than its pcluster @ nid " + n.nid);
            alg = (z.advise & Z_EROFS_ADVISE_INTERLACED_PCLUSTER) != 0 ? Z_EROFS_COMPRESSION_INTERLACED : Z_EROFS_COMPRESSION_SHIFTED;
        } else {
            alg = m.headtype == Z_EROFS_LCLUSTER_TYPE_HEAD2 ? z.alg[1] : z.alg[0];
            if ((availableComprAlgs & (1 << alg)) == 0) {
                throw ErofsException.corrupted("inconsistent algorithmtype " + alg + " for nid " + n.nid);
            }
        }
        if (!findtail && !fullMapped && !frag) {
            llen = extentDecompressedLen(m, mla, m.headtype);
            fullMapped = true;
        }
        return new Extent(mla, llen, pa, plen, alg, meta, frag, partialref, fullMapped);
    }

    /** z_erofs_map_blocks_iter: the extent holding logical offset ofs of a compressed file. */
    Extent mapCompressed(Node n, long ofs) {
        ZInfo z = zinfo(n);
        if ((z.advise & Z_EROFS_ADVISE_FRAGMENT_PCLUSTER) != 0 && z.tailextentHeadlcn == 0) {
            return new Extent(0, n.size, 0, 0, 0, false, true, false, true);
        }
        return doMapBlocks(new MapRecorder(n, z), ofs, false);
    }

    private int readCompressed(Node n, long pos, byte[] dst, int off, int len) {
        Extent e = mapCompressed(n, pos);
        if (pos < e.la || pos >= e.la + e.llen || e.llen <= 0) {
            throw ErofsException.corrupted("extent [" + e.la + ", +" + e.llen + ") does not hold " + pos + " @ nid " + n.nid);
        }
        int k = (int) Math.min(len, e.la + e.llen - pos);
        if (e.fragment) {
            if (packedNid == 0 || (featureIncompat & FEATURE_INCOMPAT_FRAGMENTS) == 0) {
                throw ErofsException.corrupted("fragment without a packed inode @ nid " + n.nid);
            }
            if (n.nid == packedNid) throw ErofsException.corrupted("packed inode refers to itself");
            Node packed = node(packedNid);
            if (packed.isCompressed() && (zinfo(packed).advise & Z_EROFS_ADVISE_FRAGMENT_PCLUSTER) != 0) {
                throw ErofsException.corrupted("packed inode has fragments itself");
            }
            long fpos = zinfo(n).fragmentOff + (pos - e.la);
            if (fpos < 0) throw ErofsException.corrupted("bogus fragment offset @ nid " + n.nid);
            int got = read(packed, fpos, dst, off, k);
            if (got != k) throw ErofsException.corrupted("fragment beyond the packed inode @ nid " + n.nid);
            return k;
        }
        if (e.alg == Z_EROFS_COMPRESSION_SHIFTED) {
            // Plain pcluster: the data is stored as is at the start of the pcluster.
            src.read(e.pa + (pos - e.la), dst, off, k);
            return k;
        }
        byte[] decoded = decodeExtent(n, e);
        System.arraycopy(decoded, (int) (pos - e.la), dst, off, k);
        return k;
    }

    /** The decoded bytes of a whole extent, from the cache or by decompressing its pcluster. */
    byte[] decodeExtent(Node n, Extent e) {
        if (e.llen > MAX_EXTENT) throw ErofsException.corrupted("extent of " + e.llen + " bytes @ nid " + n.nid);
        if (e.plen <= 0 || e.plen > Z_EROFS_PCLUSTER_MAX_SIZE) throw ErofsException.corrupted("bogus pcluster size " + e.plen + " @ nid " + n.nid);
        ExtentKey key = new ExtentKey(e.pa, e.plen, e.la & (blksz - 1), e.llen, e.alg, e.partialRef);
        byte[] cached = extentCache.get(key);
        if (cached != null) return cached;
        byte[] in = new byte[(int) e.plen];
        if (e.meta) readMeta(e.pa, in, 0, in.length);
        else src.read(e.pa, in, 0, in.length);
        byte[] out = new byte[(int) e.llen];
        Decompressor.decompress(e.alg, in, in.length, out, out.length, e.partialRef, (featureIncompat & FEATURE_INCOMPAT_ZERO_PADDING) != 0,
                blksz, (int) (e.la & (blksz - 1)), lzmaDictSize);
        extentCache.put(key, out);
        return out;
    }

    record ExtentKey(long pa, long plen, long interlace, long llen, int alg, boolean partial) {}

    /** The decompressed-extent cache: an LRU bounded by the bytes it holds. */
    private static final class ExtentCache {
        private final long limit;
        private long bytes;
        private final LinkedHashMap<ExtentKey, byte[]> map = new LinkedHashMap<>(64, 0.75f, true);

        ExtentCache(long limit) {
            this.limit = limit;
        }

        synchronized byte[] get(ExtentKey k) {
            return map.get(k);
        }

        synchronized void put(ExtentKey k, byte[] v) {
            if (v.length > limit) return;
            byte[] old = map.put(k, v);
            if (old != null) bytes -= old.length;
            bytes += v.length;
            var it = map.entrySet().iterator();
            while (bytes > limit && it.hasNext()) {
                var e = it.next();
                if (e.getKey().equals(k)) continue;
                bytes -= e.getValue().length;
                it.remove();
            }
        }
    }

    // ---------------------------------------------------------------- directories

    /** One directory entry (struct erofs_dirent), its name as raw bytes. */
    public record Dirent(long nid, int fileType, byte[] name) {
        public String nameString() {
            return new String(name, StandardCharsets.ISO_8859_1);
        }
    }

    /** The entries of one directory block (dir.c erofs_fill_dentries checks). */
    private List<Dirent> direntBlock(Node dir, long blockIndex) {
        long pos = blockIndex << blkszbits;
        int maxsize = (int) Math.min(blksz, dir.size - pos);
        byte[] b = new byte[maxsize];
        if (read(dir, pos, b, 0, maxsize) != maxsize) throw ErofsException.corrupted("short directory read @ nid " + dir.nid);
        if (maxsize < DIRENT_SIZE) throw ErofsException.corrupted("invalid de[0].nameoff @ nid " + dir.nid);
        int nameoff0 = le16(b, 8);
        if (nameoff0 < DIRENT_SIZE || nameoff0 >= blksz || nameoff0 > maxsize) {
            throw ErofsException.corrupted("invalid de[0].nameoff " + nameoff0 + " @ nid " + dir.nid);
        }
        int count = nameoff0 / DIRENT_SIZE;
        List<Dirent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int d = i * DIRENT_SIZE;
            long nid = le64(b, d);
            int nameoff = le16(b, d + 8);
            int ft = b[d + 10] & 0xff;
            int nameEnd;
            if (i + 1 < count) {
                nameEnd = le16(b, d + DIRENT_SIZE + 8);
            } else {
                nameEnd = maxsize;
                if (nameoff >= 0 && nameoff <= maxsize) {
                    int z = nameoff;
                    while (z < maxsize && b[z] != 0) z++;
                    nameEnd = z;
                }
            }
            int namelen = nameEnd - nameoff;
            if (nameoff < nameoff0 || namelen < 1 || namelen > EROFS_NAME_LEN || nameoff + namelen > maxsize) {
                throw ErofsException.corrupted("bogus dirent @ nid " + dir.nid);
            }
            out.add(new Dirent(nid, ft, Arrays.copyOfRange(b, nameoff, nameoff + namelen)));
        }
        return out;
    }

    /** All entries of a directory, "." and ".." included, in on-disk order. */
    public List<Dirent> readdir(Node dir) {
        if (!dir.isDir()) throw new ErofsException(Errno.ENOTDIR, "not a directory");
        List<Dirent> out = new ArrayList<>();
        long nblocks = dir.iblks();
        for (long i = 0; i < nblocks; i++) out.addAll(direntBlock(dir, i));
        return out;
    }

    /** erofs_namei: binary search over the blocks' first names, then inside the block. */
    public Dirent lookup(Node dir, byte[] name) {
        if (!dir.isDir()) throw new ErofsException(Errno.ENOTDIR, "not a directory");
        if (name.length == 0 || name.length > EROFS_NAME_LEN) return null;
        long lo = 0, hi = dir.iblks() - 1;
        List<Dirent> candidate = null;
        while (lo <= hi) {
            long mid = lo + (hi - lo) / 2;
            List<Dirent> blk = direntBlock(dir, mid);
            int c = compare(name, blk.getFirst().name());
            if (c == 0) return blk.getFirst();
            if (c < 0) {
                hi = mid - 1;
            } else {
                candidate = blk;
                lo = mid + 1;
            }
        }
        if (candidate == null) return null;
        int a = 0, b = candidate.size() - 1;
        while (a <= b) {
            int mid = (a + b) >>> 1;
            int c = compare(name, candidate.get(mid).name());
            if (c == 0) return candidate.get(mid);
            if (c < 0) b = mid - 1;
            else a = mid + 1;
        }
        return null;
    }

    /** Names compare as unsigned bytes, a prefix first (erofs_dirnamecmp). */
    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    // ---------------------------------------------------------------- symlinks

    public byte[] readlink(Node n) {
        if (n.type() != Stat.S_IFLNK) throw new ErofsException(Errno.EINVAL, "not a symlink");
        if (n.size >= 4096 || n.size < 0) throw ErofsException.corrupted("symlink too long @ nid " + n.nid);
        return readAll(n, 4095);
    }

    // ---------------------------------------------------------------- xattrs

    /** One extended attribute: full name (with its prefix) and value. */
    public record Xattr(String name, byte[] value) {}

    public List<Xattr> xattrs(Node n) {
        List<Xattr> out = new ArrayList<>();
        if (n.xattrIsize == 0) return out;
        if (n.xattrIsize == XATTR_IBODY_HEADER_SIZE) {
            throw ErofsException.unsupported("xattr_isize " + n.xattrIsize + " of nid " + n.nid + " is not supported yet");
        }
        if (n.xattrIsize < XATTR_IBODY_HEADER_SIZE) throw ErofsException.corrupted("bogus xattr ibody @ nid " + n.nid);
        long base = n.iloc + n.isize;
        byte[] hdr = meta(base, XATTR_IBODY_HEADER_SIZE);
        int shared = hdr[4] & 0xff;
        long headerSz = XATTR_IBODY_HEADER_SIZE + 4L * shared;
        if (headerSz > n.xattrIsize) throw ErofsException.corrupted("too many shared xattrs @ nid " + n.nid);
        byte[] ids = meta(base + XATTR_IBODY_HEADER_SIZE, 4 * shared);
        long pos = base + headerSz;
        long remaining = n.xattrIsize - headerSz;
        while (remaining > 0) {
            long sz = parseXattr(pos, remaining, out);
            pos += sz;
            remaining -= sz;
        }
        for (int i = 0; i < shared; i++) {
            long id = le32(ids, 4 * i) & 0xffffffffL;
            parseXattr((xattrBlkaddr << blkszbits) + id * 4, Long.MAX_VALUE, out);
        }
        return out;
    }

    /** Parses one erofs_xattr_entry at pos; returns its aligned size. */
    private long parseXattr(long pos, long limit, List<Xattr> out) {
        byte[] e = meta(pos, XATTR_ENTRY_SIZE);
        int nameLen = e[0] & 0xff, index = e[1] & 0xff, valueSize = le16(e, 2);
        int entrySz = xattrAlign(XATTR_ENTRY_SIZE + nameLen + valueSize);
        if (limit < entrySz) throw ErofsException.corrupted("xattr entry beyond xattr_isize");
        byte[] name = meta(pos + XATTR_ENTRY_SIZE, nameLen);
        byte[] value = meta(pos + XATTR_ENTRY_SIZE + nameLen, valueSize);
        String prefix;
        byte[] infix = new byte[0];
        int baseIndex = index;
        if ((index & EROFS_XATTR_LONG_PREFIX) != 0) {
            int p = index & EROFS_XATTR_LONG_PREFIX_MASK;
            if (p >= longPrefixes.size()) return entrySz; // skipped, as Linux does
            byte[] lp = longPrefixes.get(p);
            baseIndex = lp[0] & 0xff;
            infix = Arrays.copyOfRange(lp, 1, lp.length);
        }
        if (baseIndex <= 0 || baseIndex >= XATTR_PREFIXES.length) return entrySz;
        prefix = XATTR_PREFIXES[baseIndex];
        String full = prefix + new String(infix, StandardCharsets.ISO_8859_1) + new String(name, StandardCharsets.ISO_8859_1);
        out.add(new Xattr(full, value));
        return entrySz;
    }

    // ---------------------------------------------------------------- helpers

    static long align(long v, int a) {
        return (v + a - 1) / a * a;
    }

    static int le16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long le64(byte[] b, int o) {
        return (le32(b, o) & 0xffffffffL) | (long) le32(b, o + 4) << 32;
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
