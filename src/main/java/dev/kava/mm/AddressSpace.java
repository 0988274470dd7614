package dev.kava.mm;

import dev.kava.abi.Mman;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A user virtual address space: a page table from virtual page numbers to page frames with
 * per-page protection (Linux's mm_struct page tables; VMAs are kept by {@link Mmap}).
 *
 * <p>The CPU reaches memory through {@link #translate}, which also resolves the faults the
 * mm can resolve by itself: a demand-zero page touched for the first time and a write to a
 * copy-on-write page. Anything else is a real fault that the kernel turns into a signal.
 *
 * <p>Demand paging (handle_mm_fault): the {@link Mmap} that owns this address space leaves the
 * page-table entries of its areas absent until they are touched, so reserving a huge range costs
 * nothing here. On a miss, translate asks the {@link FaultHandler} for the area covering the
 * address (a lock-free lookup, so no lock is taken inside this one) and installs the page with the
 * area's protection: demand-zero for anonymous memory, the file's bytes for a file mapping read at
 * fault time (filemap_fault; a read fault of a private mapping also maps the absent pages of the
 * 64 KiB window around it, as do_fault_around does), and nothing for a page wholly past the end
 * of the file (SIGBUS).
 * Shared memory, shared anonymous memory included, is a mapping of a tmpfs file: every mapping of
 * it finds the same frames in the file's page cache.
 *
 * <p>User space is the Sv48 range [0, 2^47) (riscv64 Linux's default mmap window is the Sv39
 * range below 2^38; hints may go higher).
 */
public final class AddressSpace {
    public static final long USER_TOP = 1L << 47;

    /** Access kinds for {@link #translate}. */
    public static final int ACCESS_READ = 1, ACCESS_WRITE = 2, ACCESS_EXEC = 4;

    // Page-table entry flags kept beside each frame (the protection bits are PROT_* from mman.h).
    private static final int PTE_PRESENT = 0x80;
    private static final int PROT_BITS = Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC;

    // A three-level radix tree over the 35-bit virtual page number: 12 + 12 + 11 bits.
    private static final int L3_BITS = 11, L2_BITS = 12;
    private static final int L3_SIZE = 1 << L3_BITS, L2_SIZE = 1 << L2_BITS, L1_SIZE = 1 << (35 - L3_BITS - L2_BITS);

    private static final class Leaf {
        final Page[] pages = new Page[L3_SIZE];
        final byte[] flags = new byte[L3_SIZE];
        int present;
    }

    private final Leaf[][] table = new Leaf[L1_SIZE][];

    /** Harts (or anything caching translations) that must forget them when mappings change. */
    public interface TlbHolder {
        /** Called from any thread: the holder must drop cached translations before its next access. */
        void flushTlb();
    }

    /** Resolves misses: the area covering an address (see the class comment). */
    interface FaultHandler {
        /** The area containing addr, or null; must not take locks that code holding an Mmap's lock waits for. */
        Mmap.Vma vmaAt(long addr);
    }

    private volatile FaultHandler faultHandler;

    void setFaultHandler(FaultHandler h) { faultHandler = h; }

    private final CopyOnWriteArrayList<TlbHolder> tlbHolders = new CopyOnWriteArrayList<>();
    private final PageAllocator allocator;
    private long residentPages;

    public AddressSpace() {
        this(PageAllocator.UNLIMITED);
    }

    public AddressSpace(PageAllocator allocator) {
        this.allocator = allocator;
    }

    /** The frame counter this address space charges. */
    PageAllocator allocator() {
        return allocator;
    }

    public void addTlbHolder(TlbHolder h) { tlbHolders.add(h); }

    public void removeTlbHolder(TlbHolder h) { tlbHolders.remove(h); }

    /** Makes every hart drop cached translations (Linux's flush_tlb_mm plus the shootdown IPIs). */
    public void flushTlbs() {
        for (TlbHolder h : tlbHolders) h.flushTlb();
    }

    /** Like {@link #flushTlbs()}, but the caller keeps its own entries (it fixed them itself). */
    public void flushTlbsExcept(TlbHolder self) {
        for (TlbHolder h : tlbHolders) if (h != self) h.flushTlb();
    }

    private static boolean validRange(long addr, long len) {
        return (addr & Page.MASK) == 0 && (len & Page.MASK) == 0 && addr >= 0 && len >= 0
                && addr + len <= USER_TOP && addr + len >= addr;
    }

    private Leaf leaf(long vpn, boolean create) {
        int i1 = (int) (vpn >>> (L3_BITS + L2_BITS));
        if (i1 < 0 || i1 >= L1_SIZE) return null;
        Leaf[] mid = table[i1];
        if (mid == null) {
            if (!create) return null;
            mid = table[i1] = new Leaf[L2_SIZE];
        }
        int i2 = (int) (vpn >>> L3_BITS) & (L2_SIZE - 1);
        Leaf l = mid[i2];
        if (l == null && create) l = mid[i2] = new Leaf();
        return l;
    }

    /** Maps fresh demand-zero pages over [addr, addr+len), replacing whatever was there. */
    public synchronized void map(long addr, long len, int prot) {
        if (!validRange(addr, len)) throw new IllegalArgumentException("bad range " + Long.toHexString(addr) + "+" + len);
        for (long va = addr; va < addr + len; va += Page.SIZE) {
            long vpn = va >>> Page.SHIFT;
            Leaf l = leaf(vpn, true);
            int i = (int) vpn & (L3_SIZE - 1);
            release(l, i);
            l.flags[i] = (byte) (PTE_PRESENT | normalize(prot));
            l.present++;
        }
        flushTlbs();
    }

    /** Maps an existing frame at one page (shared mappings, fork). */
    public synchronized void mapPage(long va, Page page, int prot) {
        if (!validRange(va, Page.SIZE)) throw new IllegalArgumentException("bad page " + Long.toHexString(va));
        long vpn = va >>> Page.SHIFT;
        Leaf l = leaf(vpn, true);
        int i = (int) vpn & (L3_SIZE - 1);
        release(l, i);
        page.mapCount.incrementAndGet();
        l.pages[i] = page;
        residentPages++;
        l.flags[i] = (byte) (PTE_PRESENT | normalize(prot));
        l.present++;
        flushTlbs();
    }

    public synchronized void unmap(long addr, long len) {
        if (!validRange(addr, len)) throw new IllegalArgumentException("bad range " + Long.toHexString(addr) + "+" + len);
        forEachEntry(addr, len, this::release);
        flushTlbs();
    }

    private interface EntryAction {
        void apply(Leaf l, int i);
    }

    /** Calls action on every entry slot of [addr, addr+len) in leaves that map anything, skipping empty 8 MiB leaves. */
    private void forEachEntry(long addr, long len, EntryAction action) {
        long va = addr;
        while (va < addr + len) {
            long vpn = va >>> Page.SHIFT;
            Leaf l = leaf(vpn, false);
            if (l == null || l.present == 0) {
                va = nextLeaf(va);
                continue;
            }
            action.apply(l, (int) vpn & (L3_SIZE - 1));
            va += Page.SIZE;
        }
    }

    /** The first address covered by the next leaf of the page table. */
    private static long nextLeaf(long va) {
        long span = (long) L3_SIZE << Page.SHIFT;
        return (va & -span) + span;
    }

    /** Drops the frame and entry at index i of a leaf, if any. */
    private void release(Leaf l, int i) {
        if ((l.flags[i] & PTE_PRESENT) == 0) return;
        Page p = l.pages[i];
        if (p != null) {
            residentPages--;
            if (p.mapCount.decrementAndGet() == 0 && !p.pageCache) allocator.free();
        }
        l.pages[i] = null;
        l.flags[i] = 0;
        l.present--;
    }

    /** Changes the protection of the populated pages of [addr, addr+len); absent entries take the area's on their first fault. */
    public synchronized void protect(long addr, long len, int prot) {
        if (!validRange(addr, len)) throw new IllegalArgumentException("bad range " + Long.toHexString(addr) + "+" + len);
        int p = normalize(prot);
        forEachEntry(addr, len, (l, i) -> {
            if ((l.flags[i] & PTE_PRESENT) != 0) l.flags[i] = (byte) ((l.flags[i] & (PTE_PRESENT | SHARED)) | p);
        });
        flushTlbs();
    }

    /**
     * The frame at addr if its entry is present and has one, without faulting anything in
     * (mremap moves frames with this).
     */
    synchronized Page frameAt(long addr) {
        if (addr < 0 || addr >= USER_TOP) return null;
        long vpn = addr >>> Page.SHIFT;
        Leaf l = leaf(vpn, false);
        if (l == null) return null;
        int i = (int) vpn & (L3_SIZE - 1);
        return (l.flags[i] & PTE_PRESENT) != 0 ? l.pages[i] : null;
    }

    /**
     * Prefaults [addr, addr+len) (MAP_POPULATE, populate_vma_page_range): every page the area lets
     * be touched gets its frame now. Stops quietly at the first page that cannot be had (out of
     * memory, past the end of a file), as mm_populate ignores errors.
     */
    public synchronized void populate(long addr, long len) {
        for (long va = addr; va < addr + len; va += Page.SIZE) {
            if (translateIgnoringProt(va, false) == null) return;
        }
    }

    /**
     * handle_mm_fault for an absent entry: installs the page of the area covering addr, if that
     * area permits access (0 = a kernel access ignoring protection). False when there is no area,
     * the access is not permitted, the page lies past the end of the mapped file, or no frame is left.
     */
    private boolean faultIn(long addr, int access) {
        FaultHandler h = faultHandler;
        if (h == null) return false;
        Mmap.Vma v = h.vmaAt(addr);
        if (v == null || v.start() > addr || v.end() <= addr) return false;
        int prot = normalize(v.prot());
        if ((prot & access) != access) return false;
        long pageAddr = addr & ~Page.MASK;
        Page p = null;
        boolean sharedFrame = false;
        if (v.file() != null && v.file().hasPageCache()) {
            // A mapping of a page-cache file maps the file's own frame (filemap_fault); a private
            // one copies it at its first write (see translate).
            long off = v.fileOffset() + (pageAddr - v.start());
            try {
                if (Long.compareUnsigned(off, v.file().size()) >= 0) return false;
                p = v.file().pageCacheFrame(off >>> Page.SHIFT);
            } catch (RuntimeException e) {
                return false; // no memory or space for the page: SIGBUS, as shmem_fault gives
            }
            if (p == null) return false;
            p.mapCount.incrementAndGet();
            sharedFrame = v.shared();
        } else if (v.file() != null) {
            long off = v.fileOffset() + (pageAddr - v.start());
            FileWindow w;
            try {
                // filemap_fault: a page wholly beyond EOF is VM_FAULT_SIGBUS, and so is a read error.
                long size = v.file().size();
                if (Long.compareUnsigned(off, size) >= 0) return false;
                w = readWindow(v, pageAddr, access, size);
            } catch (RuntimeException e) {
                return false;
            }
            if (!allocator.allocate()) return false;
            p = new Page();
            w.fill(p, pageAddr);
            install(pageAddr, p, prot, false);
            w.mapAround(pageAddr, prot);
            return true;
        }
        install(pageAddr, p, prot, sharedFrame);
        return true;
    }

    private void install(long pageAddr, Page p, int prot, boolean sharedFrame) {
        long vpn = pageAddr >>> Page.SHIFT;
        Leaf l = leaf(vpn, true);
        int i = (int) vpn & (L3_SIZE - 1);
        release(l, i);
        l.pages[i] = p;
        if (p != null) residentPages++;
        l.flags[i] = (byte) (PTE_PRESENT | prot | (sharedFrame ? SHARED : 0));
        l.present++;
    }

    /** fault_around_bytes (mm/memory.c): the aligned window a read fault of a file mapping maps at once. */
    static final int FAULT_AROUND_BYTES = 64 * 1024;

    /**
     * The file bytes a fault reads: the faulting page alone, or for a read or exec fault of a
     * private mapping (do_read_fault, then do_fault_around) the aligned 64 KiB window around it,
     * clipped to the area and to the pages that hold file data, in one read. Code and data are
     * mostly touched in order, so a program then takes one fault per window instead of one per
     * page (python3 -c pass: 961 file faults before). Linux maps the window's pages that are in
     * the page cache, which its readahead has filled; kava reads them with the faulting page.
     * A write fault copies one page (do_cow_fault), and shared mappings keep one page per fault.
     */
    private FileWindow readWindow(Mmap.Vma v, long pageAddr, int access, long size) {
        long start = pageAddr, end = pageAddr + Page.SIZE;
        if (!v.shared() && (access == ACCESS_READ || access == ACCESS_EXEC)) {
            long aligned = pageAddr & -FAULT_AROUND_BYTES;
            start = Math.max(v.start(), aligned);
            // Only pages that hold file data: a page wholly past EOF stays absent (it faults with SIGBUS).
            long fileBytes = size - v.fileOffset(); // > 0: the faulting page starts before EOF
            long dataEnd = fileBytes >= v.end() - v.start() ? v.end() : (v.start() + fileBytes + Page.MASK) & ~Page.MASK;
            end = Math.max(end, Math.min(Math.min(v.end(), aligned + FAULT_AROUND_BYTES), dataEnd));
        }
        if (end - start > Page.SIZE) {
            try {
                return read(v, start, end);
            } catch (RuntimeException e) {
                // The neighbours are optional: an error reading them must not fail this page's fault.
            }
        }
        return read(v, pageAddr, pageAddr + Page.SIZE);
    }

    private FileWindow read(Mmap.Vma v, long start, long end) {
        byte[] buf = new byte[(int) (end - start)];
        long off = v.fileOffset() + (start - v.start());
        int got = 0;
        while (got < buf.length) {
            int n = v.file().readAt(buf, got, buf.length - got, off + got);
            if (n <= 0) break;
            got += n;
        }
        return new FileWindow(start, buf, got);
    }

    /** File bytes read from the page at start on: got of them (the rest of the window is past EOF). */
    private final class FileWindow {
        final long start;
        final byte[] buf;
        final int got;

        FileWindow(long start, byte[] buf, int got) {
            this.start = start;
            this.buf = buf;
            this.got = got;
        }

        /** Copies the window's bytes for the page at pageAddr into p; bytes past EOF stay zero. */
        void fill(Page p, long pageAddr) {
            int at = (int) (pageAddr - start);
            int n = Math.min(Page.SIZE, got - at);
            if (n > 0) p.write(0, buf, at, n);
        }

        /** Maps the window's other absent pages that hold file data, while frames are left (do_fault_around). */
        void mapAround(long faulted, int prot) {
            for (long va = start; va - start < got; va += Page.SIZE) {
                if (va == faulted) continue;
                long vpn = va >>> Page.SHIFT;
                Leaf l = leaf(vpn, true);
                if ((l.flags[(int) vpn & (L3_SIZE - 1)] & PTE_PRESENT) != 0) continue;
                if (!allocator.allocate()) return;
                Page p = new Page();
                fill(p, va);
                install(va, p, prot, false);
            }
        }
    }

    /** RISC-V has no write-only pages: W without R is reserved, so Linux maps PROT_WRITE as read-write. */
    private static int normalize(int prot) {
        prot &= PROT_BITS;
        if ((prot & Mman.PROT_WRITE) != 0) prot |= Mman.PROT_READ;
        return prot;
    }

    public synchronized boolean isMapped(long addr) {
        return protAt(addr) >= 0;
    }

    /** The PROT_* bits of the page holding addr (populated or not), or -1 when it is not mapped. */
    public synchronized int protAt(long addr) {
        if (addr < 0 || addr >= USER_TOP) return -1;
        long vpn = addr >>> Page.SHIFT;
        Leaf l = leaf(vpn, false);
        int f = l == null ? 0 : l.flags[(int) vpn & (L3_SIZE - 1)];
        if ((f & PTE_PRESENT) != 0) return f & PROT_BITS;
        // Not touched yet: the protection its first fault will install, if an area covers it.
        FaultHandler h = faultHandler;
        Mmap.Vma v = h == null ? null : h.vmaAt(addr);
        return v == null || v.start() > addr || v.end() <= addr ? -1 : normalize(v.prot());
    }

    /**
     * A copy of this address space for fork (dup_mmap's page-table half): private frames become
     * copy-on-write in both, shared ones (a file's page-cache frames) stay common. No frame is
     * allocated: a page neither has touched is found or made at its first fault, so a fork of a
     * huge shared mapping costs no memory.
     */
    public synchronized AddressSpace forkCopy() {
        AddressSpace c = new AddressSpace(allocator);
        for (int i1 = 0; i1 < L1_SIZE; i1++) {
            Leaf[] mid = table[i1];
            if (mid == null) continue;
            for (int i2 = 0; i2 < L2_SIZE; i2++) {
                Leaf l = mid[i2];
                if (l == null || l.present == 0) continue;
                Leaf cl = null;
                for (int i = 0; i < L3_SIZE; i++) {
                    int f = l.flags[i];
                    if ((f & PTE_PRESENT) == 0) continue;
                    Page p = l.pages[i];
                    if (cl == null) {
                        Leaf[] cmid = c.table[i1];
                        if (cmid == null) cmid = c.table[i1] = new Leaf[L2_SIZE];
                        cl = cmid[i2] = new Leaf();
                    }
                    if (p != null) {
                        p.mapCount.incrementAndGet();
                        c.residentPages++;
                    }
                    cl.pages[i] = p;
                    cl.flags[i] = (byte) f;
                    cl.present++;
                }
            }
        }
        // The parent's harts may hold write translations of frames that are now copy-on-write.
        flushTlbs();
        return c;
    }

    /** Drops every mapping (exit_mmap, or a failed fork). */
    public synchronized void releaseAll() {
        for (Leaf[] mid : table) {
            if (mid == null) continue;
            for (Leaf l : mid) {
                if (l == null || l.present == 0) continue;
                for (int i = 0; i < L3_SIZE; i++) release(l, i);
            }
        }
        flushTlbs();
    }

    /** Forgets every decoded-instruction cache of the frames mapped here (fence.i, riscv_flush_icache). */
    public synchronized void dropDecodedCode() {
        for (Leaf[] mid : table) {
            if (mid == null) continue;
            for (Leaf l : mid) {
                if (l == null) continue;
                for (Page p : l.pages) if (p != null && p.icache != null) p.icache = null;
            }
        }
    }

    /** Whether the page holding addr has a frame (it was touched, or populated), as mincore reports. */
    public synchronized boolean isResident(long addr) {
        if (addr < 0 || addr >= USER_TOP) return false;
        long vpn = addr >>> Page.SHIFT;
        Leaf l = leaf(vpn, false);
        if (l == null) return false;
        int i = (int) vpn & (L3_SIZE - 1);
        return (l.flags[i] & PTE_PRESENT) != 0 && l.pages[i] != null;
    }

    /** Resident (allocated) pages, for memory accounting. */
    public synchronized long residentPages() { return residentPages; }

    /**
     * What of [start, end) has frames (smaps' walk_page_range): resident pages, those of them
     * mapped more than once (shared with another mapping or process), and the proportional
     * set size in bytes (each page's size divided by its map count). Absent table levels are
     * skipped, so a huge sparse reservation costs little.
     */
    public record Residency(long pages, long sharedPages, long pssBytes) {}

    public synchronized Residency residency(long start, long end) {
        long pages = 0, shared = 0, pss = 0;
        start = Math.max(0, start);
        end = Math.min(end, USER_TOP);
        long vpn = start >>> Page.SHIFT, last = (end + Page.MASK) >>> Page.SHIFT;
        while (vpn < last) {
            int i1 = (int) (vpn >>> (L3_BITS + L2_BITS));
            Leaf[] mid = table[i1];
            if (mid == null) {
                vpn = ((vpn >>> (L3_BITS + L2_BITS)) + 1) << (L3_BITS + L2_BITS);
                continue;
            }
            Leaf l = mid[(int) (vpn >>> L3_BITS) & (L2_SIZE - 1)];
            long leafEnd = Math.min(last, ((vpn >>> L3_BITS) + 1) << L3_BITS);
            if (l == null || l.present == 0) {
                vpn = leafEnd;
                continue;
            }
            for (; vpn < leafEnd; vpn++) {
                int i = (int) vpn & (L3_SIZE - 1);
                Page p = l.pages[i];
                if ((l.flags[i] & PTE_PRESENT) == 0 || p == null) continue;
                pages++;
                int mc = Math.max(1, p.mapCount.get());
                if (mc > 1) shared++;
                pss += Page.SIZE / mc;
            }
        }
        return new Residency(pages, shared, pss);
    }

    /**
     * Finds the frame for an access, resolving demand-zero and copy-on-write faults.
     * Returns null when the access faults (unmapped, not permitted, or out of memory); the
     * caller reports the fault. For ACCESS_WRITE the returned frame is private to this page
     * table entry or mapped shared, so writing to it is correct.
     */
    public synchronized Page translate(long addr, int access) {
        if (addr < 0 || addr >= USER_TOP) return null;
        long vpn = addr >>> Page.SHIFT;
        Leaf l = leaf(vpn, false);
        int i = (int) vpn & (L3_SIZE - 1);
        if (l == null || (l.flags[i] & PTE_PRESENT) == 0) {
            if (!faultIn(addr, access)) return null;
            l = leaf(vpn, false);
        }
        int f = l.flags[i];
        if ((f & PTE_PRESENT) == 0 || (f & access) != access) return null;
        Page p = l.pages[i];
        if (p == null) {
            if (!allocator.allocate()) return null;
            p = l.pages[i] = new Page();
            residentPages++;
        } else if ((access & ACCESS_WRITE) != 0 && (l.flags[i] & SHARED) == 0 && (p.mapCount.get() > 1 || p.pageCache)) {
            // Copy-on-write: this entry shares the frame with another address space, or maps a
            // file's page-cache frame privately (a private file mapping sees the file until written).
            if (!allocator.allocate()) return null;
            Page copy = p.copy();
            if (p.mapCount.decrementAndGet() == 0 && !p.pageCache) allocator.free();
            p = l.pages[i] = copy;
            // Other harts of this address space may still read the old frame through their TLBs.
            flushTlbs();
        }
        return p;
    }

    /**
     * Whether a frame reached through translate(addr, ACCESS_WRITE) may be cached for later
     * writes: only if no other entry shares it privately (or the mapping is shared).
     */
    static final int SHARED = 0x40;

    /** Marks pages as a MAP_SHARED mapping: writes go to the common frame instead of copying. */
    public synchronized void markShared(long addr, long len) {
        forEachEntry(addr, len, (l, i) -> {
            if ((l.flags[i] & PTE_PRESENT) != 0) l.flags[i] |= SHARED;
        });
    }

    /** Kernel-side copy into user memory honouring PROT_WRITE (copy_to_user). */
    public boolean copyToUser(long addr, byte[] src, int off, int len) {
        return copy(addr, src, off, len, ACCESS_WRITE, true);
    }

    /** Kernel-side copy out of user memory honouring PROT_READ (copy_from_user). */
    public boolean copyFromUser(long addr, byte[] dst, int off, int len) {
        return copy(addr, dst, off, len, ACCESS_READ, false);
    }

    /** Kernel write ignoring protection (the ELF loader filling read-only segments); false if unmapped. */
    public boolean pokeUser(long addr, byte[] src, int off, int len) {
        return copy(addr, src, off, len, 0, true);
    }

    private boolean copy(long addr, byte[] buf, int off, int len, int access, boolean toUser) {
        if (len < 0 || off < 0 || off + len > buf.length) throw new IndexOutOfBoundsException();
        if (len == 0) return true;
        if (addr < 0 || addr + len < addr || addr + len > USER_TOP) return false;
        while (len > 0) {
            Page p = access == 0 ? translateIgnoringProt(addr, toUser) : translate(addr, access);
            if (p == null) return false;
            int po = (int) (addr & Page.MASK);
            int n = Math.min(len, Page.SIZE - po);
            if (toUser) {
                if (p.icache != null) p.icache = null;
                p.write(po, buf, off, n);
            } else {
                p.read(po, buf, off, n);
            }
            addr += n; off += n; len -= n;
        }
        return true;
    }

    private synchronized Page translateIgnoringProt(long addr, boolean write) {
        if (addr < 0 || addr >= USER_TOP) return null;
        long vpn = addr >>> Page.SHIFT;
        Leaf l = leaf(vpn, false);
        int i = (int) vpn & (L3_SIZE - 1);
        if (l == null || (l.flags[i] & PTE_PRESENT) == 0) {
            if (!faultIn(addr, 0)) return null;
            l = leaf(vpn, false);
        }
        int saved = l.flags[i];
        if ((saved & PTE_PRESENT) == 0) return null;
        l.flags[i] = (byte) (saved | PROT_BITS);
        try {
            return translate(addr, write ? ACCESS_WRITE : ACCESS_READ);
        } finally {
            l.flags[i] = (byte) saved;
        }
    }
}
