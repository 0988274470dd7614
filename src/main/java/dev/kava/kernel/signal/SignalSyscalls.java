package dev.kava.kernel.signal;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;

/**
 * The signal system calls (kernel/signal.c): rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, rt_sigqueueinfo, rt_tgsigqueueinfo, sigaltstack, kill,
 * tkill, tgkill, rt_sigreturn and restart_syscall.
 */
public final class SignalSyscalls {
    private SignalSyscalls() {}

    /** UAPI_SA_FLAGS (include/linux/signal_types.h): the sa_flags bits the kernel keeps; riscv adds none. */
    private static final long UAPI_SA_FLAGS = Signal.SA_NOCLDSTOP | Signal.SA_NOCLDWAIT | Signal.SA_SIGINFO
            | Signal.SA_ONSTACK | Signal.SA_RESTART | Signal.SA_NODEFER | Signal.SA_RESETHAND | Signal.SA_EXPOSE_TAGBITS;
    /** sizeof(struct kernel_siginfo) on 64-bit: what the kernel keeps of a user's siginfo. */
    private static final int KERNEL_SIGINFO_SIZE = 48;

    /** Nothing ever wakes this queue: sleepers here wait for a signal or a deadline. */
    private static final WaitQueue NEVER = new WaitQueue();

    public static void register(SyscallTable t) {
        t.register(SyscallNr.RT_SIGACTION, (task, a) -> rtSigaction(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.RT_SIGPROCMASK, (task, a) -> rtSigprocmask(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.RT_SIGPENDING, (task, a) -> rtSigpending(task, a[0], a[1]));
        t.register(SyscallNr.RT_SIGSUSPEND, (task, a) -> rtSigsuspend(task, a[0], a[1]));
        t.register(SyscallNr.RT_SIGTIMEDWAIT, (task, a) -> rtSigtimedwait(task, a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.RT_SIGQUEUEINFO, (task, a) -> rtSigqueueinfo(task, (int) a[0], (int) a[1], a[2]));
        t.register(SyscallNr.RT_TGSIGQUEUEINFO,
                (task, a) -> rtTgsigqueueinfo(task, (int) a[0], (int) a[1], (int) a[2], a[3]));
        t.register(SyscallNr.SIGALTSTACK, (task, a) -> sigaltstack(task, a[0], a[1]));
        t.register(SyscallNr.KILL, (task, a) -> kill(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.TKILL, (task, a) -> tkill(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.TGKILL, (task, a) -> tgkill(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.RT_SIGRETURN, (task, a) -> Signals.rtSigreturn(task));
        t.register(SyscallNr.RESTART_SYSCALL, (task, a) -> restartSyscall(task));
        t.register(SyscallNr.PIDFD_SEND_SIGNAL, (task, a) -> pidfdSendSignal(task, (int) a[0], (int) a[1], a[2], (int) a[3]));
    }

    /**
     * pidfd_send_signal: a signal to the process of a pidfd (its thread for a PIDFD_THREAD
     * pidfd, or the scope flags choose: the thread, the thread group, the process group). A
     * user siginfo must name the same signal, and only to oneself may it pretend to be kill's.
     */
    static long pidfdSendSignal(Task t, int pidfd, int sig, long uinfo, int flags) {
        if ((flags & ~dev.kava.abi.Pidfd.PIDFD_SEND_SIGNAL_FLAGS) != 0) return -Errno.EINVAL;
        if (Integer.bitCount(flags) > 1) return -Errno.EINVAL;
        // pidfd_to_pid: a pidfd, or a /proc/PID directory (PIDFD_THREAD is never in its f_flags).
        dev.kava.fs.File f = t.group.files.get(pidfd);
        if (f == null) return -Errno.EBADF;
        TaskGroup procDir = dev.kava.fs.proc.ProcFs.processOfPidDir(f);
        dev.kava.fs.PidFd p = procDir != null ? null : dev.kava.kernel.PidSyscalls.pidfdGet(t, pidfd);
        TaskGroup group = p != null ? p.group : procDir;
        Task thread = p != null ? p.thread : null;
        enum Scope { THREAD, PROCESS, PGRP }
        Scope scope = switch (flags) {
            case dev.kava.abi.Pidfd.PIDFD_SIGNAL_THREAD -> Scope.THREAD;
            case dev.kava.abi.Pidfd.PIDFD_SIGNAL_THREAD_GROUP -> Scope.PROCESS;
            case dev.kava.abi.Pidfd.PIDFD_SIGNAL_PROCESS_GROUP -> Scope.PGRP;
            default -> thread != null ? Scope.THREAD : Scope.PROCESS;
        };
        SigInfo si;
        if (uinfo != 0) {
            // copy_siginfo_from_user_any: the kernel keeps sizeof(struct kernel_siginfo) bytes.
            byte[] b = t.mem.read(uinfo, Signal.SIGINFO_SIZE);
            if (Uaccess.getInt(b, Signal.SI_SIGNO) != sig) return -Errno.EINVAL;
            java.util.Arrays.fill(b, KERNEL_SIGINFO_SIZE, b.length, (byte) 0);
            si = SigInfo.fromUser(sig, b);
            boolean self = t.tid == (thread != null ? thread.tid : group.tgid); // task_pid(current) == pid
            if ((!self || scope == Scope.PGRP) && (si.code() >= 0 || si.code() == Signal.SI_TKILL)) return -Errno.EPERM;
        } else {
            // prepare_kill_siginfo
            si = SigInfo.user(sig, scope == Scope.THREAD ? SigInfo.SI_TKILL : SigInfo.SI_USER, t.group.tgid,
                    t.group.cred.uid());
        }
        if (p != null ? !p.alive() : group.reaped) return -Errno.ESRCH;
        switch (scope) {
            case THREAD -> {
                // pid_task(pid, PIDTYPE_PID): the thread of the pidfd, or the process's leader thread.
                // A zombie's leader still holds its pid: the signal is checked, then dropped.
                Task target = thread != null ? thread : t.kernel.findTask(group.tgid);
                if (!Signals.validSignal(sig)) return -Errno.EINVAL;
                if (sig != 0 && target != null && target.group == group) Signals.sendToTask(target, si);
                return 0;
            }
            case PROCESS -> {
                return groupSend(group, sig, si);
            }
            default -> {
                boolean success = false;
                long retval = -Errno.ESRCH;
                for (TaskGroup g : t.kernel.groupsInPgid(group.pgid)) {
                    long err = groupSend(g, sig, si);
                    success |= err == 0;
                    retval = err;
                }
                return success ? 0 : retval;
            }
        }
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
                t.group.sharedPending.remove(sig);
                for (Task th : t.group.threadsSnapshot()) th.pending.remove(sig);
                t.pending.remove(sig);
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
        // size_t: a "negative" size is a huge one (kernel/signal.c).
        if (Long.compareUnsigned(sigsetsize, Signal.SIGSET_SIZE) > 0) return -Errno.EINVAL;
        long pending = (t.pending.mask() | t.group.sharedPending.mask()) & t.blocked;
        byte[] b = new byte[8];
        Uaccess.putLong(b, 0, pending);
        t.mem.write(uset, b, 0, (int) sigsetsize);
        return 0;
    }

    /** sigsuspend: wait under a temporary mask; the old mask comes back after the handler (set_restore_sigmask). */
    static long rtSigsuspend(Task t, long unewset, long sigsetsize) {
        if (sigsetsize != Signal.SIGSET_SIZE) return -Errno.EINVAL;
        long set = t.mem.read64(unewset) & ~Signals.KERNEL_ONLY;
        t.signals.savedMask = t.blocked;
        t.blocked = set;
        while (!t.signalPending()) t.waitEvent(NEVER, () -> false, Long.MAX_VALUE);
        t.signals.restoreMask = true;
        return -Errno.ERESTARTNOHAND;
    }

    /** do_sigtimedwait: take a signal of the set, waiting for one up to the timeout. */
    static long rtSigtimedwait(Task t, long uthese, long uinfo, long uts, long sigsetsize) {
        if (sigsetsize != Signal.SIGSET_SIZE) return -Errno.EINVAL;
        long these = t.mem.read64(uthese);
        long timeout = Long.MAX_VALUE;
        if (uts != 0) {
            byte[] b = t.mem.read(uts, Time.TIMESPEC_SIZE);
            long sec = Uaccess.getLong(b, 0), nsec = Uaccess.getLong(b, 8);
            if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) return -Errno.EINVAL;
            timeout = sec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1 ? Long.MAX_VALUE : sec * Time.NSEC_PER_SEC + nsec;
        }
        these &= ~Signals.KERNEL_ONLY;
        SigInfo si = Signals.dequeueFrom(t, these);
        long ret = 0;
        if (si == null && timeout != 0) {
            long now = t.kernel.clock().monotonicNanos();
            long deadline = timeout == Long.MAX_VALUE || now > Long.MAX_VALUE - timeout ? Long.MAX_VALUE : now + timeout;
            long realBlocked = t.blocked;
            t.signals.realBlocked = realBlocked;
            t.blocked = realBlocked & ~these;
            try {
                ret = t.waitEvent(NEVER, () -> false, deadline);
            } finally {
                t.blocked = realBlocked;
                t.signals.realBlocked = 0;
            }
            si = Signals.dequeueFrom(t, these);
        }
        if (si != null) {
            if (uinfo != 0) t.mem.write(uinfo, si.toBytes());
            return si.signo();
        }
        return ret == -Errno.EINTR ? -Errno.EINTR : -Errno.EAGAIN;
    }

    /** copy_siginfo_from_user: the kernel keeps sizeof(struct kernel_siginfo) bytes, with si_signo forced. */
    private static SigInfo siginfoFromUser(Task t, int sig, long uinfo) {
        byte[] b = t.mem.read(uinfo, Signal.SIGINFO_SIZE);
        java.util.Arrays.fill(b, KERNEL_SIGINFO_SIZE, b.length, (byte) 0);
        return SigInfo.fromUser(sig, b);
    }

    static long rtSigqueueinfo(Task t, int pid, int sig, long uinfo) {
        SigInfo si = siginfoFromUser(t, sig, uinfo);
        // Not even root can pretend to send signals from the kernel, nor impersonate kill()/tgkill().
        if ((si.code() >= 0 || si.code() == Signal.SI_TKILL) && t.group.tgid != pid) return -Errno.EPERM;
        TaskGroup g = pid > 0 ? t.kernel.findGroup(pid) : null;
        if (g == null) return -Errno.ESRCH;
        if (!Signals.validSignal(sig)) return -Errno.EINVAL;
        if (sig != 0) Signals.sendToGroup(g, si);
        return 0;
    }

    static long rtTgsigqueueinfo(Task t, int tgid, int pid, int sig, long uinfo) {
        SigInfo si = siginfoFromUser(t, sig, uinfo);
        if (pid <= 0 || tgid <= 0) return -Errno.EINVAL;
        if ((si.code() >= 0 || si.code() == Signal.SI_TKILL) && t.tid != pid) return -Errno.EPERM;
        return sendSpecific(t, tgid, pid, sig, si);
    }

    /** do_sigaltstack; ss == null when only querying. Returns 0 or -errno. */
    static long doSigaltstack(Task t, long ssSp, int ssFlags, long ssSize, long sp) {
        TaskSignals ts = t.signals;
        if (ts.onSigStack(sp)) return -Errno.EPERM;
        int mode = ssFlags & ~Signal.SS_FLAG_BITS;
        if (mode != Signal.SS_DISABLE && mode != Signal.SS_ONSTACK && mode != 0) return -Errno.EINVAL;
        if (ts.altSp == ssSp && ts.altSize == ssSize && ts.altFlags == ssFlags) return 0;
        if (mode == Signal.SS_DISABLE) {
            ssSize = 0;
            ssSp = 0;
        } else if (Long.compareUnsigned(ssSize, Signal.MINSIGSTKSZ) < 0) {
            return -Errno.ENOMEM;
        }
        ts.altSp = ssSp;
        ts.altSize = ssSize;
        ts.altFlags = ssFlags;
        return 0;
    }

    static long sigaltstack(Task t, long uss, long uoss) {
        TaskSignals ts = t.signals;
        long sp = t.hart.x[2];
        byte[] ss = uss != 0 ? t.mem.read(uss, Signal.STACK_T_SIZE) : null;
        byte[] old = new byte[Signal.STACK_T_SIZE];
        Uaccess.putLong(old, Signal.SS_SP, ts.altSp);
        Uaccess.putInt(old, Signal.SS_FLAGS, ts.ssFlags(sp) | (ts.altFlags & Signal.SS_FLAG_BITS));
        Uaccess.putLong(old, Signal.SS_SIZE, ts.altSize);
        if (ss != null) {
            long r = doSigaltstack(t, Uaccess.getLong(ss, Signal.SS_SP), Uaccess.getInt(ss, Signal.SS_FLAGS),
                    Uaccess.getLong(ss, Signal.SS_SIZE), sp);
            if (r != 0) return r;
        }
        if (uoss != 0) t.mem.write(uoss, old);
        return 0;
    }

    /** kill_something_info. */
    static long kill(Task t, int pid, int sig) {
        SigInfo si = SigInfo.user(sig, SigInfo.SI_USER, t.group.tgid, t.group.cred.uid());
        if (pid > 0) {
            TaskGroup g = t.kernel.findGroup(pid);
            if (g == null) return -Errno.ESRCH;
            return groupSend(g, sig, si);
        }
        // -INT_MIN is undefined.
        if (pid == Integer.MIN_VALUE) return -Errno.ESRCH;
        if (pid != -1) {
            // __kill_pgrp_info: every process of the group; success if any send succeeded, else the last error.
            int pgid = pid == 0 ? t.group.pgid : -pid;
            boolean success = false;
            long retval = -Errno.ESRCH;
            for (TaskGroup g : t.kernel.groupsInPgid(pgid)) {
                long err = groupSend(g, sig, si);
                success |= err == 0;
                retval = err;
            }
            return success ? 0 : retval;
        }
        // pid -1: every process but init (pid 1) and the caller's own; ESRCH when there is none.
        long retval = 0;
        int count = 0;
        for (TaskGroup g : t.kernel.allGroups()) {
            if (g.tgid <= 1 || g == t.group) continue;
            long err = groupSend(g, sig, si);
            count++;
            if (err != -Errno.EPERM) retval = err;
        }
        return count > 0 ? retval : -Errno.ESRCH;
    }

    /** group_send_sig_info: check_kill_permission (everyone is root for now), then send unless sig is 0. */
    private static long groupSend(TaskGroup g, int sig, SigInfo si) {
        if (!Signals.validSignal(sig)) return -Errno.EINVAL;
        if (sig != 0) Signals.sendToGroup(g, si);
        return 0;
    }

    static long tkill(Task t, int tid, int sig) {
        if (tid <= 0) return -Errno.EINVAL;
        return sendSpecific(t, 0, tid, sig, SigInfo.user(sig, SigInfo.SI_TKILL, t.group.tgid, t.group.cred.uid()));
    }

    static long tgkill(Task t, int tgid, int tid, int sig) {
        if (tid <= 0 || tgid <= 0) return -Errno.EINVAL;
        return sendSpecific(t, tgid, tid, sig, SigInfo.user(sig, SigInfo.SI_TKILL, t.group.tgid, t.group.cred.uid()));
    }

    /** do_send_specific: one thread, checked against its thread group when tgid > 0. */
    private static long sendSpecific(Task t, int tgid, int tid, int sig, SigInfo si) {
        Task target = t.kernel.findTask(tid);
        if (target == null || (tgid > 0 && target.group.tgid != tgid)) return -Errno.ESRCH;
        if (!Signals.validSignal(sig)) return -Errno.EINVAL;
        if (sig != 0) Signals.sendToTask(target, si);
        return 0;
    }

    /** restart_syscall: runs the restart block an interrupted syscall left (do_no_restart_syscall: EINTR). */
    static long restartSyscall(Task t) {
        var fn = t.signals.restart;
        t.signals.restart = null;
        if (fn != null) return fn.applyAsLong(t);
        // futex_wait_restart: a timed FUTEX_WAIT keeps its own restart block.
        if (dev.kava.kernel.futex.Futex.Restart.pending(t)) return dev.kava.kernel.futex.Futex.Restart.restart(t);
        return -Errno.EINTR;
    }
}
