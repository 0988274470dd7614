package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Path walking (fs/namei.c): from the root, the working directory or a directory descriptor,
 * one component at a time, through mounts in both directions, following symlinks (at most
 * MAXSYMLINKS per lookup), with the openat2 RESOLVE_* restrictions.
 */
public final class Namei {
    private Namei() {}

    /** MAXSYMLINKS (include/linux/namei.h). */
    public static final int MAXSYMLINKS = 40;
    /** NAME_MAX (include/uapi/linux/limits.h). */
    public static final int NAME_MAX = 255;

    // openat2 resolve flags (include/uapi/linux/openat2.h)
    public static final int RESOLVE_NO_XDEV = 0x01;
    public static final int RESOLVE_NO_MAGICLINKS = 0x02;
    public static final int RESOLVE_NO_SYMLINKS = 0x04;
    public static final int RESOLVE_BENEATH = 0x08;
    public static final int RESOLVE_IN_ROOT = 0x10;
    public static final int RESOLVE_CACHED = 0x20;
    public static final int RESOLVE_ALL = 0x3f;

    /** What the last component of a parent lookup is (LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT). */
    public enum LastType { NORM, ROOT, DOT, DOTDOT }

    /** The result of a parent lookup: the directory, the last name and its kind, and whether a slash followed it. */
    public record Parent(FsPath dir, String last, LastType type, boolean trailingSlash) {}

    /** One walk in progress (struct nameidata). */
    static final class Nd {
        /** The task walking (for magic links), or null for the kernel's own lookups. */
        final Task task;
        final dev.kava.kernel.Cred cred;
        FsPath root;
        FsPath pos;
        int links;
        final int resolve;
        /** Where RESOLVE_BENEATH lookups must stay (nd->root for BENEATH). */
        final boolean beneath;

        Nd(Task task, dev.kava.kernel.Cred cred, FsPath root, FsPath start, int resolve) {
            this.task = task;
            this.cred = cred;
            this.root = root;
            this.pos = start;
            this.resolve = resolve;
            this.beneath = (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;
        }
    }

