package dev.kava.tools.rootfs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the packages of a root filesystem: the requested ones and, transitively, what their
 * Pre-Depends and Depends need. Nothing else: no Priority: required set, no Recommends.
 *
 * <p>Rules (dpkg's and apt's, for a single-architecture root):
 * <ul>
 *   <li>one version per package name, the newest that satisfies the relation;
 *   <li>a relation is satisfied by a package of that name whose version fits, or by a package
 *       that Provides the name: unversioned Provides satisfy only unversioned relations,
 *       versioned ones ({@code Provides: foo (= 1.2)}) are compared like real versions;
 *   <li>architecture qualifiers follow dpkg's {@code deparchsatisfied}: every candidate is of the
 *       root's architecture or "all", so an unqualified relation and {@code :native} (or the
 *       root's own architecture) always match, {@code :any} needs a {@code Multi-Arch: allowed}
 *       package, and another architecture never matches. {@code Multi-Arch: foreign} and
 *       {@code same} need nothing more here, since there is no second architecture;
 *   <li>alternatives ({@code a | b}) are decided after every plain relation is in, so that an
 *       alternative already selected for another reason wins; otherwise the first alternative
 *       that has a candidate is taken;
 *   <li>among several providers of a virtual name the one with the highest Priority, then the
 *       first by name, is taken.
 * </ul>
 * Every relation that cannot be satisfied is reported, with the chain of packages that led to it.
 */
public final class Resolver {
    private final PackageIndex index;
    private final String arch;

    /** The resolved set: packages in install order (dependencies first), and warnings. */
    public record Result(List<BinaryPackage> packages, Map<String, String> reasons, List<String> warnings) {}

    /** Thrown when some relation cannot be satisfied; the message lists every problem. */
    public static final class UnresolvableException extends RootfsException {
        public final List<String> problems;

