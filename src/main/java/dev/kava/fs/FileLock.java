package dev.kava.fs;

/**
 * One advisory lock (struct file_lock): a byte range [start, end] (end inclusive, OFFSET_MAX
 * for "to the end of the file, however far it grows") of type F_RDLCK or F_WRLCK, held by an
 * owner. For POSIX record locks the owner is the process's descriptor table (fl_owner =
 * current->files); for OFD locks and flock() locks it is the open file description.
 *
 * @param owner the FdTable (POSIX) or the File (OFD and flock)
 * @param pid the tgid F_GETLK reports for a POSIX lock (OFD and flock locks report -1)
 * @param ofd whether this is an open file description lock (FL_OFDLCK)
 * @param type F_RDLCK or F_WRLCK
 */
public record FileLock(Object owner, int pid, boolean ofd, int type, long start, long end) {
    /** OFFSET_MAX: the end of a lock that extends to end of file. */
    public static final long OFFSET_MAX = Long.MAX_VALUE;

    boolean overlaps(long s, long e) {
        return start <= e && s <= end;
    }

    FileLock withRange(long s, long e) {
        return new FileLock(owner, pid, ofd, type, s, e);
    }
}
