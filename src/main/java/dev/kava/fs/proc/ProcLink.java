package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.function.Function;

/** A symlink of procfs whose target may depend on who reads it (/proc/self, /proc/thread-self, /proc/mounts). */
public class ProcLink extends ProcInode {
    private final Function<Task, String> target;

    public ProcLink(SuperBlock sb, long ino, Object key, Function<Task, String> target) {
        super(sb, ino, Stat.S_IFLNK | 0777, key);
        this.target = target;
    }

    /** A link with a fixed target. */
    public static ProcLink fixed(SuperBlock sb, String target) {
        return new ProcLink(sb, sb.nextIno(), null, t -> target);
    }

    @Override
    public String readlink() {
        String s = target.apply(null);
        if (s == null) throw ErrnoException.of(Errno.ENOENT);
        return s;
    }

    @Override
    public String readlink(Task t) {
        String s = target.apply(t);
        if (s == null) throw ErrnoException.of(Errno.ENOENT);
        return s;
    }
}