    /** path_init: where name starts, and the root it may not climb above. */
    static Nd init(Task t, int dirfd, String name, int resolve) {
        FsPath root = t.group.fs.root();
        FsPath start;
        boolean absolute = name.startsWith("/");
        if (absolute && (resolve & RESOLVE_BENEATH) != 0) throw ErrnoException.of(Errno.EXDEV);
        if (absolute && (resolve & RESOLVE_IN_ROOT) == 0) {
            start = root;
        } else if (dirfd == Fcntl.AT_FDCWD) {
            start = t.group.fs.cwd();
        } else {
            File f = t.group.files.require(dirfd);
            if (f.path() == null) throw ErrnoException.of(Errno.ENOTDIR);
            if (!f.path().inode().isDir() && !name.isEmpty()) throw ErrnoException.of(Errno.ENOTDIR);
            start = f.path();
        }
        if ((resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0) root = start;
        return new Nd(t, t.group.cred, root, start, resolve);
    }

    /** A lookup by the kernel itself (kern_path): from start, with root as "/", as cred. */
    public static FsPath kernLookup(dev.kava.kernel.Cred cred, FsPath root, FsPath start, String name, boolean followLast) {
        if (name.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
        return walk(new Nd(null, cred, root, start, 0), name, followLast);
    }

    /** filename_lookup: the location name leads to, which must exist. followLast: no O_NOFOLLOW/AT_SYMLINK_NOFOLLOW. */
    public static FsPath lookup(Task t, int dirfd, String name, boolean followLast) {
        return lookup(t, dirfd, name, followLast, 0);
    }

    public static FsPath lookup(Task t, int dirfd, String name, boolean followLast, int resolve) {
        if (name.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
        Nd nd = init(t, dirfd, name, resolve);
        return walk(nd, name, followLast);
    }

    /** The location of an AT_EMPTY_PATH "" name: dirfd itself, or the working directory. */
    public static FsPath emptyPath(Task t, int dirfd) {
        if (dirfd == Fcntl.AT_FDCWD) return t.group.fs.cwd();
        File f = t.group.files.require(dirfd);
        if (f.path() == null) throw ErrnoException.of(Errno.EBADF);
        return f.path();
    }

    /** Walks name from nd's position to the final location. */
    static FsPath walk(Nd nd, String name, boolean followLast) {
        if (name.startsWith("/")) jumpRoot(nd);
        Deque<String> todo = split(name);
        boolean mustBeDir = name.endsWith("/");
        if (mustBeDir) followLast = true;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            boolean last = todo.isEmpty();
            FsPath next = step(nd, c);
            if (next.inode().isSymlink() && (!last || followLast)) {
                String target = followLink(nd, next);
                if (target == null) continue; // a magic link moved nd.pos itself
                if (last && target.endsWith("/")) mustBeDir = true;
                Deque<String> parts = split(target);
                while (!parts.isEmpty()) todo.addFirst(parts.pollLast());
                continue;
            }
            nd.pos = next;
        }
        if (mustBeDir && !nd.pos.inode().isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        return nd.pos;
    }

    /** filename_parentat: every component but the last. */
    public static Parent lookupParent(Task t, int dirfd, String name) {
        return lookupParent(t, dirfd, name, 0);
    }

    public static Parent lookupParent(Task t, int dirfd, String name, int resolve) {
        if (name.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
        Nd nd = init(t, dirfd, name, resolve);
        return walkParent(nd, name);
    }

    static Parent walkParent(Nd nd, String name) {
        if (name.startsWith("/")) jumpRoot(nd);
        Deque<String> todo = split(name);
        boolean slash = name.endsWith("/");
        if (todo.isEmpty()) return new Parent(nd.pos, "/", LastType.ROOT, slash);
        String last = todo.pollLast();
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            FsPath next = step(nd, c);
            if (next.inode().isSymlink()) {
                String target = followLink(nd, next);
                if (target == null) continue;
                Deque<String> parts = split(target);
                while (!parts.isEmpty()) todo.addFirst(parts.pollLast());
                continue;
            }
            nd.pos = next;
        }
        if (!nd.pos.inode().isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        // link_path_walk's may_lookup before the last component: the directory must be searchable.
        Permission.check(nd.cred, nd.pos.inode(), Permission.MAY_EXEC);
        LastType type = last.equals(".") ? LastType.DOT : last.equals("..") ? LastType.DOTDOT : LastType.NORM;
        if (type == LastType.NORM && last.length() > NAME_MAX) { // one char per byte (ISO-8859-1)
            throw ErrnoException.of(Errno.ENAMETOOLONG);
        }
        return new Parent(nd.pos, last, type, slash);
    }

    /**
     * Continues a lookup whose last component named a symlink that must be followed (open's
     * O_CREAT path: creating through a dangling link creates its target). Returns the parent
     * of the target's last component.
     */
    static Parent followLastLink(Nd nd, FsPath dir, FsPath link) {
        nd.pos = dir;
        String target = followLink(nd, link);
        if (target == null) return new Parent(nd.pos, ".", LastType.DOT, false);
        return walkParent(nd, target);
    }

    /** One component from nd.pos (walk_component), without following a final symlink. */
    static FsPath step(Nd nd, String name) {
        FsPath pos = nd.pos;
        Inode dir = pos.inode();
        if (!dir.isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        Permission.check(nd.cred, dir, Permission.MAY_EXEC);
        if (name.equals(".")) return pos;
        if (name.equals("..")) return dotdot(nd);
        if (name.length() > NAME_MAX) throw ErrnoException.of(Errno.ENAMETOOLONG); // guest names hold a byte per char
        Dentry child;
        synchronized (dir.lock) {
            child = pos.dentry().child(name);
        }
        if (child == null) throw ErrnoException.of(Errno.ENOENT);
        FsPath next = MountNamespace.followDown(new FsPath(pos.mnt(), child));
        if (next.mnt() != pos.mnt() && (nd.resolve & RESOLVE_NO_XDEV) != 0) throw ErrnoException.of(Errno.EXDEV);
        return next;
    }

    /** follow_dotdot: never above the root; across mounts upward. */
    private static FsPath dotdot(Nd nd) {
        FsPath pos = nd.pos;
        if (samePath(pos, nd.root)) {
            if ((nd.resolve & RESOLVE_BENEATH) != 0) throw ErrnoException.of(Errno.EXDEV);
            return pos;
        }
        FsPath up = MountNamespace.followUp(pos);
        if (up.mnt() != pos.mnt() && (nd.resolve & RESOLVE_NO_XDEV) != 0) throw ErrnoException.of(Errno.EXDEV);
        if (samePath(up, nd.root)) return up;
        FsPath parent = new FsPath(up.mnt(), up.dentry().parent());
        if (nd.beneath && !parent.dentry().isSubdirOf(nd.root.dentry()) && parent.mnt() == nd.root.mnt()) {
            // A rename moved the start directory's ancestors around: refuse as Linux does (-EAGAIN/-EXDEV).
            throw ErrnoException.of(Errno.EXDEV);
        }
        return MountNamespace.followDown(parent);
    }

    private static boolean samePath(FsPath a, FsPath b) {
        return a.mnt() == b.mnt() && a.dentry() == b.dentry();
    }

    private static void jumpRoot(Nd nd) {
        if ((nd.resolve & RESOLVE_BENEATH) != 0 && !samePath(nd.pos, nd.root)) throw ErrnoException.of(Errno.EXDEV);
        nd.pos = nd.root;
    }

    /**
     * pick_link: counts the link, then either moves nd.pos (a magic link; returns null) or
     * returns the target text, having moved nd.pos to the root for an absolute target.
     */
    private static String followLink(Nd nd, FsPath link) {
        if (++nd.links > MAXSYMLINKS) throw ErrnoException.of(Errno.ELOOP);
        if ((nd.resolve & RESOLVE_NO_SYMLINKS) != 0 || link.mnt().noSymFollow()) throw ErrnoException.of(Errno.ELOOP);
        Inode inode = link.inode();
        FsPath magic = nd.task == null ? null : inode.followMagic(nd.task);
        if (magic != null) {
            if ((nd.resolve & RESOLVE_NO_MAGICLINKS) != 0 || nd.beneath) throw ErrnoException.of(Errno.ELOOP);
            nd.pos = magic;
            return null;
        }
        String target = nd.task != null ? inode.readlink(nd.task) : inode.readlink();
        if (target.isEmpty()) throw ErrnoException.of(Errno.ENOENT);
        if (target.startsWith("/")) jumpRoot(nd);
        return target;
    }

    static Deque<String> split(String path) {
        Deque<String> out = new ArrayDeque<>();
        int i = 0, n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') i++;
            int j = i;
            while (j < n && path.charAt(j) != '/') j++;
            if (j > i) out.addLast(path.substring(i, j));
            i = j;
        }
        return out;
    }
}
