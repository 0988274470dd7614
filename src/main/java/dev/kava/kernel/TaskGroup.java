package dev.kava.kernel;

import dev.kava.fs.FdTable;
import dev.kava.fs.FsContext;
import dev.kava.kernel.signal.SigHand;
import dev.kava.kernel.signal.SigPending;
import dev.kava.mm.Mmap;

/**
 * A thread group: what Linux calls a process (signal_struct plus the mm, files, fs and sighand
 * its threads share). Single-threaded for now, so it has one task.
 */
public final class TaskGroup {
    public final int tgid;
    public final int ppid;
    public int pgid, sid;
    public final Mmap mm;
    public final FdTable files;
    public final FsContext fs;
    public final SigHand sighand = new SigHand();
    /** Signals sent to the whole process (kill). */
    public final SigPending sharedPending = new SigPending();
    public final Rlimits rlimits;
    public Cred cred = Cred.ROOT;
    /** The executable's name, at most 15 bytes (TASK_COMM_LEN - 1). */
    public String comm = "";
    /** The path of the running executable inside the guest (for /proc/self/exe later). */
    public String exePath = "";

    private volatile ExitStatus exitStatus;

    public TaskGroup(int tgid, int ppid, Mmap mm, FdTable files, FsContext fs, Rlimits rlimits) {
        this.tgid = tgid;
        this.ppid = ppid;
        this.pgid = tgid;
        this.sid = tgid;
        this.mm = mm;
        this.files = files;
        this.fs = fs;
        this.rlimits = rlimits;
    }

    /** Marks the group as exiting (exit_group, fatal signal). The first status wins, as in do_group_exit. */
    public synchronized void exit(ExitStatus status) {
        if (exitStatus == null) exitStatus = status;
    }

    public boolean exiting() {
        return exitStatus != null;
    }

    public ExitStatus exitStatus() {
        return exitStatus;
    }

    /** Sets comm from an executable path: its last component, cut to 15 bytes (__set_task_comm). */
    public void setCommFromPath(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        byte[] b = base.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        comm = b.length <= 15 ? base : new String(b, 0, 15, java.nio.charset.StandardCharsets.UTF_8);
    }
}
