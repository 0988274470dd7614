package dev.kava.kernel.signal;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.arch.riscv.Hart;
import dev.kava.arch.riscv.SignalFrame;
import dev.kava.arch.riscv.Vdso;
import dev.kava.fs.binfmt.ElfLoader;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.List;

/**
 * Signal generation, delivery and the default actions (kernel/signal.c, and the riscv parts of
 * arch/riscv/kernel/signal.c). Sending queues a siginfo on a thread or its process and wakes a
 * thread that can take it; {@link #handlePending} runs on the task's own thread before it
 * returns to user mode: it restarts or fails an interrupted syscall, builds the signal frame
 * and enters the handler, or carries out the default action (terminate, stop, continue, ignore).
 */
public final class Signals {
    private Signals() {}

    private static final long IGNORE_SET = mask(Signal.SIGCONT, Signal.SIGCHLD, Signal.SIGWINCH, Signal.SIGURG);
    private static final long STOP_SET = mask(Signal.SIGSTOP, Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU);
    /** sig_kernel_coredump: the default action dumps core. */
    private static final long COREDUMP_SET = mask(Signal.SIGQUIT, Signal.SIGILL, Signal.SIGTRAP, Signal.SIGABRT,
            Signal.SIGBUS, Signal.SIGFPE, Signal.SIGSEGV, Signal.SIGXCPU, Signal.SIGXFSZ, Signal.SIGSYS);
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

    public static boolean isStopSignal(int sig) {
        return (STOP_SET & Signal.bit(sig)) != 0;
    }

    /** Whether sig's disposition is to be ignored: SIG_IGN, or SIG_DFL with an ignore default (sig_task_ignored). */
    private static boolean ignoredAction(TaskGroup g, int sig) {
        SigHand.Action a = g.sighand.get(sig);
        if (a.handler() == Signal.SIG_IGN) return true;
        return a.handler() == Signal.SIG_DFL && (IGNORE_SET & Signal.bit(sig)) != 0;
    }

    /** sig_fatal: the default action kills the process. */
    private static boolean fatalAction(TaskGroup g, int sig) {
        long bit = Signal.bit(sig);
        return g.sighand.get(sig).handler() == Signal.SIG_DFL && ((IGNORE_SET | STOP_SET) & bit) == 0;
    }

    /** True if an unblocked signal is pending for t, or its group is stopping or exiting (signal_pending). */
    public static boolean hasPending(Task t) {
        TaskGroup g = t.group;
        return g.exiting() || g.signals.stopped || t.pending.hasUnblocked(t.blocked)
                || g.sharedPending.hasUnblocked(t.blocked);
    }

    /**
     * prepare_signal: the side effects of sending sig whatever happens to it. SIGCONT resumes a
     * stopped process and discards pending stop signals; a stop signal discards pending
     * SIGCONT. Returns false when the signal is to be dropped (ignored and not blocked).
     */
    private static boolean prepare(TaskGroup g, int sig, long targetBlocked) {
        if (g.exiting()) return sig == Signal.SIGKILL;
        List<Task> threads = g.threadsSnapshot();
        if (isStopSignal(sig)) {
            g.sharedPending.remove(Signal.SIGCONT);
            for (Task th : threads) th.pending.remove(Signal.SIGCONT);
        } else if (sig == Signal.SIGCONT) {
            g.sharedPending.removeMask(STOP_SET);
            for (Task th : threads) th.pending.removeMask(STOP_SET);
            if (g.signals.stopped) {
                g.signals.stopped = false;
                g.stopReport = 0;
                g.continueReport = true;
                g.signals.stopWait.wakeAll();
                notifyParentCldstop(g, Signal.CLD_CONTINUED, Signal.SIGCONT);
            }
        }
        if ((KERNEL_ONLY & Signal.bit(sig)) != 0) return true;
        if ((targetBlocked & Signal.bit(sig)) != 0) return true;
        return !ignoredAction(g, sig);
    }

    /** Queues a signal for a whole process (kill, group_send_sig_info). */
    public static void sendToGroup(TaskGroup g, SigInfo si) {
        int sig = si.signo();
        Task leader = g.leader();
        if (!prepare(g, sig, leader != null ? leader.blocked | leader.signals.realBlocked : 0)) return;
        if (!g.sharedPending.add(si)) return;
        signalfdNotify(g);
        complete(g, null, sig);
    }

