package dev.kava.tools.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The applets of a busybox binary and where {@code busybox --install -s} links each one, read
 * from the binary itself (the host cannot run a riscv64 busybox to ask it).
 *
 * <p>busybox's build generates two tables (applets/applet_tables.c) that end up in .rodata:
 * {@code applet_names}, every applet name NUL-terminated in strcmp order (it starts with
 * {@code "[\0[[\0"} in Debian's builds), and, with FEATURE_INSTALLER, {@code applet_install_loc},
 * one nibble per applet (even applets in the low nibble): 0 = /, 1 = /bin, 2 = /sbin,
 * 3 = /usr/bin, 4 = /usr/sbin. The names are found at their anchor and checked to be sorted;
 * the location table is found as the only run of ceil(n/2) bytes whose nibbles are all 1..4
 * (0 only for linuxrc, the one applet installed at /). Should that search fail, the directories
 * come from a list taken from Debian's busybox-static ({@code busybox-applets.txt}), and
 * /usr/bin for names it does not know.
 */
public final class BusyboxApplets {
    private static final String[] DIRS = {"/", "/bin", "/sbin", "/usr/bin", "/usr/sbin"};

    /** One applet and the directory busybox --install puts it in. */
    public record Applet(String name, String dir) {}

    /** The applets, and how their directories were found (for messages and tests). */
    public record Table(List<Applet> applets, boolean locationsFromBinary) {}

    private BusyboxApplets() {}

    /** Reads the applet table of a busybox binary; null if it holds no applet list. */
    public static Table read(byte[] bin) {
        List<String> names = names(bin);
        if (names == null) return null;
        int[] locs = locations(bin, names);
        List<Applet> out = new ArrayList<>();
        if (locs != null) {
            for (int i = 0; i < names.size(); i++) out.add(new Applet(names.get(i), DIRS[locs[i]]));
            return new Table(out, true);
        }
        Map<String, String> fallback = fallbackDirs();
        for (String n : names) out.add(new Applet(n, fallback.getOrDefault(n, "/usr/bin")));
        return new Table(out, false);
    }

    /** The applet names, or null. */
    static List<String> names(byte[] bin) {
        byte[] anchor = {'[', 0, '[', '[', 0};
        int at = indexOf(bin, anchor, 0);
        while (at >= 0) {
            List<String> names = namesAt(bin, at);
            if (names != null) return names;
            at = indexOf(bin, anchor, at + 1);
        }
        return null;
    }

    private static List<String> namesAt(byte[] bin, int at) {
        List<String> names = new ArrayList<>();
        int i = at;
        String prev = null;
        while (i < bin.length) {
            int end = i;
            while (end < bin.length && bin[end] != 0) end++;
            if (end == i || end == bin.length) break;
            String s = new String(bin, i, end - i, StandardCharsets.ISO_8859_1);
            if (!s.matches("[a-z0-9_.\\[\\]\\-]{1,32}")) break;
            if (prev != null && prev.compareTo(s) >= 0) break; // not sorted: the table has ended
            names.add(s);
            prev = s;
            i = end + 1;
        }
        return names.size() >= 10 ? names : null;
    }

    /** The install-location nibble of each applet, or null if the table is not found exactly once. */
    static int[] locations(byte[] bin, List<String> names) {
        int n = names.size(), len = (n + 1) / 2;
        int found = -1;
        for (int s = 0; s + len <= bin.length; s++) {
            if (fits(bin, s, names)) {
                if (found >= 0) return null; // ambiguous
                found = s;
            }
        }
        if (found < 0) return null;
        int[] locs = new int[n];
        for (int k = 0; k < n; k++) {
            int b = bin[found + k / 2] & 0xff;
            locs[k] = (k % 2 == 0) ? b & 15 : b >> 4;
        }
        return locs;
    }

    private static boolean fits(byte[] bin, int s, List<String> names) {
        int n = names.size();
        for (int k = 0; k < n; k++) {
            int b = bin[s + k / 2] & 0xff;
            int v = (k % 2 == 0) ? b & 15 : b >> 4;
            boolean ok = (v >= 1 && v <= 4) || (v == 0 && names.get(k).equals("linuxrc"));
            if (!ok) return false;
        }
        return n % 2 == 0 || (bin[s + n / 2] & 0xf0) == 0;
    }

    private static Map<String, String> fallbackDirs() {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = BusyboxApplets.class.getResourceAsStream("busybox-applets.txt")) {
            if (in == null) return m;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int slash = line.lastIndexOf('/');
                m.put(line.substring(slash + 1), slash < 0 ? "/" : "/" + line.substring(0, slash));
            }
        } catch (IOException e) {
            // No fallback: /usr/bin for every applet.
        }
        return m;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
