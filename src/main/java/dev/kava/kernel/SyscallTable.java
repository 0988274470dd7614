package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.arch.riscv.Hart;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

/**
 * The syscall dispatcher: one table indexed by syscall number (sys_call_table), filled by each
 * subsystem's register() method, and the ecall entry path (do_trap_ecall_u).
 */
public final class SyscallTable {
    private final Syscall[] table = new Syscall[SyscallNr.COUNT];

    public void register(int nr, Syscall s) {
        if (table[nr] != null) throw new IllegalStateException("syscall " + SyscallNr.name(nr) + " registered twice");
        table[nr] = s;
    }

    public boolean isImplemented(long nr) {
        return nr >= 0 && nr < table.length && table[(int) nr] != null;
    }

    /** Handles an ecall from user mode: a7 is the number, a0-a5 the arguments, a0 the result. */
    public void dispatch(Task t) {
        Hart h = t.hart;
        long nr = h.x[17];
        long[] args = t.syscallArgs;
        for (int i = 0; i < 6; i++) args[i] = h.x[10 + i];
        // As Linux does (regs->epc += 4 before the call): execve and rt_sigreturn may then set pc themselves.
        h.pc += 4;
        // For syscall restart: Signals.handlePending reads and clears syscallNr on the way out.
        t.origA0 = args[0];
        t.syscallNr = nr;
        Strace strace = t.kernel.strace();
        Strace.Call call = strace != null ? strace.enter(t, nr, args) : null;
        long ret = invoke(t, nr, args);
        h.x[10] = ret;
        if (call != null) strace.exit(t, call, ret);
    }

    private long invoke(Task t, long nr, long[] args) {
        Syscall s = nr >= 0 && nr < table.length ? table[(int) nr] : null;
        if (s == null) {
            t.kernel.log().once("nosys:" + nr, t.describe() + ": syscall " + nr + " (" + SyscallNr.name(nr)
                    + ") is not implemented: -ENOSYS");
            return -Errno.ENOSYS;
        }
        try {
            return s.call(t, args);
        } catch (ErrnoException e) {
            return -e.errno;
        } catch (RuntimeException | StackOverflowError e) {
            // A kernel bug. Like an oops in a syscall on Linux, it kills the calling task; the kernel goes on.
            t.kernel.log().oops(t.describe() + " in " + SyscallNr.name(nr), e);
            Signals.force(t, SigInfo.fault(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0));
            return -Errno.EFAULT;
        }
    }
}
