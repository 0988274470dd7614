package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import static dev.kava.abi.Futex.*;

/** Robust futex lists (kernel/futex/syscalls.c set/get_robust_list, core.c exit_robust_list). */
final class Robust {
    private Robust() {}

    /** set_robust_list: only the 64-bit head size is accepted. */
    static long setRobustList(Task t, long head, long len) {
        if (len != ROBUST_LIST_HEAD_SIZE) return -Errno.EINVAL;
        t.robustListHead = head;
        t.robustListLen = len;
        return 0;
    }

    /** get_robust_list: another task's list needs ptrace-read access (root, or the same uid here). */
    static long getRobustList(Task t, int pid, long headPtr, long lenPtr) {
        Task p = t;
        if (pid != 0) {
            p = t.kernel.findTask(pid);
            if (p == null) return -Errno.ESRCH;
            if (p.group != t.group) {
                var me = t.group.cred;
                var them = p.group.cred;
                boolean sameUser = me.uid() == them.uid() && me.uid() == them.euid() && me.uid() == them.suid()
                        && me.gid() == them.gid() && me.gid() == them.egid() && me.gid() == them.sgid();
                if (!sameUser && me.euid() != 0) return -Errno.EPERM;
            }
        }
        long head = p.robustListHead;
        t.mem.write64(lenPtr, ROBUST_LIST_HEAD_SIZE);
        t.mem.write64(headPtr, head);
        return 0;
    }

    /** exit_robust_list. */
    static void exitRobustList(Task t) {
        long head = t.robustListHead;
        if (head == 0) return;
        long uentry = t.mem.read64(head);
        long entry = uentry & ~1L;
        boolean pi = (uentry & 1) != 0;
        long futexOffset = t.mem.read64(head + 8);
        long upending = t.mem.read64(head + 16);
        long pending = upending & ~1L;
        boolean pip = (upending & 1) != 0;
        int limit = ROBUST_LIST_LIMIT;
        while (entry != head) {
            long nextEntry = 0;
            boolean nextPi = false;
            boolean fault = false;
            try {
                long un = t.mem.read64(entry);
                nextEntry = un & ~1L;
                nextPi = (un & 1) != 0;
            } catch (ErrnoException e) {
                fault = true;
            }
            if (entry != pending) {
                if (handleFutexDeath(t, entry + futexOffset, pi, false) != 0) return;
            }
            if (fault) return;
            entry = nextEntry;
            pi = nextPi;
            if (--limit == 0) break;
        }
        if (pending != 0) handleFutexDeath(t, pending + futexOffset, pip, true);
    }

    /** handle_futex_death: 0, or -1 to stop the walk. */
    static int handleFutexDeath(Task t, long uaddr, boolean pi, boolean pendingOp) {
        if ((uaddr & 3) != 0) return -1;
        while (true) {
            int uval;
            try {
                uval = Futex.getValue(t, uaddr);
            } catch (ErrnoException e) {
                return -1;
            }
            int owner = uval & FUTEX_TID_MASK;
            if (pendingOp && !pi && owner == 0) {
                wakeShared(t, uaddr);
                return 0;
            }
            if (owner != t.tid) return 0;
            int mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            int nval;
            try {
                nval = Futex.cmpxchg(t, uaddr, uval, mval);
            } catch (ErrnoException e) {
                return -1;
            }
            if (nval != uval) continue;
            if (!pi && (uval & FUTEX_WAITERS) != 0) wakeShared(t, uaddr);
            return 0;
        }
    }

    private static void wakeShared(Task t, long uaddr) {
        try {
            Futex.wake(t, uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
        } catch (ErrnoException ignored) {
            // nothing to wake at a bad address
        }
    }
}
