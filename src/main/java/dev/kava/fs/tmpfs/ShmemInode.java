package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs inode (struct shmem_inode_info): a directory of named entries, a regular file of
 * memory pages, a symlink, or a special file. Directory operations run under the VFS's
 * directory lock; data under this inode's monitor.
 */
public class ShmemInode extends Inode {
    /** Directory entries in creation order (readdir order, as simple_offset gives on Linux). */
    private final Map<String, ShmemInode> entries;
    /** A regular file's data. */
    final ShmemData data;
    private final String target;
    private final Map<String, byte[]> xattrs = new TreeMap<>();
    /** File seals (shmem_inode_info.seals): every tmpfs file starts with F_SEAL_SEAL; memfds may lift it. */
    private int seals = dev.kava.abi.Fcntl.F_SEAL_SEAL;

    public synchronized int seals() {
        return seals;
    }

    /** memfd_add_seals' update, under the inode lock (the checks are the caller's). */
    public synchronized void setSeals(int s) {
        seals = s;
    }

    /** Descriptors open on a regular file: its pages are freed only when unlinked and closed. */
    int openCount;
    /** The birth time (shmem's i_crtime), set when the inode is made. */
    private final long btimeSec, btimeNsec;

    /** BOGO_DIRENT_SIZE (mm/shmem.c): what one entry adds to a directory's size. */
    static final int BOGO_DIRENT_SIZE = 20;
    /** SHORT_SYMLINK_LEN (mm/shmem.c): targets shorter than this live in the inode, longer ones in a page. */
    private static final int SHORT_SYMLINK_LEN = 128;
    /** WHITEOUT_MODE and WHITEOUT_DEV (include/linux/fs.h): a whiteout is a 0/0 character device. */
    private static final int WHITEOUT_MODE = 0;
    private static final long WHITEOUT_DEV = 0;

    ShmemInode(Tmpfs sb, int mode) {
        this(sb, mode, null, 0);
    }

    ShmemInode(Tmpfs sb, int mode, String target, long rdev) {
        super(sb, sb.nextIno(), mode);
        sb.chargeInode();
        int type = mode & Stat.S_IFMT;
        this.entries = type == Stat.S_IFDIR ? new LinkedHashMap<>() : null;
        this.data = type == Stat.S_IFREG ? new ShmemData(sb) : null;
        this.target = target;
        this.rdev = rdev;
        if (type == Stat.S_IFDIR) {
            nlink = 2;
            size = 2 * BOGO_DIRENT_SIZE; // "some things misbehave if size == 0 on a directory"
        }
        if (target != null) size = target.length();
        btimeSec = ctimeSec;
        btimeNsec = ctimeNsec;
    }

    @Override
    public long[] birthTime() {
        return new long[] {btimeSec, btimeNsec};
    }

    /** tmpfs is FS_MGTIME since 6.13. */
    @Override
    public boolean multigrainTimes() {
        return true;
    }

    /** shmem_getattr: tmpfs keeps the chattr flags append, immutable and nodump (kava never sets them). */
    @Override
    public long statxAttributesMask() {
        return dev.kava.abi.Statx.STATX_ATTR_APPEND | dev.kava.abi.Statx.STATX_ATTR_IMMUTABLE
                | dev.kava.abi.Statx.STATX_ATTR_NODUMP;
    }

    Tmpfs tmpfs() {
        return (Tmpfs) sb;
    }

    /** The root directory's owner (uid= and gid= of the mount). */
    synchronized void initRootOwner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public synchronized long size() {
        return data != null ? data.size() : super.size();
    }

    @Override
    public synchronized dev.kava.fs.Kstat getattr() {
        if (data != null) size = data.size();
        dev.kava.fs.Kstat k = super.getattr();
        // st_blocks counts the pages really allocated (sparse files have holes), in 512-byte units;
        // directories and special files have none, a symlink one page when its target is long.
        long blocks = data != null ? data.pageCount() * 8
                : target != null && target.length() + 1 > SHORT_SYMLINK_LEN ? 8 : 0;
        return new dev.kava.fs.Kstat(k.dev(), k.ino(), k.mode(), k.nlink(), k.uid(), k.gid(), k.rdev(), k.size(),
                k.blksize(), blocks, k.atimeSec(), k.atimeNsec(), k.mtimeSec(), k.mtimeNsec(),
                k.ctimeSec(), k.ctimeNsec());
    }

