package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.List;

/**
 * An inode (struct inode, include/linux/fs.h): one file of one filesystem, whatever names it
 * has. The attributes live here; the operations a filesystem supports (inode_operations and
 * the open() of file_operations) are overridden by its subclasses, and the others fail as the
 * VFS fails when a filesystem leaves an operation NULL. Errors are thrown as ErrnoException.
 * Directory operations are called with the directory's {@link #lock} held by the VFS (i_rwsem).
 */
public abstract class Inode {
    public final SuperBlock sb;
    public final long ino;
    protected int mode;
    protected int uid, gid;
    protected int nlink;
    protected long size;
    protected long rdev;
    protected long atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec;

    /** i_rwsem: held by the VFS around directory operations on this inode. */
    public final Object lock = new Object();
    /**
     * I_LINKABLE: an O_TMPFILE file opened without O_EXCL, which linkat may give a name although
     * its link count is 0 (vfs_link clears it once it has one).
     */
    public volatile boolean linkable;

    protected Inode(SuperBlock sb, long ino, int mode) {
        this.sb = sb;
        this.ino = ino;
        this.mode = mode;
        this.nlink = 1;
        long now = sb.nowNanos();
        atimeSec = mtimeSec = ctimeSec = Math.floorDiv(now, 1_000_000_000L);
        atimeNsec = mtimeNsec = ctimeNsec = Math.floorMod(now, 1_000_000_000L);
    }

    public synchronized int mode() { return mode; }
    public synchronized int uid() { return uid; }
    public synchronized int gid() { return gid; }
    public synchronized int nlink() { return nlink; }
    public synchronized long size() { return size; }
    public final int type() { return mode() & Stat.S_IFMT; }
    public final boolean isDir() { return type() == Stat.S_IFDIR; }
    public final boolean isSymlink() { return type() == Stat.S_IFLNK; }
    public final boolean isRegular() { return type() == Stat.S_IFREG; }

    /** Sets the owner a new inode gets from its creator (inode_init_owner, with setgid directories). */
    public synchronized void initOwner(Cred c, Inode dir) {
        uid = c.fsuid();
        gid = c.fsgid();
        if (dir != null && (dir.mode() & Stat.S_ISGID) != 0) {
            gid = dir.gid();
            if (isDir()) mode |= Stat.S_ISGID;
        }
    }

    /** getattr: the attributes stat() reports. */
    public synchronized Kstat getattr() {
        long blocks = (size + 511) / 512;
        return new Kstat(sb.dev(), ino, mode, nlink, uid, gid, rdev, size, sb.blockSize(),
                (blocks + 7) / 8 * 8, atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec);
    }

    /** Whether two inode objects are the same file (for filesystems that make several per file). */
    public boolean same(Inode other) {
        return this == other;
    }

    /**
     * The file's identity within its superblock, equal for every inode object of the same file
     * (hostfs makes one per lookup): what per-file state kept outside the inode, the fsnotify
     * marks, is keyed by. The inode number, unless the filesystem knows better.
     */
    public Object identity() {
        return ino;
    }

    // ---- timestamps

    public synchronized void touchMtime() {
        long now = sb.nowNanos();
        mtimeSec = ctimeSec = Math.floorDiv(now, 1_000_000_000L);
        mtimeNsec = ctimeNsec = Math.floorMod(now, 1_000_000_000L);
    }

    public synchronized void touchCtime() {
        long now = sb.nowNanos();
        ctimeSec = Math.floorDiv(now, 1_000_000_000L);
        ctimeNsec = Math.floorMod(now, 1_000_000_000L);
    }

    public synchronized void touchAtime() {
        long now = sb.nowNanos();
        atimeSec = Math.floorDiv(now, 1_000_000_000L);
        atimeNsec = Math.floorMod(now, 1_000_000_000L);
    }

    // ---- inode_operations: directories

    /** Looks up name in this directory: the inode, or null if there is none. */
    public Inode lookup(String name) {
        throw ErrnoException.of(Errno.ENOTDIR);
    }

    /** The entries of this directory, without "." and "..", for getdents. */
    public List<Directory.Entry> list() {
        throw ErrnoException.of(Errno.ENOTDIR);
    }

