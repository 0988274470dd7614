package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Eventpoll;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * epoll (fs/eventpoll.c): an interest set of (file, fd) items and a ready list. Each item hangs
 * a callback on the wait queues its file's poll method names (ep_ptable_queue_proc); the
 * callback (ep_poll_callback) puts the item on the ready list and wakes the epoll's waiters.
 * epoll_wait polls the ready items again (ep_send_events): level-triggered ones stay on the
 * list, edge-triggered ones leave it until the next callback, one-shot ones are disarmed.
 *
 * Locks: {@link #mtx} serialises epoll_ctl and scans (ep->mtx); the object's monitor guards
 * the item map and ready list only briefly and is never held while calling a file's poll,
 * since a file may call the callback with its own lock held.
 */
public final class EventPoll extends AnonInodeFile {
    /** epnested_mutex: serialises loop checks. */
    private static final Object NESTED = new Object();

    private final Object mtx = new Object();
    private final Map<Key, Item> items = new LinkedHashMap<>();
    private LinkedHashSet<Item> ready = new LinkedHashSet<>();
    /** Woken when an item becomes ready (ep->wq and ep->poll_wait in one). */
    private final WaitQueue wq = new WaitQueue();

    private record Key(File file, int fd) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.file == file && k.fd == fd;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(file) * 31 + fd;
        }
    }

    /** struct epitem */
    final class Item implements WaitQueue.Callback, Poll.Table {
        final File file;
        final int fd;
        int events;
        long data;
        final List<WaitQueue> queues = new ArrayList<>();
        boolean hostPolled;
        volatile boolean dead;

        Item(File file, int fd, int events, long data) {
            this.file = file;
            this.fd = fd;
            this.events = events;
            this.data = data;
        }

        EventPoll ep() {
            return EventPoll.this;
        }

        /** ep_ptable_queue_proc */
        @Override
        public void wait(WaitQueue q) {
            synchronized (queues) {
                if (dead || queues.contains(q)) return;
                queues.add(q);
            }
            q.add(this);
        }

        @Override
        public void needsPolling() {
            hostPolled = true;
        }

        /** ep_poll_callback */
        @Override
        public void wake(int key) {
            wakeExclusive(key);
        }

        @Override
        public boolean exclusive() {
            return (events & Eventpoll.EPOLLEXCLUSIVE) != 0;
        }

        /**
         * ep_poll_callback's answer for an EPOLLEXCLUSIVE item: it counts as a wakeup (ending the
         * wakeup's walk of the file's queue) only if a task was waiting in this epoll and the
         * events are the ones the item asked for, so idle epoll sets let the next one have it.
         */
        @Override
        public boolean wakeExclusive(int key) {
            boolean waiting;
            synchronized (EventPoll.this) {
                if (dead) return false;
                if ((events & ~Eventpoll.EP_PRIVATE_BITS) == 0) return false; // disarmed one-shot
                if (key != 0 && (key & events) == 0) return false;
                ready.add(this);
            }
            waiting = wq.hasWaiters();
            boolean ewake = false;
            if (waiting) {
                switch (key & Eventpoll.EPOLLINOUT_BITS) {
                    case Eventpoll.EPOLLIN -> ewake = (events & Eventpoll.EPOLLIN) != 0;
                    case Eventpoll.EPOLLOUT -> ewake = (events & Eventpoll.EPOLLOUT) != 0;
                    case 0 -> ewake = true;
                    default -> { }
                }
            }
            wq.wakeAll(dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM);
            return ewake;
        }

        void unhook() {
            dead = true;
            List<WaitQueue> qs;
            synchronized (queues) {
                qs = new ArrayList<>(queues);
                queues.clear();
            }
            for (WaitQueue q : qs) q.remove(this);
            synchronized (file.epItems) {
                file.epItems.remove(this);
            }
        }
    }

    private EventPoll(int flags) {
        super(Fcntl.O_RDWR | flags, "[eventpoll]");
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.EPOLL_CREATE1, (task, a) -> epollCreate1(task, (int) a[0]));
        t.register(SyscallNr.EPOLL_CTL, (task, a) -> epollCtl(task, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.register(SyscallNr.EPOLL_PWAIT, (task, a) -> epollPwait(task, (int) a[0], a[1], (int) a[2], (int) a[3], a[4], a[5]));
        t.register(SyscallNr.EPOLL_PWAIT2, (task, a) -> epollPwait2(task, (int) a[0], a[1], (int) a[2], a[3], a[4], a[5]));
    }

    static long epollCreate1(Task t, int flags) {
        if ((flags & ~Eventpoll.EPOLL_CLOEXEC) != 0) return -Errno.EINVAL;
        EventPoll ep = new EventPoll(0);
        return t.group.files.install(ep, (flags & Eventpoll.EPOLL_CLOEXEC) != 0, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }

    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        return f == null || f.isPath() ? null : f;
    }

    /** do_epoll_ctl, in Linux's order of checks. */
    static long epollCtl(Task t, int epfd, int op, int fd, long uevent) {
        int events = 0;
        long data = 0;
        if (op != Eventpoll.EPOLL_CTL_DEL) {
            byte[] b = t.mem.read(uevent, Eventpoll.EPOLL_EVENT_SIZE);
            events = Uaccess.getInt(b, 0);
            data = Uaccess.getLong(b, 8);
        }
        File f = fdget(t, epfd);
        if (f == null) return -Errno.EBADF;
        File tf = fdget(t, fd);
        if (tf == null) return -Errno.EBADF;
        if (!tf.canPoll()) return -Errno.EPERM;
        // EPOLLWAKEUP needs CAP_BLOCK_SUSPEND; kava's tasks are root or have no capabilities.
        if (op != Eventpoll.EPOLL_CTL_DEL && (events & Eventpoll.EPOLLWAKEUP) != 0 && t.group.cred.euid() != 0) {
            events &= ~Eventpoll.EPOLLWAKEUP;
        }
        if (f == tf || !(f instanceof EventPoll ep)) return -Errno.EINVAL;
        if (op != Eventpoll.EPOLL_CTL_DEL && (events & Eventpoll.EPOLLEXCLUSIVE) != 0) {
            if (op == Eventpoll.EPOLL_CTL_MOD) return -Errno.EINVAL;
            if (op == Eventpoll.EPOLL_CTL_ADD && (tf instanceof EventPoll
                    || (events & ~Eventpoll.EPOLLEXCLUSIVE_OK_BITS) != 0)) {
                return -Errno.EINVAL;
            }
        }
        if (op == Eventpoll.EPOLL_CTL_ADD && tf instanceof EventPoll to) {
            synchronized (NESTED) {
                synchronized (ep.mtx) {
                    if (ep.find(tf, fd) == null && loopCheck(ep, to)) return -Errno.ELOOP;
                    return ep.ctl(t, op, tf, fd, events, data);
                }
            }
        }
        synchronized (ep.mtx) {
            return ep.ctl(t, op, tf, fd, events, data);
        }
    }

    private synchronized Item find(File f, int fd) {
        return items.get(new Key(f, fd));
    }

    private long ctl(Task t, int op, File tf, int fd, int events, long data) {
        Item epi = find(tf, fd);
        switch (op) {
            case Eventpoll.EPOLL_CTL_ADD -> {
                if (epi != null) return -Errno.EEXIST;
                insert(t, tf, fd, events | Eventpoll.EPOLLERR | Eventpoll.EPOLLHUP, data);
                return 0;
            }
            case Eventpoll.EPOLL_CTL_DEL -> {
                if (epi == null) return -Errno.ENOENT;
                remove(epi);
                return 0;
            }
            case Eventpoll.EPOLL_CTL_MOD -> {
                if (epi == null) return -Errno.ENOENT;
                if ((epi.events & Eventpoll.EPOLLEXCLUSIVE) != 0) return -Errno.EINVAL;
                synchronized (this) {
                    epi.events = events | Eventpoll.EPOLLERR | Eventpoll.EPOLLHUP;
                    epi.data = data;
                }
                if ((epi.file.poll(t, null) & epi.events) != 0) markReady(epi);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** ep_insert */
    private void insert(Task t, File tf, int fd, int events, long data) {
        Item epi = new Item(tf, fd, events, data);
        synchronized (this) {
            items.put(new Key(tf, fd), epi);
        }
        synchronized (tf.epItems) {
            tf.epItems.add(epi);
        }
        int revents = tf.poll(t, epi) & events;
        if (revents != 0 || epi.hostPolled) markReady(epi);
    }

    private void markReady(Item epi) {
        synchronized (this) {
            if (epi.dead) return;
            ready.add(epi);
        }
        wq.wakeAll(dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM);
    }

    private void remove(Item epi) {
        synchronized (this) {
            items.remove(new Key(epi.file, epi.fd));
            ready.remove(epi);
        }
        epi.unhook();
    }

    /** eventpoll_release: a watched file's last reference is gone. */
    static void fileReleased(File f) {
        List<Item> its;
        synchronized (f.epItems) {
            if (f.epItems.isEmpty()) return;
            its = new ArrayList<>(f.epItems);
        }
        for (Item epi : its) {
            EventPoll ep = epi.ep();
            synchronized (ep.mtx) {
                ep.remove(epi);
            }
        }
    }

    // ---- loop checks (ep_loop_check) ----

    private static boolean loopCheck(EventPoll ep, EventPoll to) {
        int depth = downDepth(to, ep, 0);
        if (depth > Eventpoll.EP_MAX_NESTS) return true;
        int up = upDepth(ep, 0);
        return depth + 1 + up > Eventpoll.EP_MAX_NESTS;
    }

    private List<EventPoll> childEpolls() {
        List<EventPoll> r = new ArrayList<>();
        synchronized (this) {
            for (Item i : items.values()) if (i.file instanceof EventPoll e) r.add(e);
        }
        return r;
    }

    /** ep_loop_check_proc: how deep epoll sets nest below ep; > EP_MAX_NESTS if into is reachable. */
    private static int downDepth(EventPoll ep, EventPoll into, int depth) {
        int result = 0;
        for (EventPoll c : ep.childEpolls()) {
            if (c == into || depth > Eventpoll.EP_MAX_NESTS) result = Eventpoll.EP_MAX_NESTS + 1;
            else result = Math.max(result, downDepth(c, into, depth + 1) + 1);
            if (result > Eventpoll.EP_MAX_NESTS) break;
        }
        return result;
    }

    /** ep_get_upwards_depth_proc: how many epoll sets are stacked above ep. */
    private static int upDepth(EventPoll ep, int depth) {
        if (depth > Eventpoll.EP_MAX_NESTS) return Eventpoll.EP_MAX_NESTS + 1;
        List<Item> refs;
        synchronized (ep.epItems) {
            refs = new ArrayList<>(ep.epItems);
        }
        int result = 0;
        for (Item i : refs) result = Math.max(result, upDepth(i.ep(), depth + 1) + 1);
        return result;
    }

    // ---- waiting ----

    /** The ready list's items, taken off it, plus host-polled items (which get no callbacks). */
    private synchronized List<Item> startScan() {
        List<Item> tx = new ArrayList<>(ready);
        ready = new LinkedHashSet<>();
        for (Item i : items.values()) if (i.hostPolled && !tx.contains(i)) tx.add(i);
        return tx;
    }

    private synchronized boolean anyHostPolled() {
        for (Item i : items.values()) if (i.hostPolled) return true;
        return false;
    }

    /** ep_send_events: fills out with up to max events; returns how many. */
    private int sendEvents(Task t, byte[] out, int max) {
        synchronized (mtx) {
            List<Item> tx = startScan();
            List<Item> leftover = new ArrayList<>(), again = new ArrayList<>();
            int res = 0;
            for (int k = 0; k < tx.size(); k++) {
                Item epi = tx.get(k);
                if (res >= max) {
                    leftover.addAll(tx.subList(k, tx.size()));
                    break;
                }
                if (epi.dead) continue;
                int ev;
                synchronized (this) {
                    ev = epi.events;
                }
                int revents = epi.file.poll(t, null) & ev;
                if (revents == 0) continue;
                Uaccess.putInt(out, res * Eventpoll.EPOLL_EVENT_SIZE, revents);
                Uaccess.putLong(out, res * Eventpoll.EPOLL_EVENT_SIZE + 8, epi.data);
                res++;
                synchronized (this) {
                    if ((epi.events & Eventpoll.EPOLLONESHOT) != 0) epi.events &= Eventpoll.EP_PRIVATE_BITS;
                    else if ((epi.events & Eventpoll.EPOLLET) == 0) again.add(epi);
                }
            }
            synchronized (this) {
                LinkedHashSet<Item> n = new LinkedHashSet<>(leftover);
                n.addAll(ready);
                n.addAll(again);
                n.removeIf(i -> i.dead);
                ready = n;
            }
            return res;
        }
    }

    /** ep_poll: returns the number of events, 0 on timeout, -EINTR on a signal. */
    private long epPoll(Task t, long uevents, int maxevents, long deadline, boolean zero) {
        byte[] out = new byte[Math.min(maxevents, 4096) * Eventpoll.EPOLL_EVENT_SIZE];
        int max = out.length / Eventpoll.EPOLL_EVENT_SIZE;
        boolean timedOut = zero;
        try (Poll.Waiter w = new Poll.Waiter(t)) {
            w.wait(wq);
            while (true) {
                w.beginPass();
                int res = sendEvents(t, out, max);
                if (res > 0) {
                    if (!t.hart.addressSpace().copyToUser(uevents, out, 0, res * Eventpoll.EPOLL_EVENT_SIZE)) {
                        return -Errno.EFAULT;
                    }
                    return res;
                }
                if (timedOut) return 0;
                if (t.signalPending() || t.exiting()) return -Errno.EINTR;
                if (anyHostPolled()) w.needsPolling();
                int r = w.sleep(deadline);
                if (r == -Errno.ETIMEDOUT || w.timedOut(deadline)) timedOut = true;
            }
        }
    }

    /** do_epoll_wait */
    private static long doEpollWait(Task t, int epfd, long events, int maxevents, long deadline, boolean zero) {
        if (maxevents <= 0 || maxevents > Eventpoll.EP_MAX_EVENTS) return -Errno.EINVAL;
        if (!ReadWrite.accessOk(events, (long) maxevents * Eventpoll.EPOLL_EVENT_SIZE)) return -Errno.EFAULT;
        File f = fdget(t, epfd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof EventPoll ep)) return -Errno.EINVAL;
        return ep.epPoll(t, events, maxevents, deadline, zero);
    }

    static long epollPwait(Task t, int epfd, long events, int maxevents, int timeoutMs, long sigmask, long sigsetsize) {
        try {
            Select.setUserSigmask(t, sigmask, sigsetsize);
        } catch (ErrnoException e) {
            return -e.errno;
        }
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE
                : t.kernel.clock().monotonicNanos() + timeoutMs * 1_000_000L;
        long r;
        try {
            r = doEpollWait(t, epfd, events, maxevents, deadline, timeoutMs == 0);
        } catch (ErrnoException e) {
            r = -e.errno;
        }
        Select.restoreSigmaskUnless(t, r == -Errno.EINTR);
        return r;
    }

    static long epollPwait2(Task t, int epfd, long events, int maxevents, long uts, long sigmask, long sigsetsize) {
        long end = Select.NO_TIMEOUT;
        try {
            if (uts != 0) end = Select.endTime(t, uts);
            Select.setUserSigmask(t, sigmask, sigsetsize);
        } catch (ErrnoException e) {
            return -e.errno;
        }
        long r;
        try {
            r = doEpollWait(t, epfd, events, maxevents, Select.deadline(end), end == 0);
        } catch (ErrnoException e) {
            r = -e.errno;
        }
        Select.restoreSigmaskUnless(t, r == -Errno.EINTR);
        return r;
    }

    // ---- the epoll file itself ----

    /** ep_eventpoll_poll: readable when some ready item really has events. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        List<Item> cand;
        synchronized (this) {
            cand = new ArrayList<>(ready);
            for (Item i : items.values()) if (i.hostPolled && !cand.contains(i)) cand.add(i);
        }
        boolean host = false;
        for (Item epi : cand) {
            if (epi.hostPolled) host = true;
            if (epi.dead) continue;
            int ev;
            synchronized (this) {
                ev = epi.events;
            }
            if ((epi.file.poll(t, null) & ev) != 0) return dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            synchronized (this) {
                ready.remove(epi);
            }
        }
        if (host && pt != null) pt.needsPolling();
        return 0;
    }

    /** ep_eventpoll_release: drop every item, and leave any epoll set watching this one. */
    @Override
    public void release() {
        super.release();
        List<Item> all;
        synchronized (mtx) {
            synchronized (this) {
                all = new ArrayList<>(items.values());
                items.clear();
                ready.clear();
            }
        }
        for (Item epi : all) epi.unhook();
    }
}