    // ---- directories

    private Map<String, ShmemInode> dir() {
        if (entries == null) throw ErrnoException.of(Errno.ENOTDIR);
        return entries;
    }

    @Override
    public Inode lookup(String name) {
        synchronized (this) {
            return dir().get(name);
        }
    }

    @Override
    public List<Directory.Entry> list() {
        synchronized (this) {
            List<Directory.Entry> out = new ArrayList<>();
            for (var e : dir().entrySet()) out.add(new Directory.Entry(e.getValue().ino, Stat.dtype(e.getValue().mode()), e.getKey()));
            return out;
        }
    }

    /** shmem_mknod and friends: the new inode gets its name, the directory its size, link and times. */
    private ShmemInode add(String name, ShmemInode child, Cred c) {
        child.initOwner(c, this);
        synchronized (this) {
            dir().put(name, child);
            if (child.isDir()) nlink++;
            size += BOGO_DIRENT_SIZE;
        }
        touchMtime();
        return child;
    }

    @Override
    public Inode create(String name, int mode, Cred c) {
        return add(name, new ShmemInode(tmpfs(), Stat.S_IFREG | (mode & 07777)), c);
    }

    @Override
    public Inode mkdir(String name, int mode, Cred c) {
        return add(name, new ShmemInode(tmpfs(), Stat.S_IFDIR | (mode & 07777)), c);
    }

    @Override
    public Inode mknod(String name, int mode, long rdev, Cred c) {
        return add(name, new ShmemInode(tmpfs(), mode, null, rdev), c);
    }

    @Override
    public Inode symlink(String name, String target, Cred c) {
        return add(name, new ShmemInode(tmpfs(), Stat.S_IFLNK | 0777, target, 0), c);
    }

    @Override
    public Inode tmpfile(int mode, Cred c) {
        ShmemInode i = new ShmemInode(tmpfs(), Stat.S_IFREG | (mode & 07777));
        i.initOwner(c, this);
        synchronized (i) {
            i.nlink = 0;
        }
        return i;
    }

    /** shmem_link: every name beyond the first costs an inode of nr_inodes (an O_TMPFILE file's first does not). */
    @Override
    public void link(Inode target, String name) {
        ShmemInode t = (ShmemInode) target;
        if (t.nlink() > 0) tmpfs().chargeInode();
        synchronized (this) {
            dir().put(name, t);
            size += BOGO_DIRENT_SIZE;
        }
        synchronized (t) {
            t.nlink++;
        }
        t.touchCtime();
        touchMtime();
    }

    @Override
    public void unlink(String name, Inode victim) {
        ShmemInode v;
        synchronized (this) {
            v = dir().remove(name);
            if (v != null) size -= BOGO_DIRENT_SIZE;
        }
        if (v == null) throw ErrnoException.of(Errno.ENOENT);
        if (!v.isDir() && v.nlink() > 1) tmpfs().unchargeInode(); // shmem_free_inode for the extra name
        v.dropLink();
        touchMtime();
    }

    @Override
    public void rmdir(String name, Inode victim) {
        ShmemInode v;
        synchronized (this) {
            v = dir().get(name);
            if (v == null) throw ErrnoException.of(Errno.ENOENT);
            if (!v.isEmptyDir()) throw ErrnoException.of(Errno.ENOTEMPTY);
            dir().remove(name);
            nlink--;
            size -= BOGO_DIRENT_SIZE;
        }
        v.dropXattrs();
        v.killDir();
        touchMtime();
    }

    /** A directory lost its name (rmdir, or replaced by a rename): no links, its inode gone from nr_inodes. */
    private void killDir() {
        synchronized (this) {
            nlink = 0;
        }
        touchCtime();
        tmpfs().unchargeInode();
    }

    synchronized boolean isEmptyDir() {
        return entries != null && entries.isEmpty();
    }

    /** One name less; the last one frees the inode unless a descriptor still has it open. */
    void dropLink() {
        boolean free;
        synchronized (this) {
            nlink--;
            free = nlink <= 0 && openCount == 0;
        }
        touchCtime();
        if (free) evict();
    }

