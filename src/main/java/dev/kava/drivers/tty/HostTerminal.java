package dev.kava.drivers.tty;

import java.io.IOException;

/**
 * The host terminal behind kava's console: where the console's output goes and its input comes
 * from. The console polls it from a host thread of its own.
 */
public interface HostTerminal extends AutoCloseable {
    /**
     * Reads up to len bytes, waiting at most timeoutMillis for the first: the count, 0 when
     * nothing came in time, -1 at end of input (the terminal hung up) or once closed.
     */
    int read(byte[] b, int len, int timeoutMillis) throws IOException;

    /** Writes all of b[off, off+len). */
    void write(byte[] b, int off, int len) throws IOException;

    /** The terminal's window size now, or null when it cannot be known. */
    Winsize windowSize();

    /** Stops reading (read returns -1) and gives the host terminal back as it was found. */
    @Override
    void close();
}
