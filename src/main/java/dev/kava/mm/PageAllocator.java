package dev.kava.mm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts page frames against the kernel's memory size, so that a guest that asks for too
 * much gets ENOMEM or the OOM killer instead of a JVM OutOfMemoryError.
 */
public final class PageAllocator {
    public static final PageAllocator UNLIMITED = new PageAllocator(Long.MAX_VALUE);

    private final long limitPages;
    private final AtomicLong used = new AtomicLong();
    /** Of the used frames, those holding tmpfs data (NR_SHMEM: tmpfs files, memfds, shared anonymous and SysV memory). */
    private final AtomicLong shmem = new AtomicLong();

    public PageAllocator(long limitPages) {
        this.limitPages = limitPages;
    }

    public static PageAllocator ofBytes(long bytes) {
        return new PageAllocator(bytes >>> Page.SHIFT);
    }

    /** Reserves one frame; false when memory is exhausted. */
    public boolean allocate() {
        while (true) {
            long u = used.get();
            if (u >= limitPages) return false;
            if (used.compareAndSet(u, u + 1)) return true;
        }
    }

    public void free() {
        used.decrementAndGet();
    }

    public long usedPages() { return used.get(); }

    /** Counts frames that tmpfs took (positive) or gave back (negative) as shmem pages. */
    public void addShmem(long pages) {
        shmem.addAndGet(pages);
    }

    public long shmemPages() { return shmem.get(); }

    public long limitPages() { return limitPages; }
}