    /** Queues a signal for one thread (tgkill, SIGPIPE, timers with SIGEV_THREAD_ID). */
    public static void sendToTask(Task t, SigInfo si) {
        int sig = si.signo();
        if (!prepare(t.group, sig, t.blocked | t.signals.realBlocked)) return;
        if (!t.pending.add(si)) return;
        signalfdNotify(t.group);
        complete(t.group, t, sig);
    }

    /** signalfd_notify: a signal was queued; signalfd readers and pollers of the process look again. */
    private static void signalfdNotify(TaskGroup g) {
        g.sighand.signalfdWqh.wakeAll(dev.kava.abi.Poll.POLLIN);
    }

    /**
     * complete_signal: wakes a thread that can take the signal. A signal whose default action
     * kills the process, and which the chosen thread does not block, takes the whole group down
     * at once (except for a core-dumping one, which its thread acts on), as does SIGKILL.
     */
    private static void complete(TaskGroup g, Task target, int sig) {
        long bit = Signal.bit(sig);
        Task t = target;
        if (t == null) {
            Task leader = g.leader();
            if (leader != null && (leader.blocked & bit) == 0) {
                t = leader;
            } else {
                for (Task th : g.threadsSnapshot()) {
                    if ((th.blocked & bit) == 0) {
                        t = th;
                        break;
                    }
                }
            }
        }
        if (t == null) return; // every thread blocks it: it waits in the shared queue
        if (fatalAction(g, sig) && ((t.blocked | t.signals.realBlocked) & bit) == 0 && (sig == Signal.SIGKILL || (COREDUMP_SET & bit) == 0)) {
            if (g.exit(ExitStatus.killed(sig))) logKill(t, sig, null);
            return;
        }
        t.signalWakeup();
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
        if (t.pending.add(si)) signalfdNotify(t.group);
        complete(t.group, t, sig);
    }

    /** force_sigsegv: a frame could not be set up for sig; a SIGSEGV handler that fails is not tried again. */
    private static void forceSigsegv(Task t, int sig) {
        if (sig == Signal.SIGSEGV) t.group.sighand.set(Signal.SIGSEGV, SigHand.Action.DEFAULT);
        force(t, SigInfo.user(Signal.SIGSEGV, Signal.SI_KERNEL, 0, 0));
    }

    /** Sends SIGCHLD for a stop or continue to the parent, unless it ignores SIGCHLD or asked SA_NOCLDSTOP. */
    private static void notifyParentCldstop(TaskGroup g, int why, int status) {
        TaskGroup parent = g.parent;
        if (parent == null) return;
        SigHand.Action a = parent.sighand.get(Signal.SIGCHLD);
        if (a.handler() != Signal.SIG_IGN && (a.flags() & Signal.SA_NOCLDSTOP) == 0) {
            sendToGroup(parent, SigInfo.child(why, g.tgid, g.cred.uid(), status));
        }
        parent.childWait.wakeAll();
    }

    /** do_signal_stop: the group stops; its parent hears of it; the thread sleeps until SIGCONT or SIGKILL. */
    private static void doSignalStop(Task t, int sig) {
        TaskGroup g = t.group;
        boolean first;
        synchronized (g.signals) {
            first = !g.signals.stopped;
            if (first) {
                g.signals.stopped = true;
                g.signals.stopSignal = sig;
            }
        }
        if (first) {
            g.continueReport = false;
            g.stopReport = sig;
            for (Task th : g.threadsSnapshot()) if (th != t) th.signalWakeup();
            notifyParentCldstop(g, Signal.CLD_STOPPED, sig);
        }
        waitWhileStopped(t);
    }

    private static void waitWhileStopped(Task t) {
        TaskGroup g = t.group;
        while (g.signals.stopped && !t.exiting()) {
            t.waitEvent(g.signals.stopWait, () -> !g.signals.stopped, Long.MAX_VALUE, false);
        }
    }

    /** Dequeues the next signal t may take (dequeue_signal): its own first, then its process's. */
    private static SigInfo dequeue(Task t, long blocked) {
        while (true) {
            SigInfo si = t.pending.take(blocked);
            if (si == null) si = t.group.sharedPending.take(blocked);
            if (si == null || si.onDequeue() == null) return si;
            si = si.onDequeue().dequeued(si);
            if (si != null) return si; // else the signal of a deleted timer: dropped
        }
    }

