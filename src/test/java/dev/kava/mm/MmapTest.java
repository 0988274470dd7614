package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linux's mmap/munmap/mprotect/madvise/brk answers, including the ones qemu-user cannot be the
 * oracle for (it emulates these calls itself and departs from Linux in corner cases).
 */
class MmapTest {
    static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    static final long PG = Page.SIZE;

    final AddressSpace as = new AddressSpace();
    final Mmap mm = new Mmap(as);

    long map(long addr, long len, int prot, int flags) {
        return mm.mmap(addr, len, prot, flags, null, 0);
    }

    @Test
    void allocatesTopDownBelowMmapBase() {
        long a = map(0, 3 * PG, RW, ANON);
        long b = map(0, PG, RW, ANON);
        assertEquals(mm.mmapBase() - 3 * PG, a);
        assertEquals(a - PG, b);
        assertEquals(1, mm.vmas().size(), "adjacent anonymous areas merge");
        assertTrue(as.isMapped(a) && as.isMapped(b));
        assertEquals(0, mm.munmap(b, PG));
        assertEquals(b, map(0, PG, RW, ANON), "the freed gap is reused");
    }

    @Test
    void validatesLikeLinux() {
        assertEquals(-Errno.EINVAL, map(0, 0, RW, ANON));
        assertEquals(-Errno.EINVAL, map(0, PG, RW, Mman.MAP_ANONYMOUS)); // no type
        assertEquals(-Errno.EINVAL, map(0, PG, RW, Mman.MAP_SHARED_VALIDATE | Mman.MAP_ANONYMOUS));
        assertEquals(-Errno.ENOMEM, map(0, -PG, RW, ANON)); // rounds up to 0
        assertEquals(-Errno.ENOMEM, map(0, 1L << 40, RW, ANON)); // larger than the address space
        assertEquals(-Errno.EINVAL, map(0x10000001, PG, RW, ANON | Mman.MAP_FIXED));
        assertEquals(-Errno.ENOMEM, map(Mmap.TASK_SIZE, PG, RW, ANON | Mman.MAP_FIXED));
        assertEquals(-Errno.EINVAL, map(0, PG, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS | Mman.MAP_GROWSDOWN));
        long a = map(0, 2 * PG, RW, ANON);
        assertEquals(-Errno.EEXIST, map(a + PG, PG, RW, ANON | Mman.MAP_FIXED_NOREPLACE));
        assertEquals(a + 2 * PG + PG, map(a + 3 * PG, PG, RW, ANON | Mman.MAP_FIXED_NOREPLACE));

        assertEquals(-Errno.EINVAL, mm.munmap(a + 1, PG));
        assertEquals(-Errno.EINVAL, mm.munmap(a, 0));
        assertEquals(-Errno.EINVAL, mm.munmap(Mmap.TASK_SIZE + PG, PG));
        assertEquals(0, mm.munmap(0x100000, PG), "unmapping nothing succeeds");

        assertEquals(0, mm.mprotect(a, 0, Mman.PROT_READ), "mprotect of length 0 succeeds");
        assertEquals(-Errno.EINVAL, mm.mprotect(a + 1, PG, Mman.PROT_READ));
        assertEquals(-Errno.EINVAL, mm.mprotect(a, PG, 0x100));
        assertEquals(-Errno.EINVAL, mm.mprotect(a, PG, Mman.PROT_READ | Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP));
        assertEquals(-Errno.EINVAL, mm.mprotect(a, PG, Mman.PROT_READ | Mman.PROT_GROWSDOWN), "not a stack");
        assertEquals(-Errno.ENOMEM, mm.mprotect(0x100000, PG, Mman.PROT_READ));

        assertEquals(-Errno.EINVAL, mm.madvise(a, PG, 12345));
        assertEquals(-Errno.EINVAL, mm.madvise(a + 1, PG, 0));
        assertEquals(0, mm.madvise(a, 0, 0));
        assertEquals(-Errno.ENOMEM, mm.madvise(0x100000, PG, 0));
    }

