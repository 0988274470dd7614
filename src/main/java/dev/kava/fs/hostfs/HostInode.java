package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of a hostfs mount: a host path made only of the root and names the walk found. Its
 * attributes are read from the host at each getattr, so changes made on the host are seen.
 */
final class HostInode extends Inode {
    final Path host;
    private final long hostDev;

    HostInode(HostFs sb, Path host, Kstat st) {
        super(sb, st.ino(), st.mode());
        this.host = host;
        this.hostDev = st.dev();
        this.rdev = st.rdev();
    }

    HostFs fs() {
        return (HostFs) sb;
    }

    @Override
    public Kstat getattr() {
        Kstat st = fs().statHost(host);
        synchronized (this) {
            mode = st.mode();
            uid = st.uid();
            gid = st.gid();
            size = st.size();
            nlink = st.nlink();
        }
        return st;
    }

    @Override
    public synchronized int mode() {
        return mode;
    }

    @Override
    public boolean same(Inode other) {
        return other instanceof HostInode h && h.ino == ino && h.hostDev == hostDev && h.host.equals(host);
    }

    @Override
    public Inode lookup(String name) {
        Path p = HostFs.child(host, name);
        Kstat st;
        try {
            st = fs().statHost(p);
        } catch (ErrnoException e) {
            if (e.errno == Errno.ENOENT) return null;
            throw e;
        }
        return new HostInode(fs(), p, st);
    }

    @Override
    public List<Directory.Entry> list() {
        List<Directory.Entry> out = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(host)) {
            for (Path p : stream) {
                try {
                    Kstat st = fs().statHost(p);
                    out.add(new Directory.Entry(st.ino(), Stat.dtype(st.mode()), HostFs.guestName(p)));
                } catch (ErrnoException e) {
                    // Removed while listing: skip it, as a concurrent unlink would.
                }
            }
        } catch (IOException e) {
            throw ErrnoException.of(HostFs.errnoOf(e));
        }
        out.sort((a, b) -> a.name().compareTo(b.name())); // a stable order whatever the host's
        return out;
    }

    @Override
    public String readlink() {
        if (!isSymlink()) throw ErrnoException.of(Errno.EINVAL);
        try {
            return new String(Files.readSymbolicLink(host).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw ErrnoException.of(HostFs.errnoOf(e));
        }
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        int type = type();
        if (type == Stat.S_IFREG) return HostFile.open(this, path, flags);
        // Host device nodes, fifos and sockets are not passed through: they stay the host's.
        if (type == Stat.S_IFCHR || type == Stat.S_IFBLK) throw ErrnoException.of(Errno.EACCES);
        if (type == Stat.S_IFIFO || type == Stat.S_IFSOCK) throw ErrnoException.of(Errno.ENXIO);
        return super.open(t, path, flags);
    }
}
