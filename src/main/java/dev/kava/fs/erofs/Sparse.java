package dev.kava.fs.erofs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a host file has data (lseek SEEK_DATA/SEEK_HOLE, through the C library), so mkfs can
 * skip holes without reading them. Falls back to "all data" when the host cannot tell.
 */
final class Sparse {
    private Sparse() {}

    private static final int O_RDONLY = 0, SEEK_DATA = 3, SEEK_HOLE = 4; // Linux x86-64/generic values
    private static final MethodHandle OPEN, LSEEK, CLOSE;

    static {
        MethodHandle open = null, lseek = null, close = null;
        try {
            if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                Linker l = Linker.nativeLinker();
                var libc = l.defaultLookup();
                open = l.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                lseek = l.downcallHandle(libc.find("lseek").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                close = l.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            }
        } catch (Throwable t) {
            open = lseek = close = null;
        }
        OPEN = open;
        LSEEK = lseek;
        CLOSE = close;
    }

    /** The data ranges [start, end) of a file of the given size, in order. */
    static List<long[]> dataRanges(Path file, long size) {
        List<long[]> all = new ArrayList<>();
        all.add(new long[]{0, size});
        if (OPEN == null || size == 0) return all;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            int fd = (int) OPEN.invokeExact(path, O_RDONLY);
            if (fd < 0) return all;
            try {
                List<long[]> out = new ArrayList<>();
                long pos = 0;
                while (pos < size) {
                    long d = (long) LSEEK.invokeExact(fd, pos, SEEK_DATA);
                    if (d < 0 || d >= size) break; // ENXIO: only a hole remains
                    long h = (long) LSEEK.invokeExact(fd, d, SEEK_HOLE);
                    if (h < 0 || h > size) h = size;
                    if (h <= d) return all;
                    out.add(new long[]{d, h});
                    pos = h;
                }
                return out;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return all;
        }
    }

    static boolean overlaps(List<long[]> ranges, long start, long end) {
        for (long[] r : ranges) if (r[0] < end && r[1] > start) return true;
        return false;
    }
}
