package dev.kava.tools.rootfs;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signed part of a suite's InRelease file: what the archive says about the suite, and the
 * SHA256 and size of every index file under {@code dists/SUITE/}.
 */
public record ReleaseFile(String origin, String suite, String codename, String version, Instant date, Instant validUntil,
                          List<String> architectures, List<String> components, boolean acquireByHash,
                          Map<String, IndexEntry> sha256) {

    /** One line of the SHA256 field: an index file, relative to dists/SUITE/. */
    public record IndexEntry(String path, long size, String sha256) {}

    public static ReleaseFile parse(String signedText) {
        List<Deb822.Paragraph> ps = Deb822.parse(signedText);
        if (ps.size() != 1) throw new IllegalArgumentException("a Release file has one paragraph, this one has " + ps.size());
        Deb822.Paragraph p = ps.get(0);
        String dateField = p.get("Date");
        if (dateField == null) throw new IllegalArgumentException("the Release file has no Date field");
        Instant date = parseDate(dateField);
        String vu = p.get("Valid-Until");
        Instant validUntil = vu == null ? null : parseDate(vu);
        Map<String, IndexEntry> files = new LinkedHashMap<>();
        String sums = p.get("SHA256");
        if (sums == null) throw new IllegalArgumentException("the Release file has no SHA256 field");
        for (String line : sums.split("\n")) {
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            if (f.length != 3 || !f[0].matches("[0-9a-fA-F]{64}")) throw new IllegalArgumentException("bad SHA256 line in Release file: " + line);
            files.put(f[2], new IndexEntry(f[2], Long.parseLong(f[1]), f[0].toLowerCase(Locale.ROOT)));
        }
        return new ReleaseFile(p.get("Origin", ""), p.get("Suite", ""), p.get("Codename", ""), p.get("Version", ""), date, validUntil,
                words(p.get("Architectures", "")), words(p.get("Components", "")),
                "yes".equalsIgnoreCase(p.get("Acquire-By-Hash", "no")), Collections.unmodifiableMap(files));
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.strip().split("\\s+"));
    }

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

    /**
     * Parses a Release date ("Sat, 21 Nov 2026 09:15:44 UTC"): RFC 1123 with the zone written
     * UTC, GMT, Z or a numeric offset, as apt accepts them.
     */
    static Instant parseDate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        if (t.endsWith(" UTC") || t.endsWith(" Z")) t = t.substring(0, t.lastIndexOf(' ')) + " GMT";
        try {
            return ZonedDateTime.parse(t, RFC_1123).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad date in Release file: " + s);
        }
    }

    /** Whether this is the suite asked for, by codename (trixie) or by suite name (stable). */
    public boolean isSuite(String name) {
        return name.equals(codename) || name.equals(suite);
    }
}
