package dev.kava.tools.rootfs;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds small .deb files in tests: ar(debian-binary, control.tar.xz, data.tar.{xz,gz,none}). */
final class TestDeb {
    private record Item(String name, byte kind, int mode, int uid, int gid, byte[] data, String link, int major, int minor) {}

    private final String pkg, version, arch;
    private final List<Item> items = new ArrayList<>();
    private String compression = "xz";
    private String extraControl = "";

    TestDeb(String pkg, String version, String arch) {
        this.pkg = pkg;
        this.version = version;
        this.arch = arch;
    }

    TestDeb compression(String c) {
        compression = c;
        return this;
    }

    TestDeb control(String fields) {
        extraControl = fields;
        return this;
    }

    TestDeb dir(String name, int mode) {
        items.add(new Item(name, TarConstants.LF_DIR, mode, 0, 0, null, null, 0, 0));
        return this;
    }

    TestDeb file(String name, int mode, String content) {
        return file(name, mode, 0, 0, content.getBytes(StandardCharsets.UTF_8));
    }

    TestDeb file(String name, int mode, int uid, int gid, byte[] content) {
        items.add(new Item(name, TarConstants.LF_NORMAL, mode, uid, gid, content, null, 0, 0));
        return this;
    }

    TestDeb symlink(String name, String target) {
        items.add(new Item(name, TarConstants.LF_SYMLINK, 0777, 0, 0, null, target, 0, 0));
        return this;
    }

    TestDeb hardlink(String name, String target) {
        items.add(new Item(name, TarConstants.LF_LINK, 0644, 0, 0, null, target, 0, 0));
        return this;
    }

    TestDeb chardev(String name, int mode, int major, int minor) {
        items.add(new Item(name, TarConstants.LF_CHR, mode, 0, 0, null, null, major, minor));
        return this;
    }

    String control() {
        return "Package: " + pkg + "\nVersion: " + version + "\nArchitecture: " + arch
                + "\nMaintainer: kava tests <tests@kava.invalid>\nDescription: test package " + pkg + "\n" + extraControl;
    }

    byte[] build() {
        try {
            byte[] controlTar = tar(List.of(
                    new Item("./", TarConstants.LF_DIR, 0755, 0, 0, null, null, 0, 0),
                    new Item("./control", TarConstants.LF_NORMAL, 0644, 0, 0, control().getBytes(StandardCharsets.UTF_8), null, 0, 0)));
            byte[] dataTar = tar(items);
            ByteArrayOutputStream deb = new ByteArrayOutputStream();
            try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
                member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
                member(ar, "control.tar.xz", xz(controlTar));
                switch (compression) {
                    case "xz" -> member(ar, "data.tar.xz", xz(dataTar));
                    case "gz" -> member(ar, "data.tar.gz", gz(dataTar));
                    case "zst" -> member(ar, "data.tar.zst", zst(dataTar));
                    case "none" -> member(ar, "data.tar", dataTar);
                    default -> throw new IllegalArgumentException(compression);
                }
            }
            return deb.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ArArchiveEntry e = new ArArchiveEntry(name, data.length, 0, 0, 0100644, 1_700_000_000L);
        ar.putArchiveEntry(e);
        ar.write(data);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(List<Item> items) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bo, StandardCharsets.UTF_8.name())) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (Item it : items) {
                TarArchiveEntry e = new TarArchiveEntry(it.name(), it.kind(), false);
                e.setMode(it.mode());
                e.setUserId(it.uid());
                e.setGroupId(it.gid());
                e.setModTime(1_700_000_000_000L);
                if (it.link() != null) e.setLinkName(it.link());
                if (it.kind() == TarConstants.LF_CHR) {
                    e.setDevMajor(it.major());
                    e.setDevMinor(it.minor());
                }
                if (it.data() != null) e.setSize(it.data().length);
                t.putArchiveEntry(e);
                if (it.data() != null) t.write(it.data());
                t.closeArchiveEntry();
            }
        }
        return bo.toByteArray();
    }

    static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new XZOutputStream(bo, new LZMA2Options(1))) {
            o.write(data);
        }
        return bo.toByteArray();
    }

    /** zstd: the host's zstd tool when there is one (an independent encoder), else aircompressor's. */
    static byte[] zst(byte[] data) throws IOException {
        for (String tool : new String[]{"/usr/bin/zstd", "/bin/zstd"}) {
            if (!new java.io.File(tool).canExecute()) continue;
            Process p = new ProcessBuilder(tool, "-q", "-c", "-19").start();
            try (OutputStream o = p.getOutputStream()) {
                o.write(data);
            }
            byte[] out = p.getInputStream().readAllBytes();
            try {
                if (p.waitFor() == 0) return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new io.airlift.compress.zstd.ZstdOutputStream(bo)) {
            o.write(data);
        }
        return bo.toByteArray();
    }

    static byte[] gz(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GzipCompressorOutputStream(bo)) {
            o.write(data);
        }
        return bo.toByteArray();
    }
}
