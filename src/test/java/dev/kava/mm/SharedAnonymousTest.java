package dev.kava.mm;

import dev.kava.abi.Mman;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared anonymous memory is a tmpfs file's page cache (shmem_zero_setup): fork copies no page,
 * pages first touched after fork are common, and the frames go back when the last mapping does.
 * The frame counts are the {@link PageAllocator}'s, the same kava's memory limit is checked against.
 */
class SharedAnonymousTest {
    static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    static final int SHARED_ANON = Mman.MAP_SHARED | Mman.MAP_ANONYMOUS;
    static final long PG = Page.SIZE;

    /** 64 MiB of memory. */
    final PageAllocator memory = new PageAllocator(16384);
    final Mmap parent = new Mmap(new AddressSpace(memory));

    static void poke(Mmap mm, long addr, int b) {
        assertTrue(mm.as.copyToUser(addr, new byte[] {(byte) b}, 0, 1), "write at " + Long.toHexString(addr));
    }

    static int peek(Mmap mm, long addr) {
        byte[] b = new byte[1];
        assertTrue(mm.as.copyFromUser(addr, b, 0, 1), "read at " + Long.toHexString(addr));
        return b[0];
    }

    @Test
    void forkOfAHugeSharedMappingCostsNoFrames() {
        long size = 2L << 30; // 2 GiB: 32 times the memory
        long a = parent.mmap(0, size, RW, SHARED_ANON, null, 0);
        assertTrue(a > 0, "mapped: " + a);
        poke(parent, a, 1);
        long before = memory.usedPages();
        Mmap child = parent.fork();
        assertNotNull(child, "fork succeeds");
        assertEquals(before, memory.usedPages(), "fork allocated no frame");
        poke(child, a + size / 2, 2);
        poke(child, a + size - 1, 3);
        poke(parent, a + PG, 4);
        assertEquals(before + 3, memory.usedPages(), "one frame per page touched, wherever");
        assertEquals(2, peek(parent, a + size / 2), "the parent sees the page the child touched first");
        assertEquals(3, peek(parent, a + size - 1));
        assertEquals(4, peek(child, a + PG), "and the child the parent's");
        assertEquals(1, peek(child, a));
        assertEquals(before + 3, memory.usedPages(), "reading maps the same frames");
        child.exitMmap();
        assertEquals(before + 3, memory.usedPages(), "the parent still maps the file");
        assertEquals(0, parent.munmap(a, size));
        assertEquals(0, memory.usedPages(), "the last unmap frees the file's pages");
    }

    @Test
    void dontneedKeepsTheDataAndUnmapOfPartKeepsTheRest() {
        long a = parent.mmap(0, 4 * PG, RW, SHARED_ANON, null, 0);
        poke(parent, a, 7);
        poke(parent, a + 3 * PG, 8);
        assertEquals(0, parent.madvise(a, 4 * PG, 4 /* MADV_DONTNEED */));
        assertTrue(!parent.as.isResident(a), "the entry is gone");
        assertEquals(7, peek(parent, a), "the data is still in the file");
        assertEquals(0, parent.munmap(a, PG));
        assertEquals(8, peek(parent, a + 3 * PG), "the rest of the mapping keeps the file");
        assertEquals(2, memory.usedPages(), "the file's pages stay while any of it is mapped");
        parent.exitMmap();
        assertEquals(0, memory.usedPages());
    }

    @Test
    void mremapMovesTheMappingWithItsFile() {
        long a = parent.mmap(0, 2 * PG, RW, SHARED_ANON, null, 0);
        poke(parent, a + PG, 5);
        Mmap child = parent.fork();
        // Something right after it, so that growing moves it.
        assertEquals(a + 2 * PG, parent.mmap(a + 2 * PG, PG, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED, null, 0));
        long b = parent.mremap(a, 2 * PG, 2 * PG + PG, 1 /* MREMAP_MAYMOVE */, 0);
        assertTrue(b > 0 && b != a, "moved");
        assertEquals(5, peek(parent, b + PG));
        poke(child, a, 6);
        assertEquals(6, peek(parent, b), "the moved mapping still shares the child's page");
        poke(parent, b + PG, 9);
        assertEquals(9, peek(child, a + PG), "a moved page is written shared, not copied");
        assertEquals(null, parent.as.translate(b + 2 * PG, AddressSpace.ACCESS_READ), "past the file's end: SIGBUS");
        child.exitMmap();
        parent.exitMmap();
        assertEquals(0, memory.usedPages());
    }

    @Test
    void eachMappingHasItsOwnFile() {
        long a = parent.mmap(0, PG, RW, SHARED_ANON, null, 0);
        long b = parent.mmap(0, PG, RW, SHARED_ANON, null, 0);
        poke(parent, a, 1);
        assertArrayEquals(new byte[] {0}, read(parent, b), "a second mapping is a second file");
        assertEquals(2, parent.vmas().size(), "separate shared anonymous areas stay apart");
    }

    @Test
    void mremapOfZeroLengthMapsASharedAreaAgain() {
        long a = parent.mmap(0, 2 * PG, RW, SHARED_ANON, null, 0);
        poke(parent, a + PG, 3);
        long b = parent.mremap(a, 0, 2 * PG, 1 /* MREMAP_MAYMOVE */, 0);
        assertTrue(b > 0 && b != a, "a second mapping: " + b);
        assertEquals(3, peek(parent, b + PG));
        poke(parent, b, 4);
        assertEquals(4, peek(parent, a), "both map the same file");
        assertEquals(0, parent.munmap(a, 2 * PG));
        assertEquals(2, memory.usedPages(), "the second mapping keeps the file");
        long p = parent.mmap(0, PG, RW, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
        assertEquals(-dev.kava.abi.Errno.EINVAL, parent.mremap(p, 0, PG, 1, 0), "no duplicate of a private area");
        assertEquals(-dev.kava.abi.Errno.ENOMEM, parent.mremap(b, 0, PG, 0, 0), "nowhere to put it without MREMAP_MAYMOVE");
        parent.exitMmap();
        assertEquals(0, memory.usedPages());
    }

    static byte[] read(Mmap mm, long addr) {
        byte[] b = new byte[1];
        assertTrue(mm.as.copyFromUser(addr, b, 0, 1));
        return b;
    }
}
