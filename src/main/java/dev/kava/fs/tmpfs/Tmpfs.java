package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.FileSystems;
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
    /** max_blocks and max_inodes; 0 means unlimited (size=0, nr_inodes=0), as in shmem_sb_info. */
    private volatile long maxPages;
    private volatile long maxInodes;
    private final long defaultPages, defaultInodes;
    private final AtomicLong usedPages = new AtomicLong();
    private final AtomicLong usedInodes = new AtomicLong();
    private final String source;
    private final int rootMode;
    private final int rootUid, rootGid;
    /** noswap: kava has no swap, so only the option itself is remembered (remount may not change it). */
    private final boolean noswap;

    /**
     * @param maxBytes size= (default: half the kernel's memory, as shmem_default_max_blocks)
     * @param rootMode mode= of the root directory (01777 for /tmp, 0755 for /dev)
     */
    public Tmpfs(String type, String source, LongSupplier clock, PageAllocator memory, long maxBytes, long maxInodes, int rootMode) {
        this(type, source, clock, memory, Math.max(1, maxBytes >>> 12), maxInodes, rootMode, 0, 0, false);
    }

    /** A tmpfs with limits in pages and inodes (0: unlimited) and a root owned by uid:gid. */
    private Tmpfs(String type, String source, LongSupplier clock, PageAllocator memory, long maxPages, long maxInodes,
                  int rootMode, int uid, int gid, boolean noswap) {
        super(type, clock, false);
        this.memory = memory;
        this.maxPages = maxPages;
        this.maxInodes = maxInodes;
        this.defaultPages = defaultMaxPages(memory);
        this.defaultInodes = defaultMaxInodes(memory);
        this.source = source;
        this.rootMode = rootMode & 07777;
        this.rootUid = uid;
        this.rootGid = gid;
        this.noswap = noswap;
        ShmemInode root = new ShmemInode(this, Stat.S_IFDIR | this.rootMode);
        root.initRootOwner(uid, gid);
        setRoot(root);
    }

    /** shmem_default_max_blocks: half the memory. */
    private static long defaultMaxPages(PageAllocator memory) {
        return memory.limitPages() / 2;
    }

    /** shmem_default_max_inodes: one inode per two pages of memory (kava keeps at least 1024). */
    public static long defaultMaxInodes(PageAllocator memory) {
        return Math.max(1024, memory.limitPages() / 2);
    }

    /** The default size= in bytes: half the memory. */
    public static long defaultMaxBytes(PageAllocator memory) {
        return defaultMaxPages(memory) * 4096;
    }

    /** A tmpfs the kernel mounts itself, with shmem's default limits and its root directory's mode. */
    public static Tmpfs withDefaults(String type, LongSupplier clock, PageAllocator memory, int rootMode) {
        return new Tmpfs(type, type, clock, memory, defaultMaxBytes(memory), defaultMaxInodes(memory), rootMode);
    }

    /**
     * The kernel's own tmpfs (shm_mnt, kern_mount): shmem_fill_super gives an SB_KERNMOUNT instance
     * no size or inode limit, so memfds, System V segments and shared anonymous memory are bounded
     * by the kernel's memory alone.
     */
    public static Tmpfs kernMount(LongSupplier clock, PageAllocator memory) {
        return new Tmpfs("tmpfs", "tmpfs", clock, memory, 0, 0, 01777, 0, 0, false);
    }

    /** What mount(2) asks of tmpfs (shmem_init_fs_context, shmem_parse_one, shmem_fill_super). */
    private static final class Options {
        long pages = -1, inodes = -1;
        int mode = 01777, uid, gid;
        boolean noswap, seenNoswap;
    }

    /** The options of one mount or remount: EINVAL for anything tmpfs does not know or a bad value. */
    private static Options parse(java.util.List<FileSystems.Param> params, long totalPages) {
        Options o = new Options();
        for (FileSystems.Param p : params) {
            String v = p.value();
            switch (p.key()) {
                case "size" -> {
                    long[] r = FileSystems.memparse(need(v));
                    long size = r[0];
                    int rest = (int) r[1];
                    if (rest < v.length() && v.charAt(rest) == '%') {
                        size = Long.divideUnsigned((size << 12) * totalPages, 100);
                        rest++;
                    }
                    if (rest != v.length()) throw bad();
                    o.pages = Long.divideUnsigned(size, 4096) + (size % 4096 != 0 ? 1 : 0);
                }
                case "nr_blocks" -> {
                    long[] r = FileSystems.memparse(need(v));
                    if (r[1] != v.length() || r[0] < 0) throw bad();
                    o.pages = r[0];
                }
                case "nr_inodes" -> {
                    long[] r = FileSystems.memparse(need(v));
                    if (r[1] != v.length() || Long.compareUnsigned(r[0], Long.divideUnsigned(-1L, BOGO_INODE_SIZE)) > 0) {
                        throw bad();
                    }
                    o.inodes = r[0];
                }
                case "mode" -> o.mode = (int) (uint(need(v), 8) & 07777);
                case "uid" -> o.uid = id(need(v));
                case "gid" -> o.gid = id(need(v));
                case "huge" -> {
                    // Transparent huge pages: kava's pages are all small; the policy is accepted and has no effect.
                    if (!java.util.List.of("never", "always", "within_size", "advise").contains(need(v))) throw bad();
                }
                case "inode32", "inode64" -> flag(v); // kava's inode numbers are small: either way they fit
                case "noswap" -> {
                    flag(v);
                    o.noswap = true;
                    o.seenNoswap = true;
                }
                default -> throw bad(); // "Unknown parameter"
            }
        }
        return o;
    }

    /** BOGO_INODE_SIZE (mm/shmem.c): the ispace one inode costs. */
    private static final long BOGO_INODE_SIZE = 1024;

    private static ErrnoException bad() {
        return ErrnoException.of(Errno.EINVAL);
    }

    private static String need(String v) {
        if (v == null) throw bad(); // a string parameter given as a flag
        return v;
    }

    private static void flag(String v) {
        if (v != null) throw bad(); // a flag given a value
    }

    /** kstrtouint: the whole string (one trailing newline allowed) as an unsigned 32-bit number. */
    private static long uint(String s, int base) {
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        if (s.startsWith("+")) s = s.substring(1);
        if (base == 0) {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                s = s.substring(2);
                base = 16;
            } else if (s.startsWith("0") && s.length() > 1) {
                base = 8;
            } else {
                base = 10;
            }
        }
        if (s.isEmpty() || s.startsWith("+") || s.startsWith("-")) throw bad();
        try {
            long v = Long.parseLong(s, base);
            if (v > 0xffffffffL) throw bad();
            return v;
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    /** A uid/gid parameter (fs_param_is_uid): a number that maps to an id; (uid_t)-1 does not. */
    private static int id(String s) {
        long v = uint(s, 0);
        if (v == 0xffffffffL) throw bad();
        return (int) v;
    }

    /** The "tmpfs" filesystem type's get_tree: a new instance with the options of mount(2). */
    public static SuperBlock create(dev.kava.kernel.Kernel kernel, String source, int sbFlags,
                                    java.util.List<FileSystems.Param> params) {
        return create(kernel.pages(), kernel.clock()::realtimeNanos, source, params);
    }

    /** A tmpfs instance as mount(2) makes it, charging memory, with timestamps from clock. */
    public static Tmpfs create(PageAllocator memory, LongSupplier clock, String source, java.util.List<FileSystems.Param> params) {
        Options o = parse(params, memory.limitPages());
        long pages = o.pages >= 0 ? o.pages : defaultMaxPages(memory);
        long inodes = o.inodes >= 0 ? o.inodes : defaultMaxInodes(memory);
        return new Tmpfs("tmpfs", source == null ? "none" : source, clock, memory, pages, inodes,
                o.mode, o.uid, o.gid, o.noswap);
    }

    /** shmem_reconfigure: size and nr_inodes may change (not below what is used, not from unlimited); mode, uid and gid stay. */
    @Override
    protected void reconfigureParams(java.util.List<FileSystems.Param> params) {
        Options o = parse(params, memory.limitPages());
        if (o.pages > 0) {
            if (maxPages == 0) throw bad(); // "Cannot retroactively limit size"
            if (usedPages.get() > o.pages) throw bad(); // "Too small a size for current use"
        }
        if (o.inodes > 0) {
            if (maxInodes == 0) throw bad(); // "Cannot retroactively limit inodes"
            if (usedInodes.get() > o.inodes) throw bad(); // "Too few inodes for current use"
        }
        if (o.seenNoswap && o.noswap && !noswap) throw bad(); // "Cannot disable swap on remount"
        if (!o.seenNoswap && noswap) throw bad(); // "Cannot enable swap on remount if it was disabled on first mount"
        if (o.pages >= 0) maxPages = o.pages;
        if (o.inodes >= 0) maxInodes = o.inodes;
    }

    @Override
    public long magic() {
        return TMPFS_MAGIC;
    }

    @Override
    public String source() {
        return source;
    }

    /** shmem_show_options: what differs from the defaults. */
    @Override
    public String options() {
        StringBuilder sb = new StringBuilder();
        long pages = maxPages, inodes = maxInodes;
        if (pages != defaultPages) sb.append(",size=").append(pages * 4).append('k');
        if (inodes != defaultInodes) sb.append(",nr_inodes=").append(inodes);
        if (rootMode != 01777) sb.append(",mode=").append(String.format("%03o", rootMode));
        if (rootUid != 0) sb.append(",uid=").append(Integer.toUnsignedString(rootUid));
        if (rootGid != 0) sb.append(",gid=").append(Integer.toUnsignedString(rootGid));
        if (noswap) sb.append(",noswap");
        return sb.toString();
    }

    @Override
    public StatFs statfs() {
        long max = maxPages, imax = maxInodes;
        long used = usedPages.get();
        long free = max == 0 ? 0 : Math.max(0, max - used);
        long ifree = imax == 0 ? 0 : freeInodes();
        return new StatFs(TMPFS_MAGIC, 4096, max, free, free, imax, ifree, 255);
    }

    /** size= in pages (sbinfo->max_blocks; 0 = unlimited). */
    long maxPages() {
        return maxPages;
    }

    /** Charges one data page: ENOSPC past size=, ENOMEM past the kernel's memory. */
    void chargePage() {
        while (true) {
            long u = usedPages.get();
            long max = maxPages;
            if (max != 0 && u >= max) throw ErrnoException.of(Errno.ENOSPC);
            if (usedPages.compareAndSet(u, u + 1)) break;
        }
        if (!memory.allocate()) {
            usedPages.decrementAndGet();
            throw ErrnoException.of(Errno.ENOSPC); // shmem_alloc_and_add_folio fails; the write sees ENOSPC
        }
        memory.addShmem(1);
    }

    void unchargePages(long n) {
        if (n == 0) return;
        usedPages.addAndGet(-n);
        memory.addShmem(-n);
        for (long i = 0; i < n; i++) memory.free();
    }

    /** Charges one inode (shmem_reserve_inode): ENOSPC past nr_inodes. */
    void chargeInode() {
        synchronized (usedInodes) {
            long u = usedInodes.get();
            long max = maxInodes;
            if (max != 0 && (u >= max || xattrSpace > freeIspace(u + 1))) throw ErrnoException.of(Errno.ENOSPC);
            usedInodes.set(u + 1);
            return;
        }
    }

    void unchargeInode() {
        usedInodes.decrementAndGet();
    }

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
            if (maxInodes != 0 && bytes > freeIspace(usedInodes.get()) - xattrSpace) throw ErrnoException.of(Errno.ENOSPC);
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