    /** Dequeues a signal of set for rt_sigtimedwait and signalfd: signals outside set stay pending. */
    public static SigInfo dequeueFrom(Task t, long set) {
        return dequeue(t, ~set);
    }

    /**
     * Acts on pending signals before t returns to user mode (arch_do_signal_or_restart, with
     * get_signal and handle_signal). When the task comes from a syscall ({@code syscallNr >= 0})
     * and a0 holds a restart code, the syscall is restarted or fails with EINTR. Returns true
     * when the task is to exit.
     */
    public static boolean handlePending(Task t) {
        TaskSignals ts = t.signals;
        boolean fromSyscall = t.syscallNr >= 0;
        t.syscallNr = -1;
        if (!fromSyscall && !ts.restoreMask && !hasPending(t)) return t.exiting();
        Hart h = t.hart;
        TaskGroup g = t.group;
        while (true) {
            if (t.exiting()) return true;
            if (g.signals.stopped) {
                waitWhileStopped(t);
                continue;
            }
            SigInfo si = dequeue(t, t.blocked);
            if (si == null) break;
            int sig = si.signo();
            SigHand.Action a = g.sighand.get(sig);
            if (t.kernel.strace() != null) t.kernel.strace().signal(t, si);
            if (a.handler() == Signal.SIG_IGN) continue;
            if (a.handler() == Signal.SIG_DFL) {
                long bit = Signal.bit(sig);
                if ((IGNORE_SET & bit) != 0) continue;
                if ((STOP_SET & bit) != 0) {
                    doSignalStop(t, sig);
                    continue;
                }
                // Death. Linux dumps a core for the COREDUMP_SET signals when RLIMIT_CORE allows;
                // kava writes no core files, so WCOREDUMP stays clear, as with the default limit of 0.
                // The first to end the group logs it: the sender's complete() and the thread
                // dequeuing the same fatal signal may both get here.
                if (g.exit(ExitStatus.killed(sig))) logKill(t, sig, si);
                return true;
            }
            if ((a.flags() & Signal.SA_RESETHAND) != 0) g.sighand.set(sig, SigHand.Action.DEFAULT);
            if (fromSyscall) {
                fromSyscall = false;
                long ret = h.x[10];
                if (ret == -Errno.ERESTART_RESTARTBLOCK || ret == -Errno.ERESTARTNOHAND
                        || (ret == -Errno.ERESTARTSYS && (a.flags() & Signal.SA_RESTART) == 0)) {
                    h.x[10] = -Errno.EINTR;
                } else if (ret == -Errno.ERESTARTSYS || ret == -Errno.ERESTARTNOINTR) {
                    h.x[10] = t.origA0;
                    h.pc -= 4;
                }
            }
            dev.kava.kernel.rseq.Rseq.onSignalDelivery(t); // rseq_signal_deliver: the frame saves the abort pc
            if (setupFrame(t, si, a)) {
                signalDelivered(t, sig, a);
                return false;
            }
            forceSigsegv(t, sig);
        }
        if (fromSyscall) {
            long ret = h.x[10];
            if (ret == -Errno.ERESTARTNOHAND || ret == -Errno.ERESTARTSYS || ret == -Errno.ERESTARTNOINTR) {
                h.x[10] = t.origA0;
                h.pc -= 4;
            } else if (ret == -Errno.ERESTART_RESTARTBLOCK) {
                h.x[10] = t.origA0;
                h.x[17] = SyscallNr.RESTART_SYSCALL;
                h.pc -= 4;
            }
        }
        // No handler ran: put back the mask sigsuspend replaced (restore_saved_sigmask).
        if (ts.restoreMask) {
            ts.restoreMask = false;
            t.blocked = ts.savedMask;
        }
        return t.exiting();
    }

    /** signal_delivered: the handler's mask is in force; a one-shot alternate stack is disarmed. */
    private static void signalDelivered(Task t, int sig, SigHand.Action a) {
        TaskSignals ts = t.signals;
        ts.restoreMask = false;
        long blocked = t.blocked | a.mask();
        if ((a.flags() & Signal.SA_NODEFER) == 0) blocked |= Signal.bit(sig);
        t.blocked = blocked & ~KERNEL_ONLY;
        if ((ts.altFlags & Signal.SS_AUTODISARM) != 0) ts.resetAltStack();
    }

