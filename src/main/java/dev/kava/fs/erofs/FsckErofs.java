package dev.kava.fs.erofs;

import dev.kava.abi.Stat;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fsck.erofs: checks an image's structure (superblock and checksum, every inode reachable
 * from the root, directory entries, no directory loops) and decodes every byte of every file;
 * with an extract directory it also writes the tree out: modes, times, symlinks, hard links,
 * user.* xattrs, device nodes and fifos and owners when run as root.
 */
public final class FsckErofs {
    /** The outcome: errors found (empty when clean) and what was checked. */
    public record Report(List<String> errors, long inodes, long dirs, long bytes) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final ErofsImage img;
    private final Path extract;
    private final PrintWriter log;
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private final List<String> errors = new ArrayList<>();
    private final Map<Long, Path> extracted = new HashMap<>();
    private final Set<Long> seen = new HashSet<>();
    private long inodes, dirs, bytes;

    private FsckErofs(ErofsImage img, Path extract, PrintWriter log) {
        this.img = img;
        this.extract = extract;
        this.log = log;
    }

    /** Checks (and extracts) an image; mount-time failures are reported as errors too. */
    public static Report check(Path image, Path extract, PrintWriter log) throws IOException {
        ImageSource src = ImageSource.open(image);
        ErofsImage img;
        try {
            img = ErofsImage.open(src);
        } catch (ErofsException e) {
            src.close();
            return new Report(List.of("cannot mount: " + e.getMessage() + " (" + dev.kava.abi.Errno.name(e.errno) + ")"), 0, 0, 0);
        }
        try (img) {
            return check(img, extract, log);
        }
    }

    public static Report check(ErofsImage img, Path extract, PrintWriter log) throws IOException {
        FsckErofs f = new FsckErofs(img, extract, log);
        f.run();
        return new Report(List.copyOf(f.errors), f.inodes, f.dirs, f.bytes);
    }

    private void error(String path, String msg) {
        errors.add(path + ": " + msg);
        if (log != null) log.println("fsck.erofs: " + path + ": " + msg);
    }

    private record Work(long nid, long parentNid, String path, Path host) {}

