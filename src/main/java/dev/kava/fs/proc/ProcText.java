package dev.kava.fs.proc;

/** Small text helpers procfs shares (seq_escape, device numbers, bitmaps). */
final class ProcText {
    private ProcText() {}

    /** MAJOR and MINOR of a new-style dev_t (new_decode_dev, include/linux/kdev_t.h). */
    static int major(long dev) {
        return (int) ((dev & 0xfff00) >>> 8);
    }

    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
    }

    /** seq_escape / mangle: each character of esc becomes a backslash and three octal digits. */
    static String escape(String s, String esc) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (esc.indexOf(c) >= 0) {
                if (sb == null) sb = new StringBuilder(s.substring(0, i));
                sb.append('\\').append((char) ('0' + ((c >> 6) & 7))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** "%*pb": a bitmap of nbits in hex, in 32-bit groups separated by commas, most significant first. */
    static String bitmap(long bits, int nbits) {
        StringBuilder sb = new StringBuilder();
        int chunks = (nbits + 31) / 32;
        for (int c = chunks - 1; c >= 0; c--) {
            long word = c >= 2 ? 0 : (bits >>> (32 * c)) & 0xffffffffL;
            int width = c == chunks - 1 ? ((nbits - 32 * c) + 3) / 4 : 8;
            String h = Long.toHexString(word);
            for (int i = h.length(); i < width; i++) sb.append('0');
            sb.append(h);
            if (c > 0) sb.append(',');
        }
        return sb.toString();
    }

    /** "%*pbl": the set bits as ranges, "0-3,5". */
    static String bitmapList(long bits, int nbits) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < nbits) {
            if ((bits & (1L << i)) == 0) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < nbits && (bits & (1L << (j + 1))) != 0) j++;
            if (sb.length() > 0) sb.append(',');
            sb.append(i);
            if (j > i) sb.append('-').append(j);
            i = j + 1;
        }
        return sb.toString();
    }

    /** A 64-signal set as /proc/PID/status renders it (render_sigset_t): 16 hex digits, bit sig-1. */
    static String sigset(long mask) {
        String h = Long.toHexString(mask);
        return "0".repeat(16 - h.length()) + h;
    }

    /** nsec_to_clock_t: nanoseconds in USER_HZ (100) ticks. */
    static long clockT(long nanos) {
        return nanos / 10_000_000L;
    }
}
