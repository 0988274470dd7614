package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pty bookkeeping of one devpts instance (struct pts_fs_info, fs/devpts/inode.c), without
 * the filesystem: which pty numbers are in use (devpts_new_index, devpts_kill_index) and which
 * slave each /dev/pts/N node stands for (devpts_pty_new, devpts_pty_kill, devpts_get_priv).
 * A devpts filesystem keeps one of these per superblock and asks it what exists.
 *
 * <p>A number stays in use until both sides of its pty are closed; the /dev/pts/N node goes
 * away as soon as the master is closed.
 */
public final class Devpts {
    /** NR_UNIX98_PTY_MAX (include/linux/tty.h): the default and largest "max" mount option. */
    public static final int NR_UNIX98_PTY_MAX = 1 << 20;
    /** /proc/sys/kernel/pty/max's default (NR_UNIX98_PTY_DEFAULT): ptys in use at once, all instances together. */
    public static final int PTY_LIMIT = 4096;
    /** /proc/sys/kernel/pty/reserve's default (NR_UNIX98_PTY_RESERVE): kept for instances mounted with "reserve". */
    public static final int PTY_RESERVE = 1024;

    /** pty_count: ptys in use in all devpts instances of a kernel. */
    private static final Map<Kernel, AtomicInteger> PTY_COUNT = new WeakHashMap<>();

    private final Kernel kernel;
    private final int max;
    private final boolean reserve;
    private final BitSet allocated = new BitSet();
    private final Map<Integer, TtyStruct> slaves = new TreeMap<>();

    /** An instance with the default mount options (max = NR_UNIX98_PTY_MAX, no reserve). */
    public Devpts(Kernel kernel) {
        this(kernel, NR_UNIX98_PTY_MAX, false);
    }

    /**
     * @param max the "max" mount option: numbers are below it
     * @param reserve whether this instance may use the reserved ptys (the initial instance has it)
     */
    public Devpts(Kernel kernel, int max, boolean reserve) {
        this.kernel = kernel;
        this.max = Math.max(0, Math.min(max, NR_UNIX98_PTY_MAX));
        this.reserve = reserve;
    }

    public Kernel kernel() {
        return kernel;
    }

    private AtomicInteger ptyCount() {
        synchronized (PTY_COUNT) {
            return PTY_COUNT.computeIfAbsent(kernel, k -> new AtomicInteger());
        }
    }

    /** devpts_new_index: the lowest free number; ENOSPC when the instance or the kernel is full. */
    synchronized int newIndex() {
        AtomicInteger count = ptyCount();
        if (count.incrementAndGet() >= PTY_LIMIT - (reserve ? 0 : PTY_RESERVE)) {
            count.decrementAndGet();
            throw ErrnoException.of(Errno.ENOSPC);
        }
        int index = allocated.nextClearBit(0);
        if (index >= max) {
            count.decrementAndGet();
            throw ErrnoException.of(Errno.ENOSPC);
        }
        allocated.set(index);
        return index;
    }

    /** devpts_kill_index: the number is free again (both sides of its pty are gone). */
    synchronized void killIndex(int index) {
        if (!allocated.get(index)) return;
        allocated.clear(index);
        ptyCount().decrementAndGet();
    }

    /** devpts_pty_new: /dev/pts/index now stands for slave. */
    synchronized void add(int index, TtyStruct slave) {
        slaves.put(index, slave);
    }

    /** devpts_pty_kill: the master closed; /dev/pts/index is gone. */
    synchronized void kill(int index) {
        slaves.remove(index);
    }

    /** The slave behind /dev/pts/index, or null when there is no such node (pts_unix98_lookup). */
    public synchronized TtyStruct lookupSlave(int index) {
        return slaves.get(index);
    }

    /** The numbers that have a /dev/pts node now, ascending (for readdir). */
    public synchronized List<Integer> indices() {
        return new ArrayList<>(slaves.keySet());
    }

    /** Whether index is allocated (its pty is not completely closed yet). */
    public synchronized boolean inUse(int index) {
        return allocated.get(index);
    }
}