        UnresolvableException(List<String> problems) {
            super("cannot resolve the package set:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }
    }

    private record Work(BinaryPackage from, List<Dependency> group) {}

    private final Map<String, BinaryPackage> selected = new LinkedHashMap<>();
    private final Map<String, String> reasons = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Deque<Work> plain = new ArrayDeque<>();
    private final Deque<Work> alternatives = new ArrayDeque<>();

    public Resolver(PackageIndex index) {
        this.index = index;
        this.arch = index.arch();
    }

    /** Resolves {@code requested}: package names, optionally {@code name=version}. */
    public Result resolve(List<String> requested) {
        for (String r : requested) {
            String name = r.strip(), version = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                version = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            requestOne(name, version);
        }
        while (!plain.isEmpty() || !alternatives.isEmpty()) {
            Work w = !plain.isEmpty() ? plain.poll() : alternatives.poll();
            satisfy(w);
        }
        if (!problems.isEmpty()) throw new UnresolvableException(problems);
        return new Result(installOrder(), Map.copyOf(reasons), conflictWarnings());
    }

    private void requestOne(String name, String version) {
        List<BinaryPackage> real = index.versions(name);
        if (real.isEmpty()) {
            List<PackageIndex.Provider> provs = index.providers(name);
            if (provs.isEmpty()) {
                problems.add("package " + name + " is not in the archive for " + arch);
            } else if (provs.size() == 1 && version == null) {
                select(provs.get(0).pkg(), "requested (as a provider of " + name + ")", null);
            } else {
                problems.add(name + " is a virtual package provided by " + String.join(", ",
                        provs.stream().map(p -> p.pkg().name()).distinct().sorted().toList()) + ": request one of them");
            }
            return;
        }
        BinaryPackage pick = real.get(0);
        if (version != null) {
            DebianVersion want = DebianVersion.parseLenient(version);
            pick = real.stream().filter(p -> p.version().compareTo(want) == 0).findFirst().orElse(null);
            if (pick == null) {
                problems.add("package " + name + " has no version " + version + " (the archive has "
                        + String.join(", ", real.stream().map(p -> p.version().toString()).toList()) + ")");
                return;
            }
        }
        BinaryPackage already = selected.get(name);
        if (already != null && !already.version().equals(pick.version())) {
            problems.add("package " + name + " is requested in two versions");
            return;
        }
        select(pick, "requested", null);
    }

    private void select(BinaryPackage p, String reason, BinaryPackage from) {
        if (selected.containsKey(p.name())) return;
        selected.put(p.name(), p);
        reasons.put(p.name(), reason);
        for (List<Dependency> group : p.allDepends()) {
            (group.size() == 1 ? plain : alternatives).add(new Work(p, group));
        }
    }

    private void satisfy(Work w) {
        for (Dependency d : w.group) {
            if (satisfiedBySelection(d)) return;
        }
        List<String> why = new ArrayList<>();
        for (Dependency d : w.group) {
            BinaryPackage c = candidate(d, why);
            if (c != null) {
                select(c, "needed by " + w.from.name() + " (" + Dependency.format(w.group) + ")", w.from);
                return;
            }
        }
        problems.add(chain(w.from) + " depends on " + Dependency.format(w.group) + ", which cannot be satisfied: " + String.join("; ", why));
    }

    private String chain(BinaryPackage p) {
        StringBuilder sb = new StringBuilder(p.id());
        Set<String> seen = new HashSet<>();
        String name = p.name();
        while (seen.add(name)) {
            String r = reasons.get(name);
            if (r == null || !r.startsWith("needed by ")) break;
            String parent = r.substring("needed by ".length(), r.indexOf(' ', "needed by ".length()));
            sb.append(" <- ").append(parent);
            name = parent;
        }
        return sb.toString();
    }

    /** Whether a selected package satisfies d (by name or Provides). */
    private boolean satisfiedBySelection(Dependency d) {
        BinaryPackage s = selected.get(d.name());
        if (s != null && archOk(d, s) && d.versionSatisfiedBy(s.version())) return true;
        for (PackageIndex.Provider pv : index.providers(d.name())) {
            BinaryPackage sp = selected.get(pv.pkg().name());
            if (sp == pv.pkg() && provideSatisfies(d, pv)) return true;
        }
        return false;
    }

    /** The package to select for d, or null (with the reason added to why). */
    private BinaryPackage candidate(Dependency d, List<String> why) {
        if (d.archQualifier() != null && !d.archQualifier().equals("any") && !d.archQualifier().equals("native")
                && !d.archQualifier().equals(arch)) {
            why.add(d + ": only " + arch + " packages are in this root");
            return null;
        }
        List<BinaryPackage> real = index.versions(d.name());
        BinaryPackage sel = selected.get(d.name());
        if (sel != null) {
            why.add(d + ": " + sel.id() + " is already selected");
        } else {
            for (BinaryPackage p : real) {
                if (archOk(d, p) && d.versionSatisfiedBy(p.version())) return p;
            }
            if (!real.isEmpty()) {
                why.add(d + ": the archive has " + String.join(", ", real.stream().map(p -> p.version()
                        + (archOk(d, p) ? "" : " (Multi-Arch: " + p.multiArch() + ", not allowed)")).toList()));
            }
        }
        List<PackageIndex.Provider> provs = new ArrayList<>(index.providers(d.name()));
        provs.removeIf(pv -> selected.containsKey(pv.pkg().name()) || !provideSatisfies(d, pv));
        provs.sort(Comparator.comparingInt((PackageIndex.Provider pv) -> pv.pkg().priorityRank())
                .thenComparing(pv -> pv.pkg().name()).thenComparing(pv -> pv.pkg().version(), Comparator.reverseOrder()));
        if (!provs.isEmpty()) return provs.get(0).pkg();
        if (real.isEmpty() && sel == null) {
            if (index.providers(d.name()).isEmpty()) why.add(d.name() + " is not in the archive");
            else why.add(d + ": no provider fits (" + String.join(", ", index.providers(d.name()).stream()
                    .map(pv -> pv.pkg().name() + " provides " + pv.provide()).toList()) + ")");
        }
        return null;
    }

    /** dpkg's deparchsatisfied for a root of one architecture. */
    private boolean archOk(Dependency d, BinaryPackage p) {
        String q = d.archQualifier();
        if (q == null || q.equals("native") || q.equals(arch)) return true;
        if (q.equals("any")) return p.multiArch().equals("allowed");
        return false;
    }

    private boolean provideSatisfies(Dependency d, PackageIndex.Provider pv) {
        if (!archOk(d, pv.pkg())) return false;
        if (d.relation() == null) return true;
        Dependency prov = pv.provide();
        // Only "Provides: name (= version)" can satisfy a versioned relation.
        return prov.relation() == Dependency.Relation.EQ && d.relation().holds(prov.version(), d.version());
    }

    /** Dependencies before dependants (Pre-Depends and Depends), cycles broken arbitrarily. */
    private List<BinaryPackage> installOrder() {
        List<BinaryPackage> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> active = new HashSet<>();
        for (BinaryPackage p : selected.values()) visit(p, done, active, out);
        return out;
    }

    private void visit(BinaryPackage p, Set<String> done, Set<String> active, List<BinaryPackage> out) {
        if (done.contains(p.name()) || !active.add(p.name())) return;
        for (List<Dependency> group : p.allDepends()) {
            for (Dependency d : group) {
                BinaryPackage t = satisfierInSelection(d);
                if (t != null) {
                    visit(t, done, active, out);
                    break;
                }
            }
        }
        active.remove(p.name());
        done.add(p.name());
        out.add(p);
    }

    private BinaryPackage satisfierInSelection(Dependency d) {
        BinaryPackage s = selected.get(d.name());
        if (s != null && archOk(d, s) && d.versionSatisfiedBy(s.version())) return s;
        for (PackageIndex.Provider pv : index.providers(d.name())) {
            if (selected.get(pv.pkg().name()) == pv.pkg() && provideSatisfies(d, pv)) return pv.pkg();
        }
        return null;
    }

    private List<String> conflictWarnings() {
        List<String> w = new ArrayList<>();
        for (BinaryPackage p : selected.values()) {
            for (List<Dependency> group : p.conflicts()) {
                for (Dependency d : group) {
                    BinaryPackage s = selected.get(d.name());
                    if (s != null && s != p && d.versionSatisfiedBy(s.version())) {
                        w.add(p.id() + " conflicts with (or breaks) " + s.id() + " (" + d + "); both are unpacked, the later one's files win");
                    }
                }
            }
        }
        return w;
    }
}
