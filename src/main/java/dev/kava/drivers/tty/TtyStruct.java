package dev.kava.drivers.tty;

import dev.kava.abi.Poll;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal (struct tty_struct, include/linux/tty.h): its attributes, window size, line
 * discipline, input buffer, open files, and its place in job control (the session it controls
 * and the foreground process group).
 *
 * <p>Locking: one monitor, {@link #lock}, guards all of it. The two sides of a pty share one
 * lock, because writing to one side runs the other side's receive path (and its echoes come
 * back), so a per-side lock would deadlock two writers facing each other. Signals are sent and
 * wait queues woken with the lock held (the signal code never calls back into a tty); the lock
 * is never taken with the kernel's tasklist lock held. Blocking waits drop the lock first.
 */
public final class TtyStruct {
    final Object lock;
    public final Kernel kernel;
    public final TtyDriver driver;
    /** The line number within the driver (a pty's number). */
    public final int index;

    /** Current attributes (tty->termios); replaced only through {@link TtyIoctl#setTermios}. */
    Ktermios termios;
    /** The locked attributes (termios_locked): set bits here freeze the same bits of termios. */
    Ktermios termiosLocked = new Ktermios();
    Winsize winsize = Winsize.ZERO;
    /** The other side of a pty, else null. */
    TtyStruct link;
    /** The devpts instance that numbers a pty (driver_data), else null. */
    Devpts devpts;
    final NTty ldisc;
    /** Bytes the driver received that the line discipline has not taken yet (the tty_port flip buffer). */
    final TtyBuffer port;

    /** Open files of this tty, plus one on a pty slave for its master (tty->count). */
    int count;
    /** The files open on this tty (tty_files), for hangup. */
    final List<TtyFile> files = new ArrayList<>();

    // tty->flags bits kava uses.
    /** TTY_IO_ERROR: a pty side whose open failed or which is closing. */
    boolean ioError;
    /** TTY_OTHER_CLOSED: the other side of the pty has been closed. */
    boolean otherClosed;
    /** TTY_PTY_LOCK (on a master): the slave may not be opened yet. */
    boolean ptyLock;
    /** TTY_EXCLUSIVE: only CAP_SYS_ADMIN may open it again. */
    boolean exclusive;
    /** TTY_HUPPING / TTY_HUPPED: a hangup is in progress / has happened. */
    boolean hupping, hupped;

    /** The session this is the controlling terminal of, and its foreground process group (0 = none). */
    int session, pgrp;

    /** Packet mode of a pty master (ctrl.packet) and the status byte it reports next (ctrl.pktstatus). */
    boolean packet;
    int pktStatus;

    /** Output stopped by ^S or TCXONC (flow.stopped), and by TCXONC(TCOOFF) in particular (flow.tco_stopped). */
    boolean stopped, tcoStopped;

    /** Readers and writers sleep here (read_wait, write_wait). */
    final WaitQueue readWait = new WaitQueue();
    final WaitQueue writeWait = new WaitQueue();
    /** Held for a whole write() (atomic_write_lock) and by TCSETSW/TCSETSF while they change the termios. */
    final TtyMutex writeLock;

    /** The inode times stat() shows, in seconds, moved at most every 8 seconds (tty_update_time). */
    long atimeSec, mtimeSec;

    TtyStruct(Kernel kernel, TtyDriver driver, int index, Object lock, int portLimit) {
        this.kernel = kernel;
        this.driver = driver;
        this.index = index;
        this.lock = lock;
        this.writeLock = new TtyMutex(lock);
        this.termios = driver.initTermios();
        this.atimeSec = this.mtimeSec = kernel.clock().realtimeNanos() / 1_000_000_000L;
        this.port = new TtyBuffer(portLimit);
        this.ldisc = new NTty(this);
    }

    /** The name as tty_name gives it: "pts/3", "ptm3", "hvc0". */
    public String name() {
        return driver.type == TtyDriver.Type.PTY_SLAVE ? driver.name + "/" + index : driver.name + index;
    }

    /** The lock guarding this tty (shared by both sides of a pty). */
    public Object lock() {
        return lock;
    }

    public boolean isPtyMaster() {
        return driver.type == TtyDriver.Type.PTY_MASTER;
    }

    /** tty_pair_get_tty: the slave for a pty master, else this tty (termios and winsize live there). */
    TtyStruct pairGetTty() {
        return isPtyMaster() ? link : this;
    }

    /** The foreground process group, 0 when none (tty_get_pgrp). */
    public int foregroundPgrp() {
        synchronized (lock) {
            return pgrp;
        }
    }

    /** The session this tty controls, 0 when none. */
    public int session() {
        synchronized (lock) {
            return session;
        }
    }

    /** A copy of the current attributes. */
    public Ktermios termios() {
        synchronized (lock) {
            return termios.copy();
        }
    }

    public Winsize winsize() {
        synchronized (lock) {
            return winsize;
        }
    }

    /** The number of open references (tty->count). */
    public int openCount() {
        synchronized (lock) {
            return count;
        }
    }

    // ---- the driver side ----

    /**
     * Input from the "hardware": queues bytes for the line discipline and hands it what fits
     * (tty_insert_flip_string + tty_flip_buffer_push). Returns how many bytes were queued; fewer
     * than len when the buffer is full.
     */
    public int receive(byte[] b, int off, int len) {
        synchronized (lock) {
            int n = port.insert(b, off, len);
            flushToLdisc();
            return n;
        }
    }

    /** Bytes the driver may still queue with {@link #receive} (tty_buffer_space_avail). */
    public int receiveSpace() {
        synchronized (lock) {
            return port.space();
        }
    }

    /** flush_to_ldisc: moves queued input into the line discipline as far as it has room. */
    void flushToLdisc() {
        while (port.count() > 0) {
            int n = ldisc.receiveBuf(port.array(), port.headIndex(), port.contiguous());
            if (n == 0) break;
            port.consume(n);
        }
    }

    /** tty_wakeup: writers may continue. */
    void wakeup() {
        writeWait.wakeAll(Poll.POLLOUT);
    }

    /** tty_driver_flush_buffer. */
    void driverFlushBuffer() {
        driver.flushBuffer(this);
    }

    /** stop_tty (__stop_tty): output stops until start_tty. */
    void stopTty() {
        if (stopped) return;
        stopped = true;
        driver.stop(this);
    }

    /** start_tty (__start_tty): output resumes, unless TCXONC(TCOOFF) stopped it. */
    void startTty() {
        if (!stopped || tcoStopped) return;
        stopped = false;
        driver.start(this);
        wakeup();
    }

    @Override
    public String toString() {
        return "tty " + name();
    }
}
