package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Poll;
import dev.kava.abi.Signal;
import dev.kava.abi.Termbits;
import dev.kava.fs.Poll.Table;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/**
 * The file side of terminals (drivers/tty/tty_io.c): open and release with their counting,
 * read and write through the line discipline, poll, the generic tty ioctls, hangup and window
 * size changes.
 */
public final class TtyIo {
    private TtyIo() {}

    /** How much of a write goes to the line discipline at once (iterate_tty_write's chunk). */
    private static final int WRITE_CHUNK = 2048;

    // ---- open and release ----

    /**
     * tty_open for an existing tty: counts file in and runs the driver's open (a pty slave
     * refuses while locked or when its master is gone). Unless noctty, a session leader without
     * a controlling terminal gets this one. Throws ErrnoException when the open fails.
     */
    public static void open(Task t, TtyFile file, boolean noctty) {
        TtyStruct tty = file.tty;
        synchronized (tty.lock) {
            // tty_reopen: a master is opened only through ptmx; TIOCEXCL keeps others out.
            if (tty.count > 0 && tty.isPtyMaster()) throw ErrnoException.of(Errno.EIO);
            if (tty.count > 0 && tty.exclusive && !TtyJobCtrl.capableSysAdmin(t)) throw ErrnoException.of(Errno.EBUSY);
            // A hangup killed the line discipline: whoever opens the tty next gets a fresh one.
            if (tty.hupped) tty.ldisc.open();
            tty.count++;
            tty.files.add(file);
            try {
                tty.driver.open(tty, file);
            } catch (ErrnoException e) {
                releaseLocked(file);
                throw e;
            }
            tty.hupped = false;
        }
        if (!noctty && !tty.isPtyMaster()) TtyJobCtrl.openProcSetTty(t, file, tty);
    }

    /**
     * tty_open_current_tty (/dev/tty, char 5:0): opens the caller's controlling terminal again;
     * ENXIO when it has none. node is how stat() shows the file (the /dev/tty inode).
     */
    public static TtyFile openCurrentTty(Task t, int flags, TtyFile.Node node) {
        TtyStruct tty = t.group.tty;
        if (tty == null) throw ErrnoException.of(Errno.ENXIO);
        TtyFile file = new TtyFile(tty, fileFlags(flags), node);
        open(t, file, true);
        return file;
    }

    /** tty_release: the last descriptor of file is gone. */
    static void release(TtyFile file) {
        TtyStruct tty = file.tty;
        int session, otherSession = 0;
        boolean clear, fin;
        TtyStruct other = tty.isPtyMaster() ? tty.link : null;
        synchronized (tty.lock) {
            tty.driver.close(tty, file);
            if (other != null) other.count = Math.max(0, other.count - 1);
            tty.count = Math.max(0, tty.count - 1);
            tty.files.remove(file);
            // Nobody may stay asleep on a tty that is going away.
            tty.readWait.wakeAll(Poll.POLLIN);
            tty.writeWait.wakeAll(Poll.POLLOUT);
            if (other != null) {
                other.readWait.wakeAll(Poll.POLLIN);
                other.writeWait.wakeAll(Poll.POLLOUT);
            }
            clear = tty.count == 0;
            session = tty.session;
            if (other != null) otherSession = other.session;
            fin = tty.count == 0 && (other == null || other.count == 0);
        }
        // Whichever side closes, no process keeps a terminal with no files as its controlling one.
        if (clear) {
            TtyJobCtrl.sessionClearTty(tty.kernel, session);
            if (other != null) TtyJobCtrl.sessionClearTty(tty.kernel, otherSession);
        }
        if (fin) {
            synchronized (tty.lock) {
                tty.driver.remove(tty);
            }
        }
    }

    /** An open that failed in the driver: undo the counting (tty_release without the driver's close). */
    private static void releaseLocked(TtyFile file) {
        TtyStruct tty = file.tty;
        tty.count = Math.max(0, tty.count - 1);
        tty.files.remove(file);
    }

    // ---- read, write, poll ----

    /** tty_read. */
    static int read(Task t, TtyFile file, byte[] dst, int off, int len) {
        if (file.hungUp()) return 0;
        TtyStruct tty = file.tty;
        synchronized (tty.lock) {
            if (tty.ioError) throw ErrnoException.of(Errno.EIO);
        }
        int n = tty.ldisc.read(t, file, dst, off, len);
        if (n > 0) updateTime(t, tty, false);
        return n;
    }

