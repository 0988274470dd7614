package dev.kava.kernel.signal;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;

/** rt_sigaction, rt_sigprocmask, rt_sigpending, kill, tkill, tgkill (kernel/signal.c). */
public final class SignalSyscalls {
    private SignalSyscalls() {}

    /** UAPI_SA_FLAGS (include/linux/signal_types.h): the sa_flags bits the kernel keeps; riscv adds none. */
    private static final long UAPI_SA_FLAGS = Signal.SA_NOCLDSTOP | Signal.SA_NOCLDWAIT | Signal.SA_SIGINFO
            | Signal.SA_ONSTACK | Signal.SA_RESTART | Signal.SA_NODEFER | Signal.SA_RESETHAND | Signal.SA_EXPOSE_TAGBITS;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.RT_SIGACTION, (task, a) -> rtSigaction(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.RT_SIGPROCMASK, (task, a) -> rtSigprocmask(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.RT_SIGPENDING, (task, a) -> rtSigpending(task, a[0], a[1]));
        t.register(SyscallNr.KILL, (task, a) -> kill(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.TKILL, (task, a) -> tkill(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.TGKILL, (task, a) -> tgkill(task, (int) a[0], (int) a[1], (int) a[2]));
    }

    static long rtSigaction(Task t, int sig, long act, long oact, long sigsetsize) {
        if (sigsetsize != Signal.SIGSET_SIZE) return -Errno.EINVAL;
        SigHand.Action newAction = null;
        if (act != 0) {
            byte[] b = t.mem.read(act, Signal.SIGACTION_SIZE);
            newAction = new SigHand.Action(
                    Uaccess.getLong(b, Signal.SA_HANDLER),
                    Uaccess.getLong(b, Signal.SA_FLAGS) & UAPI_SA_FLAGS,
                    Uaccess.getLong(b, Signal.SA_MASK) & ~Signals.KERNEL_ONLY);
        }
        if (sig < 1 || sig > Signal.NSIG || (newAction != null && (Signals.KERNEL_ONLY & Signal.bit(sig)) != 0)) {
            return -Errno.EINVAL;
        }
        SigHand.Action old = t.group.sighand.get(sig);
        if (newAction != null) {
            t.group.sighand.set(sig, newAction);
            // Setting a signal to be ignored discards it where pending (do_sigaction).
            if (newAction.handler() == Signal.SIG_IGN
                    || (newAction.handler() == Signal.SIG_DFL && (sig == Signal.SIGCHLD || sig == Signal.SIGURG
                            || sig == Signal.SIGWINCH || sig == Signal.SIGCONT))) {
                t.pending.remove(sig);
                t.group.sharedPending.remove(sig);
            }
        }
        if (oact != 0) {
            byte[] b = new byte[Signal.SIGACTION_SIZE];
            Uaccess.putLong(b, Signal.SA_HANDLER, old.handler());
            Uaccess.putLong(b, Signal.SA_FLAGS, old.flags() & UAPI_SA_FLAGS);
            Uaccess.putLong(b, Signal.SA_MASK, old.mask());
            t.mem.write(oact, b);
        }
        return 0;
    }

    static long rtSigprocmask(Task t, int how, long nset, long oset, long sigsetsize) {
        if (sigsetsize != Signal.SIGSET_SIZE) return -Errno.EINVAL;
        long old = t.blocked;
        if (nset != 0) {
            long set = t.mem.read64(nset) & ~Signals.KERNEL_ONLY;
            switch (how) {
                case Signal.SIG_BLOCK -> t.blocked |= set;
                case Signal.SIG_UNBLOCK -> t.blocked &= ~set;
                case Signal.SIG_SETMASK -> t.blocked = set;
                default -> { return -Errno.EINVAL; }
            }
        }
        if (oset != 0) t.mem.write64(oset, old);
        return 0;
    }

    static long rtSigpending(Task t, long uset, long sigsetsize) {
        if (sigsetsize > Signal.SIGSET_SIZE) return -Errno.EINVAL;
        long pending = (t.pending.mask() | t.group.sharedPending.mask()) & t.blocked;
        byte[] b = new byte[8];
        Uaccess.putLong(b, 0, pending);
        t.mem.write(uset, b, 0, (int) sigsetsize);
        return 0;
    }

    static long kill(Task t, int pid, int sig) {
        if (!Signals.validSignal(sig)) return -Errno.EINVAL;
        TaskGroup target;
        if (pid > 0) {
            target = t.kernel.findGroup(pid);
        } else if (pid == 0 || pid == -t.group.pgid) {
            target = t.group; // our process group holds just us for now
        } else if (pid == -1) {
            return -Errno.ESRCH; // every process but init and ourselves: there are none
        } else {
            target = pid == Integer.MIN_VALUE ? null : t.kernel.findGroupByPgid(-pid);
        }
        if (target == null) return -Errno.ESRCH;
        if (sig != 0) Signals.sendToGroup(target, SigInfo.user(sig, SigInfo.SI_USER, t.group.tgid, t.group.cred.uid()));
        return 0;
    }

    static long tkill(Task t, int tid, int sig) {
        if (tid <= 0) return -Errno.EINVAL;
        return sendToThread(t, 0, tid, sig);
    }

    static long tgkill(Task t, int tgid, int tid, int sig) {
        if (tid <= 0 || tgid <= 0) return -Errno.EINVAL;
        return sendToThread(t, tgid, tid, sig);
    }

    private static long sendToThread(Task t, int tgid, int tid, int sig) {
        if (!Signals.validSignal(sig)) return -Errno.EINVAL;
        Task target = t.kernel.findTask(tid);
        if (target == null || (tgid > 0 && target.group.tgid != tgid)) return -Errno.ESRCH;
        if (sig != 0) Signals.sendToTask(target, SigInfo.user(sig, SigInfo.SI_TKILL, t.group.tgid, t.group.cred.uid()));
        return 0;
    }
}