    @Test
    void mprotectStopsAtAHoleAfterChangingWhatCameBefore() {
        long a = map(0, 4 * PG, RW, ANON);
        assertEquals(0, mm.munmap(a + 2 * PG, PG));
        assertEquals(-Errno.ENOMEM, mm.mprotect(a, 4 * PG, Mman.PROT_READ));
        assertEquals(Mman.PROT_READ, as.protAt(a));
        assertEquals(Mman.PROT_READ, as.protAt(a + PG));
        assertEquals(RW, as.protAt(a + 3 * PG), "after the hole nothing changed");
        assertEquals(2, mm.vmas().size(), "the read-only area before the hole, the untouched one after");
    }

    @Test
    void madviseDontneedZeroesPrivatePages() {
        long a = map(0, 2 * PG, RW, ANON);
        assertTrue(as.copyToUser(a, new byte[]{1, 2, 3}, 0, 3));
        assertTrue(as.copyToUser(a + PG, new byte[]{9}, 0, 1));
        assertEquals(0, mm.madvise(a, PG, 4));
        byte[] b = new byte[3];
        assertTrue(as.copyFromUser(a, b, 0, 3));
        assertEquals(0, b[0] + b[1] + b[2]);
        assertTrue(as.copyFromUser(a + PG, b, 0, 1));
        assertEquals(9, b[0]);
    }

    @Test
    void hintsAreHonouredWhenFree() {
        assertEquals(0x200000000L, map(0x200000000L, PG, RW, ANON));
        long moved = map(0x200000000L, PG, RW, ANON);
        assertTrue(moved > 0 && moved != 0x200000000L);
        assertEquals(Mmap.MMAP_MIN_ADDR, map(0x1000, PG, RW, ANON), "a hint below mmap_min_addr is raised");
    }

    @Test
    void brkGrowsShrinksAndStopsBeforeAMapping() {
        mm.setBrkStart(0x100000);
        assertEquals(0x100000, mm.brk(0));
        assertEquals(0x100000, mm.brk(0x50000), "below the start is refused");
        assertEquals(0x105123, mm.brk(0x105123));
        assertTrue(as.isMapped(0x105000));
        assertFalse(as.isMapped(0x106000));
        assertEquals(0x102000, mm.brk(0x102000));
        assertFalse(as.isMapped(0x103000));
        assertEquals(0x110000, map(0x110000, PG, RW, ANON | Mman.MAP_FIXED));
        assertEquals(0x102000, mm.brk(0x110000), "growing into a mapping fails");
        assertEquals(0x102000, mm.brk(0x10f001), "and must leave a page free below it");
        assertEquals(0x10f000, mm.brk(0x10f000));
    }

    @Test
    void stackKeepsAGuardGapFreeBelowIt() {
        mm.setupStack();
        long stackStart = Mmap.STACK_TOP - Mmap.STACK_SIZE;
        long hint = stackStart - PG;
        long got = map(hint, PG, RW, ANON);
        assertTrue(got != hint, "a hint inside the stack guard gap is not honoured");
        assertEquals(hint, map(hint, PG, RW, ANON | Mman.MAP_FIXED), "MAP_FIXED may go there");
        assertEquals(-Errno.EINVAL, mm.mprotect(stackStart + PG, PG, Mman.PROT_READ | Mman.PROT_GROWSUP));
        assertEquals(0, mm.mprotect(stackStart + 4 * PG, PG, RW | Mman.PROT_GROWSDOWN));
    }

