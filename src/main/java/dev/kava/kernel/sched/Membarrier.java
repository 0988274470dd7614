package dev.kava.kernel.sched;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.rseq.Rseq;
import dev.kava.mm.Mmap;

import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import static dev.kava.abi.Membarrier.*;

/**
 * membarrier(2) (kernel/sched/membarrier.c). The "IPI" to the other harts of an mm is the TLB
 * shoot-down request every hart already answers at its next block boundary, after a full fence
 * on the caller; the hart threads synchronize with the kernel when they take it.
 */
public final class Membarrier {
    private Membarrier() {}

    // mm->membarrier_state bits (include/linux/sched/mm.h)
    static final int STATE_PRIVATE_EXPEDITED_READY = 1 << 0;
    static final int STATE_PRIVATE_EXPEDITED = 1 << 1;
    static final int STATE_GLOBAL_EXPEDITED_READY = 1 << 2;
    static final int STATE_GLOBAL_EXPEDITED = 1 << 3;
    static final int STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY = 1 << 4;
    static final int STATE_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
    static final int STATE_PRIVATE_EXPEDITED_RSEQ_READY = 1 << 6;
    static final int STATE_PRIVATE_EXPEDITED_RSEQ = 1 << 7;

    /** MEMBARRIER_CMD_BITMASK: riscv has ARCH_HAS_MEMBARRIER_SYNC_CORE, and RSEQ is built in. */
    static final int CMD_BITMASK = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED
            | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED
            | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
            | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ
            | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ | MEMBARRIER_CMD_GET_REGISTRATIONS;

    private static final Map<Mmap, int[]> STATE = Collections.synchronizedMap(new WeakHashMap<>());

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MEMBARRIER, (task, a) -> membarrier(task, (int) a[0], (int) a[1], (int) a[2]));
    }

    static int state(Mmap mm) {
        int[] s = STATE.get(mm);
        return s == null ? 0 : s[0];
    }

    private static void or(Mmap mm, int bits) {
        synchronized (STATE) {
            STATE.computeIfAbsent(mm, k -> new int[1])[0] |= bits;
        }
    }

    /** exec gives the task a fresh mm without registrations (membarrier_exec_mmap). */
    public static void execMmap(Mmap mm) {
        STATE.remove(mm);
    }

    static long membarrier(Task t, int cmd, int flags, int cpuId) {
        if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
            if (flags != 0 && flags != MEMBARRIER_CMD_FLAG_CPU) return -Errno.EINVAL;
        } else if (flags != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MEMBARRIER_CMD_FLAG_CPU) == 0) cpuId = -1;
        Mmap mm = t.group.mm;
        switch (cmd) {
            case MEMBARRIER_CMD_QUERY:
                return CMD_BITMASK;
            case MEMBARRIER_CMD_GLOBAL:
                // synchronize_rcu: every hart passes a quiescent state; a fence and a kick of our own mm's harts.
                VarHandle.fullFence();
                mm.as.flushTlbsExcept(t.hart.mmu);
                return 0;
            case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
                VarHandle.fullFence();
                if ((state(mm) & STATE_GLOBAL_EXPEDITED) != 0) mm.as.flushTlbsExcept(t.hart.mmu);
                return 0;
            case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
                or(mm, STATE_GLOBAL_EXPEDITED);
                or(mm, STATE_GLOBAL_EXPEDITED_READY);
                return 0;
            case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
                return privateExpedited(t, mm, 0, cpuId);
            case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
                or(mm, STATE_PRIVATE_EXPEDITED);
                or(mm, STATE_PRIVATE_EXPEDITED_READY);
                return 0;
            case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
                return privateExpedited(t, mm, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, cpuId);
            case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
                or(mm, STATE_PRIVATE_EXPEDITED | STATE_PRIVATE_EXPEDITED_SYNC_CORE);
                or(mm, STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY);
                return 0;
            case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
                return privateExpedited(t, mm, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, cpuId);
            case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
                or(mm, STATE_PRIVATE_EXPEDITED | STATE_PRIVATE_EXPEDITED_RSEQ);
                or(mm, STATE_PRIVATE_EXPEDITED_RSEQ_READY);
                return 0;
            case MEMBARRIER_CMD_GET_REGISTRATIONS:
                return registrations(state(mm));
            default:
                return -Errno.EINVAL;
        }
    }

    /** membarrier_get_registrations. */
    static int registrations(int state) {
        int[] states = {
            STATE_GLOBAL_EXPEDITED | STATE_GLOBAL_EXPEDITED_READY,
            STATE_PRIVATE_EXPEDITED | STATE_PRIVATE_EXPEDITED_READY,
            STATE_PRIVATE_EXPEDITED_SYNC_CORE | STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY,
            STATE_PRIVATE_EXPEDITED_RSEQ | STATE_PRIVATE_EXPEDITED_RSEQ_READY,
        };
        int[] cmds = {
            MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
            MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
        };
        int mask = 0;
        for (int i = 0; i < states.length; i++) {
            if ((state & states[i]) != 0) {
                mask |= cmds[i];
                state &= ~states[i];
            }
        }
        return mask;
    }

    /** membarrier_private_expedited. */
    private static long privateExpedited(Task t, Mmap mm, int kind, int cpuId) {
        int st = state(mm);
        if (kind == MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) {
            if ((st & STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY) == 0) return -Errno.EPERM;
        } else if (kind == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
            if ((st & STATE_PRIVATE_EXPEDITED_RSEQ_READY) == 0) return -Errno.EPERM;
        } else if ((st & STATE_PRIVATE_EXPEDITED_READY) == 0) {
            return -Errno.EPERM;
        }
        VarHandle.fullFence();
        if (kind == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) Rseq.preemptMm(mm, t, cpuId);
        // The IPI: every other hart of the mm stops at its next block boundary and serializes
        // (a TLB flush also refetches instructions, which is the core serialization SYNC_CORE asks for).
        mm.as.flushTlbsExcept(t.hart.mmu);
        VarHandle.fullFence();
        return 0;
    }
}
