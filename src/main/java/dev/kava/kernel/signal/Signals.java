package dev.kava.kernel.signal;

import dev.kava.abi.Signal;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

/**
 * Signal generation and the default actions (kernel/signal.c). Handlers are recorded by
 * rt_sigaction but not yet delivered: a signal whose action is a handler is logged and
 * treated as fatal, which is what the guest would see if its handler could not run.
 */
public final class Signals {
    private Signals() {}

    private static final long IGNORE_SET = mask(Signal.SIGCONT, Signal.SIGCHLD, Signal.SIGWINCH, Signal.SIGURG);
    private static final long STOP_SET = mask(Signal.SIGSTOP, Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU);
    /** Signals that can be neither caught, blocked nor ignored (sig_kernel_only). */
    public static final long KERNEL_ONLY = mask(Signal.SIGKILL, Signal.SIGSTOP);

    private static long mask(int... sigs) {
        long m = 0;
        for (int s : sigs) m |= Signal.bit(s);
        return m;
    }

    public static boolean validSignal(long sig) {
        return sig >= 0 && sig <= Signal.NSIG;
    }

    /** Whether sig's disposition is to be ignored: SIG_IGN, or SIG_DFL with an ignore default (sig_ignored). */
    private static boolean ignored(TaskGroup g, int sig) {
        SigHand.Action a = g.sighand.get(sig);
        if (a.handler() == Signal.SIG_IGN) return true;
        return a.handler() == Signal.SIG_DFL && (IGNORE_SET & Signal.bit(sig)) != 0;
    }

    /** Queues a signal for a whole process (kill), dropping it when ignored, as send_signal does. */
    public static void sendToGroup(TaskGroup g, SigInfo si) {
        if ((KERNEL_ONLY & Signal.bit(si.signo())) == 0 && ignored(g, si.signo())) return;
        g.sharedPending.add(si);
    }

    /** Queues a signal for one thread (tgkill). */
    public static void sendToTask(Task t, SigInfo si) {
        if ((KERNEL_ONLY & Signal.bit(si.signo())) == 0 && ignored(t.group, si.signo())) return;
        t.pending.add(si);
    }

    /**
     * A synchronous fault (force_sig_info): a blocked or ignored fault signal is unblocked and
     * reset to SIG_DFL, so that the process cannot loop on the faulting instruction.
     */
    public static void force(Task t, SigInfo si) {
        int sig = si.signo();
        SigHand.Action a = t.group.sighand.get(sig);
        boolean blocked = (t.blocked & Signal.bit(sig)) != 0;
        if (blocked || a.handler() == Signal.SIG_IGN) {
            t.group.sighand.set(sig, SigHand.Action.DEFAULT);
            t.blocked &= ~Signal.bit(sig);
        }
        t.pending.add(si);
    }

    /**
     * Acts on pending unblocked signals before returning to user mode (get_signal). Returns
     * true when the process was terminated.
     */
    public static boolean handlePending(Task t) {
        while (true) {
            SigInfo si = t.pending.take(t.blocked);
            if (si == null) si = t.group.sharedPending.take(t.blocked);
            if (si == null) return t.group.exiting();
            int sig = si.signo();
            SigHand.Action a = t.group.sighand.get(sig);
            if (t.kernel.strace() != null) t.kernel.strace().signal(t, si);
            if (a.handler() == Signal.SIG_IGN) continue;
            if (a.handler() != Signal.SIG_DFL) {
                t.kernel.log().once("sigdeliver", t.describe() + ": signal handlers are not delivered yet; "
                        + Signal.name(sig) + " handled as fatal");
            } else {
                long bit = Signal.bit(sig);
                if ((IGNORE_SET & bit) != 0) continue;
                if ((STOP_SET & bit) != 0) {
                    t.kernel.log().once("sigstop", t.describe() + ": job control stop is not implemented; "
                            + Signal.name(sig) + " ignored");
                    continue;
                }
            }
            // Terminate the whole group. Linux would dump a core for SIGQUIT, SIGILL, SIGABRT,
            // SIGSEGV, ... (sig_kernel_coredump), but RLIMIT_CORE is 0 by default and kava
            // writes no cores, so WCOREDUMP stays clear.
            t.kernel.log().info(t.describe() + " killed by " + Signal.name(sig) + describeFault(t, si));
            t.group.exit(ExitStatus.killed(sig));
            return true;
        }
    }

    private static String describeFault(Task t, SigInfo si) {
        int s = si.signo();
        if (s == Signal.SIGSEGV || s == Signal.SIGBUS || s == Signal.SIGILL || s == Signal.SIGTRAP || s == Signal.SIGFPE) {
            if (si.code() > 0) {
                return String.format(" at pc 0x%x addr 0x%x", t.hart.pc, si.addr());
            }
        }
        return "";
    }
}
