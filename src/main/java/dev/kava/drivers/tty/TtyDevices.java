package dev.kava.drivers.tty;

import dev.kava.abi.Fcntl;
import dev.kava.drivers.chr.TtyAliases;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.fs.devpts.DevptsFs;

/**
 * tty_init's device side: /dev/tty opens the caller's controlling terminal, /dev/console the
 * console tty when kava runs on a terminal (else the host streams), /dev/ptmx and /dev/pts/N
 * the pty pairs of devpts.
 */
public final class TtyDevices {
    private TtyDevices() {}

    public static void register() {
        TtyAliases.setControllingTty((t, inode, path, flags) ->
                t.group.tty == null ? null : TtyIo.openCurrentTty(t, flags, node(inode), path));
        TtyAliases.setConsole((t, inode, path, flags) -> {
            ConsoleTty c = ConsoleTty.of(t.kernel);
            // /dev/console is never a controlling terminal (tty_open forces noctty for it).
            if (c != null) return c.open(t, flags | Fcntl.O_NOCTTY, path);
            return TtyAliases.openHostConsole(t, inode, path, flags);
        });
        DevptsFs.registerDrivers();
    }

    /** How fstat shows a tty opened through inode. */
    public static TtyFile.Node node(Inode inode) {
        Kstat st = inode.getattr();
        return new TtyFile.Node(st.dev(), st.ino(), st.mode(), st.uid(), st.gid(), st.rdev());
    }
}
