package dev.kava.kernel.signal;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.kernel.Task;

import java.util.function.ToLongFunction;

/**
 * A thread's own signal state besides its mask and pending set (task_struct's sas_ss_*,
 * saved_sigmask with TIF_RESTORE_SIGMASK, and restart_block).
 */
public final class TaskSignals {
    /** sigaltstack: base, size and flags as last set (SS_DISABLE when none). */
    public long altSp, altSize;
    public int altFlags = Signal.SS_DISABLE;

    /** The mask to restore on the way out (sigsuspend, ppoll, pselect), valid when restoreMask. */
    public long savedMask;
    public boolean restoreMask;

    /** The mask before rt_sigtimedwait unblocked the signals it waits for (real_blocked), else 0. */
    public volatile long realBlocked;

    /** restart_block.fn: what restart_syscall runs; do_no_restart_syscall when null. */
    public volatile ToLongFunction<Task> restart;

    /** do_no_restart_syscall. */
    static long noRestart(Task t) {
        return -Errno.EINTR;
    }

    /** The state a child thread or process starts with (copy_process): the alternate stack is inherited. */
    public void copyForFork(TaskSignals parent, boolean sharedVmThread) {
        if (sharedVmThread) {
            // CLONE_VM without CLONE_VFORK: a new thread does not share its creator's signal stack.
            altSp = 0;
            altSize = 0;
            altFlags = Signal.SS_DISABLE;
        } else {
            altSp = parent.altSp;
            altSize = parent.altSize;
            altFlags = parent.altFlags;
        }
    }

    /** on_sig_stack: whether sp is on the alternate stack (never with SS_AUTODISARM). */
    public boolean onSigStack(long sp) {
        if ((altFlags & Signal.SS_AUTODISARM) != 0) return false;
        return altSize != 0 && Long.compareUnsigned(sp, altSp) > 0 && Long.compareUnsigned(sp - altSp, altSize) <= 0;
    }

    /** sas_ss_flags: SS_DISABLE with no stack, SS_ONSTACK on it, else 0. */
    public int ssFlags(long sp) {
        if (altSize == 0) return Signal.SS_DISABLE;
        return onSigStack(sp) ? Signal.SS_ONSTACK : 0;
    }

    /** sas_ss_reset. */
    public void resetAltStack() {
        altSp = 0;
        altSize = 0;
        altFlags = Signal.SS_DISABLE;
    }
}
