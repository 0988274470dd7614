package dev.kava.drivers.base;

import dev.kava.abi.Mount;
import dev.kava.abi.Stat;
import dev.kava.fs.FsPath;
import dev.kava.fs.Kstat;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.Namei;
import dev.kava.init.InitMounts;
import dev.kava.kernel.Cred;
import dev.kava.kernel.time.Clock;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** devtmpfs at boot: on /dev when the root has it, with Debian's nodes, links and /dev/shm. */
class DevtmpfsTest {
    @TempDir
    Path root;

    static FsPath lookup(MountNamespace ns, String path, boolean follow) {
        FsPath r = ns.rootPath();
        return Namei.kernLookup(Cred.ROOT, r, r, path, follow);
    }

    @Test
    void devIsPopulatedAtBoot() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        MountNamespace ns = InitMounts.boot(root, new Clock(), PageAllocator.ofBytes(64 << 20));
        FsPath dev = lookup(ns, "/dev", true);
        assertEquals("devtmpfs", dev.mnt().sb.type());
        assertEquals(Stat.S_IFDIR | 0755, dev.inode().getattr().mode());
        record Node(String name, int mode, int major, int minor, int gid) {}
        for (Node n : List.of(new Node("null", 0666, 1, 3, 0), new Node("zero", 0666, 1, 5, 0), new Node("full", 0666, 1, 7, 0),
                new Node("random", 0666, 1, 8, 0), new Node("urandom", 0666, 1, 9, 0), new Node("kmsg", 0644, 1, 11, 0),
                new Node("tty", 0666, 5, 0, 5), new Node("console", 0600, 5, 1, 0), new Node("ptmx", 0666, 5, 2, 5))) {
            Kstat st = lookup(ns, "/dev/" + n.name, false).inode().getattr();
            assertEquals(Stat.S_IFCHR | n.mode, st.mode(), n.name);
            assertEquals(Stat.encodeDev(n.major, n.minor), st.rdev(), n.name);
            assertEquals(0, st.uid(), n.name);
            assertEquals(n.gid, st.gid(), n.name);
        }
        assertEquals("/proc/self/fd", lookup(ns, "/dev/fd", false).inode().readlink());
        assertEquals("/proc/self/fd/0", lookup(ns, "/dev/stdin", false).inode().readlink());
        assertEquals("/proc/self/fd/1", lookup(ns, "/dev/stdout", false).inode().readlink());
        assertEquals("/proc/self/fd/2", lookup(ns, "/dev/stderr", false).inode().readlink());
        assertTrue(lookup(ns, "/dev/pts", true).inode().isDir());
        FsPath shm = lookup(ns, "/dev/shm", true);
        assertEquals("tmpfs", shm.mnt().sb.type());
        assertEquals(Stat.S_IFDIR | 01777, shm.inode().getattr().mode());
        assertTrue(shm.mnt().noSuid() && shm.mnt().noDev());
        assertEquals(Mount.MS_RELATIME, dev.mnt().flags(), "rw,relatime as the kernel's own devtmpfs mount");
        assertTrue(!dev.mnt().readOnly() && !dev.mnt().noDev(), "device nodes open on /dev");
    }

    @Test
    void noDevNoDevtmpfs() throws IOException {
        MountNamespace ns = InitMounts.boot(root, new Clock(), PageAllocator.ofBytes(64 << 20));
        assertThrows(dev.kava.kernel.ErrnoException.class, () -> lookup(ns, "/dev", true));
        assertEquals(List.of("hostfs"), ns.mounts().stream().skip(1).map(m -> m.sb.type()).toList());
    }

    @Test
    void volumesNeedAnExistingDirectory() throws IOException {
        Path host = Files.createDirectories(root.resolve("host"));
        Files.createDirectories(root.resolve("guest/mnt"));
        MountNamespace ns = InitMounts.boot(root.resolve("guest"), new Clock(), PageAllocator.ofBytes(64 << 20), null,
                List.of(new InitMounts.Volume(host, "/mnt", true)));
        FsPath mnt = lookup(ns, "/mnt", true);
        assertEquals("hostfs", mnt.mnt().sb.type());
        assertEquals(host.toRealPath().toString(), mnt.mnt().sb.source());
        assertTrue(!mnt.mnt().readOnly());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitMounts.boot(root.resolve("guest"),
                new Clock(), PageAllocator.ofBytes(64 << 20), null, List.of(new InitMounts.Volume(host, "/missing", false))));
        assertTrue(e.getMessage().contains("/missing does not exist"), e.getMessage());
    }
}
