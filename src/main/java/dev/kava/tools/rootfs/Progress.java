package dev.kava.tools.rootfs;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Download progress: on a terminal one bar redrawn in place (at most ten times a second),
 * otherwise one plain line per file, so that logs stay readable.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private long totalBytes, doneBytes;
    private int totalFiles, doneFiles;
    private String current = "";
    private long lastDraw;
    private boolean drawn;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether stderr is a terminal (System.console() says so for stdin and stdout, a fair proxy). */
    public static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Begins a batch of downloads. */
    public void begin(int files, long bytes) {
        totalFiles = files;
        totalBytes = bytes;
        doneFiles = 0;
        doneBytes = 0;
    }

    /** A file starts downloading. */
    public void file(String label, long size) {
        current = label;
        if (!terminal) {
            out.printf(Locale.ROOT, "get %d/%d %s (%s)%n", doneFiles + 1, totalFiles, label, human(size));
        } else {
            draw(true);
        }
    }

    /** Bytes of the current file arrived. */
    public void bytes(long n) {
        doneBytes += n;
        if (terminal) draw(false);
    }

    /** The current file is complete. */
    public void fileDone() {
        doneFiles++;
        if (terminal) draw(true);
    }

    /** The batch is complete: ends the bar's line. */
    public void end() {
        if (terminal && drawn) {
            draw(true);
            out.println();
            drawn = false;
        }
    }

    /** Prints a message line without breaking the bar. */
    public void message(String line) {
        if (terminal && drawn) {
            out.print("\r\033[K");
            drawn = false;
        }
        out.println(line);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        int width = 30;
        double frac = totalBytes > 0 ? Math.min(1.0, (double) doneBytes / totalBytes) : (totalFiles > 0 ? (double) doneFiles / totalFiles : 1);
        int fill = (int) Math.round(frac * width);
        String name = current.length() > 40 ? current.substring(0, 39) + "…" : current;
        out.print("\r\033[K[" + "#".repeat(fill) + " ".repeat(width - fill) + "] "
                + String.format(Locale.ROOT, "%3d%% %d/%d %s/%s %s", Math.round(frac * 100), doneFiles, totalFiles,
                human(doneBytes), human(totalBytes), name));
        out.flush();
        drawn = true;
    }

    /** 1536 -> "1.5 KiB". */
    public static String human(long bytes) {
        if (bytes < 0) return "?";
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
