package dev.kava.kernel;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel log (Linux's printk ring buffer, reduced to a stream). Messages go to the stream
 * given at boot, or nowhere: kava's own stdout never carries them.
 */
public final class KernelLog {
    private final PrintStream out;
    private final Set<String> onceKeys = ConcurrentHashMap.newKeySet();

    /** @param out where messages go, or null to drop them */
    public KernelLog(PrintStream out) {
        this.out = out;
    }

    public boolean enabled() {
        return out != null;
    }

    public void info(String message) {
        if (out != null) {
            out.println("kava: " + message);
            out.flush();
        }
    }

    /** Logs a message only the first time its key is seen (printk_once). */
    public void once(String key, String message) {
        if (onceKeys.add(key)) info(message);
    }

    /** A kernel bug: an unexpected exception inside the kernel, logged with its stack. */
    public void oops(String message, Throwable t) {
        if (out == null) return;
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        info("oops: " + message + "\n" + sw);
    }
}
