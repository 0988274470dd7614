package dev.kava.tools.rootfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The packages of one architecture from a Packages index (plus those of architecture "all"),
 * by name and by the virtual names they provide.
 *
 * <p>A Packages file for a whole suite has some 66,000 entries (54 MB), of which a root
 * filesystem needs a few dozen: entries are kept as the few raw fields the builder reads, and
 * turned into {@link BinaryPackage}s (relationship fields parsed) only when looked up. Provides
 * is parsed up front, since virtual names must be findable.
 */
public final class PackageIndex {
    /** A package providing a virtual name, with the version it provides (null: unversioned). */
    public record Provider(BinaryPackage pkg, Dependency provide) {}

    /** The fields kept from each entry (lower case); the rest (Description, Tag, ...) is skipped while reading. */
    private static final Set<String> FIELDS = Set.of("package", "version", "architecture", "multi-arch", "priority", "essential",
            "pre-depends", "depends", "provides", "conflicts", "breaks", "filename", "size", "sha256");

    private record RawProvider(String pkgName, int slot, Dependency provide) {}

    private final String arch;
    private final Map<String, List<Map<String, String>>> raw = new HashMap<>();
    private final Map<String, List<BinaryPackage>> built = new HashMap<>();
    private final Map<String, List<RawProvider>> providers = new HashMap<>();
    private int count;

    public PackageIndex(String arch) {
        this.arch = arch;
    }

    public String arch() {
        return arch;
    }

    /** Parses a Packages file (already decompressed). */
    public static PackageIndex parse(InputStream packages, String arch) {
        return parse(new InputStreamReader(packages, StandardCharsets.UTF_8), arch);
    }

    public static PackageIndex parse(String packages, String arch) {
        return parse(new StringReader(packages), arch);
    }

    /**
     * Reads the deb822 paragraphs of a Packages file, keeping the fields the builder needs;
     * the syntax is that of {@link Deb822}.
     */
    public static PackageIndex parse(Reader packages, String arch) {
        PackageIndex idx = new PackageIndex(arch);
        try {
            BufferedReader r = new BufferedReader(packages, 1 << 16);
            Map<String, String> fields = null;
            String name = null;
            StringBuilder value = null;   // the current kept field's value; null while skipping a field
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty() || line.isBlank()) {
                    if (fields != null) {
                        if (value != null) fields.put(name, value.toString());
                        idx.addRaw(fields);
                    }
                    fields = null;
                    value = null;
                    continue;
                }
                char c0 = line.charAt(0);
                if (c0 == ' ' || c0 == '\t') {
                    if (fields == null) throw new IllegalArgumentException("line " + lineNo + ": continuation line outside a field");
                    if (value != null) value.append('\n').append(line.strip());
                    continue;
                }
                if (c0 == '#') continue;
                int colon = line.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("line " + lineNo + ": not a field: " + line);
                if (fields == null) fields = new HashMap<>(24);
                else if (value != null) fields.put(name, value.toString());
                name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                value = FIELDS.contains(name) ? new StringBuilder(line.substring(colon + 1).strip()) : null;
            }
            if (fields != null) {
                if (value != null) fields.put(name, value.toString());
                idx.addRaw(fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return idx;
    }

    private void addRaw(Map<String, String> f) {
        String a = f.getOrDefault("architecture", "");
        if (!a.equals(arch) && !a.equals("all")) return;
        String name = f.get("package");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a Packages entry has no Package field: " + f);
        name = name.strip();
        List<Map<String, String>> l = raw.computeIfAbsent(name, k -> new ArrayList<>(1));
        l.add(f);
        String prov = f.get("provides");
        if (prov != null) {
            for (List<Dependency> g : Dependency.parseField(prov, arch)) {
                providers.computeIfAbsent(g.get(0).name(), k -> new ArrayList<>()).add(new RawProvider(name, l.size() - 1, g.get(0)));
            }
        }
        count++;
    }

    /** Adds an already-built package. */
    public void add(BinaryPackage p) {
        List<BinaryPackage> b = builtFor(p.name());
        List<Map<String, String>> l = raw.computeIfAbsent(p.name(), k -> new ArrayList<>(1));
        l.add(Map.of());
        b.add(p);
        for (Dependency prov : p.provides()) {
            providers.computeIfAbsent(prov.name(), k -> new ArrayList<>()).add(new RawProvider(p.name(), l.size() - 1, prov));
        }
        count++;
    }

    /** The packages of one name, in index order, built on first use. */
    private List<BinaryPackage> builtFor(String name) {
        List<BinaryPackage> b = built.get(name);
        if (b != null) return b;
        b = new ArrayList<>();
        for (Map<String, String> f : raw.getOrDefault(name, List.of())) {
            Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ci.putAll(f);
            b.add(BinaryPackage.from(new Deb822.Paragraph(ci), arch));
        }
        built.put(name, b);
        return b;
    }

    /** Every version of a real package, newest first. */
    public List<BinaryPackage> versions(String name) {
        if (!raw.containsKey(name)) return List.of();
        List<BinaryPackage> l = new ArrayList<>(builtFor(name));
        l.sort(Comparator.comparing(BinaryPackage::version).reversed());
        return l;
    }

    /** The packages that provide {@code name}. */
    public List<Provider> providers(String name) {
        List<RawProvider> rp = providers.get(name);
        if (rp == null) return List.of();
        List<Provider> out = new ArrayList<>(rp.size());
        for (RawProvider p : rp) out.add(new Provider(builtFor(p.pkgName()).get(p.slot()), p.provide()));
        return Collections.unmodifiableList(out);
    }

    public boolean isKnown(String name) {
        return raw.containsKey(name) || providers.containsKey(name);
    }

    /** The number of packages indexed. */
    public int size() {
        return count;
    }
}
