package dev.kava.drivers.tty;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A host terminal reached through the host's C library (isatty, tcgetattr, cfmakeraw,
 * tcsetattr, ioctl(TIOCGWINSZ), poll, read, write) with the foreign function API: the door
 * through which kava's console talks to the terminal it runs in. {@link #enterRaw} puts the
 * terminal in raw mode, so that every byte typed (^C included) reaches the guest's line
 * discipline instead of the host's; the saved settings come back on {@link #close} and, should
 * the JVM end some other way, from a shutdown hook.
 *
 * <p>These are the host's ABI, not the guest's: the host's struct termios is kept as opaque
 * bytes, and only TIOCGWINSZ's number depends on the host.
 */
public final class NativeTerminal implements HostTerminal {
    /** Room for any host's struct termios (glibc: 60 bytes, macOS: 72). */
    private static final int TERMIOS_BYTES = 256;
    /** TCSADRAIN: 1 in glibc's and BSD's termios.h. */
    private static final int TCSADRAIN = 1;
    /** poll() events, the same on Linux and the BSDs. */
    private static final short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    /** EINTR is 4 on Linux and the BSDs; EAGAIN 11 on Linux, 35 on the BSDs; EIO 5 on both. */
    private static final int EINTR = 4, EIO = 5;
    private static final int EAGAIN = isLinux() ? 11 : 35;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle ISATTY = handle("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle TCGETATTR = handle("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle TCSETATTR = handle("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CFMAKERAW = handle("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"));

    private final int inFd, outFd;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment saved = arena.allocate(TERMIOS_BYTES);
    private final MemorySegment readBuf = arena.allocate(4096);
    private final MemorySegment readPoll = arena.allocate(8, 8);
    private final MemorySegment readState = arena.allocate(CAPTURE);
    private final MemorySegment winsize = arena.allocate(8, 8);
    private final Object writeLock = new Object();
    private boolean raw;
    private Thread restoreHook;
    private volatile boolean closed;

    private NativeTerminal(int inFd, int outFd) {
        this.inFd = inFd;
        this.outFd = outFd;
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
        return LINKER.downcallHandle(sym, fd, options);
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /**
     * TIOCGWINSZ of the host: 0x5413 from Linux's asm-generic/ioctls.h (x86, arm, riscv...);
     * _IOR('t', 104, struct winsize) = 0x40087468 on the BSDs, macOS and Linux's powerpc, mips
     * and sparc. -1 when unknown.
     */
    private static long tiocgwinsz() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            boolean bsdStyle = arch.startsWith("ppc") || arch.startsWith("mips") || arch.startsWith("sparc");
            return bsdStyle ? 0x40087468L : 0x5413L;
        }
        if (os.contains("mac") || os.contains("darwin") || os.contains("bsd")) return 0x40087468L;
        return -1;
    }

    /**
     * The terminal on host descriptor inFd (output to outFd), or null when inFd is not a
     * terminal or the host's C library cannot be reached (then the console stays a plain stream).
     */
    public static NativeTerminal open(int inFd, int outFd) {
        try {
            if ((int) ISATTY.invokeExact(inFd) != 1) return null;
            return new NativeTerminal(inFd, outFd);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Saves the terminal's settings and puts it in raw mode (cfmakeraw). Returns false when it could not. */
    public synchronized boolean enterRaw() {
        if (raw || closed) return raw;
        try {
            if ((int) TCGETATTR.invokeExact(inFd, saved) != 0) return false;
            MemorySegment t = arena.allocate(TERMIOS_BYTES);
            t.copyFrom(saved);
            CFMAKERAW.invokeExact(t);
            if ((int) TCSETATTR.invokeExact(inFd, TCSADRAIN, t) != 0) return false;
        } catch (Throwable e) {
            return false;
        }
        raw = true;
        restoreHook = new Thread(this::restore, "kava-terminal-restore");
        try {
            Runtime.getRuntime().addShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            restoreHook = null; // already shutting down: close() restores
        }
        return true;
    }

    /** Gives the terminal its saved settings back (idempotent). */
    public synchronized void restore() {
        if (!raw) return;
        try {
            int r = (int) TCSETATTR.invokeExact(inFd, TCSADRAIN, saved);
            if (r == 0) raw = false;
        } catch (Throwable e) {
            // Nothing more can be done for the terminal from here.
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        synchronized (this) {
            if (restoreHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(restoreHook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down and runs the hook itself.
                }
                restoreHook = null;
            }
        }
    }

    @Override
    public int read(byte[] b, int len, int timeoutMillis) throws IOException {
        if (closed) return -1;
        try {
            readPoll.set(JAVA_INT, 0, inFd);
            readPoll.set(JAVA_SHORT, 4, POLLIN);
            readPoll.set(JAVA_SHORT, 6, (short) 0);
            int r = (int) POLL.invokeExact(readState, readPoll, 1L, timeoutMillis);
            if (closed) return -1;
            if (r < 0) {
                if (errno(readState) == EINTR) return 0;
                throw new IOException("poll failed, errno " + errno(readState));
            }
            if (r == 0) return 0;
            short rev = readPoll.get(JAVA_SHORT, 6);
            if ((rev & POLLIN) == 0) return (rev & (POLLHUP | POLLERR | POLLNVAL)) != 0 ? -1 : 0;
            long n = (long) READ.invokeExact(readState, inFd, readBuf, (long) Math.min(len, (int) readBuf.byteSize()));
            if (n < 0) {
                int e = errno(readState);
                if (e == EINTR || e == EAGAIN) return 0;
                if (e == EIO) return -1; // the terminal hung up
                throw new IOException("read failed, errno " + e);
            }
            if (n == 0) return -1;
            MemorySegment.copy(readBuf, ValueLayout.JAVA_BYTE, 0, b, 0, (int) n);
            return (int) n;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        synchronized (writeLock) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(Math.max(1, len));
                MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
                MemorySegment state = a.allocate(CAPTURE);
                long done = 0;
                while (done < len) {
                    long n = (long) WRITE.invokeExact(state, outFd, buf.asSlice(done), (long) len - done);
                    if (n >= 0) {
                        done += n;
                        continue;
                    }
                    int e = errno(state);
                    if (e == EINTR) continue;
                    if (e != EAGAIN) throw new IOException("write failed, errno " + e);
                    // Someone made the host descriptor non-blocking: wait until it takes more.
                    MemorySegment pfd = a.allocate(8, 8);
                    pfd.set(JAVA_INT, 0, outFd);
                    pfd.set(JAVA_SHORT, 4, POLLOUT);
                    int ignored = (int) POLL.invokeExact(state, pfd, 1L, 100);
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public Winsize windowSize() {
        long req = tiocgwinsz();
        if (req < 0 || closed) return null;
        synchronized (winsize) {
            for (int fd : new int[]{inFd, outFd}) {
                try {
                    if ((int) IOCTL.invokeExact(fd, req, winsize) == 0) {
                        return new Winsize(Short.toUnsignedInt(winsize.get(JAVA_SHORT, 0)),
                                Short.toUnsignedInt(winsize.get(JAVA_SHORT, 2)),
                                Short.toUnsignedInt(winsize.get(JAVA_SHORT, 4)),
                                Short.toUnsignedInt(winsize.get(JAVA_SHORT, 6)));
                    }
                } catch (Throwable e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
