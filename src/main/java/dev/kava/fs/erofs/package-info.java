/**
 * EROFS (fs/erofs in Linux): the enhanced read-only filesystem, kava's root filesystem format.
 *
 * <ul>
 *   <li>{@link dev.kava.fs.erofs.ErofsFormat}: the on-disk format, transcribed from
 *       fs/erofs/erofs_fs.h.</li>
 *   <li>{@link dev.kava.fs.erofs.ErofsImage}: the reader. Superblock with its crc32c,
 *       compact and extended inodes, FLAT_PLAIN, FLAT_INLINE, CHUNK_BASED (holes as
 *       EROFS_NULL_ADDR), COMPRESSED_FULL and COMPRESSED_COMPACT (big pclusters, ztailpacking,
 *       fragments, dedupe, interlaced plain pclusters) with LZ4, MicroLZMA and DEFLATE;
 *       directories by binary search; inline and shared xattrs with long name prefixes. A
 *       bounded LRU keeps decoded extents. Every failure is an {@link
 *       dev.kava.fs.erofs.ErofsException} with Linux's errno (EUCLEAN for corruption).</li>
 *   <li>{@link dev.kava.fs.erofs.ErofsSuperBlock}, {@link dev.kava.fs.erofs.ErofsInode},
 *       ErofsFile: the VFS filesystem (type "erofs", read-only); image problems are logged
 *       and become the affected operation's errno.</li>
 *   <li>{@link dev.kava.fs.erofs.MkfsErofs} and {@link dev.kava.fs.erofs.FsckErofs}: the
 *       {@code kava mkfs.erofs} and {@code kava fsck.erofs} tools. mkfs is reproducible and
 *       compresses into fixed-size physical clusters on worker threads.</li>
 * </ul>
 *
 * Interoperability is tested both ways against erofs-utils 1.8 (tools/erofs-utils) and the
 * host kernel's own EROFS (ErofsInteropTest); tools/bench-erofs compares mkfs speed and size.
 */
package dev.kava.fs.erofs;
