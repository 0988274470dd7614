package dev.kava.fs.notify;

import dev.kava.fs.Inode;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The marks on one inode (struct fsnotify_mark_connector, fs/notify/mark.c), found by the
 * inode's identity within its superblock, so that a filesystem making several inode objects for
 * one file (hostfs) reaches the same marks through each of them. It keeps the first inode object
 * it was made for, as the connector pins its inode in Linux.
 */
final class Connector {
    final Object key;
    final Inode inode;
    /** Readers (event delivery) walk a snapshot; changes are made under the SbMarks lock. */
    final CopyOnWriteArrayList<Mark> marks = new CopyOnWriteArrayList<>();

    Connector(Object key, Inode inode) {
        this.key = key;
        this.inode = inode;
    }

    /** i_fsnotify_mask (fsnotify_recalc_mask): every event some mark on the inode wants. */
    int mask() {
        int m = 0;
        for (Mark k : marks) m |= k.mask;
        return m;
    }

    /** The mark of group g, or null. */
    Mark find(Group g) {
        for (Mark k : marks) if (k.group == g) return k;
        return null;
    }
}
