package dev.kava.tools.rootfs;

import java.util.List;
import java.util.Locale;

/**
 * One binary package of a Packages index: what the resolver and the downloader need of it.
 *
 * @param multiArch "no" (the default), "same", "foreign" or "allowed"
 * @param filename  the .deb's path relative to the archive root (pool/main/...)
 */
public record BinaryPackage(String name, DebianVersion version, String architecture, String multiArch, String priority,
                            boolean essential, List<List<Dependency>> preDepends, List<List<Dependency>> depends,
                            List<Dependency> provides, List<List<Dependency>> conflicts, String filename, long size,
                            String sha256) {

    /** Builds a package from its Packages paragraph; {@code arch} evaluates architecture restrictions. */
    public static BinaryPackage from(Deb822.Paragraph p, String arch) {
        String name = require(p, "Package");
        String version = require(p, "Version");
        List<Dependency> provides = Dependency.parseField(p.get("Provides"), arch).stream()
                .map(g -> g.get(0)).toList();
        List<List<Dependency>> conflicts = new java.util.ArrayList<>(Dependency.parseField(p.get("Conflicts"), arch));
        conflicts.addAll(Dependency.parseField(p.get("Breaks"), arch));
        String sha = p.get("SHA256");
        return new BinaryPackage(name, DebianVersion.parseLenient(version), p.get("Architecture", ""),
                p.get("Multi-Arch", "no").toLowerCase(Locale.ROOT), p.get("Priority", "optional").toLowerCase(Locale.ROOT),
                "yes".equalsIgnoreCase(p.get("Essential", "no")),
                Dependency.parseField(p.get("Pre-Depends"), arch), Dependency.parseField(p.get("Depends"), arch),
                provides, List.copyOf(conflicts), p.get("Filename"),
                p.get("Size") == null ? -1 : Long.parseLong(p.get("Size").strip()),
                sha == null ? null : sha.strip().toLowerCase(Locale.ROOT));
    }

    private static String require(Deb822.Paragraph p, String field) {
        String v = p.get(field);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("a Packages entry has no " + field + " field: " + p.fields());
        return v.strip();
    }

    /** Pre-Depends then Depends. */
    public List<List<Dependency>> allDepends() {
        if (preDepends.isEmpty()) return depends;
        java.util.ArrayList<List<Dependency>> all = new java.util.ArrayList<>(preDepends);
        all.addAll(depends);
        return all;
    }

    /** The rank of the Priority field: required first. */
    public int priorityRank() {
        return switch (priority) {
            case "required" -> 0;
            case "important" -> 1;
            case "standard" -> 2;
            case "optional" -> 3;
            case "extra" -> 4;
            default -> 5;
        };
    }

    /** "name version", as apt prints it. */
    public String id() {
        return name + " " + version;
    }

    @Override
    public String toString() {
        return name + "_" + version + "_" + architecture;
    }
}
