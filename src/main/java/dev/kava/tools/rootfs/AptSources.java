package dev.kava.tools.rootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the Debian archive to download from. The order: {@code --mirror URL}, else the
 * environment variable {@code KAVA_DEBIAN_MIRROR}, else the first http(s) URI of the host's apt
 * sources whose path ends in {@code /debian} ({@code /etc/apt/sources.list} in the one-line
 * format, then {@code /etc/apt/sources.list.d/*.list} and {@code *.sources} (deb822) in name
 * order; disabled stanzas ({@code Enabled: no}) and commented lines are skipped).
 * kava names no archive host itself.
 */
public final class AptSources {
    private AptSources() {}

    public static final String ENV = "KAVA_DEBIAN_MIRROR";

    /**
     * The archive's base URL without a trailing slash.
     *
     * @throws RootfsException when none is configured anywhere
     */
    public static String findMirror(String option, Map<String, String> env, Path aptDir) {
        if (option != null && !option.isBlank()) return checkUrl(option.strip(), "--mirror");
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) return checkUrl(e.strip(), ENV);
        for (String uri : hostUris(aptDir)) {
            String u = trimSlash(uri);
            String lower = u.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("http://") || lower.startsWith("https://")) && lower.endsWith("/debian")) return u;
        }
        throw new RootfsException("no Debian archive configured: give --mirror URL or set " + ENV
                + " (none of the host's apt sources under " + aptDir + " is an http(s) URI ending in /debian)");
    }

    private static String checkUrl(String u, String where) {
        try {
            URI uri = new URI(u);
            String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(s.equals("http") || s.equals("https") || s.equals("file")) || (uri.getHost() == null && !s.equals("file"))) {
                throw new RootfsException(where + ": not an http(s) URL: " + u);
            }
        } catch (java.net.URISyntaxException ex) {
            throw new RootfsException(where + ": not a URL: " + u);
        }
        return trimSlash(u);
    }

    private static String trimSlash(String u) {
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }

    /** Every URI of the host's apt sources, in the order apt reads them. */
    public static List<String> hostUris(Path aptDir) {
        List<String> out = new ArrayList<>();
        try {
            Path main = aptDir.resolve("sources.list");
            if (Files.isRegularFile(main)) out.addAll(oneLineUris(Files.readString(main, StandardCharsets.UTF_8)));
            Path d = aptDir.resolve("sources.list.d");
            if (Files.isDirectory(d)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path p : ds) files.add(p);
                }
                files.sort(null);
                for (Path f : files) {
                    if (!Files.isRegularFile(f)) continue;
                    String n = f.getFileName().toString();
                    if (n.endsWith(".list")) out.addAll(oneLineUris(Files.readString(f, StandardCharsets.UTF_8)));
                    else if (n.endsWith(".sources")) out.addAll(deb822Uris(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** URIs of {@code deb} lines in the one-line format: {@code deb [options] URI suite components}. */
    static List<String> oneLineUris(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] w = line.strip().split("\\s+");
            if (w.length < 2 || !w[0].equals("deb")) continue;
            int i = 1;
            if (w[i].startsWith("[")) {
                while (i < w.length && !w[i].endsWith("]")) i++;
                i++;
            }
            if (i < w.length) out.add(w[i]);
        }
        return out;
    }

    /** URIs of enabled {@code Types: deb} stanzas of a deb822 .sources file. */
    static List<String> deb822Uris(String text) {
        List<String> out = new ArrayList<>();
        for (Deb822.Paragraph p : Deb822.parse(text)) {
            if ("no".equalsIgnoreCase(p.get("Enabled", "yes").strip())) continue;
            String types = p.get("Types", "");
            if (!List.of(types.strip().split("\\s+")).contains("deb")) continue;
            String uris = p.get("URIs", "");
            for (String u : uris.strip().split("\\s+")) if (!u.isEmpty()) out.add(u);
        }
        return out;
    }
}
