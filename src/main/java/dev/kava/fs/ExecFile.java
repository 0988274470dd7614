package dev.kava.fs;

/** A file the ELF loader can read at any offset: an executable or an interpreter. */
public interface ExecFile {
    long size();

    /** Reads up to len bytes at offset; fewer only at end of file. */
    int readAt(byte[] dst, int off, int len, long offset);

    /** The path the file was opened by, inside the guest. */
    String guestPath();
}
