package dev.kava.mm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    /**
     * The frame's bytes. It is backed by a long[] rather than a byte[] so that it is 8-byte
     * aligned: aligned 32- and 64-bit atomic operations (the A extension) need real hardware
     * atomics on the same memory that plain loads and stores use, and the JDK only offers
     * them on heap memory that is known to be aligned.
     */
    public final MemorySegment mem;

    /**
     * The same bytes as the long[] behind {@link #mem}: on a little-endian host, word k holds
     * bytes 8k..8k+7 in guest order, so the CPU's naturally aligned loads and its 8-byte stores
     * reach them without the segment's checks (see Mmu).
     */
    public final long[] words;

    /** How many page-table entries map this frame; above 1, a private writable mapping must copy before writing. */
    final AtomicInteger mapCount = new AtomicInteger(1);

    /**
     * The CPU's cache of decoded instructions for this frame, owned by arch code (opaque here).
     * A store to a frame that has one must drop it first, so that self-modifying code sees its writes.
     */
    public volatile Object icache;

    Page() {
        words = new long[SIZE / 8];
        mem = MemorySegment.ofArray(words);
    }

    /** A zeroed frame not (yet) mapped anywhere: page cache and tmpfs data pages. The caller accounts for it. */
    public static Page newFrame() {
        Page p = new Page();
        p.mapCount.set(0);
        p.pageCache = true;
        return p;
    }

    /**
     * A frame owned by a file's page cache (tmpfs data): page tables that map it do not own
     * it, so unmapping it never returns it to the allocator; the file does that.
     */
    boolean pageCache;

    /** Fills [offset, offset+len) with zeros. */
    public void zero(int offset, int len) {
        mem.asSlice(offset, len).fill((byte) 0);
    }

    /** Copies bytes out of the frame. */
    public void read(int offset, byte[] dst, int dstOff, int len) {
        MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, offset, dst, dstOff, len);
    }

    /** Copies bytes into the frame. */
    public void write(int offset, byte[] src, int srcOff, int len) {
        MemorySegment.copy(src, srcOff, mem, ValueLayout.JAVA_BYTE, offset, len);
    }

    Page copy() {
        Page p = new Page();
        MemorySegment.copy(mem, 0, p.mem, 0, SIZE);
        return p;
    }
}