    /** evict: the inode's pages and its place in nr_inodes go back. */
    void evict() {
        if (data != null) data.truncate(0);
        dropXattrs();
        tmpfs().unchargeInode();
    }

    @Override
    public void rename(String oldName, Inode newDirInode, String newName, int flags) {
        rename(oldName, newDirInode, newName, flags, dev.kava.kernel.Cred.ROOT);
    }

    /**
     * shmem_rename2: both directory locks are held by the VFS, which has checked everything but
     * the emptiness of a directory being replaced. Entry maps are guarded by each inode's monitor.
     */
    @Override
    public void rename(String oldName, Inode newDirInode, String newName, int flags, Cred c) {
        if ((flags & ~(Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE | Fcntl.RENAME_WHITEOUT)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        ShmemInode newDir = (ShmemInode) newDirInode;
        ShmemInode moving, replaced;
        synchronized (this) {
            moving = dir().get(oldName);
        }
        synchronized (newDir) {
            replaced = newDir.dir().get(newName);
        }
        if (moving == null) throw ErrnoException.of(Errno.ENOENT);
        if ((flags & Fcntl.RENAME_EXCHANGE) != 0) {
            // simple_offset_rename_exchange: each name keeps its place in its directory.
            if (replaced == null) throw ErrnoException.of(Errno.ENOENT);
            synchronized (this) { dir().put(oldName, replaced); }
            synchronized (newDir) { newDir.dir().put(newName, moving); }
            if (moving.isDir() != replaced.isDir() && this != newDir) {
                int d = moving.isDir() ? 1 : -1;
                synchronized (this) { nlink -= d; }
                synchronized (newDir) { newDir.nlink += d; }
            }
            replaced.touchCtime();
        } else {
            if (replaced != null && replaced.isDir() && !replaced.isEmptyDir()) throw ErrnoException.of(Errno.ENOTEMPTY);
            if ((flags & Fcntl.RENAME_WHITEOUT) != 0) {
                // shmem_whiteout: a 0/0 character device takes the old name (it is replaced below).
                ShmemInode wh = new ShmemInode(tmpfs(), Stat.S_IFCHR | WHITEOUT_MODE, null, WHITEOUT_DEV);
                wh.initOwner(c, this);
                synchronized (this) { size += BOGO_DIRENT_SIZE; }
                synchronized (this) { dir().put(oldName, wh); }
            } else {
                synchronized (this) { dir().remove(oldName); }
            }
            if (replaced != null) {
                // shmem_unlink of the target: its entry, its link, its place in nr_inodes.
                synchronized (newDir) { newDir.size -= BOGO_DIRENT_SIZE; }
                if (replaced.isDir()) {
                    synchronized (newDir) { newDir.nlink--; }
                    replaced.dropXattrs();
                    replaced.killDir();
                } else {
                    if (replaced.nlink() > 1) tmpfs().unchargeInode();
                    replaced.dropLink();
                }
            }
            synchronized (newDir) { newDir.dir().put(newName, moving); }
            if (moving.isDir() && this != newDir) {
                synchronized (this) { nlink--; }
                synchronized (newDir) { newDir.nlink++; }
            }
            synchronized (this) { size -= BOGO_DIRENT_SIZE; }
            synchronized (newDir) { newDir.size += BOGO_DIRENT_SIZE; }
        }
        // simple_rename_timestamp: both directories' mtime and ctime, the inodes' ctime.
        moving.touchCtime();
        touchMtime();
        if (newDir != this) newDir.touchMtime();
    }

    // ---- files and links

    @Override
    public String readlink() {
        if (target == null) throw ErrnoException.of(Errno.EINVAL);
        return target;
    }

    /** shmem_setattr's ATTR_SIZE: a size change updates mtime and ctime; the same size changes nothing. */
    @Override
    public void truncate(long newSize) {
        if (data == null) throw ErrnoException.of(isDir() ? Errno.EISDIR : Errno.EINVAL);
        synchronized (data) {
            if (data.size() == newSize) return;
            // shmem_setattr: a sealed size cannot move the sealed way.
            int sealed = seals();
            if (newSize < data.size() && (sealed & dev.kava.abi.Fcntl.F_SEAL_SHRINK) != 0) throw ErrnoException.of(Errno.EPERM);
            if (newSize > data.size() && (sealed & dev.kava.abi.Fcntl.F_SEAL_GROW) != 0) throw ErrnoException.of(Errno.EPERM);
            data.truncate(newSize);
        }
        touchMtime();
    }

    /** F_SEAL_EXEC: the execute bits cannot change any more (shmem_setattr). */
    @Override
    public synchronized void setMode(int perm) {
        if ((seals & dev.kava.abi.Fcntl.F_SEAL_EXEC) != 0 && ((mode ^ perm) & 0111) != 0) throw ErrnoException.of(Errno.EPERM);
        super.setMode(perm);
    }

    /** A memfd (memfd_create): an unnamed regular file of fs with no link; mode 0777 less what flags ask. */
    public static ShmemInode memfd(Tmpfs fs, dev.kava.kernel.Cred c, boolean noExec, boolean allowSealing) {
        ShmemInode i = new ShmemInode(fs, dev.kava.abi.Stat.S_IFREG | (noExec ? 0666 : 0777));
        i.initOwner(c, null);
        synchronized (i) {
            i.nlink = 0;
            if (noExec) i.seals = dev.kava.abi.Fcntl.F_SEAL_EXEC;
            else if (allowSealing) i.seals = 0;
        }
        return i;
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        if (data != null) {
            synchronized (this) {
                openCount++;
            }
            return new ShmemFile(this, path, flags);
        }
        return super.open(t, path, flags);
    }

    /** The last descriptor of an open regular file closed. */
    void closed() {
        boolean free;
        synchronized (this) {
            openCount--;
            free = nlink <= 0 && openCount == 0;
        }
        if (free) evict();
    }

    // ---- xattrs: tmpfs keeps trusted.*, security.* and user.* attributes in memory (simple_xattrs)

    /** XATTR_SIZE_MAX (include/uapi/linux/limits.h). */
    private static final int XATTR_SIZE_MAX = 65536;
    private static final List<String> HANDLERS = List.of(dev.kava.abi.Xattr.XATTR_SECURITY_PREFIX,
            dev.kava.abi.Xattr.XATTR_TRUSTED_PREFIX, dev.kava.abi.Xattr.XATTR_USER_PREFIX);

    /** shmem_xattr_handlers: security, trusted and user (no POSIX ACLs: system.* is EOPNOTSUPP). */
    @Override
    public List<String> xattrPrefixes() {
        return HANDLERS;
    }

    /** simple_xattr_space: what one xattr takes of the filesystem's inode space. */
    private static long xattrSpace(String name, int size) {
        return 40 + size + name.length();
    }

    @Override
    public synchronized byte[] getxattr(String name) {
        byte[] v = xattrs.get(name);
        if (v == null) throw ErrnoException.of(Errno.ENODATA);
        return v;
    }

    @Override
    public synchronized void setxattr(String name, byte[] value, int flags) {
        if (value.length > XATTR_SIZE_MAX) throw ErrnoException.of(Errno.E2BIG);
        byte[] old = xattrs.get(name);
        if ((flags & dev.kava.abi.Xattr.XATTR_CREATE) != 0 && old != null) throw ErrnoException.of(Errno.EEXIST);
        if ((flags & dev.kava.abi.Xattr.XATTR_REPLACE) != 0 && old == null) throw ErrnoException.of(Errno.ENODATA);
        tmpfs().chargeXattr(xattrSpace(name, value.length));
        xattrs.put(name, value.clone());
        if (old != null) tmpfs().unchargeXattr(xattrSpace(name, old.length));
        touchCtime();
    }

    /** simple_xattr_list's order: the names in the red-black tree, last first as 6.x walks it. */
    @Override
    public synchronized List<String> listxattr() {
        return new ArrayList<>(((TreeMap<String, byte[]>) xattrs).descendingKeySet());
    }

    @Override
    public synchronized void removexattr(String name) {
        byte[] old = xattrs.remove(name);
        if (old == null) throw ErrnoException.of(Errno.ENODATA);
        tmpfs().unchargeXattr(xattrSpace(name, old.length));
        touchCtime();
    }

    /** The inode is gone: its xattrs give their space back. */
    synchronized void dropXattrs() {
        for (var e : xattrs.entrySet()) tmpfs().unchargeXattr(xattrSpace(e.getKey(), e.getValue().length));
        xattrs.clear();
    }
}
