package dev.kava.tools.rootfs;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the staged tree on disk cannot hold when it is built by an unprivileged user: the owner,
 * the full mode (setuid, setgid and sticky bits included) and the file type of every path, as
 * the packages' tar archives gave them (files kava adds are root's).
 *
 * <h2>Contract with the image writer</h2>
 * The tree on disk holds the contents: regular files (hard links share an inode), directories and
 * symlinks (targets as packaged, absolute ones meant inside the image). Its permission bits are
 * the packaged ones except that directories keep owner rwx and files owner r, so that the
 * builder and the image writer can manage and read them; setuid, setgid and sticky bits are
 * never set on disk.
 * For each path the manifest is the truth about type, mode, uid and gid. Device nodes and
 * FIFOs cannot be created unprivileged: on disk they are empty regular files, and the manifest
 * says {@code type=char}/{@code block}/{@code fifo} with the device numbers. A path the manifest
 * does not list belongs to root (0:0) with its mode on disk.
 *
 * <h2>File format</h2>
 * A subset of BSD mtree(5), one line per path, sorted:
 * <pre>
 * #mtree v2.0
 * ./usr/bin/busybox type=file mode=0755 uid=0 gid=0
 * ./usr/bin/sh type=link mode=0777 uid=0 gid=0 link=busybox
 * ./usr/bin/passwd type=file mode=4755 uid=0 gid=0
 * ./var/mail type=dir mode=2775 uid=0 gid=8
 * ./dev/console type=char mode=0600 uid=0 gid=0 device=linux,5,1
 * ./usr/bin/perl5.40.1 type=file mode=0755 uid=0 gid=0 hardlink=./usr/bin/perl
 * </pre>
 * Paths start with {@code ./} (the root itself is {@code .}); bytes outside printable ASCII,
 * space, {@code \} and {@code #} are written as {@code \ooo} (octal), as mtree does. Keywords:
 * {@code type} (file, dir, link, char, block, fifo), {@code mode} (octal, 4 digits),
 * {@code uid}, {@code gid}, {@code link} (symlink target), {@code device} (linux,major,minor) and
 * {@code hardlink} (kava's own: this regular file is a hard link to that earlier path).
 * Lines starting with {@code #} are comments.
 */
public final class Manifest {
    public enum Type {
        FILE("file"), DIR("dir"), SYMLINK("link"), CHAR("char"), BLOCK("block"), FIFO("fifo");

        public final String keyword;

        Type(String keyword) {
            this.keyword = keyword;
        }

        static Type of(String keyword) {
            for (Type t : values()) if (t.keyword.equals(keyword)) return t;
            throw new IllegalArgumentException("unknown type " + keyword);
        }
    }

    /** A path's owner. */
    public record Owner(int uid, int gid) {}

    /**
     * One path's metadata.
     *
     * @param mode       permission bits with setuid/setgid/sticky (07777), no type bits
     * @param linkTarget the symlink target (SYMLINK only)
     * @param hardlinkTo the guest path this regular file is a hard link of, or null
     */
    public record Entry(Type type, int mode, int uid, int gid, String linkTarget, int devMajor, int devMinor, String hardlinkTo) {
        public Entry {
            mode &= 07777;
        }

        public static Entry dir(int mode, int uid, int gid) {
            return new Entry(Type.DIR, mode, uid, gid, null, 0, 0, null);
        }

        public static Entry file(int mode, int uid, int gid) {
            return new Entry(Type.FILE, mode, uid, gid, null, 0, 0, null);
        }

        public static Entry symlink(String target, int uid, int gid) {
            return new Entry(Type.SYMLINK, 0777, uid, gid, target, 0, 0, null);
        }

        public Owner owner() {
            return new Owner(uid, gid);
        }
    }

    private final TreeMap<String, Entry> entries = new TreeMap<>();

    /** Path ("/usr/bin/busybox", "/" for the root) to metadata, sorted by path. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Path to owner, for writers that want only that. */
    public Map<String, Owner> owners() {
        Map<String, Owner> m = new LinkedHashMap<>();
        entries.forEach((p, e) -> m.put(p, e.owner()));
        return m;
    }

    public Entry get(String path) {
        return entries.get(path);
    }

    public void put(String path, Entry e) {
        entries.put(checkPath(path), e);
    }

    /** Removes a path and everything under it. */
    public void removeTree(String path) {
        entries.remove(path);
        String prefix = path.equals("/") ? "/" : path + "/";
        entries.subMap(prefix, prefix + Character.MAX_VALUE).clear();
    }

    private static String checkPath(String p) {
        if (!p.startsWith("/") || (p.length() > 1 && p.endsWith("/")) || p.contains("//")) throw new IllegalArgumentException("bad manifest path " + p);
        return p;
    }

    /** Writes the manifest in the format above. */
    public void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("#mtree v2.0\n");
            w.write("# kava rootfs manifest: type, mode, owner of every path of the tree (see dev.kava.tools.rootfs.Manifest)\n");
            for (Map.Entry<String, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                StringBuilder sb = new StringBuilder(escape(toMtreePath(me.getKey())));
                sb.append(" type=").append(e.type().keyword)
                        .append(" mode=").append(String.format(Locale.ROOT, "%04o", e.mode()))
                        .append(" uid=").append(e.uid()).append(" gid=").append(e.gid());
                if (e.type() == Type.SYMLINK) sb.append(" link=").append(escape(e.linkTarget()));
                if (e.type() == Type.CHAR || e.type() == Type.BLOCK) sb.append(" device=linux,").append(e.devMajor()).append(',').append(e.devMinor());
                if (e.hardlinkTo() != null) sb.append(" hardlink=").append(escape(toMtreePath(e.hardlinkTo())));
                w.write(sb.append('\n').toString());
            }
        }
    }

    /** Reads a manifest written by {@link #write}. */
    public static Manifest read(Path file) throws IOException {
        Manifest m = new Manifest();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.strip().split(" ");
            String path = fromMtreePath(unescape(f[0]));
            Type type = null;
            int mode = -1, uid = 0, gid = 0, major = 0, minor = 0;
            String link = null, hard = null;
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq < 0) throw new IOException(file + ":" + lineNo + ": bad keyword " + f[i]);
                String k = f[i].substring(0, eq), v = f[i].substring(eq + 1);
                switch (k) {
                    case "type" -> type = Type.of(v);
                    case "mode" -> mode = Integer.parseInt(v, 8);
                    case "uid" -> uid = Integer.parseInt(v);
                    case "gid" -> gid = Integer.parseInt(v);
                    case "link" -> link = unescape(v);
                    case "hardlink" -> hard = fromMtreePath(unescape(v));
                    case "device" -> {
                        String[] d = v.split(",");
                        major = Integer.parseInt(d[d.length - 2]);
                        minor = Integer.parseInt(d[d.length - 1]);
                    }
                    default -> { } // other mtree keywords: not ours
                }
            }
            if (type == null || mode < 0) throw new IOException(file + ":" + lineNo + ": type and mode are required");
            m.put(path, new Entry(type, mode, uid, gid, link, major, minor, hard));
        }
        return m;
    }

    private static String toMtreePath(String p) {
        return p.equals("/") ? "." : "." + p;
    }

    private static String fromMtreePath(String p) {
        if (p.equals(".")) return "/";
        if (!p.startsWith("./")) throw new IllegalArgumentException("bad mtree path " + p);
        return p.substring(1);
    }

    /** mtree's escaping: \ooo for bytes that are not printable ASCII, and for space, \ and #. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') sb.append(String.format(Locale.ROOT, "\\%03o", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }

    static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