    @Test
    void mremapGrowsMovesAndShrinks() {
        long a = map(0, 2 * PG, RW, ANON);
        assertEquals(-Errno.EINVAL, mm.mremap(a, PG, 0, 0, 0), "a zero new length is nonsensical");
        assertEquals(-Errno.EINVAL, mm.mremap(a, 0, PG, 0, 0));
        assertEquals(-Errno.EINVAL, mm.mremap(a, PG, PG, 4, 0), "DONTUNMAP needs MAYMOVE");
        assertEquals(-Errno.EFAULT, mm.mremap(a, 3 * PG, 4 * PG, 1, 0), "the old range must lie in one area");
        // b sits right below a (top-down allocation): it cannot grow in place.
        long b = map(0, 2 * PG, Mman.PROT_READ, ANON);
        assertEquals(a - 2 * PG, b);
        assertTrue(as.pokeUser(b + PG, new byte[]{42}, 0, 1));
        assertEquals(-Errno.ENOMEM, mm.mremap(b, 2 * PG, 3 * PG, 0, 0), "no room and no MAYMOVE");
        long moved = mm.mremap(b, 2 * PG, 4 * PG, 1, 0);
        assertTrue(moved > 0 && moved != b);
        byte[] one = new byte[1];
        assertTrue(as.copyFromUser(moved + PG, one, 0, 1));
        assertEquals(42, one[0], "the page moved with its contents");
        assertEquals(Mman.PROT_READ, as.protAt(moved + 3 * PG), "the grown part has the area's protection");
        assertFalse(as.isMapped(b), "the old range is gone");
        // a has free room above it (between mmap_base and the stack): it grows in place.
        assertEquals(a, mm.mremap(a, 2 * PG, 5 * PG, 0, 0));
        assertTrue(as.isMapped(a + 4 * PG));
        assertEquals(a, mm.mremap(a, 5 * PG, PG, 0, 0), "shrinking stays in place");
        assertFalse(as.isMapped(a + PG));
    }

    @Test
    void munmapSplitsAreas() {
        long a = map(0, 5 * PG, RW, ANON);
        assertEquals(0, mm.munmap(a + PG, PG));
        assertEquals(0, mm.munmap(a + 3 * PG, PG));
        assertEquals(3, mm.vmas().size());
        assertTrue(as.isMapped(a) && !as.isMapped(a + PG) && as.isMapped(a + 2 * PG) && !as.isMapped(a + 3 * PG));
        mm.exitMmap();
        assertEquals(0, mm.vmas().size());
        assertFalse(as.isMapped(a));
    }

    @Test
    void hugeReservationsArePaidForOnlyWhenTouched() {
        long huge = 100L << 30;
        long r = map(0, huge, Mman.PROT_NONE, ANON | Mman.MAP_NORESERVE);
        assertFalse(Errno.isError(r));
        assertEquals(0, as.residentPages());
        assertEquals(Mman.PROT_NONE, as.protAt(r + huge / 2), "reserved, not populated");
        long mid = r + huge / 2;
        assertEquals(0, mm.mprotect(mid, 1 << 20, RW));
        assertTrue(as.copyToUser(mid + 5, new byte[]{1}, 0, 1));
        assertEquals(1, as.residentPages(), "one page was touched");
        assertFalse(as.copyFromUser(r, new byte[1], 0, 1), "PROT_NONE stays inaccessible");
        assertEquals(0, mm.munmap(r, huge));
        assertEquals(0, as.residentPages());
        assertFalse(as.isMapped(mid));
    }

    @Test
    void filePagesPastEndOfFileAreNotMapped() {
        byte[] content = new byte[Page.SIZE + 100];
        java.util.Arrays.fill(content, (byte) 7);
        Mmap.Backing file = new Mmap.Backing() {
            public int readAt(byte[] dst, int off, int len, long offset) {
                if (offset >= content.length) return 0;
                int n = (int) Math.min(len, content.length - offset);
                System.arraycopy(content, (int) offset, dst, off, n);
                return n;
            }
            public long size() { return content.length; }
            public String name() { return "/file"; }
        };
        long a = mm.mmap(0, 3 * PG, Mman.PROT_READ, Mman.MAP_PRIVATE, file, 0);
        assertEquals(0, as.residentPages(), "file pages are read at their first fault");
        byte[] b = new byte[2];
        assertTrue(as.copyFromUser(a + PG + 99, b, 0, 2));
        assertEquals(7, b[0]);
        assertEquals(0, b[1], "the tail of the last file page reads as zeros");
        assertTrue(as.isMapped(a + 2 * PG), "the area covers the page past EOF");
        assertEquals(null, as.translate(a + 2 * PG, AddressSpace.ACCESS_READ), "a page wholly past EOF faults (SIGBUS)");
        // A private mapping at an offset: the pages come from that offset.
        long c = mm.mmap(0, PG, Mman.PROT_READ, Mman.MAP_PRIVATE, file, 1);
        assertTrue(as.copyFromUser(c + 99, b, 0, 2));
        assertEquals(7, b[0]);
        assertEquals(0, b[1]);
    }

