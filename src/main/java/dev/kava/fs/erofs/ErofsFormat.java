package dev.kava.fs.erofs;

/**
 * The EROFS on-disk format (fs/erofs/erofs_fs.h, Linux 6.15+/7.0, GPL-2.0 OR Apache-2.0),
 * transcribed: every number here comes from that header. All fields are little-endian.
 */
public final class ErofsFormat {
    private ErofsFormat() {}

    /** EROFS_SUPER_MAGIC_V1 (include/uapi/linux/magic.h). */
    public static final int EROFS_SUPER_MAGIC_V1 = 0xE0F5E1E2;
    /** EROFS_SUPER_OFFSET: "to allow for x86 boot sectors and other oddities". */
    public static final int EROFS_SUPER_OFFSET = 1024;
    /** sizeof(struct erofs_super_block) without extension slots; sb size = 128 + sb_extslots * 16. */
    public static final int SB_BASE_SIZE = 128;
    public static final int EROFS_SB_EXTSLOT_SIZE = 16;

    // feature_compat
    public static final int FEATURE_COMPAT_SB_CHKSUM = 0x00000001;
    public static final int FEATURE_COMPAT_MTIME = 0x00000002;
    public static final int FEATURE_COMPAT_XATTR_FILTER = 0x00000004;
    public static final int FEATURE_COMPAT_SHARED_EA_IN_METABOX = 0x00000008;
    public static final int FEATURE_COMPAT_PLAIN_XATTR_PFX = 0x00000010;

    // feature_incompat
    public static final int FEATURE_INCOMPAT_ZERO_PADDING = 0x00000001;
    public static final int FEATURE_INCOMPAT_COMPR_CFGS = 0x00000002;
    public static final int FEATURE_INCOMPAT_BIG_PCLUSTER = 0x00000002;
    public static final int FEATURE_INCOMPAT_CHUNKED_FILE = 0x00000004;
    public static final int FEATURE_INCOMPAT_DEVICE_TABLE = 0x00000008;
    public static final int FEATURE_INCOMPAT_COMPR_HEAD2 = 0x00000008;
    public static final int FEATURE_INCOMPAT_ZTAILPACKING = 0x00000010;
    public static final int FEATURE_INCOMPAT_FRAGMENTS = 0x00000020;
    public static final int FEATURE_INCOMPAT_DEDUPE = 0x00000020;
    public static final int FEATURE_INCOMPAT_XATTR_PREFIXES = 0x00000040;
    public static final int FEATURE_INCOMPAT_48BIT = 0x00000080;
    public static final int FEATURE_INCOMPAT_METABOX = 0x00000100;
    /** EROFS_ALL_FEATURE_INCOMPAT = (METABOX << 1) - 1. */
    public static final int ALL_FEATURE_INCOMPAT = (FEATURE_INCOMPAT_METABOX << 1) - 1;

    // struct erofs_super_block field offsets
    public static final int SB_MAGIC = 0, SB_CHECKSUM = 4, SB_FEATURE_COMPAT = 8, SB_BLKSZBITS = 12,
            SB_EXTSLOTS = 13, SB_ROOTNID_2B = 14, SB_INOS = 16, SB_EPOCH = 24, SB_FIXED_NSEC = 32,
            SB_BLOCKS_LO = 36, SB_META_BLKADDR = 40, SB_XATTR_BLKADDR = 44, SB_UUID = 48, SB_VOLUME_NAME = 64,
            SB_FEATURE_INCOMPAT = 80, SB_U1 = 84, SB_EXTRA_DEVICES = 86, SB_DEVT_SLOTOFF = 88, SB_DIRBLKBITS = 90,
            SB_XATTR_PREFIX_COUNT = 91, SB_XATTR_PREFIX_START = 92, SB_PACKED_NID = 96,
            SB_XATTR_FILTER_RESERVED = 104, SB_BUILD_TIME = 108, SB_ROOTNID_8B = 112, SB_METABOX_NID = 128;

    // inode datalayouts (i_format bits 1..3)
    public static final int EROFS_INODE_FLAT_PLAIN = 0;
    public static final int EROFS_INODE_COMPRESSED_FULL = 1;
    public static final int EROFS_INODE_FLAT_INLINE = 2;
    public static final int EROFS_INODE_COMPRESSED_COMPACT = 3;
    public static final int EROFS_INODE_CHUNK_BASED = 4;
    public static final int EROFS_INODE_DATALAYOUT_MAX = 5;

    public static final int EROFS_I_VERSION_MASK = 0x01;
    public static final int EROFS_I_DATALAYOUT_MASK = 0x07;
    public static final int EROFS_I_VERSION_BIT = 0;
    public static final int EROFS_I_DATALAYOUT_BIT = 1;
    public static final int EROFS_I_NLINK_1_BIT = 4;
    public static final int EROFS_I_DOT_OMITTED_BIT = 4;
    /** EROFS_I_ALL = (1 << (EROFS_I_NLINK_1_BIT + 1)) - 1 */
    public static final int EROFS_I_ALL = (1 << (EROFS_I_NLINK_1_BIT + 1)) - 1;

