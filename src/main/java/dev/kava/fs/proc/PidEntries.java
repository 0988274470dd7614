package dev.kava.fs.proc;

import dev.kava.abi.Stat;
import dev.kava.fs.Inode;
import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The entries of a process directory (tgid_base_stuff) and of a thread directory (tid_base_stuff) in fs/proc/base.c. */
final class PidEntries {
    private PidEntries() {}

    /** One entry: its name, mode, an index for stable inode numbers, and how to make its inode. */
    record Entry(String name, int mode, int index, BiFunction<PidDir, Integer, Inode> factory) {
        Inode make(PidDir p) {
            return factory.apply(p, index);
        }
    }

    private static final List<Entry> TGID = new ArrayList<>(), TID = new ArrayList<>();

    private static void both(String name, int mode, BiFunction<PidDir, Integer, Inode> f) {
        TGID.add(new Entry(name, mode, 2 + TGID.size(), f));
        TID.add(new Entry(name, mode, 66 + TID.size(), f));
    }

    private static void tgidOnly(String name, int mode, BiFunction<PidDir, Integer, Inode> f) {
        TGID.add(new Entry(name, mode, 2 + TGID.size(), f));
    }

    /** A file whose show method reads the process the directory names. */
    private interface PShow {
        byte[] show(PidDir p, Task reader);
    }

    private static void file(boolean tgidOnly, String name, int perm, boolean access, PShow show) {
        BiFunction<PidDir, Integer, Inode> f = (p, i) -> new PidDir.PidFile(p, i, name, perm, r -> {
            p.requireAlive();
            return show.show(p, r);
        }, null, access);
        if (tgidOnly) tgidOnly(name, Stat.S_IFREG | perm, f);
        else both(name, Stat.S_IFREG | perm, f);
    }

    static {
        tgidOnly("task", Stat.S_IFDIR | 0555, PidDir.TaskDir::new);
        both("fd", Stat.S_IFDIR | 0500, FdDir::new);
        both("fdinfo", Stat.S_IFDIR | 0555, FdDir.InfoDir::new);
        file(false, "environ", 0400, true, ProcBase::environ);
        file(false, "status", 0444, false, TaskArray::status);
        file(false, "limits", 0444, false, ProcBase::limits);
        both("comm", Stat.S_IFREG | 0644, (p, i) -> new PidDir.PidFile(p, i, "comm", 0644, r -> {
            p.requireAlive();
            return ProcBase.comm(p, r);
        }, (w, data, off) -> ProcBase.commWrite(p, w, data), false));
        file(false, "cmdline", 0444, false, ProcBase::cmdline);
        file(false, "stat", 0444, false, TaskArray::stat);
        file(false, "statm", 0444, false, TaskArray::statm);
        file(false, "maps", 0444, true, TaskMmu::maps);
        file(false, "mounts", 0444, false, ProcNamespace::mounts);
        file(false, "mountinfo", 0444, false, ProcNamespace::mountinfo);
        both("cwd", Stat.S_IFLNK | 0777, (p, i) -> new PidDir.PidLink(p, i, "cwd"));
        both("root", Stat.S_IFLNK | 0777, (p, i) -> new PidDir.PidLink(p, i, "root"));
        both("exe", Stat.S_IFLNK | 0777, (p, i) -> new PidDir.PidLink(p, i, "exe"));
        file(false, "smaps_rollup", 0444, true, TaskMmu::smapsRollup);
        both("net", Stat.S_IFDIR | 0555, (p, i) -> new ProcNetEntries.NetDir(p.fs, PidDir.ino(p.pid, i)));
        both("ns", Stat.S_IFDIR | 0511, ProcNs.NsDir::new);
    }

    static List<Entry> entries(boolean thread) {
        return thread ? TID : TGID;
    }

    static Entry find(String name, boolean thread) {
        for (Entry e : entries(thread)) if (e.name().equals(name)) return e;
        return null;
    }

    /** How many subdirectories a process (or thread) directory has, for its link count. */
    static int subdirs(boolean thread) {
        int n = 0;
        for (Entry e : entries(thread)) if ((e.mode() & Stat.S_IFMT) == Stat.S_IFDIR) n++;
        return n;
    }
}
