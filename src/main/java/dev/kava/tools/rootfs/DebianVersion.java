package dev.kava.tools.rootfs;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders
 * them (lib/dpkg/version.c: {@code parseversion}, {@code verrevcmp}, {@code dpkg_version_compare}).
 *
 * <p>Comparison: epochs numerically; then the upstream versions, then the revisions, each with
 * {@link #verrevcmp}: alternating runs of non-digits (compared character by character, letters
 * before non-letters, {@code ~} before everything, even the end of the string) and runs of digits
 * (compared numerically, leading zeros ignored).
 */
public record DebianVersion(long epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public DebianVersion {
        if (epoch < 0) throw new IllegalArgumentException("negative epoch");
        if (upstream == null || revision == null) throw new NullPointerException();
    }

    /**
     * Parses a version as dpkg's {@code parseversion} does and rejects what it rejects (errors
     * and warnings alike): empty versions, embedded spaces, bad epochs, an upstream version that
     * is empty or does not start with a digit, and characters outside the allowed sets.
     * Leading and trailing blanks are ignored.
     */
    public static DebianVersion parse(String s) {
        String v = s.strip();
        if (v.isEmpty()) throw new IllegalArgumentException("version string is empty");
        for (int i = 0; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i))) throw new IllegalArgumentException("version string has embedded spaces: " + s);
        }
        long epoch = 0;
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String e = v.substring(0, colon);
            if (e.isEmpty()) throw new IllegalArgumentException("epoch in version is empty: " + s);
            for (int i = 0; i < e.length(); i++) {
                if (!isDigit(e.charAt(i))) throw new IllegalArgumentException("epoch in version is not a number: " + s);
            }
            if (e.length() > 9 || Long.parseLong(e) > Integer.MAX_VALUE) throw new IllegalArgumentException("epoch in version is too big: " + s);
            epoch = Long.parseLong(e);
            v = v.substring(colon + 1);
            if (v.isEmpty()) throw new IllegalArgumentException("nothing after colon in version number: " + s);
        }
        String revision = "";
        int hyphen = v.lastIndexOf('-');
        if (hyphen >= 0) {
            revision = v.substring(hyphen + 1);
            v = v.substring(0, hyphen);
        }
        if (v.isEmpty()) throw new IllegalArgumentException("version number is empty: " + s);
        if (!isDigit(v.charAt(0))) throw new IllegalArgumentException("version number does not start with digit: " + s);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!isAlnum(c) && ".-+~:".indexOf(c) < 0) throw new IllegalArgumentException("invalid character in version number: " + s);
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!isAlnum(c) && ".+~".indexOf(c) < 0) throw new IllegalArgumentException("invalid character in revision number: " + s);
        }
        return new DebianVersion(epoch, v, revision);
    }

    /**
     * Splits a version without validating it (as {@code dpkg --compare-versions} does for the
     * comparison itself): a leading all-digit epoch before the first colon, the revision after
     * the last hyphen.
     */
    public static DebianVersion parseLenient(String s) {
        String v = s.strip();
        long epoch = 0;
        int colon = v.indexOf(':');
        if (colon > 0 && colon <= 9 && v.substring(0, colon).chars().allMatch(DebianVersion::isDigit)) {
            epoch = Long.parseLong(v.substring(0, colon));
            v = v.substring(colon + 1);
        }
        String revision = "";
        int hyphen = v.lastIndexOf('-');
        if (hyphen >= 0) {
            revision = v.substring(hyphen + 1);
            v = v.substring(0, hyphen);
        }
        return new DebianVersion(epoch, v, revision);
    }

    /** dpkg_version_compare: negative, zero or positive. */
    @Override
    public int compareTo(DebianVersion o) {
        if (epoch != o.epoch) return epoch < o.epoch ? -1 : 1;
        int rc = verrevcmp(upstream, o.upstream);
        if (rc != 0) return rc;
        return verrevcmp(revision, o.revision);
    }

    /** Compares two version strings (split leniently, as dpkg --compare-versions does). */
    public static int compare(String a, String b) {
        return parseLenient(a).compareTo(parseLenient(b));
    }

    /** The character order of dpkg's version.c {@code order()}. */
    private static int order(int c) {
        if (isDigit(c)) return 0;
        if (isAlpha(c)) return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }

    /** dpkg's {@code verrevcmp}, transcribed: the string's end reads as NUL. */
    static int verrevcmp(String a, String b) {
        int i = 0, j = 0;
        int la = a.length(), lb = b.length();
        while (i < la || j < lb) {
            int firstDiff = 0;
            while ((i < la && !isDigit(a.charAt(i))) || (j < lb && !isDigit(b.charAt(j)))) {
                int ac = order(i < la ? a.charAt(i) : 0);
                int bc = order(j < lb ? b.charAt(j) : 0);
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (i < la && a.charAt(i) == '0') i++;
            while (j < lb && b.charAt(j) == '0') j++;
            while (i < la && j < lb && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < la && isDigit(a.charAt(i))) return 1;
            if (j < lb && isDigit(b.charAt(j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || isAlpha(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebianVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        // Consistent with equals: versions equal under dpkg's order (1.0 and 1.00, "" and "0"
        // revisions) hash alike, so only the epoch is hashed.
        return Long.hashCode(epoch);
    }

    @Override
    public String toString() {
        return (epoch != 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
    }
}
