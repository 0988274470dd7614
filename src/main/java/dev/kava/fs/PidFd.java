package dev.kava.fs;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Pidfd;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

/**
 * A pidfd (fs/pidfs.c): a file that refers to a process, or with PIDFD_THREAD to one thread,
 * for as long as it is open, whatever happens to the pid. Poll reports POLLIN once the process
 * (the thread) has exited and POLLHUP too once it is reaped; readers of fdinfo see its pid, or
 * -1 once it is gone. Nothing can be read or written.
 */
public final class PidFd extends File {
    /** The process. */
    public final TaskGroup group;
    /** The thread of a PIDFD_THREAD pidfd, else null. */
    public final Task thread;
    private final long ino = AnonInodes.nextIno();

    /** pidfd_prepare: flags are PIDFD_NONBLOCK and PIDFD_THREAD (kept in f_flags, as Linux does). */
    public PidFd(TaskGroup group, Task thread, int flags) {
        super(Fcntl.O_RDWR | (flags & (Pidfd.PIDFD_NONBLOCK | Pidfd.PIDFD_THREAD)));
        this.group = group;
        this.thread = thread;
    }

    /** Whether the thread of a PIDFD_THREAD pidfd is gone (its pid released). */
    private boolean threadGone() {
        return group.kernel.findTask(thread.tid) != thread;
    }

    /** pid_has_task(pid, PIDTYPE_PID): the process is not reaped yet (a zombie still has its pid), or the thread lives. */
    public boolean alive() {
        return thread != null ? !threadGone() : !group.reaped;
    }

    /** The pid this file stands for. */
    public int pid() {
        return thread != null ? thread.tid : group.tgid;
    }

    /** pidfd_poll: POLLIN when the process has exited (every thread, for a process), POLLHUP too when its pid is gone. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(group.pidfdWait);
        if (!alive()) return dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM | dev.kava.abi.Poll.POLLHUP;
        if (thread == null && group.zombie) return dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
        return 0;
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    /** A pidfs inode of its own: mode 0700 and, as on Linux 6.18, no file type bits in st_mode. */
    @Override
    public Kstat stat() {
        Kstat a = AnonInodes.stat(ino);
        return new Kstat(a.dev(), a.ino(), 0700, 1, 0, 0, 0, 0, a.blksize(), 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String dname() {
        return "anon_inode:[pidfd]";
    }

    /** pidfd_show_fdinfo: the pid, or -1 once it has no task; kava has one pid namespace, so NSpid is the same. */
    @Override
    public String fdinfo() {
        int nr = alive() ? pid() : -1;
        return "Pid:\t" + nr + "\nNSpid:\t" + nr + "\n";
    }

    @Override
    public void release() {
        eventpollRelease();
    }
}