    /**
     * tty_write: one write() at a time per tty (atomic_write_lock), handed to the line
     * discipline in chunks; a signal between chunks ends it with what was written.
     */
    static int write(Task t, TtyFile file, byte[] src, int off, int len) {
        if (file.hungUp()) throw ErrnoException.of(Errno.EIO);
        TtyStruct tty = file.tty;
        synchronized (tty.lock) {
            if (tty.ioError) throw ErrnoException.of(Errno.EIO);
        }
        tty.writeLock.lock(t, file.nonBlocking());
        int written = 0;
        try {
            while (written < len) {
                int size = Math.min(WRITE_CHUNK, len - written);
                int n;
                try {
                    n = tty.ldisc.write(t, file, src, off + written, size);
                } catch (ErrnoException e) {
                    if (written > 0) break;
                    throw e;
                }
                if (n <= 0) break;
                written += n;
                if (written < len && t.signalPending()) break;
            }
        } finally {
            tty.writeLock.unlock();
        }
        if (written > 0) updateTime(t, tty, true);
        return written;
    }

    /**
     * tty_update_time: the inode times move only when they differ in more than the low three
     * bits of the seconds, so that stat() does not tell exactly when someone typed.
     */
    private static void updateTime(Task t, TtyStruct tty, boolean mtime) {
        long sec = t.kernel.clock().realtimeNanos() / 1_000_000_000L;
        synchronized (tty.lock) {
            if (mtime) {
                if (((sec ^ tty.mtimeSec) & ~7L) != 0) tty.mtimeSec = sec;
            } else {
                if (((sec ^ tty.atimeSec) & ~7L) != 0) tty.atimeSec = sec;
            }
        }
    }

    /** hung_up_tty_poll's answer. */
    private static final int HUNG_UP_POLL = Poll.POLLIN | Poll.POLLOUT | Poll.POLLERR | Poll.POLLHUP
            | Poll.POLLRDNORM | Poll.POLLWRNORM;

    /** tty_poll. */
    static int poll(TtyFile file, Table pt) {
        if (file.hungUp()) return HUNG_UP_POLL;
        TtyStruct tty = file.tty;
        if (pt != null) {
            pt.wait(tty.readWait);
            pt.wait(tty.writeWait);
        }
        synchronized (tty.lock) {
            return tty.ldisc.poll();
        }
    }

    // ---- hangup and resize ----

    /**
     * __tty_hangup: every file open on tty is hung up, its session leader gets SIGHUP and
     * SIGCONT (and loses it as controlling terminal), pending input and output are discarded
     * and sleepers woken; with exitSession the foreground group gets SIGHUP as well.
     */
    public static void hangup(TtyStruct tty, boolean exitSession) {
        synchronized (tty.lock) {
            if (tty.hupped) return;
            tty.hupping = true;
            for (TtyFile f : tty.files) f.markHungUp();
            TtyJobCtrl.signalSessionLeader(tty, exitSession);
            // tty_ldisc_hangup
            tty.ldisc.flushBuffer();
            tty.driverFlushBuffer();
            tty.writeWait.wakeAll(Poll.POLLOUT);
            tty.readWait.wakeAll(Poll.POLLIN);
            tty.session = 0;
            tty.pgrp = 0;
            tty.pktStatus = 0;
            tty.driver.hangup(tty);
            tty.hupped = true;
            tty.hupping = false;
        }
    }

    /** tty_do_resize: a new window size; the foreground process group gets SIGWINCH when it changed. */
    public static void doResize(TtyStruct tty, Winsize ws) {
        synchronized (tty.lock) {
            if (ws.equals(tty.winsize)) return;
            if (tty.pgrp != 0) TtyJobCtrl.killPgrp(tty.kernel, tty.pgrp, Signal.SIGWINCH);
            tty.winsize = ws;
        }
    }

    // ---- ioctl ----

    /** hung_up_tty_ioctl. */
    private static long hungUpIoctl(int cmd) {
        return cmd == Ioctls.TIOCSPGRP ? -Errno.ENOTTY : -Errno.EIO;
    }