    /** A file of n pages whose byte at offset o is (o / PG) + 1, counting its reads. */
    static final class PagedFile implements Mmap.Backing {
        final long size;
        int reads;

        PagedFile(long size) {
            this.size = size;
        }

        public int readAt(byte[] dst, int off, int len, long offset) {
            reads++;
            int n = (int) Math.max(0, Math.min(len, size - offset));
            for (int k = 0; k < n; k++) dst[off + k] = (byte) ((offset + k) / PG + 1);
            return n;
        }

        public long size() { return size; }

        public String name() { return "/paged"; }
    }

    byte readByte(long addr) {
        byte[] b = new byte[1];
        assertTrue(as.copyFromUser(addr, b, 0, 1));
        return b[0];
    }

    @Test
    void readFaultsMapTheAlignedWindowAroundThePage() {
        PagedFile file = new PagedFile(40 * PG + 10);
        long a = mm.mmap(0, 48 * PG, Mman.PROT_READ | Mman.PROT_EXEC, Mman.MAP_PRIVATE, file, 0);
        long window = AddressSpace.FAULT_AROUND_BYTES / PG;
        long first = (a & -AddressSpace.FAULT_AROUND_BYTES) == a ? 0 : window - (a % AddressSpace.FAULT_AROUND_BYTES) / PG;
        // A page in the middle of a window: the whole window, in one read.
        long page = first + window + 5;
        assertEquals(page + 1, readByte(a + page * PG));
        assertEquals(window, as.residentPages());
        assertEquals(1, file.reads);
        assertEquals(page - 5 + 1, readByte(a + (page - 5) * PG), "the window's first page holds its own bytes");
        assertEquals(1, file.reads, "and was mapped by the first fault");
        // The window holding EOF: pages past EOF stay absent (they fault with SIGBUS).
        long before = as.residentPages();
        assertEquals(41, readByte(a + 40 * PG + 9));
        assertEquals(0, readByte(a + 40 * PG + 10), "the tail of the last file page reads as zeros");
        assertEquals(null, as.translate(a + 41 * PG, AddressSpace.ACCESS_READ));
        assertTrue(as.residentPages() - before <= window && as.frameAt(a + 41 * PG) == null);
        assertEquals(39 + 1, readByte(a + 39 * PG), "the EOF window's pages before EOF came with it");
    }

    @Test
    void writeFaultsAndSharedMappingsMapOnePage() {
        PagedFile file = new PagedFile(32 * PG);
        long a = mm.mmap(0, 32 * PG, RW, Mman.MAP_PRIVATE, file, 0);
        assertTrue(as.copyToUser(a + 20 * PG, new byte[]{9}, 0, 1));
        assertEquals(1, as.residentPages(), "a write fault copies one page (do_cow_fault)");
        assertEquals(9, readByte(a + 20 * PG));
        assertEquals(20 + 2, readByte(a + 21 * PG), "the page written keeps its copy when a neighbour faults the window in");
        assertEquals(9, readByte(a + 20 * PG));
    }

    @Test
    void populatePrefaults() {
        long a = map(0, 4 * PG, RW, ANON | Mman.MAP_POPULATE);
        assertEquals(4, as.residentPages());
        long n = map(0, 4 * PG, Mman.PROT_NONE, ANON | Mman.MAP_POPULATE);
        assertEquals(4, as.residentPages(), "inaccessible areas are not populated");
        assertFalse(Errno.isError(a) || Errno.isError(n));
    }

