package dev.kava.kernel.signal;

import dev.kava.abi.Signal;
import dev.kava.kernel.Uaccess;

/**
 * A kernel siginfo (struct kernel_siginfo, include/uapi/asm-generic/siginfo.h). Kernel-made
 * ones keep the fields of their union member; one copied from user space (rt_sigqueueinfo)
 * keeps its raw 128 bytes, as copy_siginfo_from_user does.
 *
 * @param signo the signal
 * @param code si_code: SI_USER, SI_TKILL, SI_QUEUE, SI_TIMER, a fault code such as SEGV_MAPERR, a CLD_ code
 * @param pid sender's pid for kill-style signals (the child for SIGCHLD)
 * @param uid sender's uid
 * @param addr faulting address for SIGSEGV/SIGBUS/SIGILL/SIGTRAP
 * @param value si_value (sigqueue, timers)
 * @param timerid si_tid of a POSIX timer
 * @param overrun si_overrun of a POSIX timer
 * @param status si_status for SIGCHLD
 * @param raw the user's 128 bytes for rt_sigqueueinfo, else null
 * @param onDequeue called when the signal is taken (a POSIX timer fills in its overrun), else null
 */
public record SigInfo(int signo, int code, int pid, int uid, long addr, long value, int timerid, int overrun,
                      int status, byte[] raw, Dequeue onDequeue) {
    // si_code values (include/uapi/asm-generic/siginfo.h)
    public static final int SI_USER = Signal.SI_USER;
    public static final int SI_KERNEL = Signal.SI_KERNEL;
    public static final int SI_QUEUE = Signal.SI_QUEUE;
    public static final int SI_TIMER = Signal.SI_TIMER;
    public static final int SI_TKILL = Signal.SI_TKILL;
    public static final int ILL_ILLOPC = Signal.ILL_ILLOPC;
    public static final int SEGV_MAPERR = Signal.SEGV_MAPERR;
    public static final int SEGV_ACCERR = Signal.SEGV_ACCERR;
    public static final int BUS_ADRALN = Signal.BUS_ADRALN;
    public static final int TRAP_BRKPT = Signal.TRAP_BRKPT;

    /** Completes a siginfo when it is dequeued (posixtimer_deliver_signal). */
    @FunctionalInterface
    public interface Dequeue {
        SigInfo dequeued(SigInfo si);
    }

    public SigInfo(int signo, int code, int pid, int uid, long addr) {
        this(signo, code, pid, uid, addr, 0, 0, 0, 0, null, null);
    }

    public static SigInfo user(int signo, int code, int pid, int uid) {
        return new SigInfo(signo, code, pid, uid, 0);
    }

    public static SigInfo fault(int signo, int code, long addr) {
        return new SigInfo(signo, code, 0, 0, addr);
    }

    /** SIGCHLD for a child that exited, was killed, stopped or continued (CLD_* codes). */
    public static SigInfo child(int code, int pid, int uid, int status) {
        return new SigInfo(Signal.SIGCHLD, code, pid, uid, 0, 0, 0, 0, status, null, null);
    }

    /** A POSIX timer's signal (SI_TIMER); onDequeue fills in si_overrun when it is taken. */
    public static SigInfo timer(int signo, int timerid, long value, Dequeue onDequeue) {
        return new SigInfo(signo, SI_TIMER, 0, 0, 0, value, timerid, 0, 0, null, onDequeue);
    }

    /** A siginfo the caller supplied (rt_sigqueueinfo): si_signo is forced to sig, the rest kept as is. */
    public static SigInfo fromUser(int signo, byte[] b) {
        byte[] raw = b.clone();
        Uaccess.putInt(raw, Signal.SI_SIGNO, signo);
        return new SigInfo(signo, Uaccess.getInt(raw, Signal.SI_CODE), Uaccess.getInt(raw, Signal.SI_PID),
                Uaccess.getInt(raw, Signal.SI_UID), 0, Uaccess.getLong(raw, Signal.SI_VALUE), 0, 0, 0, raw, null);
    }

    public SigInfo withOverrun(int ov) {
        return new SigInfo(signo, code, pid, uid, addr, value, timerid, ov, status, raw, null);
    }

    /** The layout of the union (siginfo_layout in kernel/signal.c), reduced to what kava sends. */
    public enum Layout { KILL, TIMER, POLL, FAULT, CHLD, RT, SYS }

    /** siginfo_layout: which member of the union si_signo and si_code select. */
    public Layout layout() {
        if (code > SI_USER && code < SI_KERNEL) {
            return switch (signo) {
                case Signal.SIGILL, Signal.SIGFPE, Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGTRAP -> Layout.FAULT;
                case Signal.SIGCHLD -> Layout.CHLD;
                case Signal.SIGIO -> Layout.POLL;
                case Signal.SIGSYS -> Layout.SYS;
                default -> Layout.KILL;
            };
        }
        if (code == SI_TIMER) return Layout.TIMER;
        if (code == Signal.SI_SIGIO) return Layout.POLL;
        return code < 0 ? Layout.RT : Layout.KILL;
    }

    /** The 128 bytes copy_siginfo_to_user writes. */
    public byte[] toBytes() {
        if (raw != null) return raw.clone();
        byte[] b = new byte[Signal.SIGINFO_SIZE];
        Uaccess.putInt(b, Signal.SI_SIGNO, signo);
        Uaccess.putInt(b, Signal.SI_CODE, code);
        switch (layout()) {
            case KILL -> { Uaccess.putInt(b, Signal.SI_PID, pid); Uaccess.putInt(b, Signal.SI_UID, uid); }
            case RT -> {
                Uaccess.putInt(b, Signal.SI_PID, pid);
                Uaccess.putInt(b, Signal.SI_UID, uid);
                Uaccess.putLong(b, Signal.SI_VALUE, value);
            }
            case TIMER -> {
                Uaccess.putInt(b, Signal.SI_TIMERID, timerid);
                Uaccess.putInt(b, Signal.SI_OVERRUN, overrun);
                Uaccess.putLong(b, Signal.SI_VALUE, value);
            }
            case CHLD -> {
                Uaccess.putInt(b, Signal.SI_PID, pid);
                Uaccess.putInt(b, Signal.SI_UID, uid);
                Uaccess.putInt(b, Signal.SI_STATUS, status);
            }
            case FAULT, SYS -> Uaccess.putLong(b, Signal.SI_ADDR, addr);
            case POLL -> { }
        }
        return b;
    }
}
