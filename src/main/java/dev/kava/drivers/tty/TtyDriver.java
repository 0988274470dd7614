package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.kernel.Task;

/**
 * A tty driver: struct tty_driver with its struct tty_operations (include/linux/tty_driver.h).
 * The "hardware" side of a terminal: where output bytes go and how the line is opened and
 * closed. Every method is called with the tty's lock held.
 */
public abstract class TtyDriver {
    /** The driver's kind (tty_driver.type and .subtype). */
    public enum Type {
        /** A terminal the kernel drives itself (TTY_DRIVER_TYPE_SYSTEM/CONSOLE): kava's host console. */
        CONSOLE,
        /** TTY_DRIVER_TYPE_PTY, PTY_TYPE_MASTER. */
        PTY_MASTER,
        /** TTY_DRIVER_TYPE_PTY, PTY_TYPE_SLAVE. */
        PTY_SLAVE
    }

    /** The name prefix of its devices ("pts", "ptm", "hvc"). */
    public final String name;
    public final int major, minorStart;
    public final Type type;

    protected TtyDriver(String name, int major, int minorStart, Type type) {
        this.name = name;
        this.major = major;
        this.minorStart = minorStart;
        this.type = type;
    }

    public boolean isPty() {
        return type == Type.PTY_MASTER || type == Type.PTY_SLAVE;
    }

    /** init_termios: the attributes of a new tty of this driver. */
    public abstract Ktermios initTermios();

    /** write: takes up to len bytes for output; returns how many it took (0 when it has no room). */
    public abstract int write(TtyStruct tty, byte[] b, int off, int len);

    /** write_room: how many bytes write would take now. */
    public abstract int writeRoom(TtyStruct tty);

    /** chars_in_buffer: bytes taken by write but not yet sent. */
    public int charsInBuffer(TtyStruct tty) {
        return 0;
    }

    /** flush_buffer: discards output not yet sent. */
    public void flushBuffer(TtyStruct tty) {}

    /** set_termios: the termios changed (old is the previous one); without it tty_termios_copy_hw applies. */
    public void setTermios(TtyStruct tty, Ktermios old) {
        tty.termios.copyHw(old);
    }

    /** ioctl: the driver's own requests; -ENOIOCTLCMD when cmd is not one of them. */
    public long ioctl(TtyStruct tty, Task t, TtyFile file, int cmd, long arg) {
        return -Errno.ENOIOCTLCMD;
    }

    /** resize (TIOCSWINSZ); without one, tty_do_resize. */
    public void resize(TtyStruct tty, Winsize ws) {
        TtyIo.doResize(tty, ws);
    }

    /** open: another file opens tty (its count already includes it); throws ErrnoException to refuse. */
    public void open(TtyStruct tty, TtyFile file) {}

    /** close: a file of tty is being released (its count still includes it). */
    public void close(TtyStruct tty, TtyFile file) {}

    /** hangup: the line was hung up. */
    public void hangup(TtyStruct tty) {}

    /** remove: both sides are gone, the tty is being freed (release_tty). */
    public void remove(TtyStruct tty) {}

    /** start / stop: output flow control changed (^Q / ^S, TCXONC). */
    public void start(TtyStruct tty) {}

    public void stop(TtyStruct tty) {}

    /** unthrottle: the line discipline has room again for input. */
    public void unthrottle(TtyStruct tty) {}

    /** Whether the driver has a set_termios method (tty_change_softcar looks). */
    public boolean hasSetTermios() {
        return false;
    }

    /** tty_devnum: the device number of tty, in the user-visible encoding. */
    public long devnum(TtyStruct tty) {
        return Stat.encodeDev(major, minorStart + tty.index);
    }
}
