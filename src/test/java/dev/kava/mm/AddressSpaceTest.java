package dev.kava.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kava.abi.Mman;
import org.junit.jupiter.api.Test;

/** The page table: demand-zero pages, protection, copy-on-write after fork, shared pages and memory limits. */
class AddressSpaceTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private static byte[] read(AddressSpace as, long addr, int n) {
        byte[] b = new byte[n];
        assertTrue(as.copyFromUser(addr, b, 0, n));
        return b;
    }

    @Test
    void demandZeroPagesAreAllocatedOnFirstTouch() {
        PageAllocator alloc = new PageAllocator(100);
        AddressSpace as = new AddressSpace(alloc);
        as.map(0x10000, 0x10000, RW);
        assertEquals(0, alloc.usedPages(), "mapping alone allocates nothing");
        assertArrayEquals(new byte[8], read(as, 0x12000, 8));
        assertEquals(1, alloc.usedPages());
        as.unmap(0x10000, 0x10000);
        assertEquals(0, alloc.usedPages());
        assertFalse(as.isMapped(0x12000));
    }

    @Test
    void protectionIsEnforcedForUserCopies() {
        AddressSpace as = new AddressSpace();
        as.map(0x10000, 0x1000, Mman.PROT_READ);
        assertFalse(as.copyToUser(0x10000, new byte[1], 0, 1), "read-only");
        assertTrue(as.pokeUser(0x10000, new byte[]{7}, 0, 1), "the kernel may fill read-only pages");
        assertEquals(7, read(as, 0x10000, 1)[0]);
        as.protect(0x10000, 0x1000, Mman.PROT_NONE);
        assertFalse(as.copyFromUser(0x10000, new byte[1], 0, 1));
        assertEquals(Mman.PROT_NONE, as.protAt(0x10000));
        as.protect(0x10000, 0x1000, Mman.PROT_WRITE);
        assertEquals(RW, as.protAt(0x10000), "RISC-V has no write-only pages");
        assertFalse(as.copyFromUser(0xfff0, new byte[32], 0, 32), "a copy that runs into an unmapped page fails");
    }

    @Test
    void forkIsCopyOnWrite() {
        PageAllocator alloc = new PageAllocator(100);
        AddressSpace parent = new AddressSpace(alloc);
        parent.map(0x10000, 0x2000, RW);
        assertTrue(parent.copyToUser(0x10000, new byte[]{1, 2, 3}, 0, 3));
        AddressSpace child = parent.forkCopy();
        assertNotNull(child);
        assertEquals(1, alloc.usedPages(), "the touched page is shared until written");
        assertArrayEquals(new byte[]{1, 2, 3}, read(child, 0x10000, 3));
        assertTrue(child.copyToUser(0x10000, new byte[]{9}, 0, 1));
        assertEquals(2, alloc.usedPages(), "the child's write copied the page");
        assertEquals(1, read(parent, 0x10000, 1)[0], "the parent keeps its byte");
        assertEquals(9, read(child, 0x10000, 1)[0]);
        assertTrue(parent.copyToUser(0x10001, new byte[]{8}, 0, 1));
        assertEquals(2, alloc.usedPages(), "the parent's page is its own again: no copy");
        assertEquals(2, read(child, 0x10001, 1)[0]);
        child.releaseAll();
        parent.releaseAll();
        assertEquals(0, alloc.usedPages());
    }

    @Test
    void memoryLimitRefusesFrames() {
        AddressSpace as = new AddressSpace(new PageAllocator(2));
        as.map(0x10000, 0x4000, RW);
        assertTrue(as.copyToUser(0x10000, new byte[1], 0, 1));
        assertTrue(as.copyToUser(0x11000, new byte[1], 0, 1));
        assertNull(as.translate(0x12000, AddressSpace.ACCESS_WRITE), "the third frame is over the limit");
        AddressSpace child = as.forkCopy();
        assertFalse(child.copyToUser(0x10000, new byte[1], 0, 1), "copy-on-write needs a frame too");
    }

    /** Unmapping a terabyte that holds nothing must skip empty page-table leaves, not walk 2^28 pages. */
    @Test
    @org.junit.jupiter.api.Timeout(20)
    void unmappingHugeEmptyRangesSkipsEmptyLeaves() {
        AddressSpace as = new AddressSpace();
        as.map(0x100000000L, 1L << 30, Mman.PROT_NONE);
        as.unmap(0x100000000L, 1L << 30);
        for (int i = 0; i < 100; i++) as.unmap(0x200000000L, 1L << 40);
        assertFalse(as.isMapped(0x100000000L));
    }
}
