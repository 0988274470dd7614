package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;

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
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * hostfs's host calls on a Linux host: the *at system calls through glibc, by the foreign
 * function API, with errno captured. The host is Linux too, so its flag values (AT_*,
 * RENAME_*, UTIME_OMIT, XATTR_*) and errno numbers are the ones dev.kava.abi has for the guest
 * (they are the same on every architecture kava runs on: x86-64, arm64, riscv64).
 */
final class LinuxHostOps implements HostOps {
    private static final Linker LINKER;
    private static final MethodHandle MKDIRAT, MKNODAT, SYMLINKAT, READLINKAT, LINKAT, UNLINKAT, RENAMEAT2,
            FCHMODAT, FCHOWNAT, UTIMENSAT, LGETXATTR, LSETXATTR, LLISTXATTR, LREMOVEXATTR;
    private static final StructLayout CAPTURE;
    private static final VarHandle ERRNO;
    private static final boolean AVAILABLE;
    /** The encoding Java gives host paths (sun.jnu.encoding): native calls must see the same bytes. */
    private static final Charset PATH_CHARSET;

    /** UTIME_OMIT (include/uapi/linux/stat.h). */
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /**
     * Optional calls, each null when the host's libc lacks it (the NIO way is used instead):
     * statx (glibc 2.28), and syscall(2) with close for openat2 (Linux 5.6; glibc has no wrapper).
     */
    private static final MethodHandle STATX, SYSCALL_OPENAT2, CLOSE;
    /** Cleared when the host refuses openat2 (an old kernel, or a seccomp filter): toRealPath then. */
    private static volatile boolean openat2Works;

    /** struct statx (include/uapi/linux/stat.h): the same layout on every architecture. */
    private static final long STX_MASK = 0, STX_NLINK = 16, STX_UID = 20, STX_GID = 24, STX_MODE = 28, STX_INO = 32,
            STX_SIZE = 40, STX_ATIME = 64, STX_CTIME = 96, STX_MTIME = 112, STX_RDEV_MAJOR = 128, STX_RDEV_MINOR = 132,
            STX_DEV_MAJOR = 136, STX_DEV_MINOR = 140, STATX_SIZE = 256;
    /** STATX_BASIC_STATS (include/uapi/linux/stat.h). */
    private static final int STATX_BASIC_STATS = 0x7ff;
    /** __NR_openat2: 437 on x86-64, arm64 and riscv64 alike (every architecture numbers it so since 5.6). */
    private static final long NR_OPENAT2 = 437;
    /** O_PATH and O_CLOEXEC, the same on x86-64, arm64 and riscv64 (O_DIRECTORY is not: it is not used). */
    private static final long O_PATH = 010000000, O_CLOEXEC = 02000000;
    /** RESOLVE_NO_SYMLINKS (include/uapi/linux/openat2.h). */
    private static final long RESOLVE_NO_SYMLINKS = 0x04;

