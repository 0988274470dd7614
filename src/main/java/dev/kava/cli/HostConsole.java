package dev.kava.cli;

import dev.kava.fs.HostStdio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds out what kava's own descriptors 0-2 are on the host, so the guest sees the same kind of file. */
final class HostConsole {
    private HostConsole() {}

    static HostStdio.Kind kind(int fd) {
        // On Linux hosts /proc/self/fd/N names the open file: "pipe:[123]", "/dev/pts/0", "/dev/null", a path.
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (target.startsWith("pipe:") || target.startsWith("socket:")) return HostStdio.Kind.PIPE;
            if (target.equals("/dev/null")) return HostStdio.Kind.NULL;
            if (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console")) {
                return HostStdio.Kind.TTY;
            }
            return Files.isRegularFile(Path.of(target)) ? HostStdio.Kind.FILE : HostStdio.Kind.PIPE;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Elsewhere: a console means a terminal on stdin and stdout.
            return System.console() != null ? HostStdio.Kind.TTY : HostStdio.Kind.PIPE;
        }
    }
}
