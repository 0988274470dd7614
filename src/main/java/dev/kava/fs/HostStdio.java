package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One of the guest's first three descriptors, wired to a host stream: the console until kava
 * has a tty layer. It reports itself as what the host stream is (a terminal, a pipe, a file,
 * /dev/null), so that programs buffer output as they would on Linux.
 */
public final class HostStdio extends File {
    /** What the host stream is connected to. */
    public enum Kind { TTY, PIPE, FILE, NULL }

    private final Kind kind;
    private final InputStream in;
    private final OutputStream out;
    private final int index;

    /** @param index 0, 1 or 2: keeps inode numbers distinct */
    public HostStdio(Kind kind, InputStream in, OutputStream out, int flags, int index) {
        super(flags);
        this.kind = kind;
        this.in = in;
        this.out = out;
        this.index = index;
    }

    public Kind kind() {
        return kind;
    }

    /** A host file behind the descriptor is flushed; terminals, pipes and /dev/null have no fsync (EINVAL). */
    @Override
    public void fsync(Task t, boolean datasync) {
        if (kind != Kind.FILE) throw ErrnoException.of(Errno.EINVAL);
        flush();
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        if (in == null) return 0;
        try {
            int n = in.read(dst, off, len);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw ErrnoException.of(Errno.EIO);
        }
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        if (out == null) return len;
        try {
            out.write(src, off, len);
            out.flush();
            return len;
        } catch (IOException e) {
            // The reader went away: Linux would raise SIGPIPE for a pipe; EIO for a hung-up terminal.
            throw ErrnoException.of(kind == Kind.PIPE ? Errno.EPIPE : Errno.EIO);
        }
    }

    /**
     * tty_poll / pipe_poll for the console: readable when the host stream has bytes waiting
     * (the host cannot wake us, so waiters look again every few ms), writable always. A host
     * file or /dev/null has no poll method: DEFAULT_POLLMASK.
     */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (!canPoll()) return dev.kava.abi.Poll.DEFAULT_POLLMASK;
        int mask = 0;
        if (readable()) {
            boolean ready;
            try {
                ready = in == null || in.available() > 0;
            } catch (IOException e) {
                ready = true; // the next read reports the error
            }
            if (ready) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            else if (pt != null) pt.needsPolling();
        }
        if (writable()) mask |= dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM;
        return mask;
    }

    @Override
    public boolean canPoll() {
        return kind == Kind.TTY || kind == Kind.PIPE;
    }

    @Override
    public void release() {
        eventpollRelease();
    }

    public void flush() {
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException ignored) {
            // Nothing to report to: the process is going away.
        }
    }

    @Override
    public Kstat stat() {
        long now = System.currentTimeMillis();
        long sec = now / 1000, nsec = (now % 1000) * 1_000_000;
        return switch (kind) {
            // A pseudo-terminal: /dev/pts/0 is char device 136:0, crw--w----.
            case TTY -> new Kstat(Stat.encodeDev(0, 24), 3, Stat.S_IFCHR | 0620, 1, 0, 5,
                    Stat.encodeDev(136, 0), 0, 1024, 0, sec, nsec, sec, nsec, sec, nsec);
            case PIPE -> new Kstat(Stat.encodeDev(0, 12), 1000 + index, Stat.S_IFIFO | 0600, 1, 0, 0,
                    0, 0, 4096, 0, sec, nsec, sec, nsec, sec, nsec);
            case FILE -> new Kstat(Stat.encodeDev(0, 26), 2000 + index, Stat.S_IFREG | 0644, 1, 0, 0,
                    0, 0, 4096, 0, sec, nsec, sec, nsec, sec, nsec);
            // /dev/null is char device 1:3, crw-rw-rw-.
            case NULL -> new Kstat(Stat.encodeDev(0, 5), 4, Stat.S_IFCHR | 0666, 1, 0, 0,
                    Stat.encodeDev(1, 3), 0, 4096, 0, sec, nsec, sec, nsec, sec, nsec);
        };
    }

    /** struct termios (include/uapi/asm-generic/termbits.h): 4 tcflag_t, c_line, c_cc[19] = 36 bytes. */
    private static final int TERMIOS_SIZE = 36;

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (kind != Kind.TTY) throw ErrnoException.of(Errno.ENOTTY);
        switch (cmd) {
            case Ioctls.TCGETS -> {
                t.mem.write(arg, defaultTermios());
                return 0;
            }
            case Ioctls.TCSETS, Ioctls.TCSETSW, Ioctls.TCSETSF -> {
                // Read it as the tty layer would; the host terminal's mode is not changed yet.
                t.mem.read(arg, TERMIOS_SIZE);
                t.kernel.log().once("tcsets", t.describe() + ": terminal mode changes are not passed to the host yet");
                return 0;
            }
            case Ioctls.TIOCGWINSZ -> {
                byte[] ws = new byte[8]; // struct winsize: rows, cols, xpixel, ypixel (unsigned short)
                dev.kava.kernel.Uaccess.putShort(ws, 0, 24);
                dev.kava.kernel.Uaccess.putShort(ws, 2, 80);
                t.mem.write(arg, ws);
                return 0;
            }
            case Ioctls.TIOCGPGRP -> {
                t.mem.write32(arg, t.group.pgid);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.ENOTTY);
        }
    }

    /** A terminal in cooked mode as a fresh pty has it: tty_std_termios (drivers/tty/tty_io.c). */
    private static byte[] defaultTermios() {
        byte[] b = new byte[TERMIOS_SIZE];
        dev.kava.kernel.Uaccess.putInt(b, 0, 0x0500);   // c_iflag: ICRNL | IXON
        dev.kava.kernel.Uaccess.putInt(b, 4, 0x0005);   // c_oflag: OPOST | ONLCR
        dev.kava.kernel.Uaccess.putInt(b, 8, 0x04bf);   // c_cflag: B38400 | CS8 | CREAD | HUPCL
        dev.kava.kernel.Uaccess.putInt(b, 12, 0x8a3b);  // c_lflag: ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN
        b[16] = 0;                                      // c_line: N_TTY
        // c_cc (INIT_C_CC): VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, VSWTC 0,
        // VSTART ^Q, VSTOP ^S, VSUSP ^Z, VEOL 0, VREPRINT ^R, VDISCARD ^O, VWERASE ^W, VLNEXT ^V, VEOL2 0
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
        System.arraycopy(cc, 0, b, 17, cc.length);
        return b;
    }
}
