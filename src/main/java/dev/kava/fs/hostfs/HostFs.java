package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Kstat;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * hostfs: a host directory bound into the guest (like UML's hostfs or a 9p/virtiofs share),
 * read-only or read-write. It is one of the narrow doors to the host, so its first duty is that
 * a guest path can never leave the directory.
 *
 * <h2>Containment</h2>
 * <ul>
 * <li>Guest side: the VFS walks one component at a time and resolves every symlink and ".." in
 *     guest terms, inside the guest's tree. A host path is only ever the root plus names the
 *     walk found ({@link #child} refuses "", ".", "..", "/" and NUL).</li>
 * <li>Last component: no host operation follows a symlink there. Opens use O_NOFOLLOW; creation
 *     is exclusive (O_EXCL, mkdir, mknod, symlink, link without AT_SYMLINK_FOLLOW); attribute
 *     calls use AT_SYMLINK_NOFOLLOW or lstat; rename and unlink act on names.</li>
 * <li>Parent chain: a read-write hostfs lets the guest make symlinks and rename directories, and
 *     a guest thread may swap a directory for a symlink to "/" while another thread's operation
 *     is between the walk and the host call. So every host operation on a path first checks
 *     that the directory holding the last component resolves to exactly the path expected (no
 *     symlink anywhere above it, nothing gone: one openat2 with RESOLVE_NO_SYMLINKS on Linux,
 *     toRealPath elsewhere; {@link HostOps#resolvesToItself}), and does so while holding
 *     the shape lock: a ReentrantReadWriteLock that the operations able to change what a host
 *     path resolves to (rename, symlink, link, mkdir, mknod, unlink, rmdir) take exclusively and
 *     every other host access (lookup, stat, readdir, readlink, open, create, truncate, attribute
 *     changes) takes shared. Between the check and the call, then, no guest operation can
 *     reshape the tree. The lock is shared by every hostfs instance, because mounts of the same
 *     host tree may overlap (a -v of a directory inside --root). Reads and writes on an open
 *     file go to its host channel and take no lock.</li>
 * <li>Processes on the host changing the tree at the same time are outside the guarantee: they
 *     are the user's own, as with any shared directory.</li>
 * </ul>
 *
 * <h2>Other rules</h2>
 * <ul>
 * <li>Host device nodes are never opened: a character device node means a kava driver
 *     (through CharDevices), as a node on any Linux filesystem means the running kernel's
 *     driver; block devices and sockets give ENXIO. FIFOs are guest pipes.</li>
 * <li>The guest cannot make device nodes (EPERM) or set-user-ID/set-group-ID files (EPERM): a
 *     set-ID program owned by kava's host user would be a door out for anyone on the host.</li>
 * <li>Files belong to whoever the host says; a new file is given to its guest creator when the
 *     host allows (kava runs as root), and stays kava's host user's otherwise. chown needs host
 *     privilege (EPERM otherwise).</li>
 * <li>Only user.* extended attributes reach the host (EOPNOTSUPP for the other namespaces).</li>
 * <li>Host calls go through {@link HostOps}: glibc on Linux hosts ({@link LinuxHostOps}),
 *     Java NIO elsewhere ({@link HostOps.Nio} says what that cannot do).</li>
 * <li>Inodes keep their host path; a guest rename moves the paths of the inodes below it. An
 *     inode whose name was removed keeps its open files working (they hold host channels), but
 *     path operations on it (chmod, utimes, ...) fail with ESTALE, as on NFS.</li>
 * </ul>
 */
public final class HostFs extends SuperBlock {
    /** HOSTFS_SUPER_MAGIC (include/uapi/linux/magic.h). */
    public static final long HOSTFS_SUPER_MAGIC = 0x00c0ffeeL;
    /** XATTR_CREATE and XATTR_REPLACE (include/uapi/linux/xattr.h). */
    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    /** The shape lock (see the class comment): one for all hostfs instances. */
    static final ReentrantReadWriteLock SHAPE = new ReentrantReadWriteLock();

    private final Path root;
    final HostOps ops;
    /** Live inodes by host path, so that a rename can move their paths; guarded by itself. */
    private final TreeMap<String, Ref> live = new TreeMap<>();
    private final ReferenceQueue<HostInode> collected = new ReferenceQueue<>();

    public HostFs(Path root, boolean readOnly, LongSupplier clock) throws IOException {
        this(root, readOnly, clock, HostOps.best());
    }

    HostFs(Path root, boolean readOnly, LongSupplier clock, HostOps ops) throws IOException {
        super("hostfs", clock, readOnly);
        this.ops = ops;
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root, LinkOption.NOFOLLOW_LINKS)) throw new NotDirectoryException(root.toString());
        HostInode r = new HostInode(this, this.root, attrs(this.root));
        synchronized (live) {
            live.put(this.root.toString(), new Ref(r, this.root.toString(), collected));
        }
        setRoot(r);
    }

    public Path hostRoot() {
        return root;
    }

    @Override
    public long magic() {
        return HOSTFS_SUPER_MAGIC;
    }

    @Override
    public String source() {
        return root.toString();
    }

    @Override
    public StatFs statfs() {
        try {
            var store = Files.getFileStore(root);
            long bs = 4096;
            return new StatFs(HOSTFS_SUPER_MAGIC, bs, store.getTotalSpace() / bs, store.getUnallocatedSpace() / bs,
                    store.getUsableSpace() / bs, 0, 0, 255);
        } catch (IOException e) {
            return super.statfs();
        }
    }

    // ---- the shape lock

    /** A host action, run under the shape lock. */
    interface HostAction<T> {
        T run() throws IOException;
    }

    /** Runs a with the shape lock held shared: for accesses that cannot change what a path resolves to. */
    <T> T shared(HostAction<T> a) {
        SHAPE.readLock().lock();
        try {
            return call(a);
        } finally {
            SHAPE.readLock().unlock();
        }
    }

    /** Runs a with the shape lock held exclusively: for operations that change the tree's shape. */
    <T> T exclusive(HostAction<T> a) {
        SHAPE.writeLock().lock();
        try {
            return call(a);
        } finally {
            SHAPE.writeLock().unlock();
        }
    }

    private static <T> T call(HostAction<T> a) {
        try {
            return a.run();
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        } catch (UncheckedIOException e) {
            throw ErrnoException.of(errnoOf(e.getCause()));
        } catch (InvalidPathException e) {
            throw ErrnoException.of(Errno.EINVAL);
        } catch (UnsupportedOperationException e) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        } catch (SecurityException e) {
            throw ErrnoException.of(Errno.EACCES);
        }
    }

    /**
     * Under the shape lock: dir, a host path built from the root and names, must resolve to
     * itself: no symlink anywhere on the way, nothing renamed or removed. ENOENT otherwise.
     */
    void checkDir(Path dir) throws IOException {
        assert SHAPE.getReadHoldCount() > 0 || SHAPE.isWriteLockedByCurrentThread();
        if (!ops.resolvesToItself(dir)) throw ErrnoException.of(Errno.ENOENT);
    }

    /** Under the shape lock: checks the chain of directories holding p (p itself may be anything). */
    void checkParent(Path p) throws IOException {
        checkDir(p.equals(root) ? root : p.getParent());
    }

    // ---- host attributes

    /** The attributes of a host file, with the host's device number (for telling files apart). */
    record Attrs(Kstat stat, long hostDev) {
        int type() {
            return stat.mode() & Stat.S_IFMT;
        }
    }

    /** The lstat fields hostfs needs; "unix:*" would also look up owner and group names (getpwuid, getgrgid) each time. */
    private static final String UNIX_ATTRS = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime";

    /** lstat() of a host path inside the root, with this superblock's device number. */
    Attrs attrs(Path h) throws IOException {
        long[] s = ops.lstat(h);
        if (s != null) {
            long size = s[HostOps.LSTAT_SIZE];
            Kstat st = new Kstat(dev(), s[HostOps.LSTAT_INO], (int) s[HostOps.LSTAT_MODE], (int) s[HostOps.LSTAT_NLINK],
                    (int) s[HostOps.LSTAT_UID], (int) s[HostOps.LSTAT_GID], s[HostOps.LSTAT_RDEV], size, 4096,
                    (size + 4095) / 4096 * 8, s[HostOps.LSTAT_ATIME], s[HostOps.LSTAT_ATIME_NSEC],
                    s[HostOps.LSTAT_MTIME], s[HostOps.LSTAT_MTIME_NSEC], s[HostOps.LSTAT_CTIME], s[HostOps.LSTAT_CTIME_NSEC]);
            return new Attrs(st, s[HostOps.LSTAT_DEV]);
        }
        Map<String, Object> a;
        try {
            a = Files.readAttributes(h, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return attrsBasic(h);
        }
        long size = (Long) a.get("size");
        FileTime at = (FileTime) a.get("lastAccessTime"), mt = (FileTime) a.get("lastModifiedTime"),
                ct = (FileTime) a.get("ctime");
        Kstat st = new Kstat(dev(), (Long) a.get("ino"), (Integer) a.get("mode"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"),
                size, 4096, (size + 4095) / 4096 * 8,
                seconds(at), nanos(at), seconds(mt), nanos(mt), seconds(ct), nanos(ct));
        return new Attrs(st, (Long) a.get("dev"));
    }

    /** lstat(), or null if there is nothing at h. */
    Attrs attrsOrNull(Path h) throws IOException {
        try {
            return attrs(h);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** For hosts without the "unix" attribute view: a mode made up from the basic attributes. */
    private Attrs attrsBasic(Path h) throws IOException {
        BasicFileAttributes a = Files.readAttributes(h, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int type = a.isDirectory() ? Stat.S_IFDIR : a.isSymbolicLink() ? Stat.S_IFLNK : a.isRegularFile() ? Stat.S_IFREG : Stat.S_IFCHR;
        int perm = a.isDirectory() ? 0755 : Files.isExecutable(h) ? 0755 : 0644;
        FileTime mt = a.lastModifiedTime();
        Kstat st = new Kstat(dev(), a.fileKey() != null ? a.fileKey().hashCode() & 0xffffffffL : 1, type | perm, 1, 0, 0, 0,
                a.size(), 4096, (a.size() + 4095) / 4096 * 8, seconds(a.lastAccessTime()), nanos(a.lastAccessTime()),
                seconds(mt), nanos(mt), seconds(mt), nanos(mt));
        return new Attrs(st, 0);
    }

    private static long seconds(FileTime t) {
        return t.toInstant().getEpochSecond();
    }

    private static long nanos(FileTime t) {
        return t.toInstant().getNano();
    }

    // ---- names

    /**
     * The host path for a guest name (bytes held one char per byte) in a host directory. Names
     * are UTF-8 on the host; a name that is not valid UTF-8 cannot exist there (ENOENT).
     */
    static Path child(Path dir, String guestName) {
        return child(dir, guestName, Errno.ENOENT);
    }

    /** As above for a name about to be created: an impossible name is EINVAL. */
    static Path newChild(Path dir, String guestName) {
        return child(dir, guestName, Errno.EINVAL);
    }

    private static Path child(Path dir, String guestName, int badNameErrno) {
        if (guestName.isEmpty() || guestName.equals(".") || guestName.equals("..") || guestName.indexOf('/') >= 0
                || guestName.indexOf('\0') >= 0) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        String host = hostString(guestName.getBytes(StandardCharsets.ISO_8859_1), badNameErrno);
        try {
            Path p = dir.resolve(host);
            // The host's own parsing must agree: one more component, named as asked.
            if (!dir.equals(p.getParent()) || !p.getFileName().toString().equals(host)) throw ErrnoException.of(badNameErrno);
            return p;
        } catch (InvalidPathException e) {
            throw ErrnoException.of(badNameErrno);
        }
    }

    /** Guest bytes as a host string: strict UTF-8, or errno. */
    static String hostString(byte[] b, int errno) {
        boolean ascii = true;
        for (byte x : b) if (x < 0) { ascii = false; break; }
        if (ascii) return new String(b, StandardCharsets.ISO_8859_1); // the same string, without a decoder
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw ErrnoException.of(errno);
        }
    }

    /** A host file name as the guest sees it (its UTF-8 bytes). */
    static String guestName(Path p) {
        return new String(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    // ---- live inodes by path

    private static final class Ref extends WeakReference<HostInode> {
        final String key;

        Ref(HostInode i, String key, ReferenceQueue<HostInode> q) {
            super(i, q);
            this.key = key;
        }
    }

    private void expunge() {
        Ref r;
        while ((r = (Ref) collected.poll()) != null) {
            if (live.get(r.key) == r) live.remove(r.key);
        }
    }

    /**
     * Under the shape lock: the inode for the file at p, whose lstat is a. The same object while
     * it lives, so a rename can move it; a different file now at p gets a new inode (the old one
     * is left without a name).
     */
    HostInode inodeFor(Path p, Attrs a) {
        String key = p.toString();
        synchronized (live) {
            expunge();
            Ref r = live.get(key);
            HostInode i = r == null ? null : r.get();
            if (i != null && i.ino == a.stat().ino() && i.hostDev == a.hostDev() && i.type() == a.type()) {
                i.refresh(a.stat());
                return i;
            }
            if (i != null) i.unlinked();
            HostInode n = new HostInode(this, p, a);
            live.put(key, new Ref(n, key, collected));
            return n;
        }
    }

    /** The live inodes at p and below it, removed from the table. */
    private List<HostInode> takeSubtree(Path p) {
        String key = p.toString();
        List<HostInode> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (live.containsKey(key)) keys.add(key);
        keys.addAll(live.subMap(key + "/", key + "0").keySet()); // '0' follows '/': everything under key/
        for (String k : keys) {
            HostInode i = live.remove(k).get();
            if (i != null) out.add(i);
        }
        return out;
    }

    /** Under the exclusive shape lock: p (and whatever was below it) has no name any more. */
    void forget(Path p) {
        synchronized (live) {
            expunge();
            for (HostInode i : takeSubtree(p)) i.unlinked();
        }
    }

    /** Under the exclusive shape lock: what was at from (and below it) is now at to. */
    void moved(Path from, Path to) {
        synchronized (live) {
            expunge();
            for (HostInode i : takeSubtree(to)) i.unlinked();
            place(takeSubtree(from), from, to);
        }
    }

    /** Under the exclusive shape lock: a and b swapped names (RENAME_EXCHANGE). */
    void exchanged(Path a, Path b) {
        synchronized (live) {
            expunge();
            List<HostInode> underA = takeSubtree(a), underB = takeSubtree(b);
            place(underA, a, b);
            place(underB, b, a);
        }
    }

    private void place(List<HostInode> inodes, Path from, Path to) {
        for (HostInode i : inodes) {
            Path np = to.resolve(from.relativize(i.host));
            i.host = np;
            live.put(np.toString(), new Ref(i, np.toString(), collected));
        }
    }

    // ---- errors

    /** The errno behind a host IOException: by its class, else by glibc's message for it. */
    static int errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
        if (e instanceof DirectoryNotEmptyException) return Errno.ENOTEMPTY;
        if (e instanceof AtomicMoveNotSupportedException) return Errno.EXDEV;
        if (e instanceof FileSystemLoopException) return Errno.ELOOP;
        if (e instanceof NotLinkException) return Errno.EINVAL;
        String r = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (r != null) {
            for (int errno = 1; errno < 200; errno++) {
                String m = Errno.message(errno);
                if (!m.startsWith("Unknown error") && r.startsWith(m)) return errno;
            }
        }
        return Errno.EIO;
    }
}
