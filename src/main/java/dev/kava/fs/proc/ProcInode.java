package dev.kava.fs.proc;

import dev.kava.abi.Stat;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.TaskGroup;

import java.util.Objects;

/**
 * An inode of procfs or sysfs (struct proc_dir_entry / kernfs_node). Inodes of dynamic entries
 * are made afresh by every lookup; {@link #key} says which file one stands for, so the dcache
 * keeps its dentry while the file is the same (the same entry of the same process).
 */
public abstract class ProcInode extends Inode {
    /** What file this is: inodes with equal keys of the same class are the same file. Null: only itself. */
    private final Object key;
    /**
     * The process this entry belongs to (a /proc/PID file), whose dump owner owns it
     * (task_dump_owner, looked up at every stat as pid_revalidate does), or null: root's.
     */
    private final TaskGroup process;

    protected ProcInode(SuperBlock sb, long ino, int mode, Object key) {
        this(sb, ino, mode, key, null);
    }

    protected ProcInode(SuperBlock sb, long ino, int mode, Object key, TaskGroup process) {
        super(sb, ino, mode);
        this.key = key;
        this.process = process;
        if ((mode & Stat.S_IFMT) == Stat.S_IFDIR) nlink = 2;
    }

    @Override
    public synchronized int uid() {
        return process != null ? ProcAccess.ownerUid(process) : super.uid();
    }

    @Override
    public synchronized int gid() {
        return process != null ? ProcAccess.ownerGid(process) : super.gid();
    }

    @Override
    public synchronized Kstat getattr() {
        if (process != null) owner(uid(), gid());
        return super.getattr();
    }

    @Override
    public boolean same(Inode other) {
        if (other == this) return true;
        if (key == null || other == null || other.getClass() != getClass()) return false;
        return Objects.equals(key, ((ProcInode) other).key);
    }

    /** Sets the owner (proc entries of a process belong to its user). */
    protected final synchronized void owner(int u, int g) {
        uid = u;
        gid = g;
    }
}
