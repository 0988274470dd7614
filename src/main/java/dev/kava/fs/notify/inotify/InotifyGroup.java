package dev.kava.fs.notify.inotify;

import dev.kava.abi.Inotify;
import dev.kava.fs.Inode;
import dev.kava.fs.notify.Fsnotify;
import dev.kava.fs.notify.Group;
import dev.kava.fs.notify.Mark;
import dev.kava.kernel.sched.WaitQueue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * An inotify instance's group (fs/notify/inotify/inotify_fsnotify.c, the inotify parts of
 * inotify_user.c, and the notification queue of fs/notify/notification.c): its watches by
 * descriptor (the idr), and the queue of events waiting to be read, with the merging of an
 * event identical to the last one queued and the single IN_Q_OVERFLOW event past the limit.
 * Guarded by its own monitor.
 */
final class InotifyGroup extends Group {
    /** A watch (struct inotify_inode_mark): a mark with its watch descriptor, -1 once removed. */
    static final class InotifyMark extends Mark {
        volatile int wd = -1;

        InotifyMark(InotifyGroup g, int mask, int flags) {
            super(g, mask, flags);
        }
    }

    /** A queued event (struct inotify_event_info). */
    record Event(int wd, int mask, int cookie, byte[] name) {
        /** What read() copies out: the header and the name padded with NULs to a multiple of the header (round_event_name_len). */
        int size() {
            return Inotify.EVENT_SIZE + paddedNameLen();
        }

        int paddedNameLen() {
            if (name == null) return 0;
            return (name.length + 1 + Inotify.EVENT_SIZE - 1) / Inotify.EVENT_SIZE * Inotify.EVENT_SIZE;
        }
    }

    /** The overflow event (group->overflow_event): wd -1, IN_Q_OVERFLOW, queued at most once. */
    private static final Event OVERFLOW = new Event(-1, Fsnotify.FS_Q_OVERFLOW, 0, null);

    final InotifyUcounts.User user;
    private final InotifyUcounts counts;
    private final int maxEvents;
    /** notification_waitq: readers and pollers. */
    final WaitQueue waitq = new WaitQueue();

    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    /** q_len: the events queued, the overflow event included. */
    private int qLen;
    /** The bytes a read of every queued event would return (FIONREAD), the overflow event included. */
    private long qBytes;
    private boolean overflowQueued;
    /** fsnotify_group_stop_queueing: the instance is being destroyed. */
    private boolean shutdown;

    /** The idr of watch descriptors, and its cyclic cursor (idr_next). */
    private final TreeMap<Integer, InotifyMark> idr = new TreeMap<>();
    private int idrNext;
    /** marks_list: the watches, newest first. */
    private final ArrayDeque<InotifyMark> marksList = new ArrayDeque<>();

    InotifyGroup(InotifyUcounts counts, InotifyUcounts.User user, int maxEvents) {
        this.counts = counts;
        this.user = user;
        this.maxEvents = maxEvents;
    }

    // ---- the watches

    /**
     * inotify_update_watch: changes group's watch on inode, or makes one. Returns the watch
     * descriptor or -errno.
     */
    synchronized int updateWatch(Inode inode, int arg) {
        InotifyMark m = (InotifyMark) Fsnotify.findMark(inode, this);
        if (m != null) {
            // inotify_update_existing_watch
            if ((arg & Inotify.IN_MASK_CREATE) != 0) return -dev.kava.abi.Errno.EEXIST;
            int mask = m.mask, flags = m.flags;
            if ((arg & Inotify.IN_MASK_ADD) == 0) { // replace
                mask = 0;
                flags &= ~(Mark.FLAG_EXCL_UNLINK | Mark.FLAG_IN_ONESHOT);
            }
            m.mask = mask | argToMask(inode, arg);
            m.flags = flags | argToFlags(arg);
            return m.wd;
        }
        // inotify_new_watch: a descriptor first, then the user's count, then the inode.
        InotifyMark nm = new InotifyMark(this, argToMask(inode, arg), argToFlags(arg));
        int wd = allocWd();
        if (wd < 0) return wd;
        if (!user.incWatches()) {
            idr.remove(wd);
            return -dev.kava.abi.Errno.ENOSPC;
        }
        nm.wd = wd;
        idr.put(wd, nm);
        marksList.addFirst(nm);
        Fsnotify.addMark(nm, inode);
        return wd;
    }

    /**
     * idr_alloc_cyclic(idr, ptr, 1, 0): the lowest free descriptor from the cursor up to
     * INT_MAX, else from 1; the cursor moves past it. -ENOSPC when all are taken.
     */
    private int allocWd() {
        int start = Math.max(idrNext, 1);
        int id = lowestFree(start);
        if (id < 0 && start > 1) id = lowestFree(1);
        if (id < 0) return -dev.kava.abi.Errno.ENOSPC;
        idrNext = id + 1; // past INT_MAX it wraps negative, and the next search starts at 1
        return id;
    }

    private int lowestFree(int from) {
        long id = from;
        for (Integer k : idr.tailMap(from).keySet()) {
            if (k != id) break;
            id++;
        }
        return id > Integer.MAX_VALUE ? -1 : (int) id;
    }

    /** INOTIFY_IOC_SETNEXTWD: idr_set_cursor. */
    synchronized void setNextWd(int wd) {
        idrNext = wd;
    }

    /** inotify_idr_find. */
    synchronized InotifyMark find(int wd) {
        return idr.get(wd);
    }

