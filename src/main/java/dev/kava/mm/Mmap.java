package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.Mount;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.RegularFile;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A process's memory map (mm/mmap.c, mm/mprotect.c, mm/madvise.c): the list of virtual memory
 * areas, brk, and the mmap/munmap/mprotect/madvise/brk syscalls with Linux's validation order
 * and errnos. Pages live in the {@link AddressSpace}; this class decides which ranges exist.
 *
 * <p>Areas are immutable records in a concurrent map: the syscalls change it under this object's
 * lock, while page faults (inside the {@link AddressSpace}'s lock) read it without locking, so the
 * two locks are never taken in the opposite order. Every change keeps the map covering each
 * address that stays mapped at every instant (new pieces are put before stale ones are removed).
 *
 * <p>The layout is riscv64 Linux's with an Sv39 user space and no randomization: the stack at
 * the top of the 256 GiB range, mmap allocating top-down from 128 MiB below it.
 */
public final class Mmap {
    /** TASK_SIZE for Sv39 (arch/riscv/include/asm/pgtable.h): the default mmap window. */
    public static final long TASK_SIZE = 0x40_0000_0000L;
    /** STACK_TOP: the initial stack ends at the top of user space. */
    public static final long STACK_TOP = TASK_SIZE;
    /** The stack mapping the kernel reserves: 8 MiB, the default RLIMIT_STACK. */
    public static final long STACK_SIZE = 8L << 20;
    /** ELF_ET_DYN_BASE (arch/riscv/include/asm/elf.h): where a PIE with an interpreter is loaded. */
    public static final long ELF_ET_DYN_BASE = TASK_SIZE / 3 * 2;
    /** TASK_UNMAPPED_BASE: the bottom-up fallback's start. */
    public static final long TASK_UNMAPPED_BASE = pageAlign(TASK_SIZE / 3);
    /** vm.mmap_min_addr as Debian configures it. */
    public static final long MMAP_MIN_ADDR = 65536;
    /** stack_guard_gap: 256 pages kept free below a stack (mm/mmap.c). */
    public static final long STACK_GUARD_GAP = 256L << Page.SHIFT;
    /** vm.max_map_count default (DEFAULT_MAX_MAP_COUNT). */
    public static final int MAX_MAP_COUNT = 65530;
    /** MIN_GAP in mm/util.c: the least room mmap_base leaves for the stack. */
    private static final long MIN_GAP = 128L << 20;

    private static final long PAGE_MASK = ~Page.MASK;
    private static final int PROT_ACCESS = Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC;
    /** LEGACY_MAP_MASK (include/linux/mman.h): the flags MAP_SHARED_VALIDATE accepts on riscv64. */
    private static final int LEGACY_MAP_MASK = Mman.MAP_SHARED | Mman.MAP_PRIVATE | Mman.MAP_FIXED | Mman.MAP_ANONYMOUS
            | Mman.MAP_DENYWRITE | Mman.MAP_EXECUTABLE | 0x4000000 /* MAP_UNINITIALIZED */ | Mman.MAP_GROWSDOWN
            | Mman.MAP_LOCKED | Mman.MAP_NORESERVE | Mman.MAP_POPULATE | Mman.MAP_NONBLOCK | Mman.MAP_STACK
            | Mman.MAP_HUGETLB | (21 << 26) /* MAP_HUGE_2MB */ | (30 << 26) /* MAP_HUGE_1GB */;

    /** Where a mapping's contents come from when it is not anonymous. */
    public interface Backing {
        /** Reads up to len bytes at offset; fewer at end of file. */
        int readAt(byte[] dst, int off, int len, long offset);

        /** The file's size in bytes (i_size): pages wholly past it raise SIGBUS. */
        default long size() {
            return Long.MAX_VALUE;
        }

        /** Whether the file's pages live in a page cache that shared mappings map directly (tmpfs). */
        default boolean hasPageCache() {
            return false;
        }

        /** The page-cache frame of page index, allocated if it is a hole; throws ErrnoException when none can be had. */
        default Page pageCacheFrame(long index) {
            return null;
        }

        /** Whether page index is in the page cache now, without allocating it. */
        default boolean pageCached(long index) {
            return false;
        }

        String name();
    }

    /** VM_LOCKED (include/linux/mm.h): the area's pages are mlocked. */
    public static final int VM_LOCKED = 0x00002000;
    /** VM_LOCKONFAULT: with VM_LOCKED, pages are locked as they fault in, not populated at once. */
    public static final int VM_LOCKONFAULT = 0x00080000;
    /** VM_LOCKED_MASK */
    public static final int VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;

    /**
     * One virtual memory area (vm_area_struct): [start, end) with one protection and kind, and
     * the vm_flags kava keeps beyond those (VM_LOCKED, VM_LOCKONFAULT).
     */
    public record Vma(long start, long end, int prot, boolean shared, boolean growsDown, Backing file,
                      long fileOffset, String name, int vmFlags) {
        public Vma(long start, long end, int prot, boolean shared, boolean growsDown, Backing file, long fileOffset,
                   String name) {
            this(start, end, prot, shared, growsDown, file, fileOffset, name, 0);
        }

        Vma slice(long s, long e) {
            return new Vma(s, e, prot, shared, growsDown, file, file == null ? 0 : fileOffset + (s - start), name, vmFlags);
        }

        Vma withProt(int p) {
            return new Vma(start, end, p, shared, growsDown, file, fileOffset, name, vmFlags);
        }

        Vma withVmFlags(int f) {
            return new Vma(start, end, prot, shared, growsDown, file, fileOffset, name, f);
        }

        public boolean locked() {
            return (vmFlags & VM_LOCKED) != 0;
        }

        /** vm_start_gap: a stack keeps a guard gap below it free. */
        long startGap() {
            return growsDown ? Math.max(0, start - STACK_GUARD_GAP) : start;
        }
    }

    /**
     * Where exec put the program's pieces (mm_struct's start_code .. env_end): /proc/PID/stat,
     * cmdline and environ read them. The argument and environment strings are contiguous on
     * the stack, arguments first; the program may overwrite them (setproctitle).
     */
    public record Layout(long startCode, long endCode, long startData, long endData, long startStack,
                         long argStart, long argEnd, long envStart, long envEnd) {
        public static final Layout NONE = new Layout(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public final AddressSpace as;
    private volatile Layout layout = Layout.NONE;
    private final ConcurrentSkipListMap<Long, Vma> vmas = new ConcurrentSkipListMap<>();
    private final long mmapBase;
    private long startBrk, brk;

    /** shm_mnt, where the files behind shared anonymous mappings live ({@link ShmemZero}). */
    private Mount shmMnt;
    /** The credentials of the task now calling into this mm: a shared anonymous mapping's file is owned by them. */
    private volatile Cred caller = Cred.ROOT;

    /** An mm of its own, for tests: shared anonymous memory gets a private kernel tmpfs over as's allocator. */
    public Mmap(AddressSpace as) {
        this(as, null);
    }

    /** An mm whose shared anonymous memory lives in shmMnt (the kernel's shm_mnt). */
    public Mmap(AddressSpace as, Mount shmMnt) {
        this.as = as;
        this.shmMnt = shmMnt;
        // mmap_base() in mm/util.c: the stack rlimit plus its guard gap, at least MIN_GAP.
        long gap = Math.max(STACK_SIZE + STACK_GUARD_GAP, MIN_GAP);
        this.mmapBase = pageAlign(STACK_TOP - gap);
        as.setFaultHandler(this::vmaCovering);
    }

    /** The area containing addr, or null (lock-free: the page-fault path calls it). */
    private Vma vmaCovering(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        return e != null && e.getValue().end > addr ? e.getValue() : null;
    }

    /** shm_mnt; a standalone mm makes its own the first time it needs one. */
    private Mount shmMount() {
        if (shmMnt == null) {
            Tmpfs fs = Tmpfs.kernMount(() -> System.currentTimeMillis() * 1_000_000L, as.allocator());
            shmMnt = MountNamespace.newMount(fs, fs.root(), 0);
        }
        return shmMnt;
    }

    /**
     * A copy for fork (dup_mmap): the same areas, over a copy-on-write copy of the pages; null if
     * out of memory. Shared mappings are file mappings (shared anonymous memory included), whose
     * untouched pages the child finds in the file at its own first touch: no frame is made here.
     */
    public synchronized Mmap fork() {
        AddressSpace childAs = as.forkCopy();
        if (childAs == null) return null;
        Mmap c = new Mmap(childAs, shmMount());
        // dup_mmap: a child's areas are not mlocked, and mm_init gives it no def_flags.
        for (Vma v : vmas.values()) c.vmas.put(v.start, v.vmFlags == 0 ? v : v.withVmFlags(v.vmFlags & ~VM_LOCKED_MASK));
        for (FileBacking b : ownedBackings(c.vmas.values())) b.getMm(); // get_file of each vma's vm_file
        c.startBrk = startBrk;
        c.brk = brk;
        c.layout = layout;
        return c;
    }

    public static long pageAlign(long x) {
        return (x + Page.MASK) & PAGE_MASK;
    }

    public long mmapBase() {
        return mmapBase;
    }

    public synchronized long startBrk() {
        return startBrk;
    }

    public synchronized long brk() {
        return brk;
    }

    /** Sets where the heap starts, after exec loaded the program (mm->start_brk = mm->brk). */
    public synchronized void setBrkStart(long start) {
        startBrk = brk = start;
    }

    public Layout layout() {
        return layout;
    }

    /** Set by exec once the program and its stack are in place. */
    public void setLayout(Layout l) {
        layout = l;
    }

    public synchronized List<Vma> vmas() {
        return new ArrayList<>(vmas.values());
    }

    // ---- syscalls ----

    public static void register(SyscallTable t) {
        t.register(SyscallNr.BRK, (task, a) -> limited(task).brk(a[0]));
        t.register(SyscallNr.MMAP, Mmap::sysMmap);
        t.register(SyscallNr.MUNMAP, (task, a) -> task.group.mm.munmap(a[0], a[1]));
        t.register(SyscallNr.MPROTECT, (task, a) -> task.group.mm.mprotect(a[0], a[1], (int) a[2]));
        t.register(SyscallNr.MADVISE, (task, a) -> task.group.mm.madvise(task, a[0], a[1], (int) a[2]));
        t.register(SyscallNr.MINCORE, (task, a) -> task.group.mm.mincore(a[0], a[1], a[2]));
        t.register(SyscallNr.MREMAP, (task, a) -> limited(task).mremap(a[0], a[1], a[2], (int) a[3], a[4]));
        t.register(SyscallNr.MSYNC, (task, a) -> task.group.mm.msync(a[0], a[1], (int) a[2]));
    }

    /** RLIMIT_AS of the task now calling into this mm, in bytes (may_expand_vm reads the caller's rlimit). */
    private volatile long asLimit = -1L;

    /** RLIMIT_MEMLOCK of the task now calling into this mm, in bytes; -1 for no limit (or CAP_IPC_LOCK). */
    private volatile long memlockLimit = -1L;

    /** The caller's mm with the caller's RLIMIT_AS and RLIMIT_MEMLOCK in force. */
    static Mmap limited(Task t) {
        Mmap mm = t.group.mm;
        mm.asLimit = t.group.rlimits.cur(dev.kava.abi.Resource.RLIMIT_AS);
        mm.memlockLimit = Mlock.capIpcLock(t) ? -1L : t.group.rlimits.cur(dev.kava.abi.Resource.RLIMIT_MEMLOCK);
        mm.caller = t.group.cred;
        return mm;
    }

    /** mm->def_flags: VM_LOCKED (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE); new areas take them. */
    private int defFlags;

    /** mlock_future_ok: locking bytes more stays within RLIMIT_MEMLOCK (or the caller has CAP_IPC_LOCK). */
    private boolean mlockFutureOk(long bytes) {
        if (memlockLimit == -1L) return true;
        long pages = (bytes >>> Page.SHIFT) + (lockedBytes() >>> Page.SHIFT);
        return Long.compareUnsigned(pages, memlockLimit >>> Page.SHIFT) <= 0;
    }

    /** mm->locked_vm in bytes: the size of the VM_LOCKED areas (VmLck). */
    public synchronized long lockedBytes() {
        long n = 0;
        for (Vma v : vmas.values()) if (v.locked()) n += v.end - v.start;
        return n;
    }

    /** count_mm_mlocked_page_nr, in bytes: the locked part of [start, end). */
    synchronized long lockedBytesIn(long start, long end) {
        long n = 0;
        for (Vma v : vmas.values()) {
            long s0 = Math.max(v.start, start), e0 = Math.min(v.end, end);
            if (v.locked() && s0 < e0) n += e0 - s0;
        }
        return n;
    }

    /** total_vm in bytes. */
    synchronized long totalBytes() {
        long n = 0;
        for (Vma v : vmas.values()) n += v.end - v.start;
        return n;
    }

    /** Areas mlock never marks (mlock_fixup's VM_SPECIAL): the vDSO's code and data pages. */
    private static boolean lockable(Vma v) {
        return !"[vdso]".equals(v.name) && !"[vvar]".equals(v.name);
    }

    /**
     * apply_vma_lock_flags: sets the lock flags of every area in [start, end) to flags (0
     * unlocks), splitting areas at the ends. ENOMEM, changing nothing, when part of the range
     * is not mapped (Linux may have marked the areas before the first hole by then).
     */
    synchronized long applyLockFlags(long start, long end, int flags) {
        if (Long.compareUnsigned(end, start) < 0) return -Errno.EINVAL;
        if (end == start) return 0;
        if (mappedIn(start, end) != end - start) return -Errno.ENOMEM;
        for (Vma v : new java.util.ArrayList<>(vmas.subMap(findVma(start).start, true, end, false).values())) {
            setLockFlags(v, Math.max(v.start, start), Math.min(v.end, end), flags);
        }
        return 0;
    }

    /** mlock_fixup: [s, e) of v gets flags for its lock bits; the area is split where needed. */
    private void setLockFlags(Vma v, long s, long e, int flags) {
        int nf = (v.vmFlags & ~VM_LOCKED_MASK) | flags;
        if (nf == v.vmFlags || !lockable(v)) return;
        // Pieces go in before the whole is shrunk, so that a lock-free reader never sees a hole.
        Vma mid = v.slice(s, e).withVmFlags(nf);
        if (e < v.end) vmas.put(e, v.slice(e, v.end));
        if (v.start < s) {
            vmas.put(s, mid);
            vmas.put(v.start, v.slice(v.start, s));
        }
        insert(mid);
    }

    /** apply_mlockall_flags: def_flags for future areas (MCL_FUTURE), and with MCL_CURRENT every area now. */
    synchronized void applyMlockall(int mcl) {
        defFlags = 0;
        if ((mcl & Mman.MCL_FUTURE) != 0) {
            defFlags = VM_LOCKED | ((mcl & Mman.MCL_ONFAULT) != 0 ? VM_LOCKONFAULT : 0);
            if ((mcl & Mman.MCL_CURRENT) == 0) return;
        }
        int toAdd = 0;
        if ((mcl & Mman.MCL_CURRENT) != 0) toAdd = VM_LOCKED | ((mcl & Mman.MCL_ONFAULT) != 0 ? VM_LOCKONFAULT : 0);
        for (Vma v : new java.util.ArrayList<>(vmas.values())) setLockFlags(v, v.start, v.end, toAdd);
    }

    /**
     * __mm_populate for mlock: faults in the pages of the locked, accessible areas in [start,
     * end), except those locked on fault (VM_LOCKONFAULT).
     */
    synchronized void populateLocked(long start, long end) {
        for (Vma v : new java.util.ArrayList<>(vmas.values())) {
            long s0 = Math.max(v.start, start), e0 = Math.min(v.end, end);
            if (s0 >= e0 || (v.vmFlags & VM_LOCKED_MASK) != VM_LOCKED || (v.prot & PROT_ACCESS) == 0) continue;
            as.populate(s0, e0 - s0);
        }
    }

    /** may_expand_vm for RLIMIT_AS: whether total_vm can grow by bytes. */
    private boolean mayExpandVm(long bytes) {
        if (asLimit == -1L) return true;
        long total = 0;
        for (Vma v : vmas.values()) total += v.end - v.start;
        return Long.compareUnsigned(total + bytes, asLimit) <= 0;
    }

    /** The bytes of [start, end) that areas cover (count_vma_pages_range). */
    private long mappedIn(long start, long end) {
        long n = 0;
        for (Vma v : vmas.values()) {
            long s = Math.max(v.start, start), e = Math.min(v.end, end);
            if (s < e) n += e - s;
        }
        return n;
    }

    /** riscv_sys_mmap (arch/riscv/kernel/sys_riscv.c) and ksys_mmap_pgoff (mm/mmap.c). */
    private static long sysMmap(Task t, long[] a) {
        long addr = a[0], len = a[1], offset = a[5];
        int prot = (int) a[2], flags = (int) a[3], fd = (int) a[4];
        if ((offset & Page.MASK) != 0) return -Errno.EINVAL;
        Backing backing = null;
        if ((flags & Mman.MAP_ANONYMOUS) == 0) {
            File f = t.group.files.get(fd);
            if (f == null || f.isPath()) return -Errno.EBADF;
            if (f instanceof AnonymousFile) return mmapAnonymousFile(t, f, addr, len, prot, flags, offset);
            if (!(f instanceof ExecFile ef)) return -Errno.ENODEV;
            backing = new FileBacking(ef, f.readable(), f.writable());
        } else if ((flags & Mman.MAP_HUGETLB) != 0) {
            return -Errno.ENOMEM; // no huge pages are reserved (vm.nr_hugepages = 0)
        }
        return limited(t).mmap(addr, len, prot, flags, backing, offset >>> Page.SHIFT);
    }

    /** A file whose mappings are anonymous memory (/dev/zero's mmap_zero in drivers/char/mem.c). */
    public interface AnonymousFile {}

    /**
     * mmap_zero: after do_mmap's checks of the file's access mode, a shared mapping of a file open
     * for writing becomes shared anonymous memory (shmem_zero_setup); anything else anonymous
     * memory (vma_set_anonymous) that keeps the device's name in /proc/PID/maps. A shared one of a
     * file open read-only is such: do_mmap took its VM_SHARED and VM_MAYWRITE (it still shows 's'
     * for VM_MAYSHARE, and mprotect can never make it writable).
     */
    private static long mmapAnonymousFile(Task t, File f, long addr, long len, int prot, int flags, long offset) {
        int type = flags & Mman.MAP_TYPE;
        if (!f.readable()) return -Errno.EACCES;
        if (type == Mman.MAP_SHARED_VALIDATE) type = Mman.MAP_SHARED;
        if (type == Mman.MAP_SHARED && (prot & Mman.PROT_WRITE) != 0 && !f.writable()) return -Errno.EACCES;
        boolean shmem = type == Mman.MAP_SHARED && f.writable();
        return limited(t).mmap(addr, len, prot, (flags & ~Mman.MAP_TYPE) | type, null, offset >>> Page.SHIFT,
                shmem ? null : f.guestPath());
    }

    /**
     * A file mapped by mmap(2) or exec: each page is read from it at its first fault (no page cache
     * yet). Like vma->vm_file, it holds the file open while any area (in any process, after fork)
     * still refers to it, so pages can be read in after the guest closed its descriptor; the hold
     * is dropped when the last area referring to it is gone and the backing is collected.
     */
    public static final class FileBacking implements Backing {
        private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

        private final ExecFile file;
        private final boolean readable;
        /** FMODE_WRITE of the mapped file: a shared mapping of it may be written (VM_MAYWRITE). */
        private final boolean writable;
        /**
         * For a file the mm made itself (shared anonymous memory, {@link ShmemZero}): how many
         * address spaces map it. The last one to drop it closes the file, whose pages then go back
         * at once (the fput of the last vma's vm_file), instead of whenever the collector runs.
         * Null for files mapped by descriptor, which the Cleaner unpins.
         */
        private final java.util.concurrent.atomic.AtomicInteger mmUsers;

        public FileBacking(ExecFile file, boolean readable) {
            this(file, readable, false);
        }

        public FileBacking(ExecFile file, boolean readable, boolean writable) {
            this.file = file;
            this.readable = readable;
            this.writable = writable;
            this.mmUsers = null;
            if (file.pin()) CLEANER.register(this, file::unpin);
        }

        /** A backing that owns file (opened for reading and writing) and is held by one address space. */
        private FileBacking(ExecFile file) {
            this.file = file;
            this.readable = true;
            this.writable = true;
            this.mmUsers = new java.util.concurrent.atomic.AtomicInteger(1);
        }

        static FileBacking owning(ExecFile file) {
            return new FileBacking(file);
        }

        /** Whether address spaces count their holds on this backing ({@link #getMm}, {@link #putMm}). */
        boolean countsMms() {
            return mmUsers != null;
        }

        /** One more address space maps the file (dup_mmap's get_file). */
        void getMm() {
            mmUsers.incrementAndGet();
        }

        /** An address space no longer maps the file; the last one closes it. */
        void putMm() {
            if (mmUsers.decrementAndGet() == 0 && file instanceof File f) f.fput();
        }

        public ExecFile file() {
            return file;
        }

        public boolean readable() {
            return readable;
        }

        /** VM_MAYWRITE for a shared mapping: the file is open for writing and its pages can be shared. */
        public boolean mayWriteShared() {
            return writable && file.hasPageCache();
        }

        @Override
        public boolean hasPageCache() {
            return file.hasPageCache();
        }

        @Override
        public Page pageCacheFrame(long index) {
            return file.pageCacheFrame(index);
        }

        @Override
        public boolean pageCached(long index) {
            return file.pageCached(index);
        }

        @Override
        public int readAt(byte[] dst, int off, int len, long offset) {
            return file.readAt(dst, off, len, offset);
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        public String name() {
            return file.guestPath();
        }
    }

    /** do_mmap (mm/mmap.c). pgoff is the file offset in pages. Returns the address or -errno. */
    public long mmap(long addr, long len, int prot, int flags, Backing file, long pgoff) {
        return mmap(addr, len, prot, flags, file, pgoff, null);
    }

    /**
     * do_mmap, where anonName (not null) names anonymous memory made through a device file
     * (/dev/zero's vm_file): a shared such area is not shared anonymous memory but anonymous
     * memory that may never be written (see mmapAnonymousFile).
     */
    private synchronized long mmap(long addr, long len, int prot, int flags, Backing file, long pgoff, String anonName) {
        if (len == 0) return -Errno.EINVAL;
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0) flags |= Mman.MAP_FIXED;
        if ((flags & Mman.MAP_FIXED) == 0) addr = roundHintToMin(addr);
        len = pageAlign(len);
        if (len == 0) return -Errno.ENOMEM;
        if (pgoff + (len >>> Page.SHIFT) < pgoff) return -Errno.EOVERFLOW;
        if (vmas.size() > MAX_MAP_COUNT) return -Errno.ENOMEM;
        boolean growsDown = (flags & Mman.MAP_GROWSDOWN) != 0;
        addr = getUnmappedArea(addr, len, flags);
        if (addr < 0) return addr;
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0 && intersects(addr, addr + len)) return -Errno.EEXIST;
        boolean shared;
        if (file != null) {
            switch (flags & Mman.MAP_TYPE) {
                case Mman.MAP_SHARED, Mman.MAP_SHARED_VALIDATE -> {
                    if ((flags & Mman.MAP_TYPE) == Mman.MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK) != 0) {
                        return -Errno.EOPNOTSUPP;
                    }
                    if (file instanceof FileBacking fb && !fb.readable()) return -Errno.EACCES;
                    // Writable only when the file is open for writing (VM_MAYWRITE) and its pages are
                    // shared through a page cache; files without one (hostfs, erofs) are copied per
                    // page, which is exact only while nothing writes them: no writable shared maps.
                    // A write-sealed memfd refuses a new shared writable mapping (memfd_check_seals_mmap).
                    if ((prot & Mman.PROT_WRITE) != 0 && file instanceof FileBacking fb && fb.file().writeSealed()) return -Errno.EPERM;
                    boolean mayWrite = file instanceof FileBacking fb && fb.mayWriteShared();
                    if ((prot & Mman.PROT_WRITE) != 0 && !mayWrite) return -Errno.EACCES;
                    shared = true;
                }
                case Mman.MAP_PRIVATE -> {
                    if (file instanceof FileBacking fb && !fb.readable()) return -Errno.EACCES;
                    shared = false;
                }
                default -> { return -Errno.EINVAL; }
            }
        } else {
            switch (flags & Mman.MAP_TYPE) {
                case Mman.MAP_SHARED -> {
                    if (growsDown) return -Errno.EINVAL;
                    shared = true;
                }
                case Mman.MAP_PRIVATE -> shared = false;
                default -> { return -Errno.EINVAL; }
            }
        }
        // file_mmap_ok: the mapping's end must fit in a file offset (MAX_LFS_FILESIZE).
        if (file != null && Long.compareUnsigned(pgoff, (Long.MAX_VALUE - len) >>> Page.SHIFT) > 0) return -Errno.EOVERFLOW;
        // mmap_region: check against the address space limit, counting what MAP_FIXED replaces.
        if (!mayExpandVm(len) && !mayExpandVm(len - mappedIn(addr, addr + len))) return -Errno.ENOMEM;
        // do_mmap: mlockall(MCL_FUTURE)'s def_flags, MAP_LOCKED (calc_vm_flag_bits), then mlock_future_ok.
        int vmFlags = defFlags | ((flags & Mman.MAP_LOCKED) != 0 ? VM_LOCKED : 0);
        if ((vmFlags & VM_LOCKED) != 0 && !mlockFutureOk(len)) return -Errno.EAGAIN;
        if (file == null && shared && anonName == null) {
            // do_mmap: shared anonymous memory starts at offset 0 of its file (a /dev/zero mapping
            // keeps the offset it asked for); mmap_region then gives it the file (shmem_zero_setup).
            if ((flags & Mman.MAP_ANONYMOUS) != 0) pgoff = 0;
            file = ShmemZero.setup(shmMount(), len, caller);
        }
        String name = file != null ? file.name() : anonName;
        mapRegion(new Vma(addr, addr + len, prot & (Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC), shared,
                growsDown, file, pgoff << Page.SHIFT, name, vmFlags));
        // MAP_POPULATE (without MAP_NONBLOCK), or a locked area: mm_populate prefaults the accessible pages.
        boolean populate = (flags & (Mman.MAP_POPULATE | Mman.MAP_NONBLOCK)) == Mman.MAP_POPULATE
                || (vmFlags & VM_LOCKED_MASK) == VM_LOCKED;
        if (populate && (prot & PROT_ACCESS) != 0) {
            as.populate(addr, len);
        }
        return addr;
    }

    /** round_hint_to_min: a hint below mmap_min_addr is raised to it. */
    private static long roundHintToMin(long hint) {
        hint &= PAGE_MASK;
        if (hint != 0 && Long.compareUnsigned(hint, MMAP_MIN_ADDR) < 0) return pageAlign(MMAP_MIN_ADDR);
        return hint;
    }

    /** __get_unmapped_area + generic_get_unmapped_area_topdown. Returns an address or -errno. */
    private long getUnmappedArea(long addr, long len, int flags) {
        if (Long.compareUnsigned(len, TASK_SIZE) > 0) return -Errno.ENOMEM;
        long mmapEnd = TASK_SIZE;
        if (len > mmapEnd - MMAP_MIN_ADDR) return -Errno.ENOMEM;
        long result;
        if ((flags & Mman.MAP_FIXED) != 0) {
            result = addr;
        } else {
            result = -Errno.ENOMEM;
            if (addr != 0) {
                long hint = pageAlign(addr);
                if (Long.compareUnsigned(hint, mmapEnd - len) <= 0 && Long.compareUnsigned(hint, MMAP_MIN_ADDR) >= 0
                        && fitsAt(hint, len)) {
                    result = hint;
                }
            }
            if (result < 0) result = topDown(len, Page.SIZE, mmapBase);
            if (result < 0) result = bottomUp(len, TASK_UNMAPPED_BASE, mmapEnd);
            if (result < 0) return result;
        }
        if (Long.compareUnsigned(result, TASK_SIZE - len) > 0) return -Errno.ENOMEM;
        if ((result & Page.MASK) != 0) return -Errno.EINVAL;
        return result;
    }

    /** Whether [addr, addr+len) is free, gaps included (the hint check). */
    private boolean fitsAt(long addr, long len) {
        Map.Entry<Long, Vma> next = vmas.ceilingEntry(addr);
        Map.Entry<Long, Vma> prev = vmas.lowerEntry(addr);
        if (prev != null && prev.getValue().end > addr) return false; // addr inside prev
        if (next != null && addr + len > next.getValue().startGap()) return false;
        return true;
    }

    /** vm_unmapped_area top-down: the highest free gap of len bytes inside [low, high). */
    private long topDown(long len, long low, long high) {
        long end = high;
        for (Vma v : vmas.descendingMap().values()) {
            long vs = v.startGap();
            if (vs >= end) continue;
            if (v.end < end) {
                long gapStart = Math.max(v.end, low);
                if (end - gapStart >= len) return end - len;
            }
            end = Math.min(end, vs);
            if (end <= low) return -Errno.ENOMEM;
        }
        return end - low >= len ? end - len : -Errno.ENOMEM;
    }

    /** vm_unmapped_area bottom-up: the lowest free gap of len bytes inside [low, high). */
    private long bottomUp(long len, long low, long high) {
        long start = low;
        for (Vma v : vmas.values()) {
            if (v.end <= start) continue;
            long vs = v.startGap();
            if (vs > start && Math.min(vs, high) - start >= len) return start;
            start = Math.max(start, v.end);
            if (start >= high) return -Errno.ENOMEM;
        }
        return high - start >= len ? start : -Errno.ENOMEM;
    }

    /** mmap_region: replaces whatever was in the range with the new area, whose pages come at their first fault. */
    private void mapRegion(Vma v) {
        removeRange(v.start, v.end);
        as.unmap(v.start, v.end - v.start);
        insert(v);
    }

    /** The size of the stack area setupStack maps: RLIMIT_STACK, as exec sets it (STACK_SIZE by default). */
    private long stackSize = STACK_SIZE;

    /**
     * Exec's RLIMIT_STACK for the stack area: page-aligned, at least a page, and never into
     * the room below mmap_base's minimum gap (an unlimited stack gets that much).
     */
    public synchronized void setStackSize(long bytes) {
        long max = MIN_GAP - STACK_GUARD_GAP;
        if (Long.compareUnsigned(bytes, max) > 0) bytes = max;
        stackSize = Math.max(Page.SIZE, pageAlign(bytes));
    }

    /** Sets up the stack area below STACK_TOP (setup_arg_pages). */
    public synchronized void setupStack() {
        long start = STACK_TOP - stackSize;
        mapRegion(new Vma(start, STACK_TOP, Mman.PROT_READ | Mman.PROT_WRITE, false, true, null, 0, "[stack]"));
    }

    /**
     * A fault below a VM_GROWSDOWN area (expand_stack / expand_downwards in mm/mmap.c): the area
     * grows down to the faulting page if that stays within the stack rlimit (stackLimit bytes,
     * RLIM_INFINITY = -1), above mmap_min_addr, and an accessible area below keeps stack_guard_gap
     * free. True when addr is covered afterwards (also when another thread already grew it).
     */
    public synchronized boolean expandStack(long addr, long stackLimit) {
        addr &= PAGE_MASK;
        Vma v = findVma(addr);
        if (v == null) return false;
        if (v.start <= addr) return true;
        if (!v.growsDown) return false;
        if (Long.compareUnsigned(addr, MMAP_MIN_ADDR) < 0) return false;
        Map.Entry<Long, Vma> pe = vmas.lowerEntry(v.start);
        if (pe != null) {
            Vma prev = pe.getValue();
            if (prev.end > addr) return false;
            if (!prev.growsDown && (prev.prot & PROT_ACCESS) != 0 && addr - prev.end < STACK_GUARD_GAP) return false;
        }
        // acct_stack_growth: the whole area against RLIMIT_STACK, the growth against RLIMIT_AS.
        if (Long.compareUnsigned(v.end - addr, stackLimit) > 0) return false;
        if (!mayExpandVm(v.start - addr)) return false;
        long fileOffset = v.file == null ? 0 : v.fileOffset - (v.start - addr);
        insert(new Vma(addr, v.end, v.prot, v.shared, true, v.file, fileOffset, v.name, v.vmFlags));
        return true;
    }

    /**
     * msync (mm/msync.c): validates as Linux does and walks the areas. There are no writable
     * shared file mappings yet, so there is never anything to write back.
     */
    public long msync(long start, long len, int flags) {
        if ((flags & ~(Mman.MS_ASYNC | Mman.MS_INVALIDATE | Mman.MS_SYNC)) != 0) return -Errno.EINVAL;
        if ((start & Page.MASK) != 0) return -Errno.EINVAL;
        if ((flags & Mman.MS_ASYNC) != 0 && (flags & Mman.MS_SYNC) != 0) return -Errno.EINVAL;
        len = (len + Page.MASK) & PAGE_MASK;
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) return -Errno.ENOMEM;
        if (end == start) return 0;
        long unmappedError = 0;
        Vma v = findVma(start);
        while (true) {
            if (v == null) return -Errno.ENOMEM;
            if (Long.compareUnsigned(start, v.start) < 0) {
                if (flags == Mman.MS_ASYNC) return -Errno.ENOMEM;
                start = v.start;
                if (Long.compareUnsigned(start, end) >= 0) return -Errno.ENOMEM;
                unmappedError = -Errno.ENOMEM;
            }
            if ((flags & Mman.MS_INVALIDATE) != 0 && v.locked()) return -Errno.EBUSY;
            start = v.end;
            if (Long.compareUnsigned(start, end) >= 0) return unmappedError;
            v = findVma(start);
        }
    }

    /** munmap (do_vmi_munmap). */
    public synchronized long munmap(long start, long len) {
        if ((start & Page.MASK) != 0 || Long.compareUnsigned(start, TASK_SIZE) > 0
                || Long.compareUnsigned(len, TASK_SIZE - start) > 0) {
            return -Errno.EINVAL;
        }
        long end = start + pageAlign(len);
        if (end == start) return -Errno.EINVAL;
        removeRange(start, end);
        as.unmap(start, end - start);
        return 0;
    }

    /** mprotect (do_mprotect_pkey). */
    public synchronized long mprotect(long start, long len, int prot) {
        int grows = prot & (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP);
        prot &= ~(Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP);
        if (grows == (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP)) return -Errno.EINVAL;
        if ((start & Page.MASK) != 0) return -Errno.EINVAL;
        if (len == 0) return 0;
        len = pageAlign(len);
        long end = start + len;
        if (Long.compareUnsigned(end, start) <= 0) return -Errno.ENOMEM;
        // arch_validate_prot: only READ, WRITE, EXEC and SEM (0x8).
        if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC | 0x8)) != 0) return -Errno.EINVAL;
        prot &= Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC;
        Vma first = findVma(start);
        if (first == null || first.start >= end) return -Errno.ENOMEM;
        if (grows == Mman.PROT_GROWSDOWN) {
            if (!first.growsDown) return -Errno.EINVAL;
            start = first.start;
        } else if (grows == Mman.PROT_GROWSUP) {
            return -Errno.EINVAL; // riscv has no VM_GROWSUP areas
        } else if (first.start > start) {
            return -Errno.ENOMEM;
        }
        // Walk the areas in order, changing each; a hole stops the walk with ENOMEM, as in Linux,
        // leaving the areas before it changed.
        long at = start;
        while (at < end) {
            Vma v = findVma(at);
            if (v == null || v.start > at) return -Errno.ENOMEM;
            // A shared mapping of a file not open for writing has no VM_MAYWRITE; nor has a shared
            // area without a file (a read-only /dev/zero's: shared anonymous memory has its file).
            if (v.shared && (prot & Mman.PROT_WRITE) != 0
                    && !(v.file instanceof FileBacking fb && fb.mayWriteShared() && !fb.file().writeSealed())) return -Errno.EACCES;
            long s = at, e = Math.min(end, v.end);
            if (v.prot != prot) {
                splitAt(s);
                splitAt(e);
                insert(vmas.get(s).withProt(prot)); // replaces the piece in place
                as.protect(s, e - s, prot);
            }
            at = e;
        }
        return 0;
    }

    private static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    /** mremap (mm/mremap.c): shrink in place, grow in place when the room is free, else move if allowed. */
    public synchronized long mremap(long addr, long oldLen, long newLen, int flags, long newAddr) {
        if ((flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) != 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -Errno.EINVAL;
        if ((flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen)) return -Errno.EINVAL;
        if ((addr & Page.MASK) != 0) return -Errno.EINVAL;
        oldLen = pageAlign(oldLen);
        newLen = pageAlign(newLen);
        if (newLen == 0) return -Errno.EINVAL;
        // A zero old_len asks for a second mapping of a shared area's pages ("duplicate shm
        // area"); check_prep_vma refuses it for a private one, whose copy would share nothing.
        if (oldLen == 0) {
            Vma v = vmaToResize(addr, 0, newLen);
            if (v == null) return -Errno.EFAULT;
            if (!v.shared) return -Errno.EINVAL;
        }
        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return mremapTo(addr, oldLen, newLen, flags, newAddr);
        if (Long.compareUnsigned(oldLen, newLen) >= 0) {
            long r = oldLen == newLen ? 0 : munmap(addr + newLen, oldLen - newLen);
            return r < 0 ? r : addr;
        }
        Vma v = vmaToResize(addr, oldLen, newLen);
        if (v == null) return -Errno.EFAULT;
        if (v.locked() && !mlockFutureOk(newLen - oldLen)) return -Errno.EAGAIN;
        if (!mayExpandVm(newLen - oldLen)) return -Errno.ENOMEM;
        long delta = newLen - oldLen;
        if (oldLen == v.end - addr && expandable(v, delta)) {
            long oldEnd = v.end;
            Vma grown = new Vma(v.start, v.end + delta, v.prot, v.shared, v.growsDown, v.file, v.fileOffset, v.name, v.vmFlags);
            insert(grown);
            populateLocked(oldEnd, oldEnd + delta); // a locked area's new pages come in at once
            return addr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
        long to = getUnmappedArea(0, newLen, 0);
        if (to < 0) return to;
        return moveVma(v, addr, oldLen, newLen, to, false);
    }

    /** mremap_to: MREMAP_FIXED (or DONTUNMAP) to newAddr. */
    private long mremapTo(long addr, long oldLen, long newLen, int flags, long newAddr) {
        if ((newAddr & Page.MASK) != 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(newLen, TASK_SIZE) > 0 || Long.compareUnsigned(newAddr, TASK_SIZE - newLen) > 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(addr + oldLen, newAddr) > 0 && Long.compareUnsigned(newAddr + newLen, addr) > 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0) {
            long r = munmap(newAddr, newLen);
            if (r < 0) return r;
        }
        if (Long.compareUnsigned(oldLen, newLen) > 0) {
            long r = munmap(addr + newLen, oldLen - newLen);
            if (r < 0) return r;
            oldLen = newLen;
        }
        Vma v = vmaToResize(addr, oldLen, newLen);
        if (v == null) return -Errno.EFAULT;
        if (Long.compareUnsigned(newLen, oldLen) > 0 && v.locked() && !mlockFutureOk(newLen - oldLen)) return -Errno.EAGAIN;
        if (Long.compareUnsigned(newLen, oldLen) > 0 && !mayExpandVm(newLen - oldLen)) return -Errno.ENOMEM;
        long to = (flags & MREMAP_FIXED) != 0 ? newAddr : getUnmappedArea(newAddr, newLen, 0);
        if (to < 0) return to;
        return moveVma(v, addr, oldLen, newLen, to, (flags & MREMAP_DONTUNMAP) != 0);
    }

    /** vma_to_resize: the one area holding all of [addr, addr+oldLen), or null (EFAULT). */
    private Vma vmaToResize(long addr, long oldLen, long newLen) {
        Vma v = findVma(addr);
        if (v == null || v.start > addr) return null;
        if (Long.compareUnsigned(oldLen, v.end - addr) > 0) return null;
        return v;
    }

    /** vma_expandable: nothing lies in the delta bytes after the area, and they are inside user space. */
    private boolean expandable(Vma v, long delta) {
        long end = v.end + delta;
        if (Long.compareUnsigned(end, v.end) < 0 || Long.compareUnsigned(end, TASK_SIZE) > 0) return false;
        return !intersects(v.end, end);
    }

    /**
     * move_vma: the pages of [from, from+oldLen) move to [to, to+oldLen), keeping their frames
     * (no copy), and the area continues up to newLen. The old range is unmapped, or with
     * MREMAP_DONTUNMAP left mapped and empty. A zero oldLen moves nothing and unmaps nothing:
     * the new area is a second mapping of a shared area's file.
     */
    private long moveVma(Vma v, long from, long oldLen, long newLen, long to, boolean dontUnmap) {
        Vma moved = new Vma(to, to + newLen, v.prot, v.shared, v.growsDown, v.file,
                v.file == null ? 0 : v.fileOffset + (from - v.start), v.name, v.vmFlags);
        removeRange(to, to + newLen);
        as.unmap(to, newLen);
        for (long off = 0; off < oldLen; off += Page.SIZE) {
            // Populated frames move; a page never touched stays absent and faults in at its new place.
            Page p = as.frameAt(from + off);
            if (p != null) as.mapPage(to + off, p, v.prot);
        }
        if (v.shared) as.markShared(to, newLen); // the moved entries still write the file's frames
        insert(moved);
        populateLocked(to + oldLen, to + newLen);
        if (dontUnmap) {
            // The old range stays, emptied: its next touch sees zeros (or the file again).
            as.unmap(from, oldLen);
        } else {
            removeRange(from, from + oldLen);
            as.unmap(from, oldLen);
        }
        return to;
    }

    /**
     * mincore (mm/mincore.c): one byte per page of [start, start+len), bit 0 set when the page is
     * resident. Anonymous pages are resident once touched; file pages once read in, and a page of
     * a page-cache file (tmpfs, shared anonymous memory) while the file has it, whoever touched it
     * (mincore_page), also after MADV_DONTNEED dropped this mapping's entry.
     */
    public long mincore(long start, long len, long vec) {
        if ((start & Page.MASK) != 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(len, TASK_SIZE) > 0 || Long.compareUnsigned(start, TASK_SIZE - len) > 0) return -Errno.ENOMEM;
        long pages = (len >>> Page.SHIFT) + ((len & Page.MASK) != 0 ? 1 : 0);
        if (Long.compareUnsigned(vec, TASK_SIZE - pages) > 0) return -Errno.EFAULT;
        byte[] out = new byte[(int) Math.min(pages, 1 << 16)];
        long done = 0;
        while (done < pages) {
            int n = (int) Math.min(out.length, pages - done);
            for (int k = 0; k < n; k++) {
                long va = start + ((done + k) << Page.SHIFT);
                Vma v = findVma(va);
                if (v == null || v.start > va) return -Errno.ENOMEM;
                out[k] = (byte) (as.isResident(va) || inPageCache(v, va) ? 1 : 0);
            }
            if (!as.copyToUser(vec + done, out, 0, n)) return -Errno.EFAULT;
            done += n;
        }
        return 0;
    }

    /** __mincore_unmapped_range: a page with no entry of a file mapping is resident if the file's page cache has it. */
    private static boolean inPageCache(Vma v, long va) {
        if (v.file == null || !v.file.hasPageCache()) return false;
        long off = v.fileOffset + (va - v.start);
        return off >= 0 && v.file.pageCached(off >>> Page.SHIFT);
    }

    /** madvise with no calling task (tests, the kernel itself). */
    public long madvise(long start, long lenIn, int behavior) {
        return madvise(null, start, lenIn, behavior);
    }

    /**
     * madvise (mm/madvise.c) for the caller t (null: a kernel caller with no other process to
     * reach). MADV_DONTNEED drops the page-table entries, so the next touch sees zeros in private
     * anonymous memory and the file's page again in a file mapping (shared anonymous memory keeps
     * its data in its file); MADV_FREE is for anonymous memory only; MADV_REMOVE punches a hole in
     * a shared writable mapping's file. Each runs as Linux's walk does, area by area, stopping at
     * the first error; a hole in the range is ENOMEM at the end.
     */
    public long madvise(Task t, long start, long lenIn, int behavior) {
        if (!validAdvice(behavior)) return -Errno.EINVAL;
        if ((start & Page.MASK) != 0) return -Errno.EINVAL;
        long len = pageAlign(lenIn);
        if (lenIn != 0 && len == 0) return -Errno.EINVAL;
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) return -Errno.EINVAL;
        if (end == start) return 0;
        boolean unmappedSeen = false;
        long at = start;
        while (at < end) {
            Vma v = findVma(at);
            if (v == null || v.start >= end) {
                unmappedSeen = true;
                break;
            }
            if (v.start > at) unmappedSeen = true;
            long s = Math.max(at, v.start), e = Math.min(end, v.end);
            long r = switch (behavior) {
                case MADV_DONTNEED, MADV_FREE -> dontneedFree(v, s, e, behavior);
                case MADV_REMOVE -> remove(t, v, s, e);
                default -> 0;
            };
            if (r < 0) return r;
            at = e;
        }
        return unmappedSeen ? -Errno.ENOMEM : 0;
    }

    /**
     * madvise_dontneed_free: not for locked areas (madvise_dontneed_free_valid_vma); MADV_FREE
     * only for anonymous memory (madvise_free_single_vma), which shared anonymous memory is not.
     */
    private synchronized long dontneedFree(Vma v, long s, long e, int behavior) {
        if (v.locked()) return -Errno.EINVAL;
        if (behavior == MADV_FREE && v.file != null) return -Errno.EINVAL;
        as.unmap(s, e - s); // zap_page_range_single
        return 0;
    }

    /**
     * madvise_remove: a hole punched in the mapped file (vfs_fallocate with PUNCH_HOLE|KEEP_SIZE),
     * with the mmap lock dropped. EINVAL for a locked area or one without a file, EACCES unless
     * the mapping is shared and may write.
     */
    private long remove(Task t, Vma v, long s, long e) {
        if (v.locked()) return -Errno.EINVAL;
        if (!(v.file instanceof FileBacking fb)) return -Errno.EINVAL;
        if (!v.shared || !fb.mayWriteShared()) return -Errno.EACCES;
        long offset = v.fileOffset + (s - v.start);
        if (!(fb.file() instanceof File f)) return -Errno.EINVAL;
        f.fallocate(t, RegularFile.FALLOC_FL_PUNCH_HOLE | RegularFile.FALLOC_FL_KEEP_SIZE, offset, e - s);
        // shmem_fallocate's unmap_mapping_range: no mapping of the file keeps the punched frames.
        unmapMappingRange(t, f.inode(), offset, e - s);
        return 0;
    }

    /**
     * unmap_mapping_range: drops the page-table entries of [offset, offset+len) of inode's file
     * in every mapping of it, in this mm and (with a caller) every other process's, so that
     * their next touch finds the file's page as it is now. Reads the areas lock-free, as faults
     * do, so no two mms' locks are ever held together.
     */
    private void unmapMappingRange(Task t, dev.kava.fs.Inode inode, long offset, long len) {
        java.util.Set<Mmap> mms = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        mms.add(this);
        if (t != null) {
            for (dev.kava.kernel.TaskGroup g : t.kernel.allGroups()) if (g.mm != null) mms.add(g.mm);
        }
        for (Mmap mm : mms) {
            for (Vma v : mm.vmas.values()) {
                if (!(v.file instanceof FileBacking fb) || !(fb.file() instanceof File f) || f.inode() != inode) continue;
                long from = Math.max(offset, v.fileOffset), to = Math.min(offset + len, v.fileOffset + (v.end - v.start));
                if (from < to) mm.as.unmap(v.start + (from - v.fileOffset), to - from);
            }
        }
    }

    private static final int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;

    /** madvise_behavior_valid: advice values 0-4 and 8-25 (include/uapi/asm-generic/mman-common.h). */
    private static boolean validAdvice(int b) {
        return (b >= 0 && b <= 4) || (b >= 8 && b <= 25);
    }

    /** brk (mm/mmap.c SYSCALL_DEFINE1(brk)). Returns the new break, or the old one on failure. */
    public synchronized long brk(long newBrk) {
        long origBrk = brk;
        if (Long.compareUnsigned(newBrk, startBrk) < 0) return origBrk;
        long newPage = pageAlign(newBrk), oldPage = pageAlign(brk);
        if (oldPage == newPage) {
            brk = newBrk;
            return brk;
        }
        if (Long.compareUnsigned(newBrk, brk) <= 0) {
            // Always allow shrinking, unless the range holds a mapping that is not the heap.
            Vma v = findVma(newPage);
            if (v == null || v.start >= oldPage) return origBrk;
            removeRange(newPage, oldPage);
            as.unmap(newPage, oldPage - newPage);
            brk = newBrk;
            return brk;
        }
        // check_brk_limits: get_unmapped_area(MAP_FIXED) on the growth.
        long grow = newPage - oldPage;
        if (Long.compareUnsigned(grow, TASK_SIZE) > 0 || Long.compareUnsigned(oldPage, TASK_SIZE - grow) > 0) return origBrk;
        // The next area must leave a page (and a stack's guard gap) free above the new break.
        Vma next = findVma(oldPage);
        if (next != null && Long.compareUnsigned(newPage + Page.SIZE, next.startGap()) > 0) return origBrk;
        if (!mayExpandVm(grow)) return origBrk;
        // do_brk_flags: the heap takes def_flags (mlockall(MCL_FUTURE)); a locked heap is populated.
        if ((defFlags & VM_LOCKED) != 0 && !mlockFutureOk(grow)) return origBrk;
        insert(new Vma(oldPage, newPage, Mman.PROT_READ | Mman.PROT_WRITE, false, false, null, 0, "[heap]", defFlags));
        brk = newBrk;
        if ((defFlags & VM_LOCKED_MASK) == VM_LOCKED) as.populate(oldPage, grow);
        return brk;
    }

    /** exit_mmap: drops every area and its pages. */
    public synchronized void exitMmap() {
        for (Vma v : vmas.values()) as.unmap(v.start, v.end - v.start);
        java.util.Set<FileBacking> owned = ownedBackings(vmas.values());
        vmas.clear();
        for (FileBacking b : owned) b.putMm();
    }

    /** The distinct files this mm made for its areas (shared anonymous memory) among areas. */
    private static java.util.Set<FileBacking> ownedBackings(java.util.Collection<Vma> areas) {
        java.util.Set<FileBacking> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Vma v : areas) if (v.file instanceof FileBacking fb && fb.countsMms()) out.add(fb);
        return out;
    }

    // ---- the area list ----

    /** find_vma: the first area ending above addr (lock-free). */
    public Vma findVma(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e != null && e.getValue().end > addr) return e.getValue();
        Map.Entry<Long, Vma> n = vmas.higherEntry(addr);
        return n == null ? null : n.getValue();
    }

    private boolean intersects(long start, long end) {
        Vma v = findVma(start);
        return v != null && v.start < end;
    }

    /** Splits the area containing addr (if any, and not already at a boundary) in two. */
    private void splitAt(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null) return;
        Vma v = e.getValue();
        if (v.start < addr && addr < v.end) {
            // The upper piece first: a lock-free reader sees the old area or a piece, never a hole.
            vmas.put(addr, v.slice(addr, v.end));
            vmas.put(v.start, v.slice(v.start, addr));
        }
    }

    /** Removes [start, end) from the area list, splitting areas that straddle its ends. */
    private void removeRange(long start, long end) {
        splitAt(start);
        splitAt(end);
        Map<Long, Vma> gone = vmas.subMap(start, true, end, false);
        java.util.Set<FileBacking> owned = ownedBackings(gone.values());
        gone.clear();
        if (owned.isEmpty()) return;
        // The mm lets go of a file it made once no area of it is left (the vmas' fput).
        for (Vma v : vmas.values()) if (v.file instanceof FileBacking fb) owned.remove(fb);
        for (FileBacking b : owned) b.putMm();
    }

    /** Adds an area, merging it with neighbours it continues (vma_merge), so the list stays short. */
    private void insert(Vma v) {
        Map.Entry<Long, Vma> prev = vmas.lowerEntry(v.start);
        if (prev != null && mergeable(prev.getValue(), v)) {
            v = new Vma(prev.getValue().start, v.end, v.prot, v.shared, v.growsDown, v.file, prev.getValue().fileOffset, v.name, v.vmFlags);
        }
        Vma next = vmas.get(v.end);
        if (next != null && mergeable(v, next)) {
            v = new Vma(v.start, next.end, v.prot, v.shared, v.growsDown, v.file, v.fileOffset, v.name, v.vmFlags);
        }
        // Put the merged area, then drop the pieces it covers: readers never see a hole.
        vmas.put(v.start, v);
        vmas.subMap(v.start, false, v.end, false).clear();
    }

    private static boolean mergeable(Vma a, Vma b) {
        if (a.end != b.start || a.prot != b.prot || a.shared != b.shared || a.growsDown != b.growsDown) return false;
        if (a.vmFlags != b.vmFlags) return false;
        if (!java.util.Objects.equals(a.name, b.name)) return false;
        if (a.file == null && b.file == null) return !a.shared; // separate shared anonymous areas stay apart
        return a.file == b.file && a.fileOffset + (a.end - a.start) == b.fileOffset;
    }
}
