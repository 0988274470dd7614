package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Signal;
import dev.kava.abi.Termbits;
import dev.kava.kernel.Task;

import static dev.kava.abi.Termbits.*;

/**
 * The line discipline's ioctls (n_tty_ioctl and n_tty_ioctl_helper in drivers/tty/n_tty.c and
 * drivers/tty/tty_ioctl.c): input and output queue sizes, flow control, flushing, and the
 * termios requests. On a pty master the termios requests act on the slave, which is where a
 * pty's settings live.
 */
final class TtyIoctl {
    private TtyIoctl() {}

    // set_termios options (drivers/tty/tty_ioctl.c)
    private static final int TERMIOS_FLUSH = 1;
    private static final int TERMIOS_WAIT = 2;
    private static final int TERMIOS_TERMIO = 4;
    private static final int TERMIOS_OLD = 8;

    /** n_tty_ioctl: -ENOIOCTLCMD for requests it does not know. */
    static long ldiscIoctl(Task t, TtyStruct tty, int cmd, long arg) {
        switch (cmd) {
            case Ioctls.TIOCOUTQ -> {
                int n;
                synchronized (tty.lock) {
                    n = tty.driver.charsInBuffer(tty);
                }
                t.mem.write32(arg, n);
                return 0;
            }
            case Ioctls.TIOCINQ -> {
                int n;
                synchronized (tty.lock) {
                    n = tty.ldisc.inq();
                }
                t.mem.write32(arg, n);
                return 0;
            }
            case Ioctls.TCXONC -> {
                int r = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTOU);
                if (r != 0) return r;
                return tcxonc(t, tty, arg);
            }
            case Ioctls.TCFLSH -> {
                int r = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTOU);
                if (r != 0) return r;
                return performFlush(tty, arg);
            }
            default -> {
                return modeIoctl(t, tty, cmd, arg);
            }
        }
    }

    /** TCXONC: suspend or restart output, or send a STOP or START character. */
    private static long tcxonc(Task t, TtyStruct tty, long arg) {
        switch ((int) arg) {
            case TCOOFF -> {
                synchronized (tty.lock) {
                    if (!tty.tcoStopped) {
                        tty.tcoStopped = true;
                        tty.stopTty();
                    }
                }
                return 0;
            }
            case TCOON -> {
                synchronized (tty.lock) {
                    if (tty.tcoStopped) {
                        tty.tcoStopped = false;
                        tty.startTty();
                    }
                }
                return 0;
            }
            case TCIOFF, TCION -> {
                int ch;
                synchronized (tty.lock) {
                    ch = tty.termios.cc(arg == TCIOFF ? VSTOP : VSTART);
                }
                if (ch != 0) sendXchar(t, tty, ch);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** tty_send_xchar: a flow control character goes out even while output is stopped. */
    private static void sendXchar(Task t, TtyStruct tty, int ch) {
        tty.writeLock.lock(t, false);
        try {
            synchronized (tty.lock) {
                boolean wasStopped = tty.stopped;
                if (wasStopped) {
                    tty.stopped = false;
                    tty.driver.start(tty);
                }
                tty.driver.write(tty, new byte[]{(byte) ch}, 0, 1);
                if (wasStopped) {
                    tty.stopped = true;
                    tty.driver.stop(tty);
                }
            }
        } finally {
            tty.writeLock.unlock();
        }
    }

    /** __tty_perform_flush (TCFLSH): discard input, output or both. */
    private static long performFlush(TtyStruct tty, long arg) {
        synchronized (tty.lock) {
            switch ((int) arg) {
                case TCIFLUSH -> flushInput(tty);
                case TCIOFLUSH -> {
                    flushInput(tty);
                    tty.driverFlushBuffer();
                }
                case TCOFLUSH -> tty.driverFlushBuffer();
                default -> {
                    return -Errno.EINVAL;
                }
            }
        }
        return 0;
    }

    private static void flushInput(TtyStruct tty) {
        tty.ldisc.flushBuffer();
        tty.driver.unthrottle(tty);
    }

    /** tty_mode_ioctl: the termios requests. */
    private static long modeIoctl(Task t, TtyStruct tty, int cmd, long arg) {
        TtyStruct realTty = tty.pairGetTty();
        switch (cmd) {
            case Ioctls.TCSETSF -> {
                return setTermios(t, realTty, arg, TERMIOS_FLUSH | TERMIOS_WAIT | TERMIOS_OLD);
            }
            case Ioctls.TCSETSW -> {
                return setTermios(t, realTty, arg, TERMIOS_WAIT | TERMIOS_OLD);
            }
            case Ioctls.TCSETS -> {
                return setTermios(t, realTty, arg, TERMIOS_OLD);
            }
            case Ioctls.TCGETS -> {
                t.mem.write(arg, realTty.termios().toTermios());
                return 0;
            }
            case Ioctls.TCGETS2 -> {
                t.mem.write(arg, realTty.termios().toTermios2());
                return 0;
            }
            case Ioctls.TCSETSF2 -> {
                return setTermios(t, realTty, arg, TERMIOS_FLUSH | TERMIOS_WAIT);
            }
            case Ioctls.TCSETSW2 -> {
                return setTermios(t, realTty, arg, TERMIOS_WAIT);
            }
            case Ioctls.TCSETS2 -> {
                return setTermios(t, realTty, arg, 0);
            }
            case Ioctls.TCGETA -> {
                t.mem.write(arg, realTty.termios().toTermio());
                return 0;
            }
            case Ioctls.TCSETAF -> {
                return setTermios(t, realTty, arg, TERMIOS_FLUSH | TERMIOS_WAIT | TERMIOS_TERMIO);
            }
            case Ioctls.TCSETAW -> {
                return setTermios(t, realTty, arg, TERMIOS_WAIT | TERMIOS_TERMIO);
            }
            case Ioctls.TCSETA -> {
                return setTermios(t, realTty, arg, TERMIOS_TERMIO);
            }
            case Ioctls.TIOCGLCKTRMIOS -> {
                byte[] b;
                synchronized (realTty.lock) {
                    b = realTty.termiosLocked.toTermios();
                }
                t.mem.write(arg, b);
                return 0;
            }
            case Ioctls.TIOCSLCKTRMIOS -> {
                // checkpoint_restore_ns_capable: root only.
                if (!TtyJobCtrl.capableSysAdmin(t)) return -Errno.EPERM;
                byte[] b = t.mem.read(arg, Termbits.TERMIOS_SIZE);
                synchronized (realTty.lock) {
                    Ktermios k = realTty.termiosLocked.copy();
                    k.setFromTermios(b);
                    realTty.termiosLocked = k;
                }
                return 0;
            }
            case Ioctls.TIOCGSOFTCAR -> {
                t.mem.write32(arg, (realTty.termios().cflag & CLOCAL) != 0 ? 1 : 0);
                return 0;
            }
            case Ioctls.TIOCSSOFTCAR -> {
                int on = t.mem.read32(arg);
                return changeSoftcar(realTty, on != 0);
            }
            default -> {
                return -Errno.ENOIOCTLCMD;
            }
        }
    }

    /** tty_change_softcar: sets or clears CLOCAL; EINVAL when the driver would not have it. */
    private static long changeSoftcar(TtyStruct tty, boolean enable) {
        int bit = enable ? CLOCAL : 0;
        synchronized (tty.lock) {
            Ktermios old = tty.termios.copy();
            tty.termios.cflag = (tty.termios.cflag & ~CLOCAL) | bit;
            if (tty.driver.hasSetTermios()) tty.driver.setTermios(tty, old);
            return (tty.termios.cflag & CLOCAL) != bit ? -Errno.EINVAL : 0;
        }
    }

    /**
     * set_termios: reads the new settings (struct termios, termios2 or termio), fills in the
     * speeds from the baud bits, and applies them; TCSETSW/TCSETSF first wait until no write is
     * in progress, TCSETSF also discards pending input. A background process changing its
     * controlling terminal gets SIGTTOU first.
     */
    private static long setTermios(Task t, TtyStruct tty, long arg, int opt) {
        int r = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTOU);
        if (r != 0) return r;
        Ktermios tmp = tty.termios();
        if ((opt & TERMIOS_TERMIO) != 0) {
            tmp.setFromTermio(t.mem.read(arg, TERMIO_SIZE));
        } else if ((opt & TERMIOS_OLD) != 0) {
            tmp.setFromTermios(t.mem.read(arg, TERMIOS_SIZE));
        } else {
            tmp.setFromTermios2(t.mem.read(arg, TERMIOS2_SIZE));
        }
        tmp.ispeed = tmp.inputBaudRate();
        tmp.ospeed = tmp.baudRate();
        if ((opt & (TERMIOS_FLUSH | TERMIOS_WAIT)) != 0) {
            // kava's drivers send output at once: there is never unsent output to wait for, only writers.
            tty.writeLock.lockInterruptibly(t);
            try {
                synchronized (tty.lock) {
                    if ((opt & TERMIOS_FLUSH) != 0) tty.ldisc.flushBuffer();
                    setTermiosLocked(tty, tmp);
                }
            } finally {
                tty.writeLock.unlock();
            }
        } else {
            synchronized (tty.lock) {
                setTermiosLocked(tty, tmp);
            }
        }
        return 0;
    }

    /** tty_set_termios: installs newTermios, keeping locked bits, and tells the driver and the line discipline. */
    static void setTermiosLocked(TtyStruct tty, Ktermios newTermios) {
        Ktermios old = tty.termios;
        tty.termios = newTermios;
        unsetLockedTermios(tty, old);
        // ADDRB is changed only through the RS485 configuration.
        tty.termios.cflag ^= (tty.termios.cflag ^ old.cflag) & ADDRB;
        tty.driver.setTermios(tty, old);
        tty.ldisc.setTermios(old);
    }

    /** unset_locked_termios: bits set in termios_locked keep their old values. */
    private static void unsetLockedTermios(TtyStruct tty, Ktermios old) {
        Ktermios k = tty.termios, locked = tty.termiosLocked;
        k.iflag = (k.iflag & ~locked.iflag) | (old.iflag & locked.iflag);
        k.oflag = (k.oflag & ~locked.oflag) | (old.oflag & locked.oflag);
        k.cflag = (k.cflag & ~locked.cflag) | (old.cflag & locked.cflag);
        k.lflag = (k.lflag & ~locked.lflag) | (old.lflag & locked.lflag);
        if (locked.line != 0) k.line = old.line;
        for (int i = 0; i < NCCS; i++) {
            if (locked.cc[i] != 0) k.cc[i] = old.cc[i];
        }
    }
}
