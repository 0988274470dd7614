package dev.kava.fs.proc;

import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.Inode;
import dev.kava.fs.SuperBlock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory of fixed entries (a proc_dir_entry subtree, a sysfs directory): children are
 * made once and listed in the order they were added.
 */
public class ProcDir extends ProcInode {
    private final Map<String, Inode> children = new LinkedHashMap<>();

    public ProcDir(SuperBlock sb, int perm) {
        super(sb, sb.nextIno(), Stat.S_IFDIR | (perm & 07777), null);
    }

    /** Adds a child; returns it. */
    public synchronized <T extends Inode> T add(String name, T child) {
        children.put(name, child);
        if (child.isDir()) nlink++;
        return child;
    }

    /** The subdirectory name, made if missing. */
    public synchronized ProcDir dir(String name) {
        Inode i = children.get(name);
        if (i instanceof ProcDir d) return d;
        return add(name, new ProcDir(sb, 0555));
    }

    @Override
    public synchronized Inode lookup(String name) {
        return children.get(name);
    }

    @Override
    public synchronized List<Directory.Entry> list() {
        List<Directory.Entry> out = new ArrayList<>();
        for (var e : children.entrySet()) out.add(new Directory.Entry(e.getValue().ino, Stat.dtype(e.getValue().mode()), e.getKey()));
        return out;
    }
}
