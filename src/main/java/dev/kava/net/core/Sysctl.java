package dev.kava.net.core;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The per-namespace sysctls under /proc/sys/net (register_net_sysctl): each is a path below
 * net/ ("ipv4/ip_local_port_range"), a mode, and how to show and store it for a given
 * {@link Net}. procfs lists whatever is registered when it is read, so a subsystem adds its
 * knobs with one {@link #register} call in its init (see {@link NetSysctls} for the table
 * every built-in subsystem contributes to). Values are parsed as proc_dointvec_minmax does.
 */
public final class Sysctl {
    private Sysctl() {}

    /** One sysctl: the path below /proc/sys/net, the file mode, and its value of a namespace as text (with the newline). */
    public record Entry(String path, int mode, Function<Net, String> show, BiConsumer<Net, byte[]> store) {}

    private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

    /** Adds a sysctl (a second one with the same path replaces the first). */
    public static void register(Entry e) {
        ENTRIES.removeIf(x -> x.path().equals(e.path()));
        ENTRIES.add(e);
    }

    /** Every sysctl registered, in registration order. */
    public static List<Entry> entries() {
        NetSysctls.init();
        return Collections.unmodifiableList(ENTRIES);
    }

    /** A read-only value. */
    public static void value(String path, Function<Net, String> show) {
        register(new Entry(path, 0444, n -> show.apply(n) + "\n", null));
    }

    /** Reads and writes an int vector. */
    public interface IntVec {
        int[] get(Net net);

        void set(Net net, int[] v);
    }

    /**
     * A vector of ints root may set (0644), shown tab-separated as proc_dointvec does; a
     * store takes up to as many numbers as the vector has, each within [min, max], and
     * validate sees the whole new vector first (EINVAL to refuse it).
     */
    public static void intVec(String path, IntVec v, long min, long max, java.util.function.Predicate<int[]> validate) {
        register(new Entry(path, 0644, n -> {
            int[] a = v.get(n);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : "\t").append(a[i]);
            return sb.append('\n').toString();
        }, (n, data) -> {
            int[] cur = v.get(n);
            long[] parsed = parseInts(data, cur.length);
            int[] next = cur.clone();
            for (int i = 0; i < parsed.length; i++) {
                if (parsed[i] < min || parsed[i] > max) throw ErrnoException.of(Errno.EINVAL);
                next[i] = (int) parsed[i];
            }
            if (validate != null && !validate.test(next)) throw ErrnoException.of(Errno.EINVAL);
            v.set(n, next);
        }));
    }

    /** A single int root may set. */
    public static void intValue(String path, Function<Net, Integer> get, BiConsumer<Net, Integer> set, long min, long max) {
        intVec(path, new IntVec() {
            @Override
            public int[] get(Net net) {
                return new int[]{get.apply(net)};
            }

            @Override
            public void set(Net net, int[] v) {
                set.accept(net, v[0]);
            }
        }, min, max, null);
    }

    /**
     * __do_proc_dointvec's parser: numbers separated by blanks (tabs, spaces, newlines), each an
     * optional '-' and digits; anything else, a number too large, or more numbers than max is
     * EINVAL; no number at all is EINVAL.
     */
    static long[] parseInts(byte[] data, int max) {
        List<Long> out = new ArrayList<>();
        int i = 0, n = data.length;
        while (true) {
            while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n')) i++;
            if (i >= n || data[i] == 0) break;
            if (out.size() == max) throw ErrnoException.of(Errno.EINVAL);
            boolean neg = false;
            if (data[i] == '-') {
                neg = true;
                i++;
            }
            int start = i;
            long val = 0;
            while (i < n && data[i] >= '0' && data[i] <= '9') {
                val = val * 10 + (data[i] - '0');
                if (val > 0xffffffffL) throw ErrnoException.of(Errno.EINVAL);
                i++;
            }
            if (i == start) throw ErrnoException.of(Errno.EINVAL);
            if (i < n && data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != 0) throw ErrnoException.of(Errno.EINVAL);
            out.add(neg ? -val : val);
        }
        if (out.isEmpty()) throw ErrnoException.of(Errno.EINVAL);
        long[] r = new long[out.size()];
        for (int k = 0; k < r.length; k++) r[k] = out.get(k);
        return r;
    }
}
