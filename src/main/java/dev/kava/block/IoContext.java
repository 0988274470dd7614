package dev.kava.block;

import dev.kava.abi.Ioprio;
import dev.kava.abi.Sched;

/**
 * A task's I/O context (struct io_context, block/blk-ioc.c). kava has no block layer: the
 * context holds only the I/O priority ioprio_set gave, which ioprio_get reads back. A task has
 * none until ioprio_set; CLONE_IO shares its creator's, otherwise a new task gets a copy only
 * when the priority has a valid class (copy_io).
 */
public final class IoContext {
    /** struct io_context's unsigned short ioprio. */
    private volatile int ioprio;

    public IoContext(int ioprio) {
        setIoprio(ioprio);
    }

    public int ioprio() {
        return ioprio;
    }

    public void setIoprio(int ioprio) {
        this.ioprio = ioprio & 0xffff;
    }

    /** ioprio_valid (include/linux/ioprio.h): a class between RT and IDLE, on the 16-bit value. */
    static boolean valid(int ioprio) {
        int c = Ioprio.prioClass(ioprio & 0xffff);
        return c > Ioprio.IOPRIO_CLASS_NONE && c <= Ioprio.IOPRIO_CLASS_IDLE;
    }

    /** copy_io: the context a task created by clone with these flags starts with (null: none). */
    public static IoContext forClone(IoContext parent, long cloneFlags) {
        if (parent == null) return null;
        if ((cloneFlags & Sched.CLONE_IO) != 0) return parent;
        int prio = parent.ioprio;
        return valid(prio) ? new IoContext(prio) : null;
    }
}
