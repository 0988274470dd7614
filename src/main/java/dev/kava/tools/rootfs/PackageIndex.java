package dev.kava.tools.rootfs;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packages of one architecture from a Packages index (plus those of architecture "all"),
 * by name and by the virtual names they provide.
 */
public final class PackageIndex {
    /** A package providing a virtual name, with the version it provides (null: unversioned). */
    public record Provider(BinaryPackage pkg, Dependency provide) {}

    private final String arch;
    private final Map<String, List<BinaryPackage>> byName = new HashMap<>();
    private final Map<String, List<Provider>> providers = new HashMap<>();
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

    public static PackageIndex parse(Reader packages, String arch) {
        PackageIndex idx = new PackageIndex(arch);
        Deb822.parse(packages, p -> {
            String a = p.get("Architecture", "");
            if (a.equals(arch) || a.equals("all")) idx.add(BinaryPackage.from(p, arch));
        });
        return idx;
    }

    public void add(BinaryPackage p) {
        byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        for (Dependency prov : p.provides()) {
            providers.computeIfAbsent(prov.name(), k -> new ArrayList<>()).add(new Provider(p, prov));
        }
        count++;
    }

    /** Every version of a real package, newest first. */
    public List<BinaryPackage> versions(String name) {
        List<BinaryPackage> l = new ArrayList<>(byName.getOrDefault(name, List.of()));
        l.sort(Comparator.comparing(BinaryPackage::version).reversed());
        return l;
    }

    /** The packages that provide {@code name}. */
    public List<Provider> providers(String name) {
        return providers.getOrDefault(name, List.of());
    }

    public boolean isKnown(String name) {
        return byName.containsKey(name) || providers.containsKey(name);
    }

    /** The number of packages indexed. */
    public int size() {
        return count;
    }
}
