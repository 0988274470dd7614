package dev.kava.drivers.chr;

import dev.kava.abi.Errno;
import dev.kava.abi.Major;
import dev.kava.fs.CharDevices;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.HostStdio;
import dev.kava.fs.Inode;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/**
 * /dev/tty (5:0) and /dev/console (5:1): the alternate tty devices tty_open resolves in
 * drivers/tty/tty_io.c. They live here until kava has a tty layer; each asks a hook that the
 * tty layer replaces:
 * <ul>
 * <li>/dev/tty opens the caller's controlling terminal ({@link #setControllingTty}). Without a
 *     tty layer no process has one, so it fails with ENXIO, as Linux's tty_open_current_tty
 *     does for a process without a controlling terminal.</li>
 * <li>/dev/console opens the kernel console ({@link #setConsole}): for now the host streams the
 *     first process got as its descriptors 0-2 (see {@link dev.kava.kernel.Kernel#openHostConsole}),
 *     with the node's own attributes for fstat.</li>
 * </ul>
 */
public final class TtyAliases {
    private TtyAliases() {}

    /** get_current_tty for /dev/tty: the caller's controlling terminal, opened anew. */
    @FunctionalInterface
    public interface ControllingTty {
        /** The controlling terminal of t's session opened for the node at path, or null when t has none. */
        File open(Task t, Inode inode, FsPath path, int flags);
    }

    private static volatile ControllingTty controllingTty = (t, inode, path, flags) -> null;
    private static volatile CharDevices.Driver console = TtyAliases::openHostConsole;

    /** The tty layer's answer to "what is this task's controlling terminal". */
    public static void setControllingTty(ControllingTty c) {
        controllingTty = c;
    }

    /** The tty layer's console driver, replacing the host streams. */
    public static void setConsole(CharDevices.Driver d) {
        console = d;
    }

    /** Registers 5:0 and 5:1 (tty_init). */
    public static void register() {
        CharDevices.register(Major.TTYAUX_MAJOR, Major.TTYAUX_TTY, TtyAliases::openTty);
        CharDevices.register(Major.TTYAUX_MAJOR, Major.TTYAUX_CONSOLE, (t, inode, path, flags) -> console.open(t, inode, path, flags));
    }

    /** tty_open_current_tty: ENXIO without a controlling terminal. */
    static File openTty(Task t, Inode inode, FsPath path, int flags) {
        File f = controllingTty.open(t, inode, path, flags);
        if (f == null) throw ErrnoException.of(Errno.ENXIO);
        return f;
    }

    static File openHostConsole(Task t, Inode inode, FsPath path, int flags) {
        return new ConsoleFile(path, flags, t.kernel.openHostConsole(flags));
    }

    /** The console as the host streams: reads, writes, poll and terminal ioctls go to them; fstat shows the node. */
    static final class ConsoleFile extends File {
        private final HostStdio host;

        ConsoleFile(FsPath path, int flags, HostStdio host) {
            super(path, flags);
            this.host = host;
        }

        @Override
        public boolean isStream() {
            return true;
        }

        @Override
        public int read(Task t, byte[] dst, int off, int len) {
            return host.read(t, dst, off, len);
        }

        @Override
        public int write(Task t, byte[] src, int off, int len) {
            return host.write(t, src, off, len);
        }

        @Override
        public int poll(Task t, Poll.Table pt) {
            return host.poll(t, pt);
        }

        @Override
        public boolean canPoll() {
            return host.canPoll();
        }

        @Override
        public long ioctl(Task t, int cmd, long arg) {
            return host.ioctl(t, cmd, arg);
        }

        @Override
        public void release() {
            eventpollRelease();
            host.flush();
        }
    }
}
