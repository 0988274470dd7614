package dev.kava.fs.notify;

import dev.kava.fs.Inode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A superblock's marked inodes (struct fsnotify_sb_info and s_fsnotify_connectors): one
 * connector per inode identity ({@link Inode#identity}) that has marks. While it is empty every
 * fsnotify hook on the superblock returns at once.
 */
public final class SbMarks {
    private final ConcurrentHashMap<Object, Connector> connectors = new ConcurrentHashMap<>();
    /** s_fsnotify_connectors: the number of connectors, read without a lock by the hooks' fast path. */
    private volatile int count;

    /** Whether no inode of the superblock has a mark. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** The connector of inode, or null when it has no marks. */
    Connector find(Inode inode) {
        if (count == 0) return null;
        return connectors.get(inode.identity());
    }

    /** fsnotify_add_mark_locked: puts m on inode (the caller made sure its group has none there). */
    synchronized void attach(Mark m, Inode inode) {
        Object key = inode.identity();
        Connector c = connectors.get(key);
        if (c == null) {
            c = new Connector(key, inode);
            connectors.put(key, c);
            count = connectors.size();
        }
        c.marks.add(m);
        m.connector = c;
    }

    /** fsnotify_detach_mark: takes m off its inode; false if it was not attached. */
    synchronized boolean detach(Mark m) {
        Connector c = m.connector;
        if (c == null) return false;
        c.marks.remove(m);
        m.connector = null;
        if (c.marks.isEmpty() && connectors.get(c.key) == c) {
            connectors.remove(c.key);
            count = connectors.size();
        }
        return true;
    }

    /** Every connector (for unmount). */
    synchronized List<Connector> all() {
        return new ArrayList<>(connectors.values());
    }
}
