package dev.kava.fs.notify;

import dev.kava.fs.Dentry;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.SuperBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fsnotify core (fs/notify/fsnotify.c, fs/notify/mark.c) and the hooks the VFS calls after
 * each change (include/linux/fsnotify.h). An event is delivered to the marks on the inode it
 * happened to and, for the events a file can have (open, access, modify, attrib, close), to the
 * marks of its parent directory that watch their children, with the file's name. A directory's
 * entry events (create, delete, moves) go to the directory's marks with the entry's name.
 *
 * Every hook first checks whether the superblock has any mark at all (s_fsnotify_connectors),
 * so the cost when nobody watches is a field read.
 *
 * Only changes made by the guest are seen: a hostfs file changed on the host directly (not
 * through kava) makes no event, as a change made to an NFS export by its server does not.
 */
public final class Fsnotify {
    private Fsnotify() {}

    // ---- the event bits (include/linux/fsnotify_backend.h), the same as inotify's
    public static final int FS_ACCESS = 0x00000001;
    public static final int FS_MODIFY = 0x00000002;
    public static final int FS_ATTRIB = 0x00000004;
    public static final int FS_CLOSE_WRITE = 0x00000008;
    public static final int FS_CLOSE_NOWRITE = 0x00000010;
    public static final int FS_OPEN = 0x00000020;
    public static final int FS_MOVED_FROM = 0x00000040;
    public static final int FS_MOVED_TO = 0x00000080;
    public static final int FS_CREATE = 0x00000100;
    public static final int FS_DELETE = 0x00000200;
    public static final int FS_DELETE_SELF = 0x00000400;
    public static final int FS_MOVE_SELF = 0x00000800;
    public static final int FS_OPEN_EXEC = 0x00001000;
    public static final int FS_UNMOUNT = 0x00002000;
    public static final int FS_Q_OVERFLOW = 0x00004000;
    public static final int FS_IN_IGNORED = 0x00008000;
    /** The mark wants its children's events; set in an event sent to a parent. */
    public static final int FS_EVENT_ON_CHILD = 0x08000000;
    public static final int FS_ISDIR = 0x40000000;

    public static final int FS_MOVE = FS_MOVED_FROM | FS_MOVED_TO;
    /** ALL_FSNOTIFY_DIRENT_EVENTS (FS_RENAME is only for fanotify and dnotify, which kava lacks). */
    public static final int ALL_FSNOTIFY_DIRENT_EVENTS = FS_CREATE | FS_DELETE | FS_MOVE;
    /** FS_EVENTS_POSS_ON_CHILD (without the permission events, which only fanotify has). */
    public static final int FS_EVENTS_POSS_ON_CHILD = FS_ACCESS | FS_MODIFY | FS_ATTRIB | FS_CLOSE_WRITE
            | FS_CLOSE_NOWRITE | FS_OPEN | FS_OPEN_EXEC;
    public static final int ALL_FSNOTIFY_EVENTS = ALL_FSNOTIFY_DIRENT_EVENTS | FS_EVENTS_POSS_ON_CHILD
            | FS_DELETE_SELF | FS_MOVE_SELF | FS_UNMOUNT | FS_Q_OVERFLOW | FS_IN_IGNORED;

    /** fsnotify_sync_cookie: the cookie the two events of one rename share. */
    private static final AtomicInteger SYNC_COOKIE = new AtomicInteger();

    private static SbMarks marks(Inode inode) {
        return inode.sb.fsnotifyMarks;
    }

    // ---- marks (fs/notify/mark.c)

    /** fsnotify_find_inode_mark: group's mark on inode, or null. */
    public static Mark findMark(Inode inode, Group group) {
        Connector c = marks(inode).find(inode);
        return c == null ? null : c.find(group);
    }

    /** fsnotify_add_inode_mark_locked: attaches a new mark (the group holds its own lock, and has none there). */
    public static void addMark(Mark mark, Inode inode) {
        marks(inode).attach(mark, inode);
    }

    /**
     * fsnotify_destroy_mark: detaches the mark so no more events reach it, then tells its group
     * (freeing_mark). Nothing happens if it was already detached.
     */
    public static void destroyMark(Mark mark) {
        Connector c = mark.connector;
        if (c == null) return;
        if (!marks(c.inode).detach(mark)) return;
        mark.group.freeingMark(mark);
    }

    /** fsnotify_clear_marks_by_inode: every mark on inode goes. */
    private static void clearMarks(Connector c) {
        for (Mark m : c.marks) destroyMark(m);
    }

    // ---- delivery (fsnotify.c)

