package dev.kava.fs.proc;

import dev.kava.abi.Mount;
import dev.kava.fs.FsPath;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.Task;

/**
 * /proc/PID/mounts and /proc/PID/mountinfo (fs/proc_namespace.c): the mounts of the process's
 * namespace in mount order, with mount points as seen from its root; mounts outside that
 * root are left out (seq_path_root's SEQ_SKIP).
 */
final class ProcNamespace {
    private ProcNamespace() {}

    /** The characters mangle() escapes in paths and sources. */
    private static final String ESCAPES = " \t\n\\";

    /** show_mnt_opts: the per-mount flags after rw/ro. */
    static String mntOpts(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & Mount.MS_NOSUID) != 0) sb.append(",nosuid");
        if ((flags & Mount.MS_NODEV) != 0) sb.append(",nodev");
        if ((flags & Mount.MS_NOEXEC) != 0) sb.append(",noexec");
        if ((flags & Mount.MS_NOATIME) != 0) sb.append(",noatime");
        if ((flags & Mount.MS_NODIRATIME) != 0) sb.append(",nodiratime");
        if ((flags & Mount.MS_RELATIME) != 0) sb.append(",relatime");
        if ((flags & Mount.MS_NOSYMFOLLOW) != 0) sb.append(",nosymfollow");
        return sb.toString();
    }

    /** Where m is mounted as seen from root, or null when it is not below it. */
    private static String mountPoint(dev.kava.fs.Mount m, FsPath root) {
        FsPath where = new FsPath(m, m.root);
        return MountNamespace.reachable(where, root) ? MountNamespace.path(where, root) : null;
    }

    /** show_vfsmnt: "source mountpoint type options 0 0". */
    static byte[] mounts(PidDir p, Task reader) {
        if (p.exited()) return new byte[0];
        FsPath root = p.g.fs.root();
        StringBuilder sb = new StringBuilder();
        for (dev.kava.fs.Mount m : p.fs.kernel().mountNamespace().mounts()) {
            String where = mountPoint(m, root);
            if (where == null) continue;
            SuperBlock s = m.sb;
            sb.append(ProcText.escape(s.source(), ESCAPES)).append(' ');
            sb.append(ProcText.escape(where, ESCAPES)).append(' ');
            sb.append(ProcText.escape(s.type(), ESCAPES)).append(' ');
            sb.append(m.readOnly() ? "ro" : "rw").append(mntOpts(m.flags())).append(s.options());
            sb.append(" 0 0\n");
        }
        return SeqFile.bytes(sb);
    }

    /** show_mountinfo: "id parent major:minor root mountpoint options - type source superoptions". */
    static byte[] mountinfo(PidDir p, Task reader) {
        if (p.exited()) return new byte[0];
        FsPath root = p.g.fs.root();
        StringBuilder sb = new StringBuilder();
        for (dev.kava.fs.Mount m : p.fs.kernel().mountNamespace().mounts()) {
            String where = mountPoint(m, root);
            if (where == null) continue;
            SuperBlock s = m.sb;
            sb.append(m.id).append(' ').append(m.parent().id).append(' ');
            sb.append(ProcText.major(s.dev())).append(':').append(ProcText.minor(s.dev())).append(' ');
            sb.append(ProcText.escape(MountNamespace.pathInFs(m.root), ESCAPES)).append(' ');
            sb.append(ProcText.escape(where, ESCAPES)).append(' ');
            sb.append((m.flags() & Mount.MS_RDONLY) != 0 ? "ro" : "rw").append(mntOpts(m.flags()));
            // No propagation (shared:N, master:N): every kava mount is private.
            sb.append(" - ").append(ProcText.escape(s.type(), ESCAPES)).append(' ');
            sb.append(ProcText.escape(s.source(), ESCAPES)).append(' ');
            sb.append(s.readOnly() ? "ro" : "rw").append(s.options()).append('\n');
        }
        return SeqFile.bytes(sb);
    }
}