    private void run() throws IOException {
        if (extract != null) Files.createDirectories(extract);
        ArrayDeque<Work> todo = new ArrayDeque<>();
        todo.add(new Work(img.rootNid, img.rootNid, "/", extract));
        List<Object[]> dirTimes = new ArrayList<>();
        while (!todo.isEmpty()) {
            Work w = todo.poll();
            ErofsImage.Node d;
            try {
                d = img.node(w.nid);
            } catch (ErofsException e) {
                error(w.path, e.getMessage());
                continue;
            }
            if (!seen.add(w.nid)) {
                error(w.path, "directory nid " + w.nid + " is reachable twice (loop or hard-linked directory)");
                continue;
            }
            inodes++;
            dirs++;
            List<ErofsImage.Dirent> entries;
            try {
                entries = img.readdir(d);
                checkXattrs(d, w.path, w.host);
            } catch (ErofsException e) {
                error(w.path, e.getMessage());
                continue;
            }
            byte[] prev = null;
            for (ErofsImage.Dirent e : entries) {
                String name = e.nameString();
                if (prev != null && ErofsImage.compare(prev, e.name()) >= 0) error(w.path, "entries not sorted at \"" + name + "\"");
                prev = e.name();
                if (name.equals(".")) {
                    if (e.nid() != w.nid) error(w.path, "\".\" points to nid " + e.nid());
                    continue;
                }
                if (name.equals("..")) {
                    if (e.nid() != w.parentNid) error(w.path, "\"..\" points to nid " + e.nid() + ", not " + w.parentNid);
                    continue;
                }
                if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                    error(w.path, "bad name \"" + name + "\"");
                    continue;
                }
                String path = w.path.equals("/") ? "/" + name : w.path + "/" + name;
                Path host = w.host == null ? null : w.host.resolve(hostName(e.name()));
                ErofsImage.Node c;
                try {
                    c = img.node(e.nid());
                } catch (ErofsException ex) {
                    error(path, ex.getMessage());
                    continue;
                }
                if (MkfsErofs.fileType(c.mode) != e.fileType()) {
                    error(path, "file type " + e.fileType() + " in the directory, mode " + Integer.toOctalString(c.mode) + " in the inode");
                }
                if (c.isDir()) {
                    if (host != null) Files.createDirectories(host);
                    todo.add(new Work(e.nid(), w.nid, path, host));
                    if (host != null) dirTimes.add(new Object[]{host, c});
                    continue;
                }
                try {
                    checkFile(c, path, host);
                } catch (ErofsException ex) {
                    error(path, ex.getMessage());
                }
            }
        }
        if (extract != null) {
            // Directories last, deepest first, so writing into them does not change their times.
            applyAttrs(extract, img.root());
            for (int i = dirTimes.size() - 1; i >= 0; i--) applyAttrs((Path) dirTimes.get(i)[0], (ErofsImage.Node) dirTimes.get(i)[1]);
        }
    }

    private static String hostName(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }

    private void checkFile(ErofsImage.Node n, String path, Path host) throws IOException {
        boolean first = seen.add(n.nid);
        if (first) inodes++;
        if (!first && host != null && extracted.containsKey(n.nid)) {
            Files.createLink(host, extracted.get(n.nid));
            return;
        }
        switch (n.type()) {
            case Stat.S_IFREG -> {
                if (first || host != null) readFile(n, host);
            }
            case Stat.S_IFLNK -> {
                byte[] t = img.readlink(n);
                if (host != null) Files.createSymbolicLink(host, Path.of(new String(t, StandardCharsets.UTF_8)));
            }
            case Stat.S_IFCHR, Stat.S_IFBLK, Stat.S_IFIFO, Stat.S_IFSOCK -> {
                if (host != null) {
                    if (!mknod(host, n)) {
                        error(path, "cannot create " + (root ? "" : "(not root) ") + "special file");
                        return;
                    }
                }
            }
            default -> error(path, "bogus mode " + Integer.toOctalString(n.mode));
        }
        checkXattrs(n, path, host);
        if (host != null) {
            extracted.put(n.nid, host);
            applyAttrs(host, n);
        }
    }

    private void readFile(ErofsImage.Node n, Path host) throws IOException {
        byte[] buf = new byte[1 << 20];
        FileChannel out = host == null ? null
                : FileChannel.open(host, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            long pos = 0;
            while (pos < n.size) {
                int k = img.read(n, pos, buf, 0, (int) Math.min(buf.length, n.size - pos));
                if (k <= 0) throw ErofsException.corrupted("short read at " + pos);
                if (out != null && !allZero(buf, k)) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, k);
                    long p = pos;
                    while (bb.hasRemaining()) p += out.write(bb, p);
                }
                pos += k;
                bytes += k;
            }
            if (out != null) out.truncate(n.size);
            if (out != null && out.size() < n.size) {
                out.write(ByteBuffer.wrap(new byte[1]), n.size - 1); // keep holes, reach the size
            }
        } finally {
            if (out != null) out.close();
        }
    }

    private static boolean allZero(byte[] b, int len) {
        for (int i = 0; i < len; i++) if (b[i] != 0) return false;
        return true;
    }

    private void checkXattrs(ErofsImage.Node n, String path, Path host) {
        List<ErofsImage.Xattr> xs = img.xattrs(n);
        if (host == null || xs.isEmpty()) return;
        if (n.type() == Stat.S_IFLNK) return;
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(host, UserDefinedFileAttributeView.class);
            for (ErofsImage.Xattr x : xs) {
                if (!x.name().startsWith("user.")) continue; // other namespaces need more than Java offers
                if (v == null) continue;
                v.write(x.name().substring(5), ByteBuffer.wrap(x.value()));
            }
        } catch (IOException e) {
            error(path, "cannot set xattrs: " + e.getMessage());
        }
    }

    private void applyAttrs(Path host, ErofsImage.Node n) {
        try {
            if (root) {
                Files.setAttribute(host, "unix:uid", n.uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(host, "unix:gid", n.gid, LinkOption.NOFOLLOW_LINKS);
            }
            if (n.type() != Stat.S_IFLNK) Files.setAttribute(host, "unix:mode", n.mode & 07777);
            FileTime t = FileTime.from(Instant.ofEpochSecond(n.mtime, n.mtimeNsec));
            Files.setAttribute(host, "basic:lastModifiedTime", t, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            error(host.toString(), "cannot set attributes: " + e.getMessage());
        }
    }

    // mknod(2) through the C library: Java has no API for device nodes and fifos.
    private static final MethodHandle MKNOD;

    static {
        MethodHandle m = null;
        try {
            Linker l = Linker.nativeLinker();
            m = l.downcallHandle(l.defaultLookup().find("mknod").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        } catch (Throwable t) {
            m = null;
        }
        MKNOD = m;
    }

    private boolean mknod(Path host, ErofsImage.Node n) {
        if (MKNOD == null) return false;
        long major = n.rdevMajor(), minor = n.rdevMinor();
        // glibc's makedev
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        try (Arena a = Arena.ofConfined()) {
            int r = (int) MKNOD.invokeExact(a.allocateFrom(host.toString()), n.mode & 0177777, dev);
            return r == 0;
        } catch (Throwable t) {
            return false;
        }
    }
}