    /**
     * fsnotify: sends an event to the marks of inode and, for an event on a child
     * (FS_EVENT_ON_CHILD), to those of dir that watch children. A directory entry event has no
     * inode: it goes to dir's marks. pathDentry is the name a file event came through (for
     * IN_EXCL_UNLINK), null for the other events.
     */
    static void fsnotify(int mask, Dentry pathDentry, Inode dir, String name, Inode inode, int cookie) {
        Connector ic, pc = null;
        if (inode == null) {
            ic = marks(dir).find(dir); // a directory entry event: to the directory's own marks
        } else {
            ic = marks(inode).find(inode);
            if ((mask & FS_EVENT_ON_CHILD) != 0 && dir != null) pc = marks(dir).find(dir);
        }
        if (ic == null && pc == null) return;
        List<Mark> inodeMarks = ic == null ? List.of() : new ArrayList<>(ic.marks);
        List<Mark> parentMarks = new ArrayList<>();
        if (pc != null) {
            // fsnotify_iter_select_report_types: a parent's mark counts only if it watches children.
            for (Mark m : pc.marks) if ((m.mask & FS_EVENT_ON_CHILD) != 0) parentMarks.add(m);
        }
        List<Group> groups = new ArrayList<>();
        for (Mark m : parentMarks) if (!groups.contains(m.group)) groups.add(m.group);
        for (Mark m : inodeMarks) if (!groups.contains(m.group)) groups.add(m.group);
        for (Group g : groups) {
            Mark im = null, pm = null;
            for (Mark m : inodeMarks) if (m.group == g) im = m;
            for (Mark m : parentMarks) if (m.group == g) pm = m;
            sendToGroup(mask, pathDentry, dir, name, cookie, im, pm);
        }
    }

    /** send_to_group + fsnotify_handle_event. */
    private static void sendToGroup(int mask, Dentry pathDentry, Inode dir, String name, int cookie,
                                    Mark inodeMark, Mark parentMark) {
        int marksMask = (inodeMark == null ? 0 : inodeMark.mask) | (parentMark == null ? 0 : parentMark.mask);
        if ((mask & ALL_FSNOTIFY_EVENTS & marksMask) == 0) return;
        if (parentMark != null) handleInodeEvent(parentMark, mask, pathDentry, dir, name, 0);
        if (inodeMark == null) return;
        // The child's own watcher gets the event without FS_EVENT_ON_CHILD, and a name only
        // for a directory entry event.
        mask &= ~FS_EVENT_ON_CHILD;
        if ((mask & ALL_FSNOTIFY_DIRENT_EVENTS) == 0) {
            dir = null;
            name = null;
        }
        handleInodeEvent(inodeMark, mask, pathDentry, dir, name, cookie);
    }

    /** fsnotify_handle_inode_event: IN_EXCL_UNLINK and the mark's own interest, then the group. */
    private static void handleInodeEvent(Mark mark, int mask, Dentry pathDentry, Inode dir, String name, int cookie) {
        if ((mark.flags & Mark.FLAG_EXCL_UNLINK) != 0 && pathDentry != null && unlinked(pathDentry)) return;
        if ((mask & mark.mask & ALL_FSNOTIFY_EVENTS) == 0) return;
        Connector c = mark.connector;
        if (c == null) return; // detached meanwhile
        mark.group.handleInodeEvent(mark, mask, c.inode, dir, name, cookie);
    }

    /** d_unlinked: the name was removed (or replaced) and the dentry is not a root. */
    private static boolean unlinked(Dentry d) {
        return d.unhashed() && !d.isRoot();
    }

    /**
     * fsnotify_parent: an event on the file d names, reported to its parent's marks too (with
     * d's name) when they watch children for it. pathDentry as for fsnotify.
     */
    private static void parent(Dentry d, int mask, Dentry pathDentry) {
        Inode inode = d.inode();
        if (marks(inode).isEmpty()) return;
        if (inode.isDir()) mask |= FS_ISDIR;
        Inode dir = null;
        String name = null;
        if (!d.isRoot()) { // a disconnected or root dentry has no parent to tell
            Inode p = d.parent().inode();
            Connector pc = marks(p).find(p);
            if (pc != null && (mask & watchesChildren(pc) & ALL_FSNOTIFY_EVENTS) != 0) {
                dir = p;
                name = d.name();
                mask |= FS_EVENT_ON_CHILD;
            }
        }
        fsnotify(mask, pathDentry, dir, name, inode, 0);
    }

