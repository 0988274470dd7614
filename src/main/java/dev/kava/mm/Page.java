package dev.kava.mm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One 4 KiB page frame of guest memory (Linux's struct page). Several page-table entries may
 * point at the same frame: shared mappings, and private mappings after fork until the first
 * write breaks copy-on-write.
 */
public final class Page {
    public static final int SHIFT = 12;
    public static final int SIZE = 1 << SHIFT;
    public static final long MASK = SIZE - 1;

    public final byte[] data = new byte[SIZE];

    /** How many page-table entries map this frame; above 1, a private writable mapping must copy before writing. */
    final AtomicInteger mapCount = new AtomicInteger(1);

    /**
     * The CPU's cache of decoded instructions for this frame, owned by arch code (opaque here).
     * A store to a frame that has one must drop it first, so that self-modifying code sees its writes.
     */
    public volatile Object icache;

    Page() {}

    Page copy() {
        Page p = new Page();
        System.arraycopy(data, 0, p.data, 0, SIZE);
        return p;
    }
}
