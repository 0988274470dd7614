package dev.kava.fs.notify;

import dev.kava.fs.Inode;

/**
 * A notification group (struct fsnotify_group, include/linux/fsnotify_backend.h): a listener
 * (an inotify instance) with its marks and its way of taking events (fsnotify_ops).
 */
public abstract class Group {
    /**
     * handle_inode_event: an event for mark's inode. mask holds the FS_ bits (FS_ISDIR,
     * FS_EVENT_ON_CHILD included); name is set for a directory's entry events and for a watched
     * directory's children's events; cookie pairs the two halves of a rename.
     */
    protected abstract void handleInodeEvent(Mark mark, int mask, Inode inode, Inode dir, String name, int cookie);

    /** freeing_mark: the mark was detached from its inode (inotify queues IN_IGNORED). */
    protected abstract void freeingMark(Mark mark);
}