    /** fsnotify_inode_watches_children: the child events the directory's marks want. */
    private static int watchesChildren(Connector c) {
        int m = c.mask();
        return (m & FS_EVENT_ON_CHILD) == 0 ? 0 : m & FS_EVENTS_POSS_ON_CHILD;
    }

    /** fsnotify_inode: an event on the inode itself, whatever name it has (link count, self events). */
    private static void inodeEvent(Inode inode, int mask) {
        if (marks(inode).isEmpty()) return;
        if (inode.isDir()) mask |= FS_ISDIR;
        fsnotify(mask, null, null, null, inode, 0);
    }

    /** fsnotify_name: a directory entry event on dir. */
    private static void nameEvent(int mask, Inode dir, String name, int cookie) {
        if (marks(dir).isEmpty()) return;
        fsnotify(mask, null, dir, name, null, cookie);
    }

    // ---- the hooks (include/linux/fsnotify.h)

    /** fsnotify_file: FMODE_PATH files and files without a name make no events. */
    private static void fileEvent(File f, int mask) {
        FsPath p = f.path();
        if (p == null || f.isPath() || p.mnt().sb.fsnotifyMarks.isEmpty()) return;
        Dentry d = p.dentry();
        parent(d, mask, d);
    }

    /** fsnotify_access: a read (read, readv, pread, splice, sendfile, getdents...) moved something. */
    public static void access(File f) {
        fileEvent(f, FS_ACCESS);
    }

    /** fsnotify_modify: a write moved something, or fallocate changed the file. */
    public static void modify(File f) {
        fileEvent(f, FS_MODIFY);
    }

    /** fsnotify_open: a file was opened (vfs_open). */
    public static void open(File f) {
        fileEvent(f, FS_OPEN);
    }

    /** fsnotify_open for an exec (FS_OPEN_EXEC, which inotify does not report, with FS_OPEN). */
    public static void openExec(File f) {
        fileEvent(f, FS_OPEN | FS_OPEN_EXEC);
    }

    /** fsnotify_close: the last reference to an open file is gone (__fput). */
    public static void close(File f) {
        fileEvent(f, f.writable() ? FS_CLOSE_WRITE : FS_CLOSE_NOWRITE);
    }

    /**
     * The dentry reference an open file held is dropped (dput in __fput): the last one on a
     * file whose last name went while it was open ends the inode (dentry_unlink_inode), and its
     * watchers learn of it then.
     */
    public static void filePut(File f) {
        FsPath p = f.path();
        if (p == null) return;
        Dentry d = p.dentry();
        if (d.putFile() != 0 || !unlinked(d)) return;
        boolean removed;
        synchronized (DYING) {
            removed = DYING.remove(d) != null;
        }
        if (removed && d.inode().nlink() == 0) inodeRemove(d.inode());
    }

    /**
     * Dentries of files that lost their last name while open, or O_TMPFILE files, whose end
     * comes with their last open file. The decision is taken when the name goes, from the link
     * count before (a hostfs inode reads 0 links once its name is gone, even with others left).
     */
    private static final java.util.Map<Dentry, Boolean> DYING = new java.util.WeakHashMap<>();

    /**
     * The file d names has no name left: it ends now, or with the last file open on d (which
     * is remembered even if nobody watches yet: a watch may come through /proc/PID/fd).
     */
    private static void lastLinkGone(Dentry d, Inode inode) {
        if (d.openFiles() == 0) {
            inodeRemove(inode);
            return;
        }
        synchronized (DYING) {
            DYING.put(d, Boolean.TRUE);
        }
        if (d.openFiles() == 0) filePutRace(d); // the last file closed meanwhile
    }

    private static void filePutRace(Dentry d) {
        boolean removed;
        synchronized (DYING) {
            removed = DYING.remove(d) != null;
        }
        if (removed) inodeRemove(d.inode());
    }

    /** An O_TMPFILE file was made: it has no name, and ends with its last open file unless linked. */
    public static void tmpfile(File f) {
        FsPath p = f.path();
        if (p == null) return;
        synchronized (DYING) {
            DYING.put(p.dentry(), Boolean.TRUE);
        }
    }

    /**
     * fsnotify_change: what notify_change changed, as ATTR_ bits turned into events by the
     * caller with {@link #changeMask}, reported on the file and to its parent.
     */
    public static void change(Dentry d, int mask) {
        if (mask != 0) parent(d, mask, null);
    }

