package dev.kava.kernel.rseq;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import static dev.kava.abi.Rseq.*;

/**
 * Restartable sequences (kernel/rseq.c, Linux 7.0 ABI). A registered thread gets cpu_id_start,
 * cpu_id, node_id and mm_cid written whenever it returns to user space on another vCPU, and an
 * active critical section is aborted (pc moved to the abort handler) when the thread is
 * preempted, migrated or gets a signal.
 *
 * <p>Hooks for the rest of the kernel: {@link #onResume} (scheduler, before a task goes back to
 * user mode on a vCPU), {@link #onPreempt} (scheduler, a task lost its vCPU involuntarily),
 * {@link #onSignalDelivery} (signal delivery, before the frame is built), {@link #notifyResume}
 * (return to user: handles events raised from other threads, e.g. membarrier RSEQ),
 * {@link #fork} and {@link #exec}.
 *
 * <p>The 7.0 time-slice extension is reported as not available (as when booted with
 * rseq_slice_ext=0): RSEQ_FLAG_SLICE_EXT_DEFAULT_ON is accepted and ignored, and no grant ever
 * happens, so rseq_slice_yield returns 0.
 */
public final class Rseq {
    private Rseq() {}

    /** AT_RSEQ_FEATURE_SIZE and AT_RSEQ_ALIGN as the ELF loader reports them. */
    public static final int FEATURE_SIZE = 32, ALIGN = 32;

    /** Per-thread registration (task_struct's rseq fields). */
    static final class State {
        long addr;
        int len;
        int sig;
        int cpu = -1;
        /** rseq_event_mask: preemption, signal or migration since the last return to user. */
        volatile boolean event;
    }

    private static final Map<Task, State> STATES = Collections.synchronizedMap(new WeakHashMap<>());

    public static void register(SyscallTable t) {
        t.register(SyscallNr.RSEQ, (task, a) -> sysRseq(task, a[0], (int) a[1], (int) a[2], (int) a[3]));
        // sys_rseq_slice_yield: 1 only after yielding inside a granted extension; grants never happen here.
        t.register(SyscallNr.RSEQ_SLICE_YIELD, (task, a) -> 0);
    }

    static State state(Task t) {
        return STATES.get(t);
    }

    /** The vCPU the task last ran on (0 before the scheduler said). */
    private static int cpuOf(Task t) {
        State s = STATES.get(t);
        return s != null && s.cpu >= 0 ? s.cpu : 0;
    }

    /** SYSCALL_DEFINE4(rseq). */
    static long sysRseq(Task t, long rseq, int len, int flags, int sig) {
        State cur = STATES.get(t);
        boolean registered = cur != null && cur.addr != 0;
        if ((flags & RSEQ_FLAG_UNREGISTER) != 0) {
            if ((flags & ~RSEQ_FLAG_UNREGISTER) != 0) return -Errno.EINVAL;
            if (!registered || cur.addr != rseq) return -Errno.EINVAL;
            if (len != cur.len) return -Errno.EINVAL;
            if (cur.sig != sig) return -Errno.EPERM;
            // rseq_reset_rseq_cpu_node_id
            byte[] b = new byte[32];
            Uaccess.putInt(b, OFF_CPU_ID_START, 0);
            Uaccess.putInt(b, OFF_CPU_ID, RSEQ_CPU_ID_UNINITIALIZED);
            t.mem.write(rseq + OFF_CPU_ID_START, b, 0, 8);
            t.mem.write32(rseq + OFF_NODE_ID, 0);
            t.mem.write32(rseq + OFF_MM_CID, 0);
            cur.addr = 0;
            cur.len = 0;
            cur.sig = 0;
            return 0;
        }
        if ((flags & ~RSEQ_FLAG_SLICE_EXT_DEFAULT_ON) != 0) return -Errno.EINVAL;
        if (registered) {
            if (cur.addr != rseq || len != cur.len) return -Errno.EINVAL;
            if (cur.sig != sig) return -Errno.EPERM;
            return -Errno.EBUSY;
        }
        long ulen = Integer.toUnsignedLong(len);
        if (ulen < ORIG_RSEQ_SIZE
                || (ulen == ORIG_RSEQ_SIZE && (rseq & (ORIG_RSEQ_SIZE - 1)) != 0)
                || (ulen != ORIG_RSEQ_SIZE && ((rseq & (ALIGN - 1)) != 0 || ulen < FEATURE_SIZE))) {
            return -Errno.EINVAL;
        }
        if (rseq < 0 || rseq + ulen > AddressSpace.USER_TOP || rseq + ulen < rseq) return -Errno.EFAULT;
        State s = cur != null ? cur : new State();
        int cpu = cpuOf(t);
        // Write the ids now (Linux does it on the way back to user space); a fault is EFAULT.
        writeIds(t, rseq, cpu);
        s.addr = rseq;
        s.len = len;
        s.sig = sig;
        s.cpu = cpu;
        s.event = false;
        STATES.put(t, s);
        return 0;
    }

    /** rseq_update_cpu_node_id: cpu_id_start, cpu_id, node_id, mm_cid. */
    private static void writeIds(Task t, long rseq, int cpu) {
        byte[] ids = new byte[8];
        Uaccess.putInt(ids, 0, cpu);
        Uaccess.putInt(ids, 4, cpu);
        t.mem.write(rseq + OFF_CPU_ID_START, ids);
        byte[] node = new byte[8];
        Uaccess.putInt(node, 0, 0);   // node_id: one NUMA node
        Uaccess.putInt(node, 4, cpu); // mm_cid: the vCPU number is unique among the mm's running threads
        t.mem.write(rseq + OFF_NODE_ID, node);
    }

    // ---- hooks ----

