package dev.kava.fs;

/** A file the ELF loader can read at any offset: an executable or an interpreter. */
public interface ExecFile {
    long size();

    /** Reads up to len bytes at offset; fewer only at end of file. */
    int readAt(byte[] dst, int off, int len, long offset);

    /** The path the file was opened by, inside the guest. */
    String guestPath();

    /**
     * get_file for a mapping (vma->vm_file): keeps what the file's pages come from alive after
     * its descriptors are closed. False if it is already gone.
     */
    default boolean pin() {
        return true;
    }

    /** fput for a mapping. */
    default void unpin() {}

    /** Whether F_SEAL_WRITE or F_SEAL_FUTURE_WRITE forbid shared writable mappings of the file. */
    default boolean writeSealed() {
        return false;
    }

    /** Whether the file's data are page frames that shared mappings map directly (tmpfs). */
    default boolean hasPageCache() {
        return false;
    }

    /** The frame holding page index of the file, allocated for a hole; throws ErrnoException (ENOSPC) when it cannot be. */
    default dev.kava.mm.Page pageCacheFrame(long index) {
        return null;
    }

    /** Whether page index of the file is in its page cache now (mincore's filemap_get_incore_folio); allocates nothing. */
    default boolean pageCached(long index) {
        return false;
    }
}
