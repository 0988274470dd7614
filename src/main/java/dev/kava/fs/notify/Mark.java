package dev.kava.fs.notify;

import dev.kava.fs.Inode;

/**
 * A mark (struct fsnotify_mark, include/linux/fsnotify_backend.h): one group's interest in one
 * inode, the events it wants in {@link #mask} (with FS_EVENT_ON_CHILD when it also wants its
 * children's events, and FS_UNMOUNT) and its flags. A group has at most one mark per inode.
 * Groups subclass it to keep their own data (inotify's watch descriptor).
 */
public class Mark {
    /** FSNOTIFY_MARK_FLAG_EXCL_UNLINK: no events through a name already unlinked. */
    public static final int FLAG_EXCL_UNLINK = 0x10;
    /** FSNOTIFY_MARK_FLAG_IN_ONESHOT: the mark goes after its first event. */
    public static final int FLAG_IN_ONESHOT = 0x20;

    public final Group group;
    /** The events of interest; changed under the group's lock, read without it. */
    public volatile int mask;
    public volatile int flags;
    /** The inode's connector while attached (FSNOTIFY_MARK_FLAG_ATTACHED), null once detached. */
    volatile Connector connector;

    public Mark(Group group, int mask, int flags) {
        this.group = group;
        this.mask = mask;
        this.flags = flags;
    }

    /** The inode the mark is attached to (the inode object it was first put on), or null once detached. */
    public Inode inode() {
        Connector c = connector;
        return c == null ? null : c.inode;
    }

    public boolean attached() {
        return connector != null;
    }
}