    /**
     * tty_ioctl: the generic requests, then job control, then the driver's own, then the line
     * discipline's (which include the termios requests). What nobody knows is ENOTTY.
     */
    static long ioctl(Task t, TtyFile file, int cmd, long arg) {
        if (file.hungUp()) return hungUpIoctl(cmd);
        TtyStruct tty = file.tty;
        TtyStruct realTty = tty.pairGetTty();
        switch (cmd) {
            case Ioctls.TIOCSETD, Ioctls.TIOCSBRK, Ioctls.TIOCCBRK, Ioctls.TCSBRK, Ioctls.TCSBRKP -> {
                int r = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTOU);
                if (r != 0) return r;
                // tty_wait_until_sent: kava's drivers hold no unsent output; only a signal stops here.
                if (cmd != Ioctls.TIOCCBRK && t.signalPending()) return -Errno.EINTR;
            }
            default -> { }
        }
        switch (cmd) {
            case Ioctls.TIOCSTI -> {
                return tiocsti(t, tty, arg);
            }
            case Ioctls.TIOCGWINSZ -> {
                t.mem.write(arg, realTty.winsize().toBytes());
                return 0;
            }
            case Ioctls.TIOCSWINSZ -> {
                Winsize ws = Winsize.fromBytes(t.mem.read(arg, Termbits.WINSIZE_SIZE));
                synchronized (realTty.lock) {
                    realTty.driver.resize(realTty, ws);
                }
                return 0;
            }
            case Ioctls.TIOCEXCL, Ioctls.TIOCNXCL -> {
                synchronized (tty.lock) {
                    tty.exclusive = cmd == Ioctls.TIOCEXCL;
                }
                return 0;
            }
            case Ioctls.TIOCGEXCL -> {
                boolean excl;
                synchronized (tty.lock) {
                    excl = tty.exclusive;
                }
                t.mem.write32(arg, excl ? 1 : 0);
                return 0;
            }
            case Ioctls.TIOCGETD -> {
                t.mem.write32(arg, Termbits.N_TTY);
                return 0;
            }
            case Ioctls.TIOCSETD -> {
                // tty_set_ldisc: N_TTY is the only line discipline kava has; asking for it again is a no-op.
                int disc = t.mem.read32(arg);
                return disc == Termbits.N_TTY ? 0 : -Errno.EINVAL;
            }
            case Ioctls.TIOCVHANGUP -> {
                if (!TtyJobCtrl.capableSysAdmin(t)) return -Errno.EPERM;
                hangup(tty, false);
                return 0;
            }
            case Ioctls.TIOCGDEV -> {
                t.mem.write32(arg, (int) realTty.driver.devnum(realTty));
                return 0;
            }
            case Ioctls.TIOCSBRK, Ioctls.TIOCCBRK, Ioctls.TCSBRK, Ioctls.TCSBRKP -> {
                // send_break / break_ctl: none of kava's drivers has a line to send a break on.
                return 0;
            }
            case Ioctls.TCFLSH -> {
                if (arg == Termbits.TCIFLUSH || arg == Termbits.TCIOFLUSH) {
                    synchronized (tty.lock) {
                        tty.port.flush();
                    }
                }
            }
            case Ioctls.TIOCGPTPEER -> {
                return Pty.openPeer(t, file, (int) arg);
            }
            default -> {
                long r = TtyJobCtrl.ioctl(t, tty, realTty, file, cmd, arg);
                if (r != -Errno.ENOIOCTLCMD) return r;
            }
        }
        long r;
        synchronized (tty.lock) {
            r = tty.driver.ioctl(tty, t, file, cmd, arg);
        }
        if (r != -Errno.ENOIOCTLCMD) return r;
        r = TtyIoctl.ldiscIoctl(t, tty, cmd, arg);
        return r == -Errno.ENOIOCTLCMD ? -Errno.ENOTTY : r;
    }

    /** tiocsti: pushes one byte into the terminal's input, as if typed. */
    private static long tiocsti(Task t, TtyStruct tty, long p) {
        if (t.group.tty != tty && !TtyJobCtrl.capableSysAdmin(t)) return -Errno.EPERM;
        byte[] ch = t.mem.read(p, 1);
        synchronized (tty.lock) {
            tty.ldisc.receiveBuf(ch, 0, 1);
        }
        return 0;
    }

    /** The open flags a descriptor keeps (do_dentry_open drops the open-time ones). */
    static int fileFlags(int openFlags) {
        return openFlags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_TRUNC | Fcntl.O_CLOEXEC);
    }
}
