package dev.kava.cli;

import dev.kava.drivers.tty.NativeTerminal;
import dev.kava.fs.HostStdio;

import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds out what kava's own descriptors 0-2 are on the host, so the guest sees the same kind of file. */
final class HostConsole {
    private HostConsole() {}

    /**
     * The host terminal on stdin, in raw mode, for the guest's console; its output goes to the
     * first of stdout, stderr, stdin that is a terminal. Null when the host's C library cannot be
     * reached or the terminal refuses raw mode: the guest then gets plain host streams.
     */
    static NativeTerminal openTerminal(HostStdio.Kind[] kinds) {
        int out = kinds[1] == HostStdio.Kind.TTY ? 1 : kinds[2] == HostStdio.Kind.TTY ? 2 : 0;
        NativeTerminal t;
        try {
            t = NativeTerminal.open(0, out);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
        if (t == null) return null;
        if (!t.enterRaw()) {
            t.close();
            return null;
        }
        return t;
    }

    /** A stream that writes \r\n for \n, for messages to a terminal in raw mode. */
    static PrintStream crlf(PrintStream s) {
        OutputStream out = new FilterOutputStream(s) {
            @Override
            public void write(int b) throws IOException {
                if (b == '\n') super.write('\r');
                super.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) write(b[off + i]);
            }
        };
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

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
