package dev.kava.tools.rootfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One alternative of a Debian relationship field (Depends, Pre-Depends, Provides, Conflicts):
 * {@code name[:archqual] [(op version)]}, as in Debian policy section 7.1.
 *
 * @param archQualifier null when the relation names no architecture, else "any", "native" or an
 *                      architecture name
 * @param relation      null for an unversioned relation
 */
public record Dependency(String name, String archQualifier, Relation relation, DebianVersion version) {

    /** The version relations of policy 7.1 ({@code <} and {@code >} are the deprecated forms of <= and >=). */
    public enum Relation {
        LT("<<"), LE("<="), EQ("="), GE(">="), GT(">>");

        public final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        static Relation parse(String s) {
            return switch (s) {
                case "<<" -> LT;
                case "<=", "<" -> LE;
                case "=" -> EQ;
                case ">=", ">" -> GE;
                case ">>" -> GT;
                default -> throw new IllegalArgumentException("unknown version relation " + s);
            };
        }

        /** Whether {@code have REL want} holds (dpkg_version_relate). */
        public boolean holds(DebianVersion have, DebianVersion want) {
            int c = have.compareTo(want);
            return switch (this) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case EQ -> c == 0;
                case GE -> c >= 0;
                case GT -> c > 0;
            };
        }
    }

    private static final Pattern ALT = Pattern.compile(
            "([a-z0-9][a-z0-9+.\\-]*)(?::([a-z0-9\\-]+))?\\s*(?:\\(\\s*(<<|<=|>=|>>|<|>|=)\\s*([^)\\s<>=]+)\\s*\\))?\\s*(?:\\[([^\\]]*)\\])?\\s*(?:<.*>)?");

    /** Whether this relation's version part is satisfied by {@code v} (true when unversioned). */
    public boolean versionSatisfiedBy(DebianVersion v) {
        return relation == null || (v != null && relation.holds(v, version));
    }

    /**
     * Parses a relationship field into its AND-list of OR-groups. Alternatives with an
     * architecture restriction list ({@code [amd64 !i386]}, only seen in source packages) that
     * excludes {@code arch} are dropped; build profiles ({@code <!nocheck>}) are ignored.
     */
    public static List<List<Dependency>> parseField(String field, String arch) {
        List<List<Dependency>> out = new ArrayList<>();
        if (field == null || field.isBlank()) return out;
        for (String group : field.split(",")) {
            if (group.isBlank()) continue;
            List<Dependency> alts = new ArrayList<>();
            for (String alt : group.split("\\|")) {
                Dependency d = parseOne(alt.strip(), arch, field);
                if (d != null) alts.add(d);
            }
            if (!alts.isEmpty()) out.add(List.copyOf(alts));
        }
        return out;
    }

    /** Parses one relation, e.g. {@code "libc6 (>= 2.38)"}; null if an architecture restriction excludes it. */
    public static Dependency parseOne(String s, String arch, String context) {
        Matcher m = ALT.matcher(s.strip());
        if (!m.matches()) throw new IllegalArgumentException("cannot parse relation '" + s + "' in '" + context + "'");
        String restriction = m.group(5);
        if (restriction != null && arch != null && !archAllowed(restriction, arch)) return null;
        Relation rel = m.group(3) == null ? null : Relation.parse(m.group(3));
        DebianVersion v = m.group(4) == null ? null : DebianVersion.parseLenient(m.group(4));
        return new Dependency(m.group(1), m.group(2), rel, v);
    }

    private static boolean archAllowed(String restriction, String arch) {
        List<String> words = Arrays.stream(restriction.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) return true;
        boolean negated = words.get(0).startsWith("!");
        for (String w : words) {
            String a = w.startsWith("!") ? w.substring(1) : w;
            if (a.equals(arch) || a.equals("any") || a.equals("linux-any") || a.equals("any-" + arch)) return !negated;
        }
        return negated;
    }

    @Override
    public String toString() {
        return name + (archQualifier == null ? "" : ":" + archQualifier)
                + (relation == null ? "" : " (" + relation.symbol + " " + version + ")");
    }

    /** Formats an OR-group as it is written in a control file. */
    public static String format(List<Dependency> group) {
        return String.join(" | ", group.stream().map(Dependency::toString).toList());
    }
}
