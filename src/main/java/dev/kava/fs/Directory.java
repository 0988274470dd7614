package dev.kava.fs;

import java.util.List;

/** A directory's entries for getdents64 (iterate_shared), listed in a stable order. */
public interface Directory {
    /** One directory entry: inode number, d_type, name. */
    record Entry(long ino, int type, String name) {}

    /** The entries, "." and ".." first, as a snapshot taken when first read or after a rewind. */
    List<Entry> entries();

    long position();

    void setPosition(long p);
}
