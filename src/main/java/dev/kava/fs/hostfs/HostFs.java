package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Kstat;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * hostfs: a host directory bound into the guest (like UML's hostfs or a 9p/virtiofs share).
 * The VFS walks it one component at a time and resolves every symlink in guest terms, so a
 * guest path never leaves the directory: host paths are only ever built from the root plus
 * names the walk found to be real directories, and host operations never follow a final
 * symlink. Read-only unless mounted read-write.
 */
public final class HostFs extends SuperBlock {
    /** HOSTFS_SUPER_MAGIC (include/uapi/linux/magic.h). */
    public static final long HOSTFS_SUPER_MAGIC = 0x00c0ffeeL;

    private final Path root;

    public HostFs(Path root, boolean readOnly, LongSupplier clock) throws IOException {
        super("hostfs", clock, readOnly);
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) throw new NotDirectoryException(root.toString());
        setRoot(new HostInode(this, this.root, statHost(this.root)));
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

    /** lstat() of a host path inside the root, with this superblock's device number. */
    Kstat statHost(Path h) {
        try {
            Map<String, Object> a = Files.readAttributes(h, "unix:*", LinkOption.NOFOLLOW_LINKS);
            long size = (Long) a.get("size");
            FileTime at = (FileTime) a.get("lastAccessTime"), mt = (FileTime) a.get("lastModifiedTime"),
                    ct = (FileTime) a.get("ctime");
            return new Kstat(dev(), (Long) a.get("ino"), (Integer) a.get("mode"),
                    (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"),
                    size, 4096, (size + 4095) / 4096 * 8,
                    seconds(at), nanos(at), seconds(mt), nanos(mt), seconds(ct), nanos(ct));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return statBasic(h);
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        }
    }

    /** For hosts without the "unix" attribute view: a mode made up from the basic attributes. */
    private Kstat statBasic(Path h) {
        try {
            BasicFileAttributes a = Files.readAttributes(h, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int type = a.isDirectory() ? Stat.S_IFDIR : a.isSymbolicLink() ? Stat.S_IFLNK : a.isRegularFile() ? Stat.S_IFREG : Stat.S_IFCHR;
            int perm = a.isDirectory() ? 0755 : Files.isExecutable(h) ? 0755 : 0644;
            FileTime mt = a.lastModifiedTime();
            return new Kstat(dev(), a.fileKey() != null ? a.fileKey().hashCode() & 0xffffffffL : 1, type | perm, 1, 0, 0, 0,
                    a.size(), 4096, (a.size() + 4095) / 4096 * 8, seconds(a.lastAccessTime()), nanos(a.lastAccessTime()),
                    seconds(mt), nanos(mt), seconds(mt), nanos(mt));
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        }
    }

    private static long seconds(FileTime t) {
        return t.toInstant().getEpochSecond();
    }

    private static long nanos(FileTime t) {
        return t.toInstant().getNano();
    }

    /** The host path for a guest name (bytes held one char per byte) under a host directory. */
    static Path child(Path dir, String guestName) {
        String host = new String(guestName.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
        if (host.isEmpty() || host.equals(".") || host.equals("..") || host.indexOf('/') >= 0 || host.indexOf('\0') >= 0) {
            throw ErrnoException.of(Errno.ENOENT);
        }
        return dir.resolve(host);
    }

    /** A host file name as the guest sees it (its UTF-8 bytes). */
    static String guestName(Path p) {
        return new String(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static int errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
        if (e instanceof DirectoryNotEmptyException) return Errno.ENOTEMPTY;
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            String r = fse.getReason();
            if (r.contains("Not a directory")) return Errno.ENOTDIR;
            if (r.contains("Too many levels")) return Errno.ELOOP;
            if (r.contains("Permission denied")) return Errno.EACCES;
            if (r.contains("Is a directory")) return Errno.EISDIR;
            if (r.contains("No space")) return Errno.ENOSPC;
            if (r.contains("Read-only")) return Errno.EROFS;
            if (r.contains("Operation not permitted")) return Errno.EPERM;
            if (r.contains("Directory not empty")) return Errno.ENOTEMPTY;
            if (r.contains("Invalid cross-device")) return Errno.EXDEV;
        }
        return Errno.EIO;
    }
}
