package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.Task;

/**
 * A text file of procfs or sysfs: its contents come from {@link Show} each time a reader
 * starts at the top, and writes, where the file has a {@link Store}, go to it. Size is 0, as
 * on Linux (the text does not exist until read).
 */
public class ProcFile extends ProcInode {
    /** The show method (seq_file's show, kernfs's show): the whole text, for the reading task. */
    @FunctionalInterface
    public interface Show {
        byte[] show(Task reader);
    }

    /** A write method: consumes data written at offset and returns the count taken. */
    @FunctionalInterface
    public interface Store {
        int store(Task writer, byte[] data, long offset);
    }

    final Show show;
    final Store store;
    /** What a write to a file without a write method fails with: EIO for proc_reg files, EINVAL for seq files of a process. */
    final int noWriteErrno;

    public ProcFile(SuperBlock sb, long ino, int perm, Object key, Show show, Store store, int noWriteErrno) {
        this(sb, ino, perm, key, show, store, noWriteErrno, null);
    }

    /** As above, for a file of process's /proc/PID directory (owned by the process's dump owner). */
    public ProcFile(SuperBlock sb, long ino, int perm, Object key, Show show, Store store, int noWriteErrno,
                    dev.kava.kernel.TaskGroup process) {
        super(sb, ino, Stat.S_IFREG | (perm & 07777), key, process);
        this.show = show;
        this.store = store;
        this.noWriteErrno = noWriteErrno;
    }

    /** A read-only text file. */
    public static ProcFile text(SuperBlock sb, int perm, Show show) {
        return new ProcFile(sb, sb.nextIno(), perm, null, show, null, Errno.EIO);
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        checkOpen(t);
        return new SeqFile(path, flags, this);
    }

    /** Further checks an open makes (a process's files check the caller may look at it). */
    protected void checkOpen(Task t) {}

    /** O_TRUNC of a proc file is accepted and changes nothing (proc_setattr has no size to set). */
    @Override
    public void truncate(long newSize) {}
}