    /**
     * fsnotify_change's mapping: owner, group and mode changes are IN_ATTRIB, a new size is
     * IN_MODIFY, both times IN_ATTRIB (utimes), atime alone IN_ACCESS, mtime alone IN_MODIFY.
     */
    public static int changeMask(boolean owner, boolean mode, boolean size, boolean atime, boolean mtime) {
        int mask = 0;
        if (owner) mask |= FS_ATTRIB;
        if (size) mask |= FS_MODIFY;
        if (atime && mtime) mask |= FS_ATTRIB;
        else if (atime) mask |= FS_ACCESS;
        else if (mtime) mask |= FS_MODIFY;
        if (mode) mask |= FS_ATTRIB;
        return mask;
    }

    /** fsnotify_xattr: an extended attribute was set or removed. */
    public static void xattr(Dentry d) {
        parent(d, FS_ATTRIB, null);
    }

    /** fsnotify_create / fsnotify_mkdir: name was made in dir (create, mknod, symlink, mkdir). */
    public static void create(Inode dir, String name, Inode child) {
        nameEvent(FS_CREATE | (child.isDir() ? FS_ISDIR : 0), dir, name, 0);
    }

    /** fsnotify_link: a new name for inode in dir (its link count changed first). */
    public static void link(Inode dir, String name, Inode inode) {
        inodeEvent(inode, FS_ATTRIB);
        nameEvent(FS_CREATE, dir, name, 0);
    }

    /**
     * vfs_unlink's notifications: the link count (fsnotify_link_count), the end of the inode if
     * that was its last name (links: the count before) and nothing holds the dentry (d_delete,
     * dentry_unlink_inode, fsnotify_inoderemove), then the directory's entry (fsnotify_delete).
     */
    public static void unlink(Inode dir, String name, Dentry victim, Inode inode, int links) {
        inodeEvent(inode, FS_ATTRIB);
        if (links <= 1) lastLinkGone(victim, inode);
        nameEvent(FS_DELETE, dir, name, 0);
    }

    /** vfs_rmdir's notifications: the end of the directory (unless held open), then the parent's entry. */
    public static void rmdir(Inode dir, String name, Dentry victim, Inode inode) {
        lastLinkGone(victim, inode);
        nameEvent(FS_DELETE | FS_ISDIR, dir, name, 0);
    }

    /**
     * vfs_rename's notifications (fsnotify_move, once more the other way for RENAME_EXCHANGE),
     * then the end of a replaced file (targetLinks: its link count before; a directory has one)
     * when its dentry goes (dput of new_dentry).
     */
    public static void rename(Inode oldDir, String oldName, Inode newDir, String newName, Inode source,
                              Dentry targetDentry, Inode target, int targetLinks, boolean exchange) {
        if (!marks(oldDir).isEmpty()) { // one superblock
            move(oldDir, newDir, oldName, newName, source.isDir(), exchange ? null : target, source);
            if (exchange) move(newDir, oldDir, newName, oldName, target.isDir(), null, target);
        }
        if (!exchange && target != null && (targetLinks <= 1 || target.isDir())) {
            lastLinkGone(targetDentry, target);
        }
    }

    /** fsnotify_move: both halves with one cookie, the replaced file's link count, the moved file's IN_MOVE_SELF. */
    private static void move(Inode oldDir, Inode newDir, String oldName, String newName, boolean isDir,
                             Inode target, Inode source) {
        int cookie = SYNC_COOKIE.incrementAndGet();
        int isdir = isDir ? FS_ISDIR : 0;
        nameEvent(FS_MOVED_FROM | isdir, oldDir, oldName, cookie);
        nameEvent(FS_MOVED_TO | isdir, newDir, newName, cookie);
        if (target != null) inodeEvent(target, FS_ATTRIB);
        inodeEvent(source, FS_MOVE_SELF);
    }

    /** fsnotify_inoderemove: IN_DELETE_SELF, then every mark on the inode goes (IN_IGNORED). */
    public static void inodeRemove(Inode inode) {
        if (marks(inode).isEmpty()) return;
        inodeEvent(inode, FS_DELETE_SELF);
        Connector c = marks(inode).find(inode);
        if (c != null) clearMarks(c);
    }

    /**
     * fsnotify_sb_delete (generic_shutdown_super): the filesystem is gone; every marked inode
     * gets IN_UNMOUNT and loses its marks, in the order of sb->s_inodes: newest first, which
     * for kava's filesystems is the highest inode number first.
     */
    public static void unmount(SuperBlock sb) {
        SbMarks sm = sb.fsnotifyMarks;
        if (sm.isEmpty()) return;
        List<Connector> all = sm.all();
        all.sort((a, b) -> Long.compare(b.inode.ino, a.inode.ino));
        for (Connector c : all) {
            inodeEvent(c.inode, FS_UNMOUNT);
            clearMarks(c);
        }
    }
}