    /** setup_rt_frame: writes the frame and points the hart at the handler. False when the frame cannot be written. */
    private static boolean setupFrame(Task t, SigInfo si, SigHand.Action a) {
        Hart h = t.hart;
        TaskSignals ts = t.signals;
        long sp = h.x[2];
        long frame;
        // get_sigframe
        if (ts.onSigStack(sp) && !ts.onSigStack(sp - SignalFrame.SIZE)) {
            return false; // would overflow the alternate stack: an always-bogus address
        }
        long base = sp;
        if ((a.flags() & Signal.SA_ONSTACK) != 0 && ts.ssFlags(sp) == 0) base = ts.altSp + ts.altSize;
        frame = (base - SignalFrame.SIZE) & ~0xfL;
        long saved = ts.restoreMask ? ts.savedMask : t.blocked;
        byte[] b = SignalFrame.build(h, si.toBytes(), saved, ts.altSp, ts.ssFlags(sp) | (ts.altFlags & Signal.SS_FLAG_BITS),
                ts.altSize);
        if (!t.mem.addressSpace().copyToUser(frame, b, 0, b.length)) return false;
        long vdso = ElfLoader.vdsoBase(t.group.mm);
        h.x[1] = vdso + Vdso.rtSigreturnOffset();
        h.pc = a.handler();
        h.x[2] = frame;
        h.x[10] = si.signo();
        h.x[11] = frame;
        h.x[12] = frame + Signal.FRAME_UC;
        h.clearReservation();
        return true;
    }

    /** rt_sigreturn (arch/riscv/kernel/signal.c): the state saved in the frame at sp comes back. */
    static long rtSigreturn(Task t) {
        Hart h = t.hart;
        t.signals.restart = null; // pending restarts of interrupted syscalls now fail with EINTR
        t.syscallNr = -1; // regs->cause = -1: a0 is the restored register, never a restart code
        long frame = h.x[2];
        byte[] b = new byte[SignalFrame.SIZE];
        if (!t.mem.addressSpace().copyFromUser(frame, b, 0, b.length)) return badFrame(t);
        t.blocked = SignalFrame.savedMask(b) & ~KERNEL_ONLY;
        if (!SignalFrame.restore(h, b)) return badFrame(t);
        long[] ss = SignalFrame.savedStack(b);
        SignalSyscalls.doSigaltstack(t, ss[0], (int) ss[1], ss[2], h.x[2]); // errors other than EFAULT are squashed
        return h.x[10];
    }

    private static long badFrame(Task t) {
        t.kernel.log().info(t.describe() + ": bad frame in rt_sigreturn: pc 0x" + Long.toHexString(t.hart.pc)
                + " sp 0x" + Long.toHexString(t.hart.x[2]));
        force(t, SigInfo.user(Signal.SIGSEGV, Signal.SI_KERNEL, 0, 0));
        return 0;
    }

    /** Exec: handlers go back to SIG_DFL (SIG_IGN stays), the alternate stack is dropped (flush_signal_handlers). */
    public static void execReset(Task t) {
        for (int sig = 1; sig <= Signal.NSIG; sig++) {
            SigHand.Action a = t.group.sighand.get(sig);
            if (a.handler() != Signal.SIG_IGN) t.group.sighand.set(sig, SigHand.Action.DEFAULT);
            else if (a.flags() != 0 || a.mask() != 0) t.group.sighand.set(sig, new SigHand.Action(Signal.SIG_IGN, 0, 0));
        }
        t.signals.resetAltStack();
        t.signals.restart = null;
        t.group.signals.timers.execReset();
    }

    private static void logKill(Task t, int sig, SigInfo si) {
        t.kernel.log().info(t.describe() + " killed by " + Signal.name(sig) + (si != null ? describeFault(t, si) : ""));
    }

    private static String describeFault(Task t, SigInfo si) {
        int s = si.signo();
        if (s == Signal.SIGSEGV || s == Signal.SIGBUS || s == Signal.SIGILL || s == Signal.SIGTRAP || s == Signal.SIGFPE) {
            if (si.code() > 0 && si.code() < Signal.SI_KERNEL) {
                return String.format(" at pc 0x%x addr 0x%x", t.hart.pc, si.addr());
            }
        }
        return "";
    }
}
