package dev.kava.tools.rootfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Packs a staged root filesystem tree into an image file; the EROFS writer
 * ({@code dev.kava.fs.erofs}) implements it for {@code kava rootfs build -o IMAGE}.
 *
 * <p>An implementation is found with {@link ServiceLoader}: it declares itself in
 * {@code META-INF/services/dev.kava.tools.rootfs.RootfsImageWriter} and has a public no-argument
 * constructor. It must take the contents from {@code tree} and the type, mode (setuid, setgid,
 * sticky included), uid and gid of every path from {@code manifest} (see {@link Manifest} for
 * the contract: devices and FIFOs are placeholders on disk, hard links share an inode on disk
 * and are named by the manifest's hardlink keyword), and should compress file data (LZMA for
 * EROFS).
 */
public interface RootfsImageWriter {
    /** A short name for messages, e.g. "erofs (lzma)". */
    String name();

    /** Writes {@code image} (replacing it) from {@code tree} and {@code manifest}. */
    void write(Path tree, Manifest manifest, Path image) throws IOException;

    /** The first writer on the class path, or null when this build has none. */
    static RootfsImageWriter find() {
        for (RootfsImageWriter w : ServiceLoader.load(RootfsImageWriter.class)) return w;
        return null;
    }
}