    public static final int EROFS_CHUNK_FORMAT_BLKBITS_MASK = 0x001F;
    public static final int EROFS_CHUNK_FORMAT_INDEXES = 0x0020;
    public static final int EROFS_CHUNK_FORMAT_48BIT = 0x0040;
    public static final int EROFS_CHUNK_FORMAT_ALL = (EROFS_CHUNK_FORMAT_48BIT << 1) - 1;

    public static final int EROFS_INODE_LAYOUT_COMPACT = 0;
    public static final int EROFS_INODE_LAYOUT_EXTENDED = 1;
    public static final int INODE_COMPACT_SIZE = 32;
    public static final int INODE_EXTENDED_SIZE = 64;
    /** Inodes live in 32-byte slots: nid = offset from meta_blkaddr / 32. */
    public static final int EROFS_ISLOTBITS = 5;

    // struct erofs_inode_compact offsets
    public static final int IC_FORMAT = 0, IC_XATTR_ICOUNT = 2, IC_MODE = 4, IC_NB = 6, IC_SIZE = 8, IC_MTIME = 12,
            IC_U = 16, IC_INO = 20, IC_UID = 24, IC_GID = 26;
    // struct erofs_inode_extended offsets
    public static final int IE_FORMAT = 0, IE_XATTR_ICOUNT = 2, IE_MODE = 4, IE_NB = 6, IE_SIZE = 8, IE_U = 16,
            IE_INO = 20, IE_UID = 24, IE_GID = 28, IE_MTIME = 32, IE_MTIME_NSEC = 40, IE_NLINK = 44;

    /** sizeof(struct erofs_xattr_ibody_header) */
    public static final int XATTR_IBODY_HEADER_SIZE = 12;
    /** sizeof(struct erofs_xattr_entry) */
    public static final int XATTR_ENTRY_SIZE = 4;
    public static final int EROFS_XATTR_INDEX_USER = 1;
    public static final int EROFS_XATTR_INDEX_POSIX_ACL_ACCESS = 2;
    public static final int EROFS_XATTR_INDEX_POSIX_ACL_DEFAULT = 3;
    public static final int EROFS_XATTR_INDEX_TRUSTED = 4;
    public static final int EROFS_XATTR_INDEX_LUSTRE = 5;
    public static final int EROFS_XATTR_INDEX_SECURITY = 6;
    public static final int EROFS_XATTR_LONG_PREFIX = 0x80;
    public static final int EROFS_XATTR_LONG_PREFIX_MASK = 0x7f;
    public static final int EROFS_XATTR_FILTER_BITS = 32;
    public static final int EROFS_XATTR_FILTER_DEFAULT = 0xFFFFFFFF;
    public static final int EROFS_XATTR_FILTER_SEED = 0x25BBE08F;

    /** erofs_xattr_ibody_size(icount): 0, or the 12-byte header plus 4 bytes per further count. */
    public static int xattrIbodySize(int icount) {
        return icount == 0 ? 0 : XATTR_IBODY_HEADER_SIZE + 4 * (icount - 1);
    }

    /** EROFS_XATTR_ALIGN: round up to sizeof(struct erofs_xattr_entry). */
    public static int xattrAlign(int size) {
        return (size + XATTR_ENTRY_SIZE - 1) & -XATTR_ENTRY_SIZE;
    }

    /** EROFS_NULL_ADDR: a chunk that is a hole. */
    public static final int EROFS_NULL_ADDR = -1;
    public static final int EROFS_BLOCK_MAP_ENTRY_SIZE = 4;
    /** sizeof(struct erofs_inode_chunk_index) */
    public static final int CHUNK_INDEX_SIZE = 8;

    /** sizeof(struct erofs_dirent): nid u64, nameoff u16, file_type u8, reserved u8. */
    public static final int DIRENT_SIZE = 12;
    public static final int EROFS_DIRENT_NID_METABOX_BIT = 63;
    public static final long EROFS_DIRENT_NID_MASK = (1L << EROFS_DIRENT_NID_METABOX_BIT) - 1;
    public static final int EROFS_NAME_LEN = 255;

    // FT_* file types in dirents (include/linux/fs_types.h)
    public static final int FT_UNKNOWN = 0, FT_REG_FILE = 1, FT_DIR = 2, FT_CHRDEV = 3, FT_BLKDEV = 4, FT_FIFO = 5,
            FT_SOCK = 6, FT_SYMLINK = 7, FT_MAX = 8;

    /** Z_EROFS_PCLUSTER_MAX_SIZE: largest encoded physical cluster. */
    public static final int Z_EROFS_PCLUSTER_MAX_SIZE = 1024 * 1024;
    /** Z_EROFS_PCLUSTER_MAX_DSIZE: largest decoded physical cluster. */
    public static final int Z_EROFS_PCLUSTER_MAX_DSIZE = 12 * 1024 * 1024;

