package dev.kava.cli;

import dev.kava.fs.erofs.ErofsFormat;
import dev.kava.fs.erofs.MkfsErofs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kava mkfs.erofs}: builds an EROFS image from a directory, like erofs-utils' mkfs.erofs. */
@Command(name = "mkfs.erofs", mixinStandardHelpOptions = true,
        description = "Generate an EROFS image (IMAGE) from a directory (SOURCE). Reproducible: the same tree gives the same bytes.")
public final class MkfsErofsCommand implements Callable<Integer> {
    @Option(names = "-z", paramLabel = "ALG[,level=N]", description = "Compressor: lzma (default), lz4, deflate, or none.")
    String compressor = "lzma";

    @Option(names = "-C", paramLabel = "BYTES", description = "Physical cluster size in bytes (a multiple of the block size; default 4096).")
    int pcluster = 4096;

    @Option(names = "-T", paramLabel = "SECONDS", description = "A fixed UNIX timestamp for every file and the build.")
    Long fixedTime;

    @Option(names = "--all-root", description = "Make all files owned by root.")
    boolean allRoot;

    @Option(names = "-L", paramLabel = "LABEL", description = "Volume label (at most 15 bytes).")
    String label = "";

    @Option(names = "-x", paramLabel = "N", description = "Xattr tolerance: a negative value leaves xattrs out.")
    int xattrs = 2;

    @Option(names = "--workers", paramLabel = "N", description = "Compression threads (default: the host's cores). The image is the same for any N.")
    Integer workers;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "SOURCE")
    Path source;

    @Override
    public Integer call() {
        MkfsErofs.Options o = new MkfsErofs.Options();
        String alg = compressor.toLowerCase(Locale.ROOT);
        int comma = alg.indexOf(',');
        if (comma >= 0) {
            String rest = alg.substring(comma + 1);
            alg = alg.substring(0, comma);
            if (rest.startsWith("level=")) {
                try {
                    o.level = Integer.parseInt(rest.substring(6));
                } catch (NumberFormatException e) {
                    System.err.println("mkfs.erofs: bad level in -z " + compressor);
                    return 2;
                }
            }
        }
        switch (alg) {
            case "lzma" -> o.algorithm = ErofsFormat.Z_EROFS_COMPRESSION_LZMA;
            case "lz4", "lz4hc" -> o.algorithm = ErofsFormat.Z_EROFS_COMPRESSION_LZ4;
            case "deflate", "libdeflate" -> o.algorithm = ErofsFormat.Z_EROFS_COMPRESSION_DEFLATE;
            case "none", "" -> o.algorithm = -1;
            default -> {
                System.err.println("mkfs.erofs: unknown compressor " + compressor + " (lzma, lz4, deflate, none)");
                return 2;
            }
        }
        o.pclusterSize = pcluster;
        o.fixedTime = fixedTime;
        o.allRoot = allRoot;
        o.label = label;
        o.xattrs = xattrs >= 0;
        if (workers != null) o.threads = Math.max(1, workers);
        long t0 = System.nanoTime();
        try {
            MkfsErofs.Stats s = MkfsErofs.build(source, image, o);
            if (!quiet) {
                System.out.printf("Filesystem total blocks: %d (of 4096-byte blocks)%nFilesystem total inodes: %d%n"
                        + "Compressed files: %d, source data %d bytes, image %d bytes, %.2f s%n",
                        s.blocks(), s.inodes(), s.compressedFiles(), s.dataBytesIn(), s.bytes(), (System.nanoTime() - t0) / 1e9);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("mkfs.erofs: " + e.getMessage());
            return 1;
        }
    }
}
