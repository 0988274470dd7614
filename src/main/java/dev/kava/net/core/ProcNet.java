package dev.kava.net.core;

import dev.kava.kernel.Task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of /proc/net (proc_create_net): each a name and a show method that renders the
 * namespace's state as text for the reader. procfs lists what is registered here; a protocol
 * adds its table with one {@link #register} call ("tcp", "tcp6" for TCP).
 */
public final class ProcNet {
    private ProcNet() {}

    /** seq_file show of a whole /proc/net file. */
    @FunctionalInterface
    public interface Show {
        String show(Net net, Task reader);
    }

    private static final Map<String, Show> FILES = new LinkedHashMap<>();

    public static synchronized void register(String name, Show show) {
        FILES.put(name, show);
    }

    /** The files registered, in order; the built-in ones are registered first. */
    public static synchronized Map<String, Show> files() {
        NetSysctls.init();
        return Collections.unmodifiableMap(new LinkedHashMap<>(FILES));
    }

    /** seq_setwidth + seq_pad: a line padded with spaces to width-1 characters, then a newline (the fixed-width /proc/net tables). */
    public static void padLine(StringBuilder sb, int lineStart, int width) {
        int len = sb.length() - lineStart;
        for (int i = len; i < width - 1; i++) sb.append(' ');
        sb.append('\n');
    }
}
