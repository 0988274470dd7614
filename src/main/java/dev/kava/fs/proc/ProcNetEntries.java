package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.core.Net;
import dev.kava.net.core.ProcNet;
import dev.kava.net.core.Sysctl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network namespace in procfs: /proc/sys/net (the sysctls of {@link Sysctl}, listed
 * from the registry when read, so a protocol registered after boot shows up) and
 * /proc/PID/net (the files of {@link ProcNet}); /proc/net is a link to self/net as on Linux.
 */
final class ProcNetEntries {
    private ProcNetEntries() {}

    /** A directory under /proc/sys/net: the entries whose paths start with its prefix. */
    static final class SysctlDir extends ProcInode {
        private final ProcFs fs;
        private final String prefix;

        SysctlDir(ProcFs fs, String prefix) {
            super(fs, fs.stableIno("sys/net/" + prefix), Stat.S_IFDIR | 0555, "sysctl-dir:" + prefix);
            this.fs = fs;
            this.prefix = prefix;
        }

        @Override
        public Inode lookup(String name) {
            String path = prefix + name;
            for (Sysctl.Entry e : Sysctl.entries()) {
                if (e.path().equals(path)) return new SysctlFile(fs, e);
            }
            for (Sysctl.Entry e : Sysctl.entries()) {
                if (e.path().startsWith(path + "/")) return new SysctlDir(fs, path + "/");
            }
            return null;
        }

        @Override
        public List<Directory.Entry> list() {
            Set<String> seen = new LinkedHashSet<>();
            List<Directory.Entry> out = new ArrayList<>();
            for (Sysctl.Entry e : Sysctl.entries()) {
                if (!e.path().startsWith(prefix)) continue;
                String rest = e.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                String name = slash < 0 ? rest : rest.substring(0, slash);
                if (!seen.add(name)) continue;
                if (slash < 0) out.add(new Directory.Entry(fs.stableIno("sys/net/" + prefix + name), Stat.DT_REG, name));
                else out.add(new Directory.Entry(fs.stableIno("sys/net/" + prefix + name + "/"), Stat.DT_DIR, name));
            }
            return out;
        }
    }

    /**
     * A sysctl file of the namespace: its mode binds root too (proc_sys_permission); a write
     * not at offset 0 is ignored (sysctl_writes_strict); the value is the whole write.
     */
    static final class SysctlFile extends ProcFile {
        SysctlFile(ProcFs fs, Sysctl.Entry e) {
            super(fs, fs.stableIno("sys/net/" + e.path()), e.mode(), "sysctl:" + e.path(),
                    t -> SeqFile.bytes(e.show().apply(Net.of(fs.kernel()))),
                    e.store() == null ? null : (t, data, offset) -> {
                        if (offset != 0) return data.length;
                        e.store().accept(Net.of(fs.kernel()), data);
                        return data.length;
                    }, Errno.EIO);
        }

        @Override
        public File open(Task t, FsPath path, int flags) {
            int acc = flags & dev.kava.abi.Fcntl.O_ACCMODE;
            if (acc != dev.kava.abi.Fcntl.O_RDONLY && (mode() & 0222) == 0) throw ErrnoException.of(Errno.EACCES);
            if (acc != dev.kava.abi.Fcntl.O_RDONLY && t.group.cred.fsuid() != 0) throw ErrnoException.of(Errno.EACCES);
            return super.open(t, path, flags);
        }
    }

    /** /proc/PID/net: the namespace's files, each rendered for the reader when read from the top. */
    static final class NetDir extends ProcInode {
        private final ProcFs fs;

        NetDir(ProcFs fs, long ino) {
            super(fs, ino, Stat.S_IFDIR | 0555, null);
            this.fs = fs;
        }

        @Override
        public Inode lookup(String name) {
            ProcNet.Show show = ProcNet.files().get(name);
            if (show == null) return null;
            return new ProcFile(fs, fs.stableIno("net/" + name), 0444, "net:" + name,
                    t -> SeqFile.bytes(show.show(Net.of(fs.kernel()), t)), null, Errno.EIO);
        }

        @Override
        public List<Directory.Entry> list() {
            List<Directory.Entry> out = new ArrayList<>();
            for (Map.Entry<String, ProcNet.Show> e : ProcNet.files().entrySet()) {
                out.add(new Directory.Entry(fs.stableIno("net/" + e.getKey()), Stat.DT_REG, e.getKey()));
            }
            return out;
        }
    }
}