    /** The scheduler puts t back on vCPU cpu, about to return to user mode. */
    public static void onResume(Task t, int cpu) {
        State s = STATES.get(t);
        if (s == null) {
            // remember the vCPU for a later registration
            s = new State();
            s.cpu = cpu;
            STATES.put(t, s);
            return;
        }
        if (s.cpu != cpu) {
            s.cpu = cpu;
            s.event = true; // migration
        }
        notifyResume(t);
    }

    /** The task was preempted (lost its vCPU involuntarily): an active critical section must abort. */
    public static void onPreempt(Task t) {
        State s = STATES.get(t);
        if (s == null || s.addr == 0) return;
        s.event = true;
        handle(t, s, true);
    }

    /** rseq_signal_deliver: before the signal frame is built, so the frame saves the abort pc. */
    public static void onSignalDelivery(Task t) {
        State s = STATES.get(t);
        if (s == null || s.addr == 0) return;
        s.event = true;
        handle(t, s, true);
    }

    /** __rseq_handle_notify_resume: fix up the pc for pending events and refresh the ids. */
    public static void notifyResume(Task t) {
        State s = STATES.get(t);
        if (s == null || s.addr == 0) return;
        handle(t, s, true);
    }

    /** membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ): every other thread of mm restarts its section. */
    public static void preemptMm(Mmap mm, Task caller, int cpuId) {
        List<Map.Entry<Task, State>> es;
        synchronized (STATES) {
            es = new ArrayList<>(STATES.entrySet());
        }
        for (var e : es) {
            Task o = e.getKey();
            State s = e.getValue();
            if (o == null || o == caller || o.group.mm != mm || s.addr == 0) continue;
            if (cpuId >= 0 && s.cpu != cpuId) continue;
            s.event = true;
        }
    }

    private static void handle(Task t, State s, boolean updateIds) {
        try {
            if (s.event) {
                s.event = false;
                ipFixup(t, s);
            }
            if (updateIds) writeIds(t, s.addr, Math.max(0, s.cpu));
        } catch (ErrnoException e) {
            // Inconsistent rseq state or a fault: force_sig(SIGSEGV).
            Signals.force(t, SigInfo.fault(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0));
        }
    }

    /** rseq_ip_fixup: if pc is inside the active critical section, go to its abort handler. */
    static void ipFixup(Task t, State s) {
        long pc = t.hart.pc;
        long csPtr = t.mem.read64(s.addr + OFF_RSEQ_CS);
        if (csPtr == 0) return;
        long top = AddressSpace.USER_TOP;
        if (Long.compareUnsigned(csPtr, top) >= 0) throw ErrnoException.of(Errno.EINVAL);
        byte[] cs = t.mem.read(csPtr, CS_SIZE);
        int version = Uaccess.getInt(cs, 0), csFlags = Uaccess.getInt(cs, 4);
        long startIp = Uaccess.getLong(cs, 8), postCommitOffset = Uaccess.getLong(cs, 16), abortIp = Uaccess.getLong(cs, 24);
        if (Long.compareUnsigned(startIp, top) >= 0 || Long.compareUnsigned(startIp + postCommitOffset, top) >= 0
                || Long.compareUnsigned(abortIp, top) >= 0 || version > 0 || version < 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (Long.compareUnsigned(startIp + postCommitOffset, startIp) < 0) throw ErrnoException.of(Errno.EINVAL);
        if (Long.compareUnsigned(abortIp - startIp, postCommitOffset) < 0) throw ErrnoException.of(Errno.EINVAL);
        int usig = t.mem.read32(abortIp - 4);
        if (usig != s.sig) throw ErrnoException.of(Errno.EINVAL);
        if (Long.compareUnsigned(pc - startIp, postCommitOffset) >= 0) return; // not in the section
        // rseq_need_restart: deprecated or unknown flags are an error.
        if (csFlags != 0) throw ErrnoException.of(Errno.EINVAL);
        int uflags = t.mem.read32(s.addr + OFF_FLAGS) & ~(RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE | RSEQ_CS_FLAG_SLICE_EXT_ENABLED);
        if (uflags != 0) throw ErrnoException.of(Errno.EINVAL);
        t.mem.write64(s.addr + OFF_RSEQ_CS, 0); // clear_rseq_cs
        t.hart.pc = abortIp;
    }

    /** rseq_fork: a new process keeps the registration, a new thread (CLONE_VM) starts without. */
    public static void fork(Task parent, Task child, boolean cloneVm) {
        State p = STATES.get(parent);
        if (cloneVm || p == null || p.addr == 0) return;
        State c = new State();
        c.addr = p.addr;
        c.len = p.len;
        c.sig = p.sig;
        c.cpu = p.cpu;
        STATES.put(child, c);
    }

    /** rseq_execve: exec drops the registration. */
    public static void exec(Task t) {
        State s = STATES.get(t);
        if (s == null) return;
        s.addr = 0;
        s.len = 0;
        s.sig = 0;
        s.event = false;
    }

    /** Whether t has rseq registered (for prctl PR_RSEQ_SLICE_EXTENSION's ENXIO). */
    public static boolean registered(Task t) {
        State s = STATES.get(t);
        return s != null && s.addr != 0;
    }

    /** ENOTSUPP (include/linux/errno.h): kernel-internal, but rseq's slice prctl leaks it. */
    public static final int ENOTSUPP = 524;

    /**
     * prctl(PR_RSEQ_SLICE_EXTENSION, ...) for the prctl owner to call: the extension is disabled
     * (rseq_slice_ext=0), which the prctl reports as -ENOTSUPP.
     */
    public static long prctlSliceExtension(Task t, long arg2, long arg3, long arg4, long arg5) {
        return -ENOTSUPP;
    }
}
