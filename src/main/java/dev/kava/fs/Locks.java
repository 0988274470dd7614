package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Flock;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Advisory file locks (fs/locks.c): flock() locks, POSIX record locks (fcntl F_SETLK and
 * friends) and open file description locks (F_OFD_*).
 *
 * <ul>
 * <li>flock locks belong to an open file description: dup'ed and inherited descriptors share
 * them; they go when the last descriptor is closed. Converting one is not atomic (the old
 * lock is dropped first), as on Linux.</li>
 * <li>POSIX locks belong to a process's descriptor table: a child made by fork() does not
 * inherit them, and closing any descriptor of the file releases all of the process's locks
 * on it. Ranges of one owner are split and merged; a blocking request that would close a
 * cycle of waiting owners fails with EDEADLK.</li>
 * <li>OFD locks are POSIX-style byte ranges owned by the open file description: they conflict
 * with POSIX locks, are released at the last close, and get no deadlock detection.</li>
 * </ul>
 *
 * Locks are kept per inode (struct file_lock_context), under one lock for the whole table
 * (Linux's flc_lock and blocked_lock_lock). A blocked request parks its task on the context's
 * wait queue and retries whenever the context's locks change.
 */
public final class Locks {
    private Locks() {}

    /** MAX_DEADLK_ITERATIONS: how far the deadlock detector follows a chain of waiters. */
    private static final int MAX_DEADLK_ITERATIONS = 10;

    private static final Object LOCK = new Object();
    /** inode -> its locks (inode->i_flctx). */
    private static final Map<Object, Ctx> CONTEXTS = new HashMap<>();
    /** Tasks blocked on a POSIX lock (blocked_hash), for deadlock detection. */
    private static final List<Waiter> BLOCKED = new ArrayList<>();
    /**
     * The most lock records kava keeps at once: each is kernel memory, which Linux charges to
     * the locker's cgroup; past this, a request that needs a new record gets ENOLCK, as when
     * locks_alloc_lock fails.
     */
    static final int MAX_LOCKS = 1 << 20;
    /** Lock records in all contexts. */
    private static int count;

    /** The one inode every anon_inodefs file (eventfd, epoll, ...) shares (anon_inode_inode). */
    private static final Object ANON_INODE = new Object();

    /** struct file_lock_context: the POSIX/OFD list and the flock list of one inode. */
    static final class Ctx {
        final List<FileLock> posix = new ArrayList<>();
        final List<FileLock> flocks = new ArrayList<>();
        final WaitQueue waitq = new WaitQueue();
        /** Counts changes; a blocked request retries when it moves. */
        long generation;
        int waiters;

        boolean unused() {
            return posix.isEmpty() && flocks.isEmpty() && waiters == 0;
        }
    }

    /** A POSIX request waiting for a lock of another owner. */
    private static final class Waiter {
        final Object owner;
        Object blockerOwner;

        Waiter(Object owner, Object blockerOwner) {
            this.owner = owner;
            this.blockerOwner = blockerOwner;
        }
    }

    /** An inode of a filesystem, however many Inode objects stand for it (hostfs makes one per lookup). */
    private record InodeKey(SuperBlock sb, long ino) {}

    /** The inode a file's locks hang on (file_inode). */
    static Object key(File f) {
        Inode i = f.inode();
        if (i != null) return new InodeKey(i.sb, i.ino);
        if (f instanceof PipeFile p) return p.pipe; // both ends share the pipe's inode
        return ANON_INODE;
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.FLOCK, (task, a) -> flock(task, (int) a[0], (int) a[1]));
    }

    // ---- flock(2)

    /** flock(fd, operation): LOCK_MAND is ignored; the operation is checked before the descriptor. */
    static long flock(Task t, int fd, int cmd) {
        if ((cmd & Flock.LOCK_MAND) != 0) return 0;
        int type = switch (cmd & ~Flock.LOCK_NB) {
            case Flock.LOCK_SH -> Flock.F_RDLCK;
            case Flock.LOCK_EX -> Flock.F_WRLCK;
            case Flock.LOCK_UN -> Flock.F_UNLCK;
            default -> -1;
        };
        if (type < 0) return -Errno.EINVAL;
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF;
        if (type != Flock.F_UNLCK && !f.readable() && !f.writable()) return -Errno.EBADF;
        flockLock(t, f, type, (cmd & Flock.LOCK_NB) == 0);
        return 0;
    }

    /** flock_lock_inode_wait */
    static void flockLock(Task t, File f, int type, boolean wait) {
        Object key = key(f);
        Ctx ctx;
        synchronized (LOCK) {
            ctx = CONTEXTS.get(key);
            if (ctx == null) {
                if (type == Flock.F_UNLCK) return;
                ctx = context(key);
            }
            for (Iterator<FileLock> it = ctx.flocks.iterator(); it.hasNext(); ) {
                FileLock l = it.next();
                if (l.owner() != f) continue;
                if (l.type() == type) return;
                it.remove(); // a conversion first drops the old lock
                count--;
                changed(ctx);
                break;
            }
            if (type == Flock.F_UNLCK) {
                dropIfUnused(key, ctx);
                return;
            }
        }
        while (true) {
            long seen;
            synchronized (LOCK) {
                boolean conflict = false;
                for (FileLock l : ctx.flocks) {
                    if (l.owner() != f && (l.type() == Flock.F_WRLCK || type == Flock.F_WRLCK)) {
                        conflict = true;
                        break;
                    }
                }
                if (!conflict) {
                    if (count >= MAX_LOCKS) {
                        dropIfUnused(key, ctx);
                        throw ErrnoException.of(Errno.ENOLCK);
                    }
                    count++;
                    ctx.flocks.add(new FileLock(f, -1, false, type, 0, FileLock.OFFSET_MAX));
                    changed(ctx);
                    return;
                }
                if (!wait) {
                    dropIfUnused(key, ctx);
                    throw ErrnoException.of(Errno.EWOULDBLOCK);
                }
                seen = ctx.generation;
                ctx.waiters++;
            }
            block(t, key, ctx, seen, null);
        }
    }

    // ---- fcntl(F_GETLK / F_SETLK / F_SETLKW / F_OFD_*)

    /** The fcntl lock commands (fcntl_getlk, fcntl_setlk). arg points to a struct flock. */
    public static long fcntl(Task t, int fd, File f, int cmd, long arg) {
        byte[] raw = t.mem.read(arg, Flock.SIZE);
        int type = (short) ((raw[Flock.L_TYPE] & 0xff) | (raw[Flock.L_TYPE + 1] << 8));
        int whence = (short) ((raw[Flock.L_WHENCE] & 0xff) | (raw[Flock.L_WHENCE + 1] << 8));
        long start = Uaccess.getLong(raw, Flock.L_START);
        long len = Uaccess.getLong(raw, Flock.L_LEN);
        int pid = Uaccess.getInt(raw, Flock.L_PID);
        boolean ofd = cmd == Flock.F_OFD_GETLK || cmd == Flock.F_OFD_SETLK || cmd == Flock.F_OFD_SETLKW;
        if (cmd == Flock.F_GETLK || cmd == Flock.F_OFD_GETLK) {
            if (cmd != Flock.F_OFD_GETLK && type != Flock.F_RDLCK && type != Flock.F_WRLCK) return -Errno.EINVAL;
            long[] range = range(f, whence, start, len);
            if (type != Flock.F_RDLCK && type != Flock.F_WRLCK && type != Flock.F_UNLCK) return -Errno.EINVAL;
            if (ofd && pid != 0) return -Errno.EINVAL;
            Object owner = ofd ? f : t.group.files;
            FileLock c = test(f, owner, type, range[0], range[1]);
            if (c == null) {
                putShort(raw, Flock.L_TYPE, Flock.F_UNLCK);
            } else {
                putShort(raw, Flock.L_TYPE, c.type());
                putShort(raw, Flock.L_WHENCE, Fcntl.SEEK_SET);
                Uaccess.putLong(raw, Flock.L_START, c.start());
                Uaccess.putLong(raw, Flock.L_LEN, c.end() == FileLock.OFFSET_MAX ? 0 : c.end() - c.start() + 1);
                Uaccess.putInt(raw, Flock.L_PID, c.ofd() ? -1 : c.pid()); // locks_translate_pid
            }
            t.mem.write(arg, raw);
            return 0;
        }
        long[] range = range(f, whence, start, len);
        if (type != Flock.F_RDLCK && type != Flock.F_WRLCK && type != Flock.F_UNLCK) return -Errno.EINVAL;
        // check_fmode_for_setlk
        if (type == Flock.F_RDLCK && !f.readable()) return -Errno.EBADF;
        if (type == Flock.F_WRLCK && !f.writable()) return -Errno.EBADF;
        if (ofd && pid != 0) return -Errno.EINVAL;
        boolean wait = cmd == Flock.F_SETLKW || cmd == Flock.F_OFD_SETLKW;
        FdTable files = t.group.files;
        Object owner = ofd ? f : files;
        posixLock(t, f, owner, t.group.tgid, ofd, type, range[0], range[1], wait);
        if (!ofd && type != Flock.F_UNLCK && files.get(fd) != f) {
            // The descriptor was closed while we waited: undo, as close() would have (fcntl_setlk).
            posixClose(f, files);
            return -Errno.EBADF;
        }
        return 0;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    /** flock64_to_posix_lock: l_whence/l_start/l_len as an inclusive byte range. */
    static long[] range(File f, int whence, long lstart, long llen) {
        long base = switch (whence) {
            case Fcntl.SEEK_SET -> 0;
            case Fcntl.SEEK_CUR -> f.pos;
            case Fcntl.SEEK_END -> f.inode() != null ? f.inode().size() : 0;
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        if (lstart > FileLock.OFFSET_MAX - base) throw ErrnoException.of(Errno.EOVERFLOW);
        long start = base + lstart;
        if (start < 0) throw ErrnoException.of(Errno.EINVAL);
        long end;
        if (llen > 0) {
            if (llen - 1 > FileLock.OFFSET_MAX - start) throw ErrnoException.of(Errno.EOVERFLOW);
            end = start + (llen - 1);
        } else if (llen < 0) {
            if (start + llen < 0) throw ErrnoException.of(Errno.EINVAL);
            end = start - 1;
            start += llen;
        } else {
            end = FileLock.OFFSET_MAX;
        }
        return new long[] {start, end};
    }

    /**
     * posix_test_lock: the first lock of another owner that conflicts with [start, end] of
     * type; for an F_UNLCK query (F_OFD_GETLK only), the first of the owner's own locks there.
     */
    static FileLock test(File f, Object owner, int type, long start, long end) {
        synchronized (LOCK) {
            Ctx ctx = CONTEXTS.get(key(f));
            if (ctx == null) return null;
            for (FileLock l : ctx.posix) {
                if (type == Flock.F_UNLCK) {
                    if (l.owner() == owner && l.overlaps(start, end)) return l;
                } else if (conflicts(l, owner, type, start, end)) {
                    return l;
                }
            }
            return null;
        }
    }

    /** posix_locks_conflict: another owner's overlapping lock, one of the two a write lock. */
    private static boolean conflicts(FileLock l, Object owner, int type, long start, long end) {
        return l.owner() != owner && l.overlaps(start, end) && (l.type() == Flock.F_WRLCK || type == Flock.F_WRLCK);
    }

    /** posix_lock_inode_wait: sets, changes or (F_UNLCK) removes owner's locks on [start, end]. */
    static void posixLock(Task t, File f, Object owner, int pid, boolean ofd, int type, long start, long end,
                          boolean wait) {
        Object key = key(f);
        while (true) {
            Ctx ctx;
            long seen;
            Waiter w = null;
            synchronized (LOCK) {
                ctx = CONTEXTS.get(key);
                if (ctx == null) {
                    if (type == Flock.F_UNLCK) return;
                    ctx = context(key);
                }
                FileLock conflict = null;
                if (type != Flock.F_UNLCK) {
                    for (FileLock l : ctx.posix) {
                        if (conflicts(l, owner, type, start, end)) {
                            conflict = l;
                            break;
                        }
                    }
                }
                if (conflict == null) {
                    try {
                        apply(ctx, owner, pid, ofd, type, start, end);
                    } finally {
                        dropIfUnused(key, ctx);
                    }
                    return;
                }
                if (!wait) {
                    dropIfUnused(key, ctx);
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                if (!ofd) {
                    // posix_locks_deadlock: would waiting close a cycle? (not for OFD locks: no process owns them)
                    if (deadlock(owner, conflict.owner())) {
                        dropIfUnused(key, ctx);
                        throw ErrnoException.of(Errno.EDEADLK);
                    }
                    w = new Waiter(owner, conflict.owner());
                    BLOCKED.add(w);
                }
                seen = ctx.generation;
                ctx.waiters++;
            }
            block(t, key, ctx, seen, w);
        }
    }

    /** Waits until ctx changes (a lock went or changed); a signal ends the wait with ERESTARTSYS. */
    private static void block(Task t, Object key, Ctx ctx, long seen, Waiter w) {
        int r;
        try {
            r = t.waitEvent(ctx.waitq, () -> {
                synchronized (LOCK) {
                    return ctx.generation != seen;
                }
            }, Long.MAX_VALUE);
        } finally {
            synchronized (LOCK) {
                ctx.waiters--;
                if (w != null) BLOCKED.remove(w);
                dropIfUnused(key, ctx);
            }
        }
        if (r == -Errno.EINTR) throw ErrnoException.of(Errno.ERESTARTSYS);
    }

    /**
     * posix_locks_deadlock: follows "owner X waits for a lock of owner Y" from the owner of the
     * lock we would wait for; reaching our own owner means waiting would never end.
     */
    private static boolean deadlock(Object caller, Object blockerOwner) {
        Object b = blockerOwner;
        for (int i = 0; i <= MAX_DEADLK_ITERATIONS; i++) {
            Waiter next = null;
            for (Waiter w : BLOCKED) {
                if (w.owner == b) {
                    next = w;
                    break;
                }
            }
            if (next == null) return false;
            b = next.blockerOwner;
            if (b == caller) return true;
        }
        return false;
    }

    /**
     * The second half of posix_lock_inode: owner's locks lose [start, end] (split where they
     * cover more), then the new lock takes it and merges with the owner's adjacent or
     * overlapping locks of the same type. The owner's locks stay together in the list, sorted
     * by start, where the first of them was.
     */
    private static void apply(Ctx ctx, Object owner, int pid, boolean ofd, int type, long start, long end) {
        List<FileLock> others = new ArrayList<>();
        List<FileLock> mine = new ArrayList<>();
        int at = -1;
        for (FileLock l : ctx.posix) {
            if (l.owner() == owner) {
                if (at < 0) at = others.size();
                mine.add(l);
            } else {
                others.add(l);
            }
        }
        List<FileLock> result = new ArrayList<>();
        boolean changed = false;
        for (FileLock l : mine) {
            if (!l.overlaps(start, end)) {
                result.add(l);
                continue;
            }
            changed = true;
            if (l.start() < start) result.add(l.withRange(l.start(), start - 1));
            if (l.end() > end) result.add(l.withRange(end + 1, l.end()));
        }
        if (type != Flock.F_UNLCK) {
            result.add(new FileLock(owner, pid, ofd, type, start, end));
            changed = true;
        }
        if (!changed) return;
        result.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<FileLock> merged = new ArrayList<>();
        for (FileLock l : result) {
            FileLock last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            // "start - 1" rather than "end + 1": end may be OFFSET_MAX.
            if (last != null && last.type() == l.type() && l.start() - 1 <= last.end()) {
                merged.set(merged.size() - 1, new FileLock(owner, pid, ofd, l.type(), last.start(),
                        Math.max(last.end(), l.end())));
            } else {
                merged.add(l);
            }
        }
        int grow = others.size() + merged.size() - ctx.posix.size();
        if (grow > 0 && count + grow > MAX_LOCKS) throw ErrnoException.of(Errno.ENOLCK);
        count += grow;
        if (at < 0) at = others.size();
        others.addAll(at, merged);
        ctx.posix.clear();
        ctx.posix.addAll(others);
        changed(ctx);
    }

    // ---- release

    /**
     * locks_remove_posix, from filp_flush: a process closing any descriptor of a file loses
     * all its POSIX locks on that file. owner is the process's descriptor table.
     */
    public static void posixClose(File f, Object owner) {
        if (f == null) return;
        Object key = key(f);
        synchronized (LOCK) {
            Ctx ctx = CONTEXTS.get(key);
            if (ctx == null) return;
            if (removeAll(ctx.posix, owner)) changed(ctx);
            dropIfUnused(key, ctx);
        }
    }

    /** locks_remove_file: the last descriptor of an open file description is gone, and its OFD and flock locks. */
    public static void fileReleased(File f) {
        Object key = key(f);
        synchronized (LOCK) {
            Ctx ctx = CONTEXTS.get(key);
            if (ctx == null) return;
            boolean a = removeAll(ctx.posix, f);
            boolean b = removeAll(ctx.flocks, f);
            if (a || b) changed(ctx);
            dropIfUnused(key, ctx);
        }
    }

    /** A descriptor table is gone (exit, or the last sharer of it): every POSIX lock it owned goes. */
    public static void ownerGone(Object owner) {
        synchronized (LOCK) {
            for (Iterator<Map.Entry<Object, Ctx>> it = CONTEXTS.entrySet().iterator(); it.hasNext(); ) {
                Ctx ctx = it.next().getValue();
                if (removeAll(ctx.posix, owner)) changed(ctx);
                if (ctx.unused()) it.remove();
            }
        }
    }

    /** Removes owner's locks from a list, keeping the count; whether any went. */
    private static boolean removeAll(List<FileLock> list, Object owner) {
        int before = list.size();
        list.removeIf(l -> l.owner() == owner);
        count -= before - list.size();
        return list.size() != before;
    }

    // ---- contexts

    private static Ctx context(Object key) {
        return CONTEXTS.computeIfAbsent(key, k -> new Ctx());
    }

    private static void dropIfUnused(Object key, Ctx ctx) {
        if (ctx.unused() && CONTEXTS.get(key) == ctx) CONTEXTS.remove(key);
    }

    /** Something about ctx's locks changed: every blocked request looks again (locks_wake_up_blocks). */
    private static void changed(Ctx ctx) {
        ctx.generation++;
        ctx.waitq.wakeAll();
    }

    /** The locks on f's inode, for tests and /proc/locks: POSIX and OFD locks first, then flock locks. */
    public static List<FileLock> locksOf(File f) {
        synchronized (LOCK) {
            Ctx ctx = CONTEXTS.get(key(f));
            if (ctx == null) return List.of();
            List<FileLock> out = new ArrayList<>(ctx.posix);
            out.addAll(ctx.flocks);
            return out;
        }
    }
}