    public static final int Z_EROFS_COMPRESSION_LZ4 = 0;
    public static final int Z_EROFS_COMPRESSION_LZMA = 1;
    public static final int Z_EROFS_COMPRESSION_DEFLATE = 2;
    public static final int Z_EROFS_COMPRESSION_ZSTD = 3;
    public static final int Z_EROFS_COMPRESSION_MAX = 4;
    /** Internal formats of plain (uncompressed) pclusters (fs/erofs/compress.h). */
    public static final int Z_EROFS_COMPRESSION_SHIFTED = Z_EROFS_COMPRESSION_MAX;
    public static final int Z_EROFS_COMPRESSION_INTERLACED = Z_EROFS_COMPRESSION_MAX + 1;
    public static final int Z_EROFS_ALL_COMPR_ALGS = (1 << Z_EROFS_COMPRESSION_MAX) - 1;

    /** Z_EROFS_LZMA_MAX_DICT_SIZE = 8 * Z_EROFS_PCLUSTER_MAX_SIZE */
    public static final int Z_EROFS_LZMA_MAX_DICT_SIZE = 8 * Z_EROFS_PCLUSTER_MAX_SIZE;

    public static final int Z_EROFS_ADVISE_COMPACTED_2B = 0x0001;
    public static final int Z_EROFS_ADVISE_EXTENTS = 0x0001;
    public static final int Z_EROFS_ADVISE_BIG_PCLUSTER_1 = 0x0002;
    public static final int Z_EROFS_ADVISE_BIG_PCLUSTER_2 = 0x0004;
    public static final int Z_EROFS_ADVISE_INLINE_PCLUSTER = 0x0008;
    public static final int Z_EROFS_ADVISE_INTERLACED_PCLUSTER = 0x0010;
    public static final int Z_EROFS_ADVISE_FRAGMENT_PCLUSTER = 0x0020;
    public static final int Z_EROFS_ADVISE_EXTRECSZ_BIT = 1;
    public static final int Z_EROFS_ADVISE_EXTRECSZ_MASK = 0x3;
    public static final int Z_EROFS_FRAGMENT_INODE_BIT = 7;

    /** sizeof(struct z_erofs_map_header) */
    public static final int Z_EROFS_MAP_HEADER_SIZE = 8;
    /** sizeof(struct z_erofs_lcluster_index) */
    public static final int Z_EROFS_LCLUSTER_INDEX_SIZE = 8;

    public static final int Z_EROFS_LCLUSTER_TYPE_PLAIN = 0;
    public static final int Z_EROFS_LCLUSTER_TYPE_HEAD1 = 1;
    public static final int Z_EROFS_LCLUSTER_TYPE_NONHEAD = 2;
    public static final int Z_EROFS_LCLUSTER_TYPE_HEAD2 = 3;
    public static final int Z_EROFS_LCLUSTER_TYPE_MAX = 4;
    public static final int Z_EROFS_LI_LCLUSTER_TYPE_MASK = Z_EROFS_LCLUSTER_TYPE_MAX - 1;
    public static final int Z_EROFS_LI_PARTIAL_REF = 1 << 15;
    public static final int Z_EROFS_LI_D0_CBLKCNT = 1 << 11;

    /** Z_EROFS_MAP_HEADER_END(end) = ALIGN(end, 8) + sizeof(struct z_erofs_map_header) */
    public static long mapHeaderEnd(long end) {
        return ((end + 7) & ~7L) + Z_EROFS_MAP_HEADER_SIZE;
    }

    /** Z_EROFS_FULL_INDEX_START(end) = Z_EROFS_MAP_HEADER_END(end) + 8 */
    public static long fullIndexStart(long end) {
        return mapHeaderEnd(end) + 8;
    }

    public static final int Z_EROFS_EXTENT_PLEN_PARTIAL = 1 << 27;
    public static final int Z_EROFS_EXTENT_PLEN_FMT_BIT = 28;
    public static final int Z_EROFS_EXTENT_PLEN_MASK = (Z_EROFS_PCLUSTER_MAX_SIZE << 1) - 1;

    /** z_erofs_extent_recsize(advise) = 4 << ((advise >> EXTRECSZ_BIT) & EXTRECSZ_MASK) */
    public static int extentRecsize(int advise) {
        return 4 << ((advise >> Z_EROFS_ADVISE_EXTRECSZ_BIT) & Z_EROFS_ADVISE_EXTRECSZ_MASK);
    }

    /** The short xattr name prefixes by index (fs/erofs/xattr.c erofs_xattr_prefix / xattr_handler prefixes). */
    public static final String[] XATTR_PREFIXES = {
            null, "user.", "system.posix_acl_access", "system.posix_acl_default", "trusted.", "lustre.", "security."
    };
}
