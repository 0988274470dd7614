package dev.kava.tools.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The root filesystem being built: a host directory whose paths are walked with the guest's
 * rules, as if chrooted into it. Symlinks in the middle of a path are followed inside the tree
 * (an absolute target starts again at the tree's root, {@code ..} stops at it), so that neither a
 * package's file names nor its symlinks can write outside the tree, and so that
 * {@code ./bin/foo} lands in {@code usr/bin} when {@code /bin} is the merged-/usr symlink.
 * Every change is recorded in the {@link Manifest}.
 */
public final class StagingTree {
    private static final int MAX_LINKS = 40; // Linux's MAXSYMLINKS

    private final Path root;
    private final Manifest manifest;

    public StagingTree(Path root, Manifest manifest) {
        this.root = root;
        this.manifest = manifest;
    }

    public Path root() {
        return root;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** A resolved guest path: its canonical guest name ("/usr/bin/x") and its host path. */
    public record Resolved(String guestPath, Path host) {}

    /**
     * Splits a path as packaged ("./usr/bin/x", "/etc/", "usr//lib") into components;
     * rejects ".." so that a name can never climb out.
     */
    public static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) throw new RootfsException("path with '..' in a package: " + name);
            if (c.indexOf('\0') >= 0) throw new RootfsException("path with a NUL byte in a package: " + name);
            out.add(c);
        }
        return out;
    }

    /**
     * Resolves {@code name} inside the tree: every symlink but the last component is followed
     * (the last too if {@code followLast}); missing directories on the way are created (root's,
     * 0755) when {@code create}, otherwise null is returned for a missing one.
     */
    public Resolved resolve(String name, boolean followLast, boolean create) {
        Deque<String> todo = new ArrayDeque<>(components(name));
        List<String> cur = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!cur.isEmpty()) cur.removeLast();
                continue;
            }
            Path host = hostOf(cur).resolve(c);
            boolean last = todo.isEmpty();
            if (Files.isSymbolicLink(host) && (!last || followLast)) {
                if (++links > MAX_LINKS) throw new RootfsException("too many levels of symbolic links resolving " + name);
                String target;
                try {
                    target = Files.readSymbolicLink(host).toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (target.startsWith("/")) cur.clear();
                List<String> t = new ArrayList<>();
                for (String s : target.split("/")) if (!s.isEmpty()) t.add(s);
                for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
                continue;
            }
            if (!last) {
                if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                    if (!create) return null;
                    mkdir(host, guestOf(cur, c), Manifest.Entry.dir(0755, 0, 0));
                } else if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RootfsException("cannot resolve " + name + ": " + guestOf(cur, c) + " is not a directory");
                }
            }
            cur.add(c);
        }
        return new Resolved(guestOf(cur, null), hostOf(cur));
    }

    private Path hostOf(List<String> comps) {
        Path p = root;
        for (String c : comps) p = p.resolve(c);
        return p;
    }

    private static String guestOf(List<String> comps, String extra) {
        StringBuilder sb = new StringBuilder();
        for (String c : comps) sb.append('/').append(c);
        if (extra != null) sb.append('/').append(extra);
        return sb.isEmpty() ? "/" : sb.toString();
    }

    private void mkdir(Path host, String guest, Manifest.Entry e) {
        try {
            Files.createDirectory(host);
            setPermissions(host, e.mode() | 0700);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        manifest.put(guest, e);
    }

    /** Whether a guest path exists (following symlinks inside the tree). */
    public boolean exists(String name) {
        Resolved r = resolve(name, true, false);
        return r != null && Files.exists(r.host(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Makes {@code name} a directory with this metadata. An existing directory, or a symlink to
     * one (merged /usr's /bin), is kept, as dpkg keeps it; its metadata is updated.
     */
    public Resolved directory(String name, Manifest.Entry e) throws IOException {
        Resolved r = resolve(name, false, true);
        Path h = r.host();
        if (Files.isSymbolicLink(h)) {
            Resolved t = resolve(name, true, false);
            if (t != null && Files.isDirectory(t.host(), LinkOption.NOFOLLOW_LINKS)) return t;
            removeLeaf(r);
        } else if (Files.exists(h, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) {
            removeLeaf(r);
        }
        if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS)) {
            mkdir(h, r.guestPath(), e);
        } else {
            setPermissions(h, e.mode() | 0700);
            manifest.put(r.guestPath(), e);
        }
        return r;
    }

    /** Writes a regular file from a stream (replacing a file or symlink there). */
    public Resolved file(String name, InputStream content, Manifest.Entry e) throws IOException {
        Resolved r = leafForReplacement(name);
        Files.copy(content, r.host());
        setPermissions(r.host(), (e.mode() & 0777) | 0600);
        manifest.put(r.guestPath(), e);
        return r;
    }

    /** Writes a regular file with the given bytes. */
    public Resolved file(String name, byte[] content, Manifest.Entry e) throws IOException {
        return file(name, new java.io.ByteArrayInputStream(content), e);
    }

    /** Makes {@code name} a symlink to {@code target} (replacing a file or symlink there). */
    public Resolved symlink(String name, String target, int uid, int gid) throws IOException {
        Resolved r = leafForReplacement(name);
        Files.createSymbolicLink(r.host(), Path.of(target));
        manifest.put(r.guestPath(), Manifest.Entry.symlink(target, uid, gid));
        return r;
    }

    /** Makes {@code name} a hard link to the existing regular file {@code existing}. */
    public Resolved hardlink(String name, String existing) throws IOException {
        Resolved t = resolve(existing, false, false);
        if (t == null || !Files.isRegularFile(t.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new RootfsException("hard link " + name + " to " + existing + ", which is not a regular file in the tree");
        }
        Resolved r = leafForReplacement(name);
        if (r.host().equals(t.host())) return r;
        Files.createLink(r.host(), t.host());
        Manifest.Entry te = manifest.get(t.guestPath());
        if (te == null) te = Manifest.Entry.file(0644, 0, 0);
        manifest.put(r.guestPath(), new Manifest.Entry(Manifest.Type.FILE, te.mode(), te.uid(), te.gid(), null, 0, 0,
                te.hardlinkTo() != null ? te.hardlinkTo() : t.guestPath()));
        return r;
    }

    /** A device node or FIFO: an empty placeholder file on disk, the truth in the manifest. */
    public Resolved special(String name, Manifest.Entry e) throws IOException {
        Resolved r = leafForReplacement(name);
        Files.createFile(r.host());
        setPermissions(r.host(), 0600);
        manifest.put(r.guestPath(), e);
        return r;
    }

    /** Resolves the parent and clears the leaf, unless it is a non-empty directory (then refuses). */
    private Resolved leafForReplacement(String name) throws IOException {
        Resolved r = resolve(name, false, true);
        if (r.guestPath().equals("/")) throw new RootfsException("cannot replace the root directory");
        if (Files.exists(r.host(), LinkOption.NOFOLLOW_LINKS)) removeLeaf(r);
        return r;
    }

    private void removeLeaf(Resolved r) throws IOException {
        Path h = r.host();
        if (Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(h)) {
                if (s.findAny().isPresent()) throw new RootfsException(r.guestPath() + " is a non-empty directory and cannot be replaced");
            }
        }
        Files.delete(h);
        manifest.removeTree(r.guestPath());
    }

    /** Sets the modification time of a path (not following a final symlink); best effort. */
    public static void setMtime(Path p, FileTime t) {
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // Timestamps are cosmetic for the tree.
        }
    }

    static void setPermissions(Path p, int mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms(mode));
        } catch (UnsupportedOperationException e) {
            // A host filesystem without POSIX permissions: the manifest still has them.
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) if ((mode & (1 << i)) != 0) s.add(order[i]);
        return s;
    }

    /**
     * Gives every file its packaged permission bits (directories keep owner rwx) and every
     * directory the same modification time, so that the tree is reproducible.
     */
    public void finish(FileTime dirTime) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Map.Entry<String, Manifest.Entry> me : manifest.entries().entrySet()) {
            Path h = me.getKey().equals("/") ? root : root.resolve(me.getKey().substring(1));
            Manifest.Entry e = me.getValue();
            switch (e.type()) {
                case FILE -> {
                    if (Files.isRegularFile(h, LinkOption.NOFOLLOW_LINKS)) setPermissions(h, (e.mode() & 0777) | 0400); // the image writer must read it
                }
                case DIR -> {
                    if (!Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS)) continue;
                    setPermissions(h, (e.mode() & 0777) | 0700);
                    dirs.add(h);
                }
                default -> { }
            }
        }
        for (Path d : dirs) setMtime(d, dirTime);
    }
}
