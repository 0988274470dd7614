package dev.kava.cli;

import dev.kava.fs.erofs.FsckErofs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kava fsck.erofs}: checks an EROFS image and decodes all its data, like erofs-utils' fsck.erofs. */
@Command(name = "fsck.erofs", mixinStandardHelpOptions = true,
        description = "Check an EROFS image: structure, checksum, and every file's data. Exit 0 if clean.")
public final class FsckErofsCommand implements Callable<Integer> {
    @Option(names = "--extract", paramLabel = "DIR", description = "Also write the tree out to DIR (modes, times, links; owners as root).")
    Path extract;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            if (!Files.isRegularFile(image)) {
                err.println("fsck.erofs: " + image + ": no such image");
                return 1;
            }
            if (extract != null && Files.exists(extract) && !Files.isDirectory(extract)) {
                err.println("fsck.erofs: " + extract + ": not a directory");
                return 1;
            }
            FsckErofs.Report r = FsckErofs.check(image, extract, err);
            if (!r.ok()) {
                if (r.inodes() == 0) err.println("fsck.erofs: " + r.errors().getFirst());
                err.println("fsck.erofs: " + r.errors().size() + " error(s) found in " + image);
                return 1;
            }
            if (!quiet) {
                System.out.printf("No errors found: %d inodes (%d directories), %d bytes of file data decoded%n",
                        r.inodes(), r.dirs(), r.bytes());
            }
            return 0;
        } catch (IOException e) {
            err.println("fsck.erofs: " + e.getMessage());
            return 1;
        }
    }
}
