package dev.kava.tools.rootfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Debian's control-file syntax (deb822, as in Packages, Release and *.sources files):
 * paragraphs separated by blank lines, each a list of {@code Field: value} lines; a line that
 * starts with a space or tab continues the previous field. Field names are case-insensitive.
 * Lines starting with {@code #} are comments (allowed in apt's .sources files; Packages and
 * Release files have none).
 */
public final class Deb822 {
    private Deb822() {}

    /** One paragraph: field name (any case) to value. Multi-line values keep their line breaks. */
    public record Paragraph(Map<String, String> fields) {
        public String get(String name) {
            return fields.get(name);
        }

        public String get(String name, String def) {
            String v = fields.get(name);
            return v == null ? def : v;
        }
    }

    /** Parses every paragraph of a string. */
    public static List<Paragraph> parse(String text) {
        List<Paragraph> out = new ArrayList<>();
        parse(new StringReader(text), out::add);
        return out;
    }

    /** Streams the paragraphs of a reader to {@code sink}, one at a time. */
    public static void parse(Reader reader, Consumer<Paragraph> sink) {
        try {
            BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
            TreeMap<String, String> fields = null;
            String name = null;
            StringBuilder value = null;
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith("#")) continue;
                if (line.isBlank()) {
                    if (fields != null) {
                        fields.put(name, value.toString());
                        sink.accept(new Paragraph(Collections.unmodifiableMap(fields)));
                    }
                    fields = null;
                    continue;
                }
                char c0 = line.charAt(0);
                if (c0 == ' ' || c0 == '\t') {
                    if (fields == null) throw new IllegalArgumentException("line " + lineNo + ": continuation line outside a field");
                    String cont = line.strip();
                    value.append('\n').append(cont.equals(".") ? "" : cont);
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("line " + lineNo + ": not a field: " + abbreviate(line));
                if (fields == null) {
                    fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                } else {
                    fields.put(name, value.toString());
                }
                name = line.substring(0, colon);
                value = new StringBuilder(line.substring(colon + 1).strip());
            }
            if (fields != null) {
                fields.put(name, value.toString());
                sink.accept(new Paragraph(Collections.unmodifiableMap(fields)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
