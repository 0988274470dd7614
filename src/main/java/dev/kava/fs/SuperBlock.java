package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A mounted filesystem instance (struct super_block): its root, its device number, its
 * statfs figures. Several mounts may show the same superblock (bind mounts).
 */
public abstract class SuperBlock {
    /** Anonymous device minors (get_anon_bdev: major 0), one per superblock. */
    private static final AtomicInteger NEXT_ANON_MINOR = new AtomicInteger(16);

    private final String type;
    private final long dev;
    private final LongSupplier clock;
    private final AtomicLong nextIno = new AtomicLong(1);
    /** The filesystem can never be written (a read-only host volume, nullfs): no remount makes it read-write. */
    private final boolean readOnly;
    /** SB_RDONLY: the filesystem is read-only now, whatever the mount says (set by readOnly or a ro (re)mount). */
    private volatile boolean rdonly;
    private volatile Dentry root;
    /** The inodes of this filesystem that fsnotify groups watch (s_fsnotify_info). */
    public final dev.kava.fs.notify.SbMarks fsnotifyMarks = new dev.kava.fs.notify.SbMarks();

    /** @param clock realtime in nanoseconds since the epoch, for timestamps */
    protected SuperBlock(String type, LongSupplier clock, boolean readOnly) {
        this.type = type;
        this.clock = clock;
        this.readOnly = readOnly;
        this.rdonly = readOnly;
        this.dev = Stat.encodeDev(0, NEXT_ANON_MINOR.getAndIncrement());
    }

    /** The filesystem type's name, as /proc/mounts and /proc/filesystems show it. */
    public String type() { return type; }

    public long dev() { return dev; }

    /** SB_RDONLY (sb_rdonly): writes through any mount of this filesystem get EROFS. */
    public boolean readOnly() { return rdonly; }

    /** Whether the filesystem cannot be made writable (the backing store is read-only). */
    public boolean hardReadOnly() { return readOnly; }

    /**
     * reconfigure_super, as a remount (or the umount of a process's root) asks: SB_RDONLY
     * becomes ro, and the filesystem applies its own parameters. Read-write on a filesystem
     * that cannot be written is EACCES, as for a write-protected block device. A filesystem
     * with parameters overrides {@link #reconfigureParams}; the default knows none (EINVAL).
     */
    public final void reconfigure(boolean ro, java.util.List<FileSystems.Param> params) {
        if (!ro && readOnly) throw ErrnoException.of(Errno.EACCES);
        reconfigureParams(params);
        rdonly = ro;
    }

    /** The filesystem's part of a remount: checks every parameter first, then applies them. */
    protected void reconfigureParams(java.util.List<FileSystems.Param> params) {
        if (!params.isEmpty()) throw ErrnoException.of(Errno.EINVAL);
    }

    public long nowNanos() { return clock.getAsLong(); }

    public LongSupplier clock() { return clock; }

    /** get_next_ino: a fresh inode number for this filesystem. */
    public long nextIno() { return nextIno.getAndIncrement(); }

    public int blockSize() { return 4096; }

    public Dentry root() { return root; }

    /** d_make_root: called once by the filesystem when it has its root inode. */
    protected void setRoot(Inode inode) {
        this.root = Dentry.makeRoot(this, inode);
    }

    /** The f_type magic number statfs reports (include/uapi/linux/magic.h). */
    public abstract long magic();

    /** statfs figures: total/free/available blocks and total/free inodes, in blockSize units. */
    public StatFs statfs() {
        return new StatFs(magic(), blockSize(), 0, 0, 0, 0, 0, 255);
    }

    /** The source shown in /proc/mounts' first column ("none", "tmpfs", a device or directory). */
    public String source() { return type; }

    /** Filesystem-specific options for /proc/mounts (",size=..,mode=.."), or "". */
    public String options() { return ""; }

    /** struct kstatfs, in the units of struct statfs. */
    public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
                         long namelen) {}
}