    /** create: a new regular file (mode holds the permission bits). */
    public Inode create(String name, int mode, Cred c) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public Inode mkdir(String name, int mode, Cred c) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** mknod: a device, fifo or socket node (mode includes the type). */
    public Inode mknod(String name, int mode, long rdev, Cred c) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public Inode symlink(String name, String target, Cred c) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** link: a new name in this directory for target, an inode of the same filesystem. */
    public void link(Inode target, String name) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** unlink: removes a non-directory entry. */
    public void unlink(String name, Inode victim) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** rmdir: removes an empty directory entry. */
    public void rmdir(String name, Inode victim) {
        throw ErrnoException.of(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /**
     * rename: moves oldName here to newName in newDir (same filesystem), replacing what is
     * there (already checked by the VFS), or exchanging both with RENAME_EXCHANGE.
     */
    public void rename(String oldName, Inode newDir, String newName, int flags) {
        throw ErrnoException.of(Errno.EPERM);
    }

    /**
     * rename as the VFS calls it, with the caller's credentials (RENAME_WHITEOUT creates a
     * whiteout owned by them). Filesystems that support whiteouts override this one.
     */
    public void rename(String oldName, Inode newDir, String newName, int flags, Cred c) {
        if ((flags & dev.kava.abi.Fcntl.RENAME_WHITEOUT) != 0) throw ErrnoException.of(Errno.EINVAL);
        rename(oldName, newDir, newName, flags);
    }

    /** tmpfile: an unnamed regular file in this directory (O_TMPFILE). */
    public Inode tmpfile(int mode, Cred c) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    // ---- inode_operations: files and links

    /** readlink: a symlink's target. */
    public String readlink() {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /**
     * readlink as task t sees it: procfs's links depend on who asks (/proc/self names the
     * caller). A magic link reads as where it leads, seen from t's root (proc_pid_readlink).
     */
    public String readlink(Task t) {
        FsPath magic = followMagic(t);
        return magic != null ? MountNamespace.path(magic, t.group.fs.root()) : readlink();
    }

    /**
     * get_link of a "magic" link (procfs's /proc/PID/fd/N, exe, cwd, root): where the link
     * leads, as a location rather than text. Null for an ordinary symlink.
     */
    public FsPath followMagic(Task t) {
        return null;
    }

    /** setattr: mode (permission bits), owner, or times; the VFS checked permissions. */
    public synchronized void setMode(int perm) {
        mode = (mode & Stat.S_IFMT) | (perm & 07777);
        touchCtime();
    }

    public synchronized void setOwner(int newUid, int newGid) {
        if (newUid != -1) uid = newUid;
        if (newGid != -1) gid = newGid;
        touchCtime();
    }

    /** setattr of times; nsec values are already resolved (no UTIME_NOW/OMIT here). */
    public synchronized void setTimes(long aSec, long aNsec, long mSec, long mNsec, boolean setA, boolean setM) {
        if (setA) { atimeSec = aSec; atimeNsec = aNsec; }
        if (setM) { mtimeSec = mSec; mtimeNsec = mNsec; }
        touchCtime();
    }

    /**
     * setattr of times as notify_change does it: the times given, and ctime set to the same
     * "now" the caller used for UTIME_NOW (so utimensat(NULL) leaves mtime == ctime).
     */
    public synchronized void setTimes(long aSec, long aNsec, long mSec, long mNsec, boolean setA, boolean setM,
                                      long nowSec, long nowNsec) {
        if (setA) { atimeSec = aSec; atimeNsec = aNsec; }
        if (setM) { mtimeSec = mSec; mtimeNsec = mNsec; }
        ctimeSec = nowSec;
        ctimeNsec = nowNsec;
    }

    /**
     * The birth time (i_crtime) as {seconds, nanoseconds}, or null for filesystems that do not
     * record one: statx reports STATX_BTIME only when there is one.
     */
    public long[] birthTime() {
        return null;
    }

    /**
     * STATX_ATTR_* bits this filesystem can report in stx_attributes (its share of
     * stx_attributes_mask; the VFS adds its own).
     */
    public long statxAttributesMask() {
        return 0;
    }

    /**
     * Whether the filesystem keeps multigrain timestamps (FS_MGTIME): statx then reports mtime
     * and ctime only when asked for one of them (fill_mg_cmtime).
     */
    public boolean multigrainTimes() {
        return false;
    }

    /** setattr of ATTR_SIZE (truncate): EINVAL for what cannot be truncated. */
    public void truncate(long newSize) {
        throw ErrnoException.of(isDir() ? Errno.EISDIR : Errno.EINVAL);
    }

    /**
     * open: the struct file for this inode (file_operations chosen by the inode). Called after
     * the VFS checked access mode, O_DIRECTORY and permissions; path is where it was found.
     */
    public File open(Task t, FsPath path, int flags) {
        if (isDir()) return new DirFile(path, flags);
        int type = type();
        if (type == Stat.S_IFCHR) return CharDevices.open(t, this, path, flags);
        if (type == Stat.S_IFIFO) return Fifo.open(t, this, path, flags);
        if (type == Stat.S_IFBLK) throw ErrnoException.of(Errno.ENXIO);
        if (type == Stat.S_IFSOCK) throw ErrnoException.of(Errno.ENXIO);
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** S_IMMUTABLE (IS_IMMUTABLE): no one, root included, may open it for writing (EPERM in inode_permission). */
    public boolean immutable() {
        return false;
    }

    // ---- extended attributes (xattr_handler): none unless the filesystem has them

    /**
     * The name prefixes of the filesystem's xattr handlers (sb->s_xattr, "user.", "trusted.",
     * ...); empty when the inode has no xattr support at all (no IOP_XATTR). The VFS resolves a
     * name against these before calling the methods below, which get full names.
     */
    public List<String> xattrPrefixes() {
        return List.of();
    }

    public byte[] getxattr(String name) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    public void setxattr(String name, byte[] value, int flags) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    public List<String> listxattr() {
        return List.of();
    }

    public void removexattr(String name) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }
}