    /** The watches, newest first (the group's marks_list, as fdinfo shows them). */
    synchronized List<InotifyMark> marks() {
        return new ArrayList<>(marksList);
    }

    /** inotify_arg_to_mask: the events asked for, FS_UNMOUNT always, the children's events for a directory. */
    private static int argToMask(Inode inode, int arg) {
        int mask = Fsnotify.FS_UNMOUNT;
        if (inode.isDir()) mask |= Fsnotify.FS_EVENT_ON_CHILD;
        return mask | (arg & Inotify.IN_ALL_EVENTS);
    }

    private static int argToFlags(int arg) {
        int flags = 0;
        if ((arg & Inotify.IN_EXCL_UNLINK) != 0) flags |= Mark.FLAG_EXCL_UNLINK;
        if ((arg & Inotify.IN_ONESHOT) != 0) flags |= Mark.FLAG_IN_ONESHOT;
        return flags;
    }

    /** inotify_mark_user_mask: the mask as fdinfo shows it. */
    static int userMask(Mark m) {
        int mask = m.mask & Inotify.IN_ALL_EVENTS;
        if ((m.flags & Mark.FLAG_EXCL_UNLINK) != 0) mask |= Inotify.IN_EXCL_UNLINK;
        if ((m.flags & Mark.FLAG_IN_ONESHOT) != 0) mask |= Inotify.IN_ONESHOT;
        return mask;
    }

    // ---- fsnotify_ops

    /** inotify_handle_inode_event. */
    @Override
    protected void handleInodeEvent(Mark mark, int mask, Inode inode, Inode dir, String name, int cookie) {
        InotifyMark m = (InotifyMark) mark;
        int wd = m.wd;
        if (wd == -1) return; // racing with the watch's removal
        // inotify never reported IN_ISDIR with the self events.
        if ((mask & (Inotify.IN_MOVE_SELF | Inotify.IN_DELETE_SELF)) != 0) mask &= ~Inotify.IN_ISDIR;
        byte[] n = name == null ? null : name.getBytes(StandardCharsets.ISO_8859_1);
        addEvent(new Event(wd, mask, cookie, n));
        if ((m.flags & Mark.FLAG_IN_ONESHOT) != 0) Fsnotify.destroyMark(m);
    }

    /** inotify_freeing_mark → inotify_ignored_and_remove_idr: IN_IGNORED, then the descriptor is free. */
    @Override
    protected void freeingMark(Mark mark) {
        InotifyMark m = (InotifyMark) mark;
        int wd;
        synchronized (this) {
            wd = m.wd;
            if (wd == -1) return;
        }
        addEvent(new Event(wd, Fsnotify.FS_IN_IGNORED, 0, null));
        if (removeFromIdr(m)) user.decWatches();
    }

    /** inotify_remove_from_idr: whether this call took the watch out (it is counted once). */
    private synchronized boolean removeFromIdr(InotifyMark m) {
        int wd = m.wd;
        if (wd == -1) return false;
        if (idr.get(wd) == m) idr.remove(wd);
        marksList.remove(m);
        m.wd = -1;
        return true;
    }

    /** fsnotify_destroy_group: no more events, every watch goes, the queue is dropped. */
    void destroy() {
        List<InotifyMark> all;
        synchronized (this) {
            shutdown = true;
            all = new ArrayList<>(idr.values());
        }
        for (InotifyMark m : all) {
            Fsnotify.destroyMark(m);
            // A mark already detached from its inode (being destroyed elsewhere) still leaves the idr.
            if (removeFromIdr(m)) user.decWatches();
        }
        synchronized (this) {
            counts.unchargeEvents(qBytes - (overflowQueued ? OVERFLOW.size() : 0));
            queue.clear();
            qLen = 0;
            qBytes = 0;
            overflowQueued = false;
        }
        user.decInstances();
    }

    // ---- the queue (fs/notify/notification.c)

    /** fsnotify_add_event with inotify_merge. */
    private void addEvent(Event e) {
        synchronized (this) {
            if (shutdown) return;
            if (qLen < maxEvents && !queue.isEmpty() && merges(queue.peekLast(), e)) return;
            if (qLen >= maxEvents || !counts.chargeEvent(e.size())) {
                if (overflowQueued) return; // one overflow event is enough
                e = OVERFLOW;
                overflowQueued = true;
            }
            queue.addLast(e);
            qLen++;
            qBytes += e.size();
        }
        waitq.wakeAll(dev.kava.abi.Poll.POLLIN);
    }

    /** event_compare: the same mask, watch and name as the last event (never after an IN_IGNORED). */
    private static boolean merges(Event old, Event e) {
        if ((old.mask & Fsnotify.FS_IN_IGNORED) != 0) return false;
        return old.mask == e.mask && old.wd == e.wd && Arrays.equals(old.name, e.name);
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The first event if it fits in room bytes (get_one_event), removed from the queue; null when none is queued. */
    synchronized Event take(int room) {
        Event e = queue.peekFirst();
        if (e == null) return null;
        if (e.size() > room) throw dev.kava.kernel.ErrnoException.of(dev.kava.abi.Errno.EINVAL);
        queue.removeFirst();
        qLen--;
        qBytes -= e.size();
        if (e == OVERFLOW) overflowQueued = false;
        else counts.unchargeEvents(e.size());
        return e;
    }

    /** FIONREAD: the bytes a read would return for every queued event. */
    synchronized int queuedBytes() {
        return (int) qBytes;
    }
}
