package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Signal;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.exit.JobControl;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

/**
 * Terminals and job control (drivers/tty/tty_jobctrl.c): the controlling terminal of a
 * session, its foreground process group, the SIGTTIN/SIGTTOU checks for background process
 * groups, and what happens when a session leader lets go of its terminal.
 *
 * <p>A process's controlling terminal is {@link TaskGroup#tty}; a terminal's session and
 * foreground group are {@link TtyStruct#session} and {@link TtyStruct#pgrp} (numbers; 0 = none).
 * A process is a session leader when its pid is its session id (signal->leader).
 */
public final class TtyJobCtrl {
    private TtyJobCtrl() {}

    static boolean isLeader(TaskGroup g) {
        return g.sid == g.tgid;
    }

    /** capable(CAP_SYS_ADMIN): kava has no capability sets yet; root has them all. */
    static boolean capableSysAdmin(Task t) {
        return t.group.cred.euid() == 0;
    }

    /** is_ignored: the caller blocks sig or ignores it. */
    static boolean isIgnored(Task t, int sig) {
        return (t.blocked & Signal.bit(sig)) != 0 || t.group.sighand.get(sig).handler() == Signal.SIG_IGN;
    }

    /** kill_pgrp(pgrp, sig, 1): a signal from the kernel (SEND_SIG_PRIV) to every process of a group. */
    public static void killPgrp(Kernel k, int pgrp, int sig) {
        for (TaskGroup g : k.groupsInPgid(pgrp)) sendPriv(g, sig);
    }

    private static void sendPriv(TaskGroup g, int sig) {
        Signals.sendToGroup(g, SigInfo.user(sig, SigInfo.SI_KERNEL, 0, 0));
    }

    /**
     * __tty_check_change: a process of a background group using its controlling terminal
     * (reading: sig = SIGTTIN; writing with TOSTOP or changing its settings: SIGTTOU). Returns 0
     * to go ahead; -ERESTARTSYS after sending sig to the caller's whole process group (the
     * call restarts once it is continued); -EIO when the group is orphaned (nobody could
     * continue it) or, for SIGTTIN, when the caller ignores or blocks it. A blocked or ignored
     * SIGTTOU lets the change go ahead.
     */
    static int checkChange(Task t, TtyStruct tty, int sig) {
        if (t.group.tty != tty) return 0;
        int pgrp = t.group.pgid;
        int ttyPgrp;
        synchronized (tty.lock) {
            ttyPgrp = tty.pgrp;
        }
        if (ttyPgrp == 0 || pgrp == ttyPgrp) return 0;
        if (isIgnored(t, sig)) return sig == Signal.SIGTTIN ? -Errno.EIO : 0;
        if (JobControl.isOrphanedPgrp(t.kernel, pgrp)) return -Errno.EIO;
        killPgrp(t.kernel, pgrp, sig);
        return -Errno.ERESTARTSYS;
    }

    /** __proc_set_tty: tty becomes the controlling terminal of g's session, g's group its foreground. Caller holds tty.lock. */
    static void procSetTty(TaskGroup g, TtyStruct tty) {
        tty.pgrp = g.pgid;
        tty.session = g.sid;
        synchronized (g.kernel.tasklist) {
            g.tty = tty;
            g.ttyOldPgrp = 0;
        }
    }

    /** proc_clear_tty. */
    static void procClearTty(TaskGroup g) {
        synchronized (g.kernel.tasklist) {
            g.tty = null;
        }
    }

    /** session_clear_tty: no process of the session has a controlling terminal any more. */
    static void sessionClearTty(Kernel k, int session) {
        if (session == 0) return;
        for (TaskGroup g : k.allGroups()) {
            if (g.sid == session) procClearTty(g);
        }
    }

    /**
     * tty_signal_session_leader: the processes of tty's session lose it as their controlling
     * terminal; its session leader gets SIGHUP and SIGCONT (and remembers the foreground group);
     * with exitSession, the foreground group gets SIGHUP too. Caller holds tty.lock.
     */
    static void signalSessionLeader(TtyStruct tty, boolean exitSession) {
        int ttyPgrp = 0;
        if (tty.session != 0) {
            for (TaskGroup g : tty.kernel.allGroups()) {
                if (g.sid != tty.session) continue;
                synchronized (g.kernel.tasklist) {
                    if (g.tty == tty) g.tty = null;
                }
                if (!isLeader(g)) continue;
                sendPriv(g, Signal.SIGHUP);
                sendPriv(g, Signal.SIGCONT);
                ttyPgrp = tty.pgrp;
                if (tty.pgrp != 0) g.ttyOldPgrp = tty.pgrp;
            }
        }
        if (ttyPgrp != 0 && exitSession) killPgrp(tty.kernel, ttyPgrp, Signal.SIGHUP);
    }

