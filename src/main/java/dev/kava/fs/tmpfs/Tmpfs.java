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
        return new StatFs(TMPFS_MAGIC, 4096, maxPages, free, free, maxInodes, Math.max(0, maxInodes - usedInodes.get()), 255);
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
        while (true) {
            long u = usedInodes.get();
            if (u >= maxInodes) throw ErrnoException.of(Errno.ENOSPC);
            if (usedInodes.compareAndSet(u, u + 1)) return;
        }
    }

    void unchargeInode() {
        usedInodes.decrementAndGet();
    }
}