    static {
        Linker linker = null;
        MethodHandle[] h = new MethodHandle[14];
        StructLayout capture = null;
        VarHandle errno = null;
        boolean ok = false;
        Charset cs = Charset.defaultCharset();
        try {
            String jnu = System.getProperty("sun.jnu.encoding");
            if (jnu != null) cs = Charset.forName(jnu);
            if ("Linux".equals(System.getProperty("os.name")) && !"false".equals(System.getProperty("kava.hostfs.native"))) {
                linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option save = Linker.Option.captureCallState("errno");
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                h[0] = find(linker, libc, save, "mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
                h[1] = find(linker, libc, save, "mknodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
                h[2] = find(linker, libc, save, "symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
                h[3] = find(linker, libc, save, "readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
                h[4] = find(linker, libc, save, "linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
                h[5] = find(linker, libc, save, "unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
                h[6] = find(linker, libc, save, "renameat2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
                h[7] = find(linker, libc, save, "fchmodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
                h[8] = find(linker, libc, save, "fchownat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
                h[9] = find(linker, libc, save, "utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
                h[10] = find(linker, libc, save, "lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
                h[11] = find(linker, libc, save, "lsetxattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
                h[12] = find(linker, libc, save, "llistxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
                h[13] = find(linker, libc, save, "lremovexattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
                ok = true;
            }
        } catch (Throwable e) {
            // No native access (another OS, a libc without these symbols, --illegal-native-access=deny): NIO it is.
            ok = false;
        }
        MethodHandle statx = null, openat2 = null, close = null;
        if (ok) {
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option save = Linker.Option.captureCallState("errno");
            try {
                statx = find(linker, libc, save, "statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
            } catch (Throwable e) {
                statx = null;
            }
            try {
                // long syscall(long number, ...): every argument after the number passed as a long.
                openat2 = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                        save, Linker.Option.firstVariadicArg(1));
                close = find(linker, libc, save, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            } catch (Throwable e) {
                openat2 = close = null;
            }
        }
        STATX = statx;
        SYSCALL_OPENAT2 = openat2;
        CLOSE = close;
        openat2Works = openat2 != null;
        LINKER = linker;
        CAPTURE = capture;
        ERRNO = errno;
        AVAILABLE = ok;
        PATH_CHARSET = cs;
        MKDIRAT = h[0];
        MKNODAT = h[1];
        SYMLINKAT = h[2];
        READLINKAT = h[3];
        LINKAT = h[4];
        UNLINKAT = h[5];
        RENAMEAT2 = h[6];
        FCHMODAT = h[7];
        FCHOWNAT = h[8];
        UTIMENSAT = h[9];
        LGETXATTR = h[10];
        LSETXATTR = h[11];
        LLISTXATTR = h[12];
        LREMOVEXATTR = h[13];
    }

    @SuppressWarnings("restricted") // native access is what this class is for; ./kava and the tests enable it
    private static MethodHandle find(Linker linker, SymbolLookup libc, Linker.Option save, String name, FunctionDescriptor fd) {
        MemorySegment sym = libc.find(name).orElseThrow(() -> new UnsupportedOperationException(name));
        return linker.downcallHandle(sym, fd, save);
    }

    static boolean available() {
        return AVAILABLE && LINKER != null;
    }

    /** The host's bytes of p, NUL-terminated. */
    private static MemorySegment cpath(Arena a, Path p) {
        return cstring(a, p.toString().getBytes(PATH_CHARSET));
    }

    private static MemorySegment cstring(Arena a, byte[] b) {
        for (byte x : b) if (x == 0) throw ErrnoException.of(Errno.EINVAL);
        MemorySegment s = a.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        s.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return s;
    }

    /** Throws the captured errno when a call returned -1. */
    private static long check(long r, MemorySegment state) {
        if (r < 0) throw ErrnoException.of((int) ERRNO.get(state, 0L));
        return r;
    }

    /** Throwables the method handles declare: none are expected, so they are kernel bugs. */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /**
     * openat2(dir, O_PATH, RESOLVE_NO_SYMLINKS) succeeds exactly when no component of dir is a
     * symlink and dir exists: one system call where realpath(3) makes one per component.
     */
    @Override
    public boolean resolvesToItself(Path dir) throws IOException {
        if (!openat2Works) return HostOps.super.resolvesToItself(dir);
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment how = a.allocate(JAVA_LONG, 3); // struct open_how {flags, mode, resolve}
            how.setAtIndex(JAVA_LONG, 0, O_PATH | O_CLOEXEC);
            how.setAtIndex(JAVA_LONG, 1, 0);
            how.setAtIndex(JAVA_LONG, 2, RESOLVE_NO_SYMLINKS);
            long r = (long) SYSCALL_OPENAT2.invokeExact(st, NR_OPENAT2, (long) Fcntl.AT_FDCWD, cpath(a, dir), how, how.byteSize());
            if (r < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == Errno.ENOENT || e == Errno.ELOOP) return false;
                if (e == Errno.ENOSYS || e == Errno.EPERM) { // no openat2 here: never ask again
                    openat2Works = false;
                    return HostOps.super.resolvesToItself(dir);
                }
                throw ErrnoException.of(e);
            }
            fd = (int) r;
            int closed = (int) CLOSE.invokeExact(st, fd); // an O_PATH descriptor: nothing to flush
        } catch (ErrnoException | IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return true;
    }

    /** statx(p, AT_SYMLINK_NOFOLLOW) into the fields hostfs uses; device numbers as glibc's makedev encodes them. */
    @Override
    public long[] lstat(Path p) throws IOException {
        if (STATX == null) return null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(STATX_SIZE, 8);
            int r = (int) STATX.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), Fcntl.AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
            if (r < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == Errno.ENOENT) throw new java.nio.file.NoSuchFileException(p.toString());
                if (e == Errno.ENOSYS || e == Errno.EPERM) return null; // statx refused: NIO's lstat it is
                throw ErrnoException.of(e);
            }
            if ((buf.get(JAVA_INT, STX_MASK) & STATX_BASIC_STATS) != STATX_BASIC_STATS) return null; // a field missing: NIO's lstat
            long[] s = new long[LSTAT_FIELDS];
            s[LSTAT_MODE] = buf.get(ValueLayout.JAVA_SHORT, STX_MODE) & 0xffff;
            s[LSTAT_INO] = buf.get(JAVA_LONG, STX_INO);
            s[LSTAT_DEV] = makedev(buf.get(JAVA_INT, STX_DEV_MAJOR), buf.get(JAVA_INT, STX_DEV_MINOR));
            s[LSTAT_RDEV] = makedev(buf.get(JAVA_INT, STX_RDEV_MAJOR), buf.get(JAVA_INT, STX_RDEV_MINOR));
            s[LSTAT_NLINK] = buf.get(JAVA_INT, STX_NLINK) & 0xffffffffL;
            s[LSTAT_UID] = buf.get(JAVA_INT, STX_UID) & 0xffffffffL;
            s[LSTAT_GID] = buf.get(JAVA_INT, STX_GID) & 0xffffffffL;
            s[LSTAT_SIZE] = buf.get(JAVA_LONG, STX_SIZE);
            s[LSTAT_ATIME] = buf.get(JAVA_LONG, STX_ATIME);
            s[LSTAT_ATIME_NSEC] = buf.get(JAVA_INT, STX_ATIME + 8) & 0xffffffffL;
            s[LSTAT_MTIME] = buf.get(JAVA_LONG, STX_MTIME);
            s[LSTAT_MTIME_NSEC] = buf.get(JAVA_INT, STX_MTIME + 8) & 0xffffffffL;
            s[LSTAT_CTIME] = buf.get(JAVA_LONG, STX_CTIME);
            s[LSTAT_CTIME_NSEC] = buf.get(JAVA_INT, STX_CTIME + 8) & 0xffffffffL;
            return s;
        } catch (ErrnoException | IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** gnu_dev_makedev: the dev_t that stat(2) gives for major:minor. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL, mi = minor & 0xffffffffL;
        return (ma & 0xfffff000L) << 32 | (ma & 0xfffL) << 8 | (mi & 0xffffff00L) << 12 | (mi & 0xffL);
    }

    @Override
    public void createFile(Path p, int perm) {
        // mknod(S_IFREG) makes an empty regular file, exclusively and never through a symlink.
        mknod(p, Stat.S_IFREG | (perm & 07777));
    }

    @Override
    public void mkdir(Path p, int perm) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) MKDIRAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), perm & 07777), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void mknod(Path p, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) MKNODAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), mode, 0L), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void symlink(Path p, byte[] target) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) SYMLINKAT.invokeExact(st, cstring(a, target), Fcntl.AT_FDCWD, cpath(a, p)), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public byte[] readlink(Path p) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int size = 4096; // PATH_MAX: no symlink target is longer
            MemorySegment buf = a.allocate(size);
            long n = check((long) READLINKAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), buf, (long) size), st);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void link(Path existing, Path p) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            // flags 0: without AT_SYMLINK_FOLLOW a symlink is linked itself, never its target.
            check((int) LINKAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, existing), Fcntl.AT_FDCWD, cpath(a, p), 0), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void unlink(Path p) {
        unlinkat(p, 0);
    }

    @Override
    public void rmdir(Path p) {
        unlinkat(p, Fcntl.AT_REMOVEDIR);
    }

    private static void unlinkat(Path p, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) UNLINKAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), flags), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void rename(Path from, Path to, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) RENAMEAT2.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, from), Fcntl.AT_FDCWD, cpath(a, to), flags), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void chmod(Path p, int type, int perm) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment cp = cpath(a, p);
            int r = (int) FCHMODAT.invokeExact(st, Fcntl.AT_FDCWD, cp, perm & 07777, Fcntl.AT_SYMLINK_NOFOLLOW);
            if (r < 0) {
                int e = (int) ERRNO.get(st, 0L);
                // An older glibc or kernel without fchmodat2 refuses AT_SYMLINK_NOFOLLOW for every file.
                // p is not a symlink (checked under the shape lock), so following it changes nothing.
                if (e != Errno.EOPNOTSUPP && e != Errno.ENOSYS) throw ErrnoException.of(e);
                check((int) FCHMODAT.invokeExact(st, Fcntl.AT_FDCWD, cp, perm & 07777, 0), st);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void lchown(Path p, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) FCHOWNAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), uid, gid, Fcntl.AT_SYMLINK_NOFOLLOW), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void utimes(Path p, int type, long[] atime, long[] mtime) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment ts = a.allocate(JAVA_LONG, 4); // struct timespec[2]
            ts.setAtIndex(JAVA_LONG, 0, atime == null ? 0 : atime[0]);
            ts.setAtIndex(JAVA_LONG, 1, atime == null ? UTIME_OMIT : atime[1]);
            ts.setAtIndex(JAVA_LONG, 2, mtime == null ? 0 : mtime[0]);
            ts.setAtIndex(JAVA_LONG, 3, mtime == null ? UTIME_OMIT : mtime[1]);
            check((int) UTIMENSAT.invokeExact(st, Fcntl.AT_FDCWD, cpath(a, p), ts, Fcntl.AT_SYMLINK_NOFOLLOW), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static MemorySegment cname(Arena a, String name) {
        return cstring(a, name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Override
    public byte[] getxattr(Path p, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment cp = cpath(a, p), cn = cname(a, name);
            while (true) {
                long size = check((long) LGETXATTR.invokeExact(st, cp, cn, MemorySegment.NULL, 0L), st);
                if (size == 0) return new byte[0];
                MemorySegment buf = a.allocate(size);
                long n = (long) LGETXATTR.invokeExact(st, cp, cn, buf, size);
                if (n < 0 && (int) ERRNO.get(st, 0L) == Errno.ERANGE) continue; // it grew meanwhile
                check(n, st);
                return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setxattr(Path p, String name, byte[] value, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            check((int) LSETXATTR.invokeExact(st, cpath(a, p), cname(a, name), v, (long) value.length, flags), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public List<String> listxattr(Path p) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment cp = cpath(a, p);
            byte[] all;
            while (true) {
                long size = check((long) LLISTXATTR.invokeExact(st, cp, MemorySegment.NULL, 0L), st);
                if (size == 0) return List.of();
                MemorySegment buf = a.allocate(size);
                long n = (long) LLISTXATTR.invokeExact(st, cp, buf, size);
                if (n < 0 && (int) ERRNO.get(st, 0L) == Errno.ERANGE) continue;
                check(n, st);
                all = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                break;
            }
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] != 0) continue;
                if (i > start) out.add(new String(Arrays.copyOfRange(all, start, i), java.nio.charset.StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
            return out;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void removexattr(Path p, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) LREMOVEXATTR.invokeExact(st, cpath(a, p), cname(a, name)), st);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