    @Test
    void growsDownAreasExpandWithinTheStackLimit() {
        long a = map(0, 4 * PG, RW, ANON | Mman.MAP_GROWSDOWN);
        assertTrue(mm.expandStack(a - 1, 8L << 20));
        assertEquals(a - PG, mm.findVma(a - PG).start());
        assertEquals(1, mm.vmas().size());
        assertTrue(as.copyToUser(a - 8, new byte[8], 0, 8));
        assertFalse(mm.expandStack(a - (8L << 20), 8L << 20), "over RLIMIT_STACK");
        assertTrue(mm.expandStack(a - (3L << 20), -1L), "RLIM_INFINITY");
        long plain = map(0, PG, RW, ANON);
        assertFalse(mm.expandStack(plain - PG, -1L), "only growsdown areas grow");
    }

    @Test
    void msyncValidatesLikeLinux() {
        long a = map(0, 4 * PG, RW, ANON);
        assertEquals(0, mm.msync(a, 4 * PG, Mman.MS_SYNC));
        assertEquals(0, mm.msync(a, 1, Mman.MS_ASYNC | Mman.MS_INVALIDATE));
        assertEquals(-Errno.EINVAL, mm.msync(a, PG, 8));
        assertEquals(-Errno.EINVAL, mm.msync(a, PG, Mman.MS_ASYNC | Mman.MS_SYNC));
        assertEquals(-Errno.EINVAL, mm.msync(a + 1, PG, Mman.MS_SYNC));
        assertEquals(0, mm.msync(a, 0, Mman.MS_SYNC));
        assertEquals(-Errno.ENOMEM, mm.msync(a, -PG, Mman.MS_SYNC), "end wraps");
        assertEquals(0, mm.munmap(a + PG, PG));
        assertEquals(-Errno.ENOMEM, mm.msync(a, 4 * PG, Mman.MS_SYNC), "a hole: ENOMEM after the walk");
        assertEquals(-Errno.ENOMEM, mm.msync(a, 4 * PG, Mman.MS_ASYNC));
        assertEquals(-Errno.ENOMEM, mm.msync(0x100000, PG, 0), "nothing mapped");
    }

    @Test
    void lockingSplitsAndMergesAreas() {
        long a = map(0, 8 * PG, RW, ANON);
        assertEquals(0, mm.applyLockFlags(a + 2 * PG, a + 4 * PG, Mmap.VM_LOCKED));
        assertEquals(3, mm.vmas().size(), "the locked middle is an area of its own");
        assertEquals(2 * PG, mm.lockedBytes());
        assertEquals(PG, mm.lockedBytesIn(a + 3 * PG, a + 8 * PG));
        assertEquals(0, mm.applyLockFlags(a, a + 8 * PG, 0));
        assertEquals(1, mm.vmas().size(), "unlocked again, the pieces merge");
        assertEquals(0, mm.lockedBytes());
        assertEquals(-Errno.ENOMEM, mm.applyLockFlags(a + 6 * PG, a + 10 * PG, Mmap.VM_LOCKED), "part is unmapped");
        assertEquals(0, mm.lockedBytes(), "nothing changed");
    }

    @Test
    void mlockallFutureLocksNewAreasAndForkDropsLocks() {
        mm.applyMlockall(Mman.MCL_FUTURE);
        long a = map(0, 2 * PG, RW, ANON);
        assertTrue(mm.findVma(a).locked());
        assertEquals(2 * PG, mm.lockedBytes());
        Mmap child = mm.fork();
        assertEquals(0, child.lockedBytes(), "dup_mmap clears VM_LOCKED");
        mm.applyMlockall(0);
        assertFalse(mm.findVma(map(0, PG, Mman.PROT_READ, ANON)).locked());
    }
}
