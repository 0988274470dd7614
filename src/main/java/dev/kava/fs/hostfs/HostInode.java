package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file of a hostfs mount: a host path made only of the root and names the walk found,
 * moved along by guest renames. Its attributes are read from the host at each getattr, so
 * changes made on the host are seen. Every host access goes through {@link HostFs#shared} or
 * {@link HostFs#exclusive} and checks the path first (see {@link HostFs}).
 */
final class HostInode extends Inode {
    /** The host path; null once the name is gone (unlinked or replaced). Changed under the exclusive shape lock. */
    volatile Path host;
    final long hostDev;
    /** The host channels of this file's open descriptions, each with whether it may write (for ftruncate and fstat of a file whose name is gone). */
    final Map<FileChannel, Boolean> channels = new ConcurrentHashMap<>();

    HostInode(HostFs sb, Path host, HostFs.Attrs a) {
        super(sb, a.stat().ino(), a.stat().mode());
        this.host = host;
        this.hostDev = a.hostDev();
        refresh(a.stat());
    }

    HostFs fs() {
        return (HostFs) sb;
    }

    /** Takes the host's view of the attributes. */
    synchronized void refresh(Kstat st) {
        mode = st.mode();
        uid = st.uid();
        gid = st.gid();
        size = st.size();
        nlink = st.nlink();
        rdev = st.rdev();
        atimeSec = st.atimeSec();
        atimeNsec = st.atimeNsec();
        mtimeSec = st.mtimeSec();
        mtimeNsec = st.mtimeNsec();
        ctimeSec = st.ctimeSec();
        ctimeNsec = st.ctimeNsec();
    }

    /** The name is gone: the inode lives on for its open files, without a host path. */
    void unlinked() {
        host = null;
        synchronized (this) {
            nlink = 0;
        }
    }

    // ---- checked host paths (call under the shape lock)

    /** This directory's host path, checked to resolve to itself (a removed directory has no entries: ENOENT). */
    private Path dirPath() throws IOException {
        Path p = host;
        if (p == null) throw ErrnoException.of(Errno.ENOENT);
        fs().checkDir(p);
        return p;
    }

    /** This file's host path, checked: its directories resolve to themselves and the name still is this file (ESTALE if not). */
    private Path self() throws IOException {
        return selfAttrs().path;
    }

    private record Checked(Path path, HostFs.Attrs attrs) {}

    private Checked selfAttrs() throws IOException {
        Path p = host;
        if (p == null) throw ErrnoException.of(Errno.ESTALE);
        fs().checkParent(p);
        HostFs.Attrs a = fs().attrsOrNull(p);
        if (a == null || a.stat().ino() != ino || a.hostDev() != hostDev || a.type() != type()) {
            throw ErrnoException.of(Errno.ESTALE);
        }
        refresh(a.stat());
        return new Checked(p, a);
    }

    private void checkWritable() {
        if (sb.readOnly()) throw ErrnoException.of(Errno.EROFS);
    }

    // ---- attributes

    @Override
    public Kstat getattr() {
        try {
            return fs().shared(() -> selfAttrs().attrs.stat());
        } catch (ErrnoException e) {
            if (e.errno != Errno.ESTALE && e.errno != Errno.ENOENT) throw e;
        }
        // No name any more: what we last knew, with the size an open channel sees.
        long sz = -1;
        for (FileChannel ch : channels.keySet()) {
            try {
                sz = ch.size();
                break;
            } catch (IOException ignored) {
                // closed meanwhile: try the next one
            }
        }
        synchronized (this) {
            nlink = 0;
            if (sz >= 0) size = sz;
            return super.getattr();
        }
    }

    @Override
    public synchronized int mode() {
        return mode;
    }

    @Override
    public boolean same(Inode other) {
        if (other == this) return true;
        return other instanceof HostInode h && h.ino == ino && h.hostDev == hostDev && h.host != null && h.host.equals(host);
    }

    /** The host file: its device and inode number (a hostfs mount may span several host filesystems). */
    @Override
    public Object identity() {
        return new HostIdentity(hostDev, ino);
    }

    private record HostIdentity(long dev, long ino) {}

    @Override
    public void setMode(int perm) {
        checkWritable();
        fs().shared(() -> {
            Checked c = selfAttrs();
            int type = c.attrs.type();
            if (type == Stat.S_IFLNK) throw ErrnoException.of(Errno.EOPNOTSUPP);
            if (type != Stat.S_IFDIR && (perm & (Stat.S_ISUID | Stat.S_ISGID)) != 0) throw ErrnoException.of(Errno.EPERM);
            fs().ops.chmod(c.path, type, perm & 07777);
            refresh(fs().attrs(c.path).stat());
            return null;
        });
    }

    @Override
    public void setOwner(int newUid, int newGid) {
        checkWritable();
        fs().shared(() -> {
            Path p = self();
            fs().ops.lchown(p, newUid, newGid);
            refresh(fs().attrs(p).stat());
            return null;
        });
    }

    @Override
    public void setTimes(long aSec, long aNsec, long mSec, long mNsec, boolean setA, boolean setM) {
        checkWritable();
        fs().shared(() -> {
            Checked c = selfAttrs();
            fs().ops.utimes(c.path, c.attrs.type(), setA ? new long[]{aSec, aNsec} : null, setM ? new long[]{mSec, mNsec} : null);
            refresh(fs().attrs(c.path).stat());
            return null;
        });
    }

    @Override
    public void truncate(long newSize) {
        if (isDir()) throw ErrnoException.of(Errno.EISDIR);
        if (!isRegular()) throw ErrnoException.of(Errno.EINVAL);
        if (newSize < 0) throw ErrnoException.of(Errno.EINVAL);
        checkWritable();
        // A descriptor open for writing reaches the file whatever its name: use it (ftruncate).
        for (Map.Entry<FileChannel, Boolean> e : channels.entrySet()) {
            if (!e.getValue()) continue;
            FileChannel ch = e.getKey();
            try {
                resize(ch, newSize);
                return;
            } catch (java.nio.channels.ClosedChannelException closed) {
                // closed meanwhile: try another, or the path
            } catch (IOException ex) {
                throw ErrnoException.of(HostFs.errnoOf(ex));
            }
        }
        fs().shared(() -> {
            Checked c = selfAttrs();
            if (c.attrs.type() != Stat.S_IFREG) throw ErrnoException.of(Errno.EINVAL);
            try (FileChannel ch = FileChannel.open(c.path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                resize(ch, newSize);
            }
            return null;
        });
    }

    /**
     * ftruncate with a channel, which itself only shrinks: growing writes the new last byte (a
     * zero, what the hole reads as). Not atomic against a concurrent write past the old end.
     */
    static void resize(FileChannel ch, long newSize) throws IOException {
        long size = ch.size();
        if (newSize < size) {
            ch.truncate(newSize);
        } else if (newSize > size) {
            ch.write(ByteBuffer.wrap(new byte[1]), newSize - 1);
        }
    }

    // ---- directories

    @Override
    public Inode lookup(String name) {
        return fs().shared(() -> {
            Path dir = dirPath();
            Path p;
            try {
                p = HostFs.child(dir, name);
            } catch (ErrnoException e) {
                return null; // a name the host cannot have
            }
            HostFs.Attrs a = fs().attrsOrNull(p);
            return a == null ? null : fs().inodeFor(p, a);
        });
    }

    @Override
    public List<Directory.Entry> list() {
        return fs().shared(() -> {
            Path dir = dirPath();
            List<Directory.Entry> out = new ArrayList<>();
            try (var stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    HostFs.Attrs a = fs().attrsOrNull(p);
                    if (a == null) continue; // removed while listing, as a concurrent unlink would
                    out.add(new Directory.Entry(a.stat().ino(), Stat.dtype(a.stat().mode()), HostFs.guestName(p)));
                }
            }
            out.sort((x, y) -> x.name().compareTo(y.name())); // a stable order whatever the host's
            return out;
        });
    }

    /** After creating p: its exact mode (the host's umask applied to the creation), its creator when the host allows. */
    private HostInode created(Path p, int type, int perm, Cred c) throws IOException {
        if (type != Stat.S_IFLNK) fs().ops.chmod(p, type, perm);
        HostFs.Attrs a = fs().attrs(p);
        int wantGid = (mode() & Stat.S_ISGID) != 0 ? a.stat().gid() : c.fsgid(); // a setgid directory's group wins
        if (a.stat().uid() != c.fsuid() || a.stat().gid() != wantGid) {
            try {
                fs().ops.lchown(p, c.fsuid(), wantGid);
                a = fs().attrs(p);
            } catch (ErrnoException | IOException e) {
                // The host keeps the file its own (kava runs unprivileged); stat shows the truth.
            }
        }
        return fs().inodeFor(p, a);
    }

    private static void noSetId(int perm) {
        if ((perm & (Stat.S_ISUID | Stat.S_ISGID)) != 0) throw ErrnoException.of(Errno.EPERM);
    }

    @Override
    public Inode create(String name, int mode, Cred c) {
        checkWritable();
        int perm = mode & 07777;
        noSetId(perm);
        return fs().shared(() -> {
            Path p = HostFs.newChild(dirPath(), name);
            fs().ops.createFile(p, perm);
            return created(p, Stat.S_IFREG, perm, c);
        });
    }

    @Override
    public Inode mkdir(String name, int mode, Cred c) {
        checkWritable();
        int perm = mode & 07777;
        return fs().exclusive(() -> {
            Path p = HostFs.newChild(dirPath(), name);
            fs().ops.mkdir(p, perm);
            return created(p, Stat.S_IFDIR, perm, c);
        });
    }

    @Override
    public Inode mknod(String name, int mode, long rdev, Cred c) {
        checkWritable();
        int type = mode & Stat.S_IFMT, perm = mode & 07777;
        if (type == Stat.S_IFREG || type == 0) return create(name, perm, c);
        // Device nodes would be the host's devices to a host process: never made.
        if (type != Stat.S_IFIFO && type != Stat.S_IFSOCK) throw ErrnoException.of(Errno.EPERM);
        noSetId(perm);
        return fs().exclusive(() -> {
            Path p = HostFs.newChild(dirPath(), name);
            fs().ops.mknod(p, type | perm);
            return created(p, type, perm, c);
        });
    }

    @Override
    public Inode symlink(String name, String target, Cred c) {
        checkWritable();
        byte[] t = target.getBytes(StandardCharsets.ISO_8859_1);
        return fs().exclusive(() -> {
            Path p = HostFs.newChild(dirPath(), name);
            fs().ops.symlink(p, t);
            return created(p, Stat.S_IFLNK, 0777, c);
        });
    }

    @Override
    public void link(Inode target, String name) {
        checkWritable();
        if (!(target instanceof HostInode src) || src.sb != sb) throw ErrnoException.of(Errno.EXDEV);
        fs().exclusive(() -> {
            Path p = HostFs.newChild(dirPath(), name);
            Checked s = src.selfAttrs();
            if (s.attrs.type() == Stat.S_IFDIR) throw ErrnoException.of(Errno.EPERM);
            fs().ops.link(s.path, p);
            return null;
        });
    }

    @Override
    public void unlink(String name, Inode victim) {
        checkWritable();
        fs().exclusive(() -> {
            Path p = HostFs.child(dirPath(), name);
            HostFs.Attrs a = fs().attrsOrNull(p);
            if (a == null) throw ErrnoException.of(Errno.ENOENT);
            if (a.type() == Stat.S_IFDIR) throw ErrnoException.of(Errno.EISDIR);
            fs().ops.unlink(p);
            fs().forget(p);
            return null;
        });
    }

    @Override
    public void rmdir(String name, Inode victim) {
        checkWritable();
        fs().exclusive(() -> {
            Path p = HostFs.child(dirPath(), name);
            HostFs.Attrs a = fs().attrsOrNull(p);
            if (a == null) throw ErrnoException.of(Errno.ENOENT);
            if (a.type() != Stat.S_IFDIR) throw ErrnoException.of(Errno.ENOTDIR);
            fs().ops.rmdir(p);
            fs().forget(p);
            return null;
        });
    }

    @Override
    public void rename(String oldName, Inode newDirInode, String newName, int flags) {
        checkWritable();
        if (!(newDirInode instanceof HostInode newDir) || newDir.sb != sb) throw ErrnoException.of(Errno.EXDEV);
        if ((flags & ~(Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE)) != 0) throw ErrnoException.of(Errno.EINVAL);
        fs().exclusive(() -> {
            Path from = HostFs.child(dirPath(), oldName);
            Path to = HostFs.newChild(newDir.dirPath(), newName);
            HostFs.Attrs src = fs().attrsOrNull(from);
            if (src == null) throw ErrnoException.of(Errno.ENOENT);
            HostFs.Attrs dst = fs().attrsOrNull(to);
            boolean exchange = (flags & Fcntl.RENAME_EXCHANGE) != 0;
            if (exchange && dst == null) throw ErrnoException.of(Errno.ENOENT);
            if (dst != null && !exchange && (flags & Fcntl.RENAME_NOREPLACE) == 0
                    && dst.stat().ino() == src.stat().ino() && dst.hostDev() == src.hostDev()) {
                return null; // two names of one file: rename does nothing
            }
            fs().ops.rename(from, to, flags);
            if (exchange) fs().exchanged(from, to);
            else fs().moved(from, to);
            return null;
        });
    }

    // ---- files and links

    @Override
    public String readlink() {
        if (!isSymlink()) throw ErrnoException.of(Errno.EINVAL);
        byte[] target = fs().shared(() -> {
            Checked c = selfAttrs();
            if (c.attrs.type() != Stat.S_IFLNK) throw ErrnoException.of(Errno.EINVAL);
            return fs().ops.readlink(c.path);
        });
        return new String(target, StandardCharsets.ISO_8859_1);
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        if (type() == Stat.S_IFREG) return HostFile.open(this, path, flags);
        // Directories, and special files as the guest's own: a character device means a kava
        // driver (never the host's device), a FIFO a guest pipe; block devices and sockets ENXIO.
        return super.open(t, path, flags);
    }

    /** Under the shape lock, for HostFile: the checked host path of this regular file. */
    Path regularPath() throws IOException {
        Checked c = selfAttrs();
        if (c.attrs.type() != Stat.S_IFREG) throw ErrnoException.of(Errno.ESTALE);
        return c.path;
    }

    // ---- extended attributes: the user.* namespace, on regular files and directories

    private Checked xattrTarget(String name) throws IOException {
        if (!name.startsWith(HostOps.USER_PREFIX)) throw ErrnoException.of(Errno.EOPNOTSUPP);
        Checked c = selfAttrs();
        int type = c.attrs.type();
        // xattr_permission: user.* attributes only on regular files and directories.
        if (type != Stat.S_IFREG && type != Stat.S_IFDIR) throw ErrnoException.of(Errno.EPERM);
        return c;
    }

    @Override
    public byte[] getxattr(String name) {
        return fs().shared(() -> {
            if (!name.startsWith(HostOps.USER_PREFIX)) throw ErrnoException.of(Errno.ENODATA);
            Checked c = selfAttrs();
            int type = c.attrs.type();
            if (type != Stat.S_IFREG && type != Stat.S_IFDIR) throw ErrnoException.of(Errno.ENODATA);
            return fs().ops.getxattr(c.path, name);
        });
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) {
        checkWritable();
        // The exclusive lock makes XATTR_CREATE / XATTR_REPLACE atomic for the NIO calls too.
        fs().exclusive(() -> {
            fs().ops.setxattr(xattrTarget(name).path, name, value, flags);
            return null;
        });
    }

    @Override
    public List<String> listxattr() {
        return fs().shared(() -> {
            Checked c = selfAttrs();
            int type = c.attrs.type();
            if (type != Stat.S_IFREG && type != Stat.S_IFDIR) return List.of();
            List<String> out = new ArrayList<>();
            for (String n : fs().ops.listxattr(c.path)) if (n.startsWith(HostOps.USER_PREFIX)) out.add(n);
            return out;
        });
    }

    @Override
    public void removexattr(String name) {
        checkWritable();
        fs().exclusive(() -> {
            fs().ops.removexattr(xattrTarget(name).path, name);
            return null;
        });
    }
}
