package dev.kava.guest;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A pseudo-terminal of the Linux host, for tests that put kava's console on a real terminal:
 * the test plays the user on the master side. Host ABI (x86-64 or aarch64 Linux, glibc).
 */
final class HostPty implements AutoCloseable {
    private static final int O_RDWR = 2, O_NOCTTY = 0400;
    /** Host ioctls (asm-generic/ioctls.h, as x86 and arm64 Linux use). */
    private static final long TIOCSWINSZ = 0x5414, TCGETS = 0x5401;
    /** The host's c_lflag offset and ICANON bit (glibc struct termios on Linux). */
    static final int C_LFLAG = 12, ICANON = 2;
    private static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle POSIX_OPENPT = fn("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT = fn("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT = fn("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME = fn("ptsname", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IOCTL = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));

    final int master, slave;
    private final Arena arena = Arena.ofShared();
    private final StringBuilder seen = new StringBuilder();

    private static MethodHandle fn(String name, FunctionDescriptor d, Linker.Option... o) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, o);
    }

    /** Whether this host can have one (Linux on x86-64 or aarch64). */
    static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    HostPty() throws Throwable {
        master = (int) POSIX_OPENPT.invokeExact(O_RDWR | O_NOCTTY);
        if (master < 0) throw new IOException("posix_openpt failed");
        if ((int) GRANTPT.invokeExact(master) != 0 || (int) UNLOCKPT.invokeExact(master) != 0) {
            throw new IOException("grantpt/unlockpt failed");
        }
        MemorySegment name = ((MemorySegment) PTSNAME.invokeExact(master)).reinterpret(256);
        slave = (int) OPEN.invokeExact(name, O_RDWR | O_NOCTTY);
        if (slave < 0) throw new IOException("cannot open " + name.getString(0));
    }

    void setWindowSize(int cols, int rows) throws Throwable {
        MemorySegment ws = arena.allocate(8, 8);
        ws.set(JAVA_SHORT, 0, (short) rows);
        ws.set(JAVA_SHORT, 2, (short) cols);
        if ((int) IOCTL.invokeExact(master, TIOCSWINSZ, ws) != 0) throw new IOException("TIOCSWINSZ failed");
    }

    /** The slave's c_lflag now. */
    int slaveLflag() throws Throwable {
        MemorySegment t = arena.allocate(256, 8);
        if ((int) IOCTL.invokeExact(slave, TCGETS, t) != 0) throw new IOException("TCGETS failed");
        return t.get(JAVA_INT, C_LFLAG);
    }

    /** Types s on the terminal. */
    void type(String s) throws Throwable {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        long n = (long) WRITE.invokeExact(master, m, (long) b.length);
        if (n != b.length) throw new IOException("short write to the pty master");
    }

    /**
     * Reads the terminal's output until it contains marker (after what earlier calls consumed);
     * returns everything read up to and including the marker.
     */
    String readUntil(String marker, long timeoutMillis) throws Throwable {
        long end = System.currentTimeMillis() + timeoutMillis;
        MemorySegment pfd = arena.allocate(8, 8);
        MemorySegment buf = arena.allocate(4096);
        while (seen.indexOf(marker) < 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) throw new AssertionError("no \"" + marker + "\" on the terminal; it showed:\n" + seen);
            pfd.set(JAVA_INT, 0, master);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            pfd.set(JAVA_SHORT, 6, (short) 0);
            int r = (int) POLL.invokeExact(pfd, 1L, (int) Math.min(left, 200));
            if (r <= 0) continue;
            long n = (long) READ.invokeExact(master, buf, 4096L);
            if (n <= 0) throw new AssertionError("the terminal closed; it showed:\n" + seen);
            byte[] b = new byte[(int) n];
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, 0, (int) n);
            seen.append(new String(b, StandardCharsets.ISO_8859_1));
        }
        int at = seen.indexOf(marker) + marker.length();
        String out = seen.substring(0, at);
        seen.delete(0, at);
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            int a = (int) CLOSE.invokeExact(slave);
            int b = (int) CLOSE.invokeExact(master);
        } catch (Throwable e) {
            throw new Exception(e);
        } finally {
            arena.close();
        }
    }
}
