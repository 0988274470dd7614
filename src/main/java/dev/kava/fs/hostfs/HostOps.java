package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * The host calls hostfs makes on paths, each on a path whose parent chain {@link HostFs} has
 * checked under its shape lock, and none following a symlink at the last component. Errors
 * are thrown as ErrnoException or IOException (mapped by {@link HostFs#errnoOf}).
 *
 * <p>Two implementations: {@link LinuxHostOps} calls the host's libc through the foreign
 * function API on Linux hosts (exact errno values, FIFOs, renameat2's flags, attribute changes
 * without opening the file); {@link Nio} is portable Java, with the limits its methods document.
 */
interface HostOps {
    /** Creates a regular file exclusively (fails with EEXIST on anything there, a symlink included). */
    void createFile(Path p, int perm) throws IOException;

    void mkdir(Path p, int perm) throws IOException;

    /** Creates a FIFO or a socket node (the type is in mode). */
    void mknod(Path p, int mode) throws IOException;

    /** Creates a symlink whose target is the given bytes. */
    void symlink(Path p, byte[] target) throws IOException;

    byte[] readlink(Path p) throws IOException;

    /** A new name p for the file existing (a symlink itself, never what it points to). */
    void link(Path existing, Path p) throws IOException;

    void unlink(Path p) throws IOException;

    void rmdir(Path p) throws IOException;

    /** rename(2), with RENAME_NOREPLACE or RENAME_EXCHANGE. */
    void rename(Path from, Path to, int flags) throws IOException;

    /** Sets the permission bits of p, which is not a symlink; type is p's S_IFMT. */
    void chmod(Path p, int type, int perm) throws IOException;

    /** lchown; -1 leaves an id as it is. */
    void lchown(Path p, int uid, int gid) throws IOException;

    /** utimensat(AT_SYMLINK_NOFOLLOW); a null time is left as it is. Times are {seconds, nanoseconds}. */
    void utimes(Path p, int type, long[] atime, long[] mtime) throws IOException;

    /** The value of a user.* attribute of a regular file or directory; ENODATA if there is none. */
    byte[] getxattr(Path p, String name) throws IOException;

    /** Sets a user.* attribute (XATTR_CREATE, XATTR_REPLACE in flags). */
    void setxattr(Path p, String name, byte[] value, int flags) throws IOException;

    /** The names of p's attributes (user.* on the host's filesystems that have them). */
    List<String> listxattr(Path p) throws IOException;

    void removexattr(Path p, String name) throws IOException;

    /**
     * Whether dir, an absolute host path made of hostfs's root and names (no "." or ".."),
     * exists and resolves to itself: no component of it is a symlink. False for a symlink or
     * nothing there; other failures (EACCES, ENOTDIR) are thrown.
     */
    default boolean resolvesToItself(Path dir) throws IOException {
        try {
            return dir.toRealPath().equals(dir);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /**
     * lstat(p), the fields hostfs uses, indexed by the LSTAT_* constants; NoSuchFileException
     * when nothing is there. Null when this implementation has no way faster than NIO's
     * attribute views (HostFs then reads those).
     */
    default long[] lstat(Path p) throws IOException {
        return null;
    }

    int LSTAT_MODE = 0, LSTAT_INO = 1, LSTAT_DEV = 2, LSTAT_RDEV = 3, LSTAT_NLINK = 4, LSTAT_UID = 5, LSTAT_GID = 6,
            LSTAT_SIZE = 7, LSTAT_ATIME = 8, LSTAT_ATIME_NSEC = 9, LSTAT_MTIME = 10, LSTAT_MTIME_NSEC = 11,
            LSTAT_CTIME = 12, LSTAT_CTIME_NSEC = 13, LSTAT_FIELDS = 14;

    /** The best the host offers: libc on Linux, unless -Dkava.hostfs.native=false; else Java NIO. */
    static HostOps best() {
        if (LinuxHostOps.available()) return new LinuxHostOps();
        return new Nio();
    }

    /** The prefix of the only xattr namespace hostfs passes to the host. */
    String USER_PREFIX = "user.";

    /**
     * Portable Java. What it cannot do: make FIFOs and sockets (mknod is EPERM), exchange two
     * names (RENAME_EXCHANGE is EINVAL; RENAME_NOREPLACE is checked under the shape lock, which
     * only hostfs's own operations respect), or change the mode, times or attributes of a
     * special file (opening it could block: EOPNOTSUPP). Its chmod, utimes and xattr calls open
     * the file (with O_NOFOLLOW), so the host user needs read or write access to it; errno
     * values come from the host's error message.
     */
    final class Nio implements HostOps {
        @Override
        public void createFile(Path p, int perm) throws IOException {
            Files.createFile(p); // O_CREAT | O_EXCL: never through a symlink
        }

        @Override
        public void mkdir(Path p, int perm) throws IOException {
            Files.createDirectory(p);
        }

        @Override
        public void mknod(Path p, int mode) {
            throw ErrnoException.of(Errno.EPERM);
        }

        @Override
        public void symlink(Path p, byte[] target) throws IOException {
            Files.createSymbolicLink(p, p.getFileSystem().getPath(HostFs.hostString(target, Errno.EINVAL)));
        }

        @Override
        public byte[] readlink(Path p) throws IOException {
            return Files.readSymbolicLink(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void link(Path existing, Path p) throws IOException {
            Files.createLink(p, existing);
        }

        @Override
        public void unlink(Path p) throws IOException {
            Files.delete(p);
        }

        @Override
        public void rmdir(Path p) throws IOException {
            Files.delete(p);
        }

        @Override
        public void rename(Path from, Path to, int flags) throws IOException {
            if ((flags & ~Fcntl.RENAME_NOREPLACE) != 0) throw ErrnoException.of(Errno.EINVAL);
            if ((flags & Fcntl.RENAME_NOREPLACE) != 0 && Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw ErrnoException.of(Errno.EEXIST);
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE); // rename(2)
        }

        private static void needsPlainFile(int type) {
            if (type != Stat.S_IFREG && type != Stat.S_IFDIR) throw ErrnoException.of(Errno.EOPNOTSUPP);
        }

        @Override
        public void chmod(Path p, int type, int perm) throws IOException {
            needsPlainFile(type);
            Files.setAttribute(p, "unix:mode", perm, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void lchown(Path p, int uid, int gid) throws IOException {
            if (uid != -1) Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            if (gid != -1) Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void utimes(Path p, int type, long[] atime, long[] mtime) throws IOException {
            if (type != Stat.S_IFLNK) needsPlainFile(type);
            Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(time(mtime), time(atime), null);
        }

        private static FileTime time(long[] t) {
            if (t == null) return null;
            return FileTime.from(java.time.Instant.ofEpochSecond(t[0], t[1]));
        }

        private static UserDefinedFileAttributeView view(Path p) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (v == null) throw ErrnoException.of(Errno.EOPNOTSUPP);
            return v;
        }

        /** The name without "user." (the view adds it back). */
        private static String bare(String name) {
            return HostFs.hostString(name.substring(USER_PREFIX.length()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), Errno.EINVAL);
        }

        @Override
        public byte[] getxattr(Path p, String name) throws IOException {
            UserDefinedFileAttributeView v = view(p);
            String n = bare(name);
            if (!v.list().contains(n)) throw ErrnoException.of(Errno.ENODATA);
            ByteBuffer b = ByteBuffer.allocate(v.size(n));
            v.read(n, b);
            return java.util.Arrays.copyOf(b.array(), b.position());
        }

        @Override
        public void setxattr(Path p, String name, byte[] value, int flags) throws IOException {
            UserDefinedFileAttributeView v = view(p);
            String n = bare(name);
            boolean exists = v.list().contains(n);
            if ((flags & HostFs.XATTR_CREATE) != 0 && exists) throw ErrnoException.of(Errno.EEXIST);
            if ((flags & HostFs.XATTR_REPLACE) != 0 && !exists) throw ErrnoException.of(Errno.ENODATA);
            v.write(n, ByteBuffer.wrap(value));
        }

        @Override
        public List<String> listxattr(Path p) throws IOException {
            List<String> out = new ArrayList<>();
            for (String n : view(p).list()) {
                out.add(new String((USER_PREFIX + n).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return out;
        }

        @Override
        public void removexattr(Path p, String name) throws IOException {
            UserDefinedFileAttributeView v = view(p);
            String n = bare(name);
            if (!v.list().contains(n)) throw ErrnoException.of(Errno.ENODATA);
            v.delete(n);
        }
    }
}