    /**
     * disassociate_ctty: a session leader lets go of its controlling terminal, when it exits
     * (onExit) or by TIOCNOTTY. The foreground group gets SIGHUP (and SIGCONT unless exiting);
     * a terminal other than a pty is hung up when its session leader exits. The terminal then
     * belongs to no session, and no process of the session has it any more.
     */
    public static void disassociateCtty(TaskGroup g, boolean onExit) {
        if (!isLeader(g)) return;
        Kernel k = g.kernel;
        TtyStruct tty = g.tty;
        if (tty != null) {
            if (onExit && !tty.driver.isPty()) {
                TtyIo.hangup(tty, true);
            } else {
                int pgrp = tty.foregroundPgrp();
                if (pgrp != 0) {
                    killPgrp(k, pgrp, Signal.SIGHUP);
                    if (!onExit) killPgrp(k, pgrp, Signal.SIGCONT);
                }
            }
        } else if (onExit) {
            int old = g.ttyOldPgrp;
            g.ttyOldPgrp = 0;
            if (old != 0) {
                killPgrp(k, old, Signal.SIGHUP);
                killPgrp(k, old, Signal.SIGCONT);
            }
            return;
        }
        g.ttyOldPgrp = 0;
        tty = g.tty;
        if (tty != null) {
            synchronized (tty.lock) {
                tty.session = 0;
                tty.pgrp = 0;
            }
        }
        sessionClearTty(k, g.sid);
    }

    /** tty_open_proc_set_tty: opening a terminal (without O_NOCTTY) makes it a session leader's controlling terminal. */
    static void openProcSetTty(Task t, TtyFile file, TtyStruct tty) {
        TaskGroup g = t.group;
        synchronized (tty.lock) {
            // Write access alone does not give the rights of a controlling terminal.
            if (isLeader(g) && g.tty == null && tty.session == 0 && file.readable()) procSetTty(g, tty);
        }
    }

    /** tiocsctty (TIOCSCTTY): a session leader without a controlling terminal takes tty; arg 1 lets root steal it. */
    private static long tiocsctty(Task t, TtyStruct tty, TtyFile file, long arg) {
        TaskGroup g = t.group;
        synchronized (tty.lock) {
            if (isLeader(g) && g.sid == tty.session) return 0;
            if (!isLeader(g) || g.tty != null) return -Errno.EPERM;
            if (tty.session != 0) {
                if ((int) arg == 1 && capableSysAdmin(t)) sessionClearTty(t.kernel, tty.session);
                else return -Errno.EPERM;
            }
            if (!file.readable() && !capableSysAdmin(t)) return -Errno.EPERM;
            procSetTty(g, tty);
        }
        return 0;
    }

    /** tiocgpgrp: the foreground process group; only of the caller's controlling terminal, or through a pty master. */
    private static long tiocgpgrp(Task t, TtyStruct tty, TtyStruct realTty, long p) {
        if (tty == realTty && t.group.tty != realTty) return -Errno.ENOTTY;
        t.mem.write32(p, realTty.foregroundPgrp());
        return 0;
    }

    /**
     * tiocspgrp: makes a process group of the caller's session the foreground group of its
     * controlling terminal. A background caller gets SIGTTOU first (tty_check_change).
     */
    private static long tiocspgrp(Task t, TtyStruct realTty, long p) {
        int retval = checkChange(t, realTty, Signal.SIGTTOU);
        if (retval == -Errno.EIO) return -Errno.ENOTTY;
        if (retval != 0) return retval;
        int pgrpNr = t.mem.read32(p);
        if (pgrpNr < 0) return -Errno.EINVAL;
        Kernel k = t.kernel;
        synchronized (realTty.lock) {
            TaskGroup g = t.group;
            if (g.tty == null || g.tty != realTty || realTty.session != g.sid) return -Errno.ENOTTY;
            // find_vpid, then session_of_pgrp: a process in that group, else the task with that pid.
            int sid;
            TaskGroup member = k.findGroupByPgid(pgrpNr);
            if (member != null) {
                sid = member.sid;
            } else {
                Task task = pgrpNr > 0 ? k.findTask(pgrpNr) : null;
                TaskGroup pg = pgrpNr > 0 ? k.findGroup(pgrpNr) : null;
                if (task == null && pg == null) return -Errno.ESRCH;
                sid = task != null ? task.group.sid : pg.sid;
            }
            if (sid != g.sid) return -Errno.EPERM;
            realTty.pgrp = pgrpNr;
        }
        return 0;
    }

    /** tiocgsid: the session of the caller's controlling terminal (or of a pty master's slave). */
    private static long tiocgsid(Task t, TtyStruct tty, TtyStruct realTty, long p) {
        if (tty == realTty && t.group.tty != realTty) return -Errno.ENOTTY;
        int session = realTty.session();
        if (session == 0) return -Errno.ENOTTY;
        t.mem.write32(p, session);
        return 0;
    }

    /** tty_jobctrl_ioctl: -ENOIOCTLCMD when cmd is not a job control request. */
    static long ioctl(Task t, TtyStruct tty, TtyStruct realTty, TtyFile file, int cmd, long arg) {
        switch (cmd) {
            case Ioctls.TIOCNOTTY -> {
                if (t.group.tty != tty) return -Errno.ENOTTY;
                disassociateCtty(t.group, false);
                procClearTty(t.group);
                return 0;
            }
            case Ioctls.TIOCSCTTY -> {
                return tiocsctty(t, realTty, file, arg);
            }
            case Ioctls.TIOCGPGRP -> {
                return tiocgpgrp(t, tty, realTty, arg);
            }
            case Ioctls.TIOCSPGRP -> {
                return tiocspgrp(t, realTty, arg);
            }
            case Ioctls.TIOCGSID -> {
                return tiocgsid(t, tty, realTty, arg);
            }
            default -> {
                return -Errno.ENOIOCTLCMD;
            }
        }
    }
}
