package dev.kava.tools.rootfs;

import io.airlift.compress.zstd.ZstdInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Unpacks .deb files into a {@link StagingTree}, in pure Java: the ar archive
 * ({@code debian-binary}, {@code control.tar.*}, {@code data.tar.*}), each tar compressed with
 * xz, zstd, gzip, bzip2, lzma or nothing. Regular files, directories, symlinks and hard links are
 * created as packaged (with their modification times); device nodes and FIFOs become
 * placeholders. Owners and full modes go to the tree's {@link Manifest}.
 *
 * <p>Maintainer scripts (preinst, postinst, ...) are not run, and triggers and diversions are
 * not processed: the tree is exactly the packages' contents.
 */
public final class DebUnpacker {
    /** What one .deb held besides its files: its control paragraph and the paths it shipped. */
    public record Unpacked(String control, List<String> paths) {}

    private final StagingTree tree;
    private final Consumer<String> warn;

    public DebUnpacker(StagingTree tree, Consumer<String> warn) {
        this.tree = tree;
        this.warn = warn;
    }

    public Unpacked unpack(Path deb) {
        try (InputStream fin = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
            return unpack(fin, deb.getFileName().toString());
        } catch (IOException e) {
            throw new RootfsException("cannot unpack " + deb + ": " + e.getMessage(), e);
        }
    }

    public Unpacked unpack(InputStream debStream, String name) throws IOException {
        ArArchiveInputStream ar = new ArArchiveInputStream(debStream);
        ArArchiveEntry e;
        boolean sawVersion = false, sawData = false;
        String control = null;
        List<String> paths = new ArrayList<>();
        while ((e = ar.getNextEntry()) != null) {
            String member = e.getName();
            if (member.endsWith("/")) member = member.substring(0, member.length() - 1); // GNU ar's name terminator
            if (member.equals("debian-binary")) {
                String v = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (!v.startsWith("2.")) throw new RootfsException(name + ": unsupported .deb format version " + v);
                sawVersion = true;
            } else if (member.startsWith("control.tar")) {
                control = readControl(decompress(noClose(ar), member, name), name);
            } else if (member.startsWith("data.tar")) {
                if (!sawVersion) throw new RootfsException(name + ": not a Debian package (data before debian-binary)");
                extract(decompress(noClose(ar), member, name), name, paths);
                sawData = true;
            }
            // Other members (signatures, _gpg*) are not ours to read.
        }
        if (!sawVersion || !sawData) throw new RootfsException(name + ": not a Debian package (no debian-binary or data.tar member)");
        return new Unpacked(control, paths);
    }

    /** The member's stream, which the decompressor must not close (the ar stream goes on). */
    private static InputStream noClose(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    private static InputStream decompress(InputStream in, String member, String deb) throws IOException {
        String suffix = member.substring(member.indexOf(".tar") + 4);
        return switch (suffix) {
            case ".xz" -> new XZInputStream(in);
            // Debian's archive uses xz; zstd (Ubuntu's choice) goes through aircompressor's pure-Java
            // decoder, which on JDK 24+ prints the JVM's one-time sun.misc.Unsafe warning.
            case ".zst" -> new ZstdInputStream(in);
            case ".gz" -> new GzipCompressorInputStream(in);
            case ".bz2" -> new BZip2CompressorInputStream(in);
            case ".lzma" -> new LZMAInputStream(in);
            case "" -> in;
            default -> throw new RootfsException(deb + ": unsupported compression of " + member);
        };
    }

    private static String readControl(InputStream in, String deb) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            List<String> c = StagingTree.components(e.getName());
            if (c.size() == 1 && c.get(0).equals("control") && e.isFile()) {
                return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        throw new RootfsException(deb + ": control.tar has no control file");
    }

    private void extract(InputStream in, String deb, List<String> paths) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = e.getName();
            int mode = e.getMode() & 07777;
            int uid = (int) e.getLongUserId(), gid = (int) e.getLongGroupId();
            StagingTree.Resolved r;
            if (e.isDirectory()) {
                r = tree.directory(name, Manifest.Entry.dir(mode, uid, gid));
            } else if (e.isSymbolicLink()) {
                r = tree.symlink(name, e.getLinkName(), uid, gid);
            } else if (e.isLink()) {
                r = tree.hardlink(name, e.getLinkName());
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                Manifest.Type t = e.isCharacterDevice() ? Manifest.Type.CHAR : e.isBlockDevice() ? Manifest.Type.BLOCK : Manifest.Type.FIFO;
                r = tree.special(name, new Manifest.Entry(t, mode, uid, gid, null, e.getDevMajor(), e.getDevMinor(), null));
            } else if (e.isFile()) {
                StagingTree.Resolved existing = tree.resolve(name, false, true);
                if (Files.isDirectory(existing.host(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    warn.accept(deb + ": " + name + " is a directory in the tree already; the file is skipped");
                    continue;
                }
                r = tree.file(name, tar, Manifest.Entry.file(mode, uid, gid));
            } else {
                warn.accept(deb + ": skipping " + name + " of unsupported tar type '" + (char) e.getLinkFlag() + "'");
                continue;
            }
            if (!e.isSymbolicLink()) StagingTree.setMtime(r.host(), FileTime.from(e.getModTime().toInstant()));
            paths.add(r.guestPath());
        }
    }
}
