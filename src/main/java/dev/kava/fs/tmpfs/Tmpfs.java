package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;
import dev.kava.mm.PageAllocator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * tmpfs (mm/shmem.c): a filesystem whose files live in memory. Its pages count against the
 * kernel's memory and against the instance's size limit (ENOSPC beyond it); inodes against
 * nr_inodes. devtmpfs is a tmpfs instance too, as on Linux.
 */
public final class Tmpfs extends SuperBlock {
    /** TMPFS_MAGIC (include/uapi/linux/magic.h). */
    public static final long TMPFS_MAGIC = 0x01021994L;

    private final PageAllocator memory;
    private final long maxPages;
    private final long maxInodes;
    private final AtomicLong usedPages = new AtomicLong();
    private final AtomicLong usedInodes = new AtomicLong();
    private final String source;
    private final int rootMode;

    /**
     * @param maxBytes size= (default: half the kernel's memory, as shmem_default_max_blocks)
     * @param rootMode mode= of the root directory (01777 for /tmp, 0755 for /dev)
     */
    public Tmpfs(String type, String source, LongSupplier clock, PageAllocator memory, long maxBytes, long maxInodes, int rootMode) {
        super(type, clock, false);
        this.memory = memory;
        this.maxPages = Math.max(1, maxBytes >>> 12);
        this.maxInodes = maxInodes;
        this.source = source;
        this.rootMode = rootMode & 07777;
        ShmemInode root = new ShmemInode(this, Stat.S_IFDIR | this.rootMode);
        setRoot(root);
    }

    @Override
    public long magic() {
        return TMPFS_MAGIC;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String options() {
        StringBuilder sb = new StringBuilder();
        sb.append(",size=").append(maxPages * 4).append('k');
        sb.append(",nr_inodes=").append(maxInodes);
        sb.append(",mode=").append(Integer.toOctalString(rootMode));
        return sb.toString();
    }

    @Override
    public StatFs statfs() {
        long used = usedPages.get();
        long free = Math.max(0, maxPages - used);
        return new StatFs(TMPFS_MAGIC, 4096, maxPages, free, free, maxInodes, freeInodes(), 255);
    }

    /** size= in pages (sbinfo->max_blocks). */
    long maxPages() {
        return maxPages;
    }

    /** Charges one data page: ENOSPC past size=, ENOMEM past the kernel's memory. */
    void chargePage() {
        while (true) {
            long u = usedPages.get();
            if (u >= maxPages) throw ErrnoException.of(Errno.ENOSPC);
            if (usedPages.compareAndSet(u, u + 1)) break;
        }
        if (!memory.allocate()) {
            usedPages.decrementAndGet();
            throw ErrnoException.of(Errno.ENOSPC); // shmem_alloc_and_add_folio fails; the write sees ENOSPC
        }
    }

    void unchargePages(long n) {
        if (n == 0) return;
        usedPages.addAndGet(-n);
        for (long i = 0; i < n; i++) memory.free();
    }

    /** Charges one inode (shmem_reserve_inode): ENOSPC past nr_inodes. */
    void chargeInode() {
        synchronized (usedInodes) {
            long u = usedInodes.get();
            if (u >= maxInodes || xattrSpace > freeIspace(u + 1)) throw ErrnoException.of(Errno.ENOSPC);
            usedInodes.set(u + 1);
        }
    }

    void unchargeInode() {
        usedInodes.decrementAndGet();
    }

    /** BOGO_INODE_SIZE (mm/shmem.c): what an inode takes of the inode space nr_inodes= grants. */
    static final long BOGO_INODE_SIZE = 1024;
    /** Bytes of xattrs (simple_xattr_space each), which share the inode space with inodes. */
    private long xattrSpace;

    /** sbinfo->free_ispace before xattrs: nr_inodes * BOGO_INODE_SIZE less the inodes in use. */
    private long freeIspace(long inodes) {
        if (maxInodes > Long.MAX_VALUE / BOGO_INODE_SIZE) return Long.MAX_VALUE;
        return (maxInodes - inodes) * BOGO_INODE_SIZE;
    }

    /** Charges an xattr's space (shmem_xattr_handler_set): ENOSPC when the inode space is used up. */
    void chargeXattr(long bytes) {
        synchronized (usedInodes) {
            if (bytes > freeIspace(usedInodes.get()) - xattrSpace) throw ErrnoException.of(Errno.ENOSPC);
            xattrSpace += bytes;
        }
    }

    void unchargeXattr(long bytes) {
        synchronized (usedInodes) {
            xattrSpace -= bytes;
        }
    }

    /** f_ffree: the inode space left, in inodes. */
    private long freeInodes() {
        synchronized (usedInodes) {
            long free = freeIspace(usedInodes.get());
            if (free == Long.MAX_VALUE) return Math.max(0, maxInodes - usedInodes.get());
            return Math.max(0, (free - xattrSpace) / BOGO_INODE_SIZE);
        }
    }
}
