package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The root filesystem for now: a host directory seen read-only, with a path walk of its own
 * (a tiny fs/namei.c) that never leaves it. Every component is looked up without following
 * host symlinks; a symlink is read and resolved in guest terms, so ".." and absolute link
 * targets stop at the guest root, as in a chroot. The real VFS and hostfs replace this later.
 */
public final class HostRoot {
    /** MAXSYMLINKS (include/linux/namei.h): symlinks followed in one lookup before ELOOP. */
    public static final int MAXSYMLINKS = 40;
    /** NAME_MAX (include/uapi/linux/limits.h). */
    public static final int NAME_MAX = 255;

    private final Path root;

    /** A guest path resolved to a host file that exists. */
    public record Resolved(String guestPath, Path hostPath, Kstat stat) {}

    public HostRoot(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) throw new NotDirectoryException(root.toString());
    }

    public Path hostRoot() {
        return root;
    }

    /**
     * Resolves path (absolute, or relative to the guest directory base) to an existing file.
     * followLast says whether a symlink in the last component is followed (no O_NOFOLLOW /
     * AT_SYMLINK_NOFOLLOW). A trailing slash requires a directory and follows the last link.
     */
    public Resolved lookup(String base, String path, boolean followLast) {
        if (path.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
        List<String> dir = new ArrayList<>();
        if (!path.startsWith("/")) dir.addAll(split(base));
        boolean mustBeDir = path.endsWith("/");
        if (mustBeDir) followLast = true;
        Deque<String> todo = new ArrayDeque<>(split(path));
        int links = 0;
        Kstat st = statHost(host(dir));
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            boolean last = todo.isEmpty();
            if (!st.isDirectory()) throw ErrnoException.of(Errno.ENOTDIR);
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                if (!dir.isEmpty()) dir.remove(dir.size() - 1);
                st = statHost(host(dir));
                continue;
            }
            if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
                throw ErrnoException.of(Errno.ENAMETOOLONG);
            }
            dir.add(name);
            Path h = host(dir);
            st = statHost(h);
            if (st.isSymlink() && (!last || followLast)) {
                if (++links > MAXSYMLINKS) throw ErrnoException.of(Errno.ELOOP);
                String target = readHostLink(h);
                dir.remove(dir.size() - 1);
                if (target.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
                if (target.startsWith("/")) dir.clear();
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
                st = statHost(host(dir));
            }
        }
        if (mustBeDir && !st.isDirectory()) throw ErrnoException.of(Errno.ENOTDIR);
        return new Resolved("/" + String.join("/", dir), host(dir), st);
    }

    /** Opens a resolved file with open() flags already validated by the caller. */
    public File open(Resolved r, int flags) {
        Kstat st = r.stat();
        if ((flags & Fcntl.O_PATH) != 0) return new PathFile(this, r, flags);
        if (st.isDirectory()) {
            if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY || (flags & Fcntl.O_TRUNC) != 0) throw ErrnoException.of(Errno.EISDIR);
            return new HostDirectory(this, r, flags);
        }
        if ((flags & Fcntl.O_DIRECTORY) != 0) throw ErrnoException.of(Errno.ENOTDIR);
        if (st.isSymlink()) throw ErrnoException.of(Errno.ELOOP); // O_NOFOLLOW on a symlink
        int type = st.mode() & Stat.S_IFMT;
        // Device nodes act as on a nodev mount; fifos and sockets of the host are not passed through.
        if (type == Stat.S_IFCHR || type == Stat.S_IFBLK) throw ErrnoException.of(Errno.EACCES);
        if (type != Stat.S_IFREG) throw ErrnoException.of(Errno.ENXIO);
        if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY || (flags & Fcntl.O_TRUNC) != 0) throw ErrnoException.of(Errno.EROFS);
        return HostFile.open(this, r, flags);
    }

    /** The target of a resolved symlink (readlink). */
    public String readlink(Resolved r) {
        if (!r.stat().isSymlink()) throw ErrnoException.of(Errno.EINVAL);
        return readHostLink(r.hostPath());
    }

    /** lstat() of a host path inside the root. */
    Kstat statHost(Path h) {
        try {
            Map<String, Object> a = Files.readAttributes(h, "unix:*", LinkOption.NOFOLLOW_LINKS);
            long size = (Long) a.get("size");
            FileTime at = (FileTime) a.get("lastAccessTime"), mt = (FileTime) a.get("lastModifiedTime"),
                    ct = (FileTime) a.get("ctime");
            return new Kstat((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
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
            return new Kstat(1, a.fileKey() != null ? a.fileKey().hashCode() & 0xffffffffL : 1, type | perm, 1, 0, 0, 0,
                    a.size(), 4096, (a.size() + 4095) / 4096 * 8, seconds(a.lastAccessTime()), nanos(a.lastAccessTime()),
                    seconds(mt), nanos(mt), seconds(mt), nanos(mt));
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        }
    }

    private static long seconds(FileTime t) {
        return Math.floorDiv(t.toInstant().getEpochSecond(), 1);
    }

    private static long nanos(FileTime t) {
        return t.toInstant().getNano();
    }

    private String readHostLink(Path h) {
        try {
            return Files.readSymbolicLink(h).toString();
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        }
    }

    /** The entries of a host directory, "." and ".." first. */
    List<Directory.Entry> list(Resolved dir) {
        List<Directory.Entry> out = new ArrayList<>();
        out.add(new Directory.Entry(dir.stat().ino(), Stat.DT_DIR, "."));
        String parent = dir.guestPath().equals("/") ? "/" : dir.guestPath().substring(0, Math.max(1, dir.guestPath().lastIndexOf('/')));
        out.add(new Directory.Entry(statHost(host(split(parent))).ino(), Stat.DT_DIR, ".."));
        try (var stream = Files.newDirectoryStream(dir.hostPath())) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                try {
                    Kstat st = statHost(p);
                    out.add(new Directory.Entry(st.ino(), Stat.dtype(st.mode()), name));
                } catch (ErrnoException e) {
                    // Removed while listing: skip it, as a concurrent unlink would.
                }
            }
        } catch (IOException e) {
            throw ErrnoException.of(errnoOf(e));
        }
        return out;
    }

    Path host(List<String> components) {
        Path p = root;
        for (String c : components) p = p.resolve(c);
        return p;
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    static int errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            String r = fse.getReason();
            if (r.contains("Not a directory")) return Errno.ENOTDIR;
            if (r.contains("Too many levels")) return Errno.ELOOP;
            if (r.contains("Permission denied")) return Errno.EACCES;
            if (r.contains("Is a directory")) return Errno.EISDIR;
        }
        return Errno.EIO;
    }
}
