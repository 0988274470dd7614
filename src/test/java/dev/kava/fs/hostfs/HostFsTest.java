package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.FsContext;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.Namei;
import dev.kava.fs.Open;
import dev.kava.fs.nullfs.NullFs;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hostfs attacked through the VFS: a read-only root, a read-write mount at /vol and a read-only
 * one at /ro, with a directory outside both that nothing may reach (".." and symlinks, absolute
 * and relative, made by the host or by the guest, and a rename race swapping a directory for a
 * symlink to it). Every test runs with both host-call implementations: glibc (on Linux) and NIO.
 */
class HostFsTest {
    private static Kernel kernel;

    @TempDir
    Path tmp;
    Path rootDir, volDir, roDir, outside;
    MountNamespace ns;
    Task task;
    HostFs vol, ro;

    @BeforeAll
    static void kernel() throws IOException {
        // Only a home for the task (Task needs one); its own mount tree is not used.
        kernel = new Kernel(new Kernel.Config().root(Path.of("src")));
    }

    static Stream<Arguments> implementations() {
        List<Arguments> out = new ArrayList<>();
        if (LinuxHostOps.available()) out.add(Arguments.of("libc", new LinuxHostOps()));
        out.add(Arguments.of("nio", new HostOps.Nio()));
        return out.stream();
    }

    void setUp(HostOps ops) throws IOException {
        rootDir = Files.createDirectories(tmp.resolve("root"));
        volDir = Files.createDirectories(rootDir.resolve("vol"));
        roDir = Files.createDirectories(rootDir.resolve("ro"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "OUTSIDE");
        Files.createDirectories(volDir.resolve("d"));
        Files.writeString(volDir.resolve("d/secret.txt"), "inside");
        Files.writeString(roDir.resolve("file"), "read-only");
        NullFs nullfs = new NullFs(() -> 0);
        ns = new MountNamespace(nullfs);
        HostFs rootfs = new HostFs(rootDir, true, () -> 0, ops);
        ns.attach(MountNamespace.newMount(rootfs, rootfs.root(), dev.kava.abi.Mount.MS_RDONLY), new FsPath(ns.root(), nullfs.root()));
        vol = new HostFs(volDir, false, () -> 0, ops);
        ns.attach(MountNamespace.newMount(vol, vol.root(), 0), lookup("/vol"));
        ro = new HostFs(roDir, true, () -> 0, ops);
        ns.attach(MountNamespace.newMount(ro, ro.root(), dev.kava.abi.Mount.MS_RDONLY), lookup("/ro"));
        TaskGroup g = new TaskGroup(kernel, 4242, null, null, new FdTable(),
                new FsContext(ns.rootPath(), ns.rootPath()), new Rlimits(1000));
        task = new Task(kernel, g, 4242, new Hart(new AddressSpace()));
    }

    /** Links made by the tests point outside the temporary directory on purpose: remove them first. */
    @AfterEach
    void removeLinks() throws IOException {
        if (tmp == null || !Files.exists(tmp)) return;
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isSymbolicLink(p)) Files.delete(p);
            }
        }
    }

    FsPath lookup(String path) {
        FsPath root = ns.rootPath();
        return Namei.kernLookup(Cred.ROOT, root, root, path, true);
    }

    File open(String path, int flags) {
        return Open.open(task, Fcntl.AT_FDCWD, path, flags, 0644, 0);
    }

    int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno;
    }

    byte[] read(File f) {
        byte[] b = new byte[256];
        int n = f.read(task, b, 0, b.length);
        return java.util.Arrays.copyOf(b, n);
    }

    Inode volRoot() {
        return vol.root().inode();
    }

    /** Nothing but the secret in the outside directory, with its content. */
    void outsideUntouched() throws IOException {
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("secret.txt")), s.toList(), "something appeared outside the root");
        }
        assertEquals("OUTSIDE", Files.readString(outside.resolve("secret.txt")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void dotDotNeverLeaves(String name, HostOps ops) throws IOException {
        setUp(ops);
        assertEquals(Errno.ENOENT, errno(() -> open("/vol/../../outside/secret.txt", Fcntl.O_RDONLY)));
        assertEquals(Errno.ENOENT, errno(() -> open("/vol/d/../../../../../outside/secret.txt", Fcntl.O_RDONLY)));
        // ".." at the guest root stays there: /outside does not exist in the guest, and the root is read-only.
        assertEquals(Errno.EROFS, errno(() -> open("/vol/../../../x", Fcntl.O_CREAT | Fcntl.O_WRONLY)));
        File f = open("/vol/../vol/d/../d/secret.txt", Fcntl.O_RDONLY);
        assertEquals("inside", new String(read(f), StandardCharsets.UTF_8));
        f.fput();
        assertNull(volRoot().lookup(".."), "the filesystem itself never resolves \"..\"");
        outsideUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void symlinksOutResolveInTheGuest(String name, HostOps ops) throws IOException {
        setUp(ops);
        // Made on the host ...
        Files.createSymbolicLink(volDir.resolve("hostabs"), outside);
        Files.createSymbolicLink(volDir.resolve("hostrel"), Path.of("../../outside"));
        Files.createSymbolicLink(volDir.resolve("hostfile"), outside.resolve("secret.txt"));
        // ... and by the guest.
        volRoot().symlink("guestabs", outside.toString(), Cred.ROOT);
        volRoot().symlink("guestrel", "../../../outside", Cred.ROOT);
        volRoot().symlink("guestfile", outside.resolve("secret.txt").toString(), Cred.ROOT);
        assertEquals(outside.toString(), Files.readSymbolicLink(volDir.resolve("guestabs")).toString(), "a guest symlink is a host symlink");
        for (String l : List.of("hostabs", "hostrel", "guestabs", "guestrel")) {
            assertEquals(Errno.ENOENT, errno(() -> open("/vol/" + l + "/secret.txt", Fcntl.O_RDONLY)), l);
            assertEquals(Errno.ENOENT, errno(() -> open("/vol/" + l + "/new", Fcntl.O_CREAT | Fcntl.O_WRONLY)), l);
            assertEquals(Errno.ENOENT, errno(() -> lookup("/vol/" + l + "/")), l);
        }
        for (String l : List.of("hostfile", "guestfile")) {
            // Dangling in the guest: O_CREAT follows it to a guest path whose directories do not exist.
            assertEquals(Errno.ENOENT, errno(() -> open("/vol/" + l, Fcntl.O_RDONLY)), l);
            assertEquals(Errno.ENOENT, errno(() -> open("/vol/" + l, Fcntl.O_CREAT | Fcntl.O_WRONLY)), l);
            assertEquals(Errno.ELOOP, errno(() -> open("/vol/" + l, Fcntl.O_RDONLY | Fcntl.O_NOFOLLOW)), l);
        }
        // Operations on a symlink's name act on the link, never on what it points to.
        Inode link = volRoot().lookup("guestfile");
        assertTrue(link.isSymlink());
        link.setTimes(1, 0, 2, 0, true, true);
        assertEquals(Errno.EOPNOTSUPP, errno(() -> link.setMode(0600)));
        volRoot().link(link, "hardlink-to-link");
        assertTrue(Files.isSymbolicLink(volDir.resolve("hardlink-to-link")), "link() links the symlink itself");
        assertEquals(Errno.EEXIST, errno(() -> volRoot().create("guestfile", 0644, Cred.ROOT)), "no create through a symlink");
        assertEquals(Errno.EEXIST, errno(() -> volRoot().mkdir("guestabs", 0755, Cred.ROOT)));
        volRoot().unlink("guestfile", link);
        volRoot().unlink("hostabs", null);
        volRoot().rename("hostrel", volRoot(), "moved", 0);
        assertTrue(Files.isSymbolicLink(volDir.resolve("moved")));
        outsideUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void readOnlyMountsRefuseWrites(String name, HostOps ops) throws IOException {
        setUp(ops);
        assertEquals(Errno.EROFS, errno(() -> open("/ro/new", Fcntl.O_CREAT | Fcntl.O_WRONLY)));
        assertEquals(Errno.EROFS, errno(() -> open("/ro/file", Fcntl.O_WRONLY)));
        assertEquals(Errno.EROFS, errno(() -> open("/ro/file", Fcntl.O_RDWR)));
        assertEquals(Errno.EROFS, errno(() -> open("/ro/file", Fcntl.O_RDONLY | Fcntl.O_TRUNC)));
        assertEquals(Errno.EROFS, errno(() -> open("/newfile", Fcntl.O_CREAT | Fcntl.O_WRONLY)), "the root too");
        // The filesystem refuses as well, whatever the VFS checked.
        Inode r = ro.root().inode();
        Inode file = r.lookup("file");
        assertEquals(Errno.EROFS, errno(() -> r.create("x", 0644, Cred.ROOT)));
        assertEquals(Errno.EROFS, errno(() -> r.mkdir("x", 0755, Cred.ROOT)));
        assertEquals(Errno.EROFS, errno(() -> r.symlink("x", "y", Cred.ROOT)));
        assertEquals(Errno.EROFS, errno(() -> r.mknod("x", Stat.S_IFIFO | 0644, 0, Cred.ROOT)));
        assertEquals(Errno.EROFS, errno(() -> r.unlink("file", file)));
        assertEquals(Errno.EROFS, errno(() -> r.rename("file", r, "g", 0)));
        assertEquals(Errno.EROFS, errno(() -> r.link(file, "g")));
        assertEquals(Errno.EROFS, errno(() -> file.setMode(0600)));
        assertEquals(Errno.EROFS, errno(() -> file.setOwner(0, 0)));
        assertEquals(Errno.EROFS, errno(() -> file.setTimes(0, 0, 0, 0, true, true)));
        assertEquals(Errno.EROFS, errno(() -> file.truncate(0)));
        assertEquals(Errno.EROFS, errno(() -> file.setxattr("user.x", new byte[1], 0)));
        assertEquals("read-only", Files.readString(roDir.resolve("file")));
        File f = open("/ro/file", Fcntl.O_RDONLY);
        assertEquals("read-only", new String(read(f), StandardCharsets.UTF_8));
        f.fput();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void readWriteOperations(String name, HostOps ops) throws IOException {
        setUp(ops);
        Inode root = volRoot();
        Inode dir = root.mkdir("sub", 0750, Cred.ROOT);
        assertEquals(Stat.S_IFDIR | 0750, dir.getattr().mode(), "the exact mode, whatever the host's umask");
        Inode file = dir.create("f", 0600, Cred.ROOT);
        assertEquals(Stat.S_IFREG | 0600, file.getattr().mode());
        File w = open("/vol/sub/f", Fcntl.O_WRONLY | Fcntl.O_APPEND);
        w.write(task, "abc".getBytes(), 0, 3);
        w.pwrite(task, "def".getBytes(), 0, 3, 0); // O_APPEND: appends whatever the offset
        assertEquals("abcdef", Files.readString(volDir.resolve("sub/f")));
        file.truncate(2);
        assertEquals("ab", Files.readString(volDir.resolve("sub/f")));
        file.truncate(5);
        assertArrayEquals(new byte[]{'a', 'b', 0, 0, 0}, Files.readAllBytes(volDir.resolve("sub/f")));
        w.fput();
        file.setMode(0644);
        assertEquals(0644, file.getattr().mode() & 07777);
        assertEquals(Errno.EPERM, errno(() -> file.setMode(04755)), "no set-user-ID files on the host");
        assertEquals(Errno.EPERM, errno(() -> dir.create("suid", 04755, Cred.ROOT)));
        dir.setMode(02775);
        assertEquals(02775, dir.getattr().mode() & 07777, "a set-group-ID directory is fine");
        file.setTimes(1_000_000, 5, 2_000_000, 7, true, true);
        assertEquals(2_000_000, file.getattr().mtimeSec());
        assertEquals(1_000_000, file.getattr().atimeSec());
        file.setTimes(0, 0, 3_000_000, 0, false, true);
        assertEquals(1_000_000, file.getattr().atimeSec(), "atime left alone");
        assertEquals(3_000_000, file.getattr().mtimeSec());
        int uid = file.getattr().uid();
        file.setOwner(uid, -1); // to oneself: allowed unprivileged
        assertEquals(Errno.EPERM, errno(() -> dir.mknod("chr", Stat.S_IFCHR | 0666, Stat.encodeDev(1, 3), Cred.ROOT)));
        assertEquals(Errno.EPERM, errno(() -> dir.mknod("blk", Stat.S_IFBLK | 0666, Stat.encodeDev(8, 0), Cred.ROOT)));
        if (ops instanceof LinuxHostOps) {
            Inode fifo = dir.mknod("fifo", Stat.S_IFIFO | 0640, 0, Cred.ROOT);
            assertEquals(Stat.S_IFIFO | 0640, fifo.getattr().mode());
            fifo.setMode(0600);
            fifo.setTimes(1, 0, 1, 0, true, true);
            assertEquals(0600, fifo.getattr().mode() & 07777);
        } else {
            assertEquals(Errno.EPERM, errno(() -> dir.mknod("fifo", Stat.S_IFIFO | 0640, 0, Cred.ROOT)));
        }
        Inode link = dir.symlink("l", "f", Cred.ROOT);
        assertEquals("f", link.readlink());
        dir.link(file, "hard");
        assertEquals(2, file.getattr().nlink());
        // rename: plain, RENAME_NOREPLACE, a no-op between two names of one file, RENAME_EXCHANGE
        dir.rename("hard", root, "hard2", 0);
        assertTrue(Files.exists(volDir.resolve("hard2")));
        assertEquals(Errno.EEXIST, errno(() -> root.rename("hard2", dir, "f", Fcntl.RENAME_NOREPLACE)));
        root.rename("hard2", dir, "f", 0);
        assertTrue(Files.exists(volDir.resolve("hard2")), "renaming a name onto another name of the same file does nothing");
        Inode other = root.create("other", 0644, Cred.ROOT);
        if (ops instanceof LinuxHostOps) {
            root.rename("other", dir, "f", Fcntl.RENAME_EXCHANGE);
            assertEquals(0, Files.size(volDir.resolve("sub/f")));
            assertEquals(5, Files.size(volDir.resolve("other")));
            assertEquals(volDir.resolve("sub/f"), ((HostInode) other).host, "the inodes moved with their names");
            assertEquals(volDir.resolve("other"), ((HostInode) file).host);
        } else {
            assertEquals(Errno.EINVAL, errno(() -> root.rename("other", dir, "f", Fcntl.RENAME_EXCHANGE)));
        }
        // unlink and rmdir
        assertEquals(Errno.EISDIR, errno(() -> root.unlink("sub", dir)));
        assertEquals(Errno.ENOTDIR, errno(() -> root.rmdir("hard2", null)));
        assertEquals(Errno.ENOTEMPTY, errno(() -> root.rmdir("sub", dir)));
        root.unlink("hard2", null);
        assertFalse(Files.exists(volDir.resolve("hard2")));
        // xattrs: user.* only
        try {
            file.setxattr("user.kava", "v1".getBytes(), 0);
            assertArrayEquals("v1".getBytes(), file.getxattr("user.kava"));
            assertTrue(file.listxattr().contains("user.kava"));
            assertEquals(Errno.EEXIST, errno(() -> file.setxattr("user.kava", new byte[0], HostFs.XATTR_CREATE)));
            assertEquals(Errno.ENODATA, errno(() -> file.setxattr("user.none", new byte[0], HostFs.XATTR_REPLACE)));
            file.removexattr("user.kava");
            assertEquals(Errno.ENODATA, errno(() -> file.getxattr("user.kava")));
        } catch (ErrnoException e) {
            Assumptions.assumeTrue(e.errno != Errno.EOPNOTSUPP, "the host filesystem has no user xattrs");
            throw e;
        }
        assertEquals(Errno.EOPNOTSUPP, errno(() -> file.setxattr("trusted.kava", new byte[1], 0)));
        assertEquals(Errno.EPERM, errno(() -> link.setxattr("user.kava", new byte[1], 0)), "user.* only on files and directories");
        // names
        assertEquals(Errno.EINVAL, errno(() -> root.create("bad\u00ff", 0644, Cred.ROOT)), "not UTF-8: no such host name");
        assertNull(root.lookup("bad\u00ff"));
        Inode utf = root.create(new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), 0644, Cred.ROOT);
        assertNotNull(utf);
        assertTrue(Files.exists(volDir.resolve("é")));
        outsideUntouched();
    }

    /**
     * A directory something is mounted on is not looked up on the host again (as 9p's dcache
     * hands out an in-use dentry): the walk goes straight into the mount, even after the host
     * removed the directory under it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void mountpointsAreNotLookedUpOnTheHostAgain(String name, HostOps ops) throws IOException {
        setUp(ops);
        Files.createDirectories(rootDir.resolve("mnt"));
        dev.kava.fs.tmpfs.Tmpfs t = new dev.kava.fs.tmpfs.Tmpfs("tmpfs", "tmpfs", () -> 0,
                dev.kava.mm.PageAllocator.UNLIMITED, 1 << 20, 100, 01777);
        t.root().inode().create("file", 0644, Cred.ROOT);
        ns.attach(MountNamespace.newMount(t, t.root(), 0), lookup("/mnt"));
        FsPath before = lookup("/mnt/file");
        Files.delete(rootDir.resolve("mnt"));
        FsPath after = lookup("/mnt/file");
        assertTrue(after.mnt() == before.mnt() && after.dentry() == before.dentry(), "the same file of the same mount");
        assertEquals(Errno.ENOENT, errno(() -> lookup("/vol/gone")), "other names are still looked up");
        Files.createDirectories(volDir.resolve("gone"));
        assertTrue(lookup("/vol/gone").inode().isDir(), "and seen when the host makes them");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void renamesMoveOpenFilesAlong(String name, HostOps ops) throws IOException {
        setUp(ops);
        File f = open("/vol/d/secret.txt", Fcntl.O_RDWR);
        Inode d = volRoot().lookup("d");
        Inode inner = d.lookup("secret.txt");
        volRoot().rename("d", volRoot(), "e", 0);
        assertEquals(volDir.resolve("e/secret.txt"), ((HostInode) inner).host);
        inner.setMode(0604);
        assertEquals(0604, Files.getAttribute(volDir.resolve("e/secret.txt"), "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m ? m & 0777 : -1);
        // Unlinked while open: the descriptor keeps working, path operations are ESTALE.
        ((HostInode) d).unlink("secret.txt", inner);
        f.write(task, "still".getBytes(), 0, 5);
        inner.truncate(3); // through the open descriptor
        assertEquals(3, inner.getattr().size());
        assertEquals(0, inner.getattr().nlink());
        assertEquals(Errno.ESTALE, errno(() -> inner.setMode(0600)));
        f.fput();
        assertEquals(Errno.ESTALE, errno(() -> inner.truncate(0)));
    }

    /**
     * The race the shape lock exists for: one thread keeps swapping a directory and a symlink to
     * the outside directory (RENAME_EXCHANGE, or four renames without it), another keeps
     * creating, writing and reading files through the directory's path. Nothing may ever be
     * created or read outside.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void renameRaceNeverEscapes(String name, HostOps ops) throws Exception {
        setUp(ops);
        Files.createSymbolicLink(volDir.resolve("l"), outside);
        Files.createSymbolicLink(volDir.resolve("rel"), Path.of("../../outside"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger swaps = new AtomicInteger(), created = new AtomicInteger(), reads = new AtomicInteger();
        Inode root = volRoot();
        boolean exchange = ops instanceof LinuxHostOps;
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    String link = swaps.get() % 2 == 0 ? "l" : "rel";
                    if (exchange) {
                        root.rename("d", root, link, Fcntl.RENAME_EXCHANGE);
                        root.rename("d", root, link, Fcntl.RENAME_EXCHANGE);
                    } else {
                        root.rename("d", root, "tmp", 0);
                        root.rename(link, root, "d", 0);
                        root.rename("d", root, link, 0);
                        root.rename("tmp", root, "d", 0);
                    }
                    swaps.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "swapper");
        Thread[] workers = new Thread[2];
        for (int w = 0; w < workers.length; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                try {
                    int i = 0;
                    while (!stop.get()) {
                        String victim = "/vol/d/victim" + id + "-" + (i++ % 50);
                        try {
                            File f = open(victim, Fcntl.O_CREAT | Fcntl.O_WRONLY);
                            f.write(task, "x".getBytes(), 0, 1);
                            f.fput();
                            created.incrementAndGet();
                        } catch (ErrnoException e) {
                            if (e.errno != Errno.ENOENT) throw e;
                        }
                        try {
                            File f = open("/vol/d/secret.txt", Fcntl.O_RDONLY);
                            String s = new String(read(f), StandardCharsets.UTF_8);
                            f.fput();
                            if (!s.equals("inside")) throw new AssertionError("read \"" + s + "\" through /vol/d");
                            reads.incrementAndGet();
                        } catch (ErrnoException e) {
                            if (e.errno != Errno.ENOENT) throw e;
                        }
                        try {
                            Inode d = volRoot().lookup("d");
                            if (d != null && d.isDir()) {
                                d.mkdir("sub" + id, 0755, Cred.ROOT);
                                d.lookup("sub" + id).symlink("s", "/", Cred.ROOT);
                            }
                        } catch (ErrnoException e) {
                            if (e.errno != Errno.ENOENT && e.errno != Errno.EEXIST && e.errno != Errno.ESTALE) throw e;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "worker" + w);
        }
        swapper.start();
        for (Thread t : workers) t.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until && failure.get() == null) Thread.sleep(20);
        stop.set(true);
        swapper.join(10_000);
        for (Thread t : workers) t.join(10_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(swaps.get() > 10, "the swapper ran: " + swaps);
        assertTrue(created.get() > 0 && reads.get() > 0, "the workers got through sometimes: " + created + " " + reads);
        outsideUntouched();
    }

    /**
     * The same host directory mounted twice (or a -v inside --root): a rename through one mount
     * is not seen by the other mount's inodes, which keep their host paths. The guest swaps the
     * directory for a symlink to the outside through /vol2 while using an inode it got through
     * /vol: only the check of the parent chain under the shared shape lock stands between the
     * stale path and the outside.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void overlappingMountsCannotRaceOut(String name, HostOps ops) throws Exception {
        setUp(ops);
        Files.createDirectories(rootDir.resolve("vol2"));
        HostFs vol2 = new HostFs(volDir, false, () -> 0, ops);
        ns.attach(MountNamespace.newMount(vol2, vol2.root(), 0), lookup("/vol2"));
        Files.createSymbolicLink(volDir.resolve("l"), outside);
        Inode d = volRoot().lookup("d"); // through /vol: its host path stays volDir/d whatever /vol2 does
        Inode root2 = vol2.root().inode();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger swaps = new AtomicInteger(), done = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    root2.rename("d", root2, "tmp", 0);
                    root2.rename("l", root2, "d", 0);
                    Thread.onSpinWait();
                    root2.rename("d", root2, "l", 0);
                    root2.rename("tmp", root2, "d", 0);
                    swaps.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "swapper");
        Thread worker = new Thread(() -> {
            try {
                int i = 0;
                while (!stop.get()) {
                    int n = i % 20;
                    for (Runnable op : List.<Runnable>of(
                            () -> d.create("victim" + n, 0644, Cred.ROOT),
                            () -> d.mkdir("dir" + n, 0755, Cred.ROOT),
                            () -> d.symlink("sym" + n, "/", Cred.ROOT),
                            () -> d.unlink("secret.txt", null),
                            () -> {
                                Inode s = d.lookup("secret.txt");
                                if (s != null) {
                                    File f = s.open(task, null, Fcntl.O_RDONLY);
                                    String text = new String(read(f), StandardCharsets.UTF_8);
                                    f.fput();
                                    if (!text.equals("inside")) throw new AssertionError("read \"" + text + "\"");
                                }
                            },
                            () -> {
                                for (var e : d.list()) if (e.name().equals("secret.txt")) done.incrementAndGet();
                            })) {
                        try {
                            op.run();
                            done.incrementAndGet();
                        } catch (ErrnoException e) {
                            if (e.errno != Errno.ENOENT && e.errno != Errno.EEXIST && e.errno != Errno.ESTALE) throw e;
                        }
                    }
                    i++;
                    // Put the secret back for the next round (through the directory's real name).
                    Path real = volDir.resolve("d/secret.txt");
                    HostFs.SHAPE.writeLock().lock();
                    try {
                        if (Files.isDirectory(volDir.resolve("d"), LinkOption.NOFOLLOW_LINKS) && !Files.exists(real)) {
                            Files.writeString(real, "inside");
                        }
                    } finally {
                        HostFs.SHAPE.writeLock().unlock();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "worker");
        swapper.start();
        worker.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until && failure.get() == null) Thread.sleep(20);
        stop.set(true);
        swapper.join(10_000);
        worker.join(10_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(swaps.get() > 10 && done.get() > 10, "both ran: " + swaps + " " + done);
        outsideUntouched();
    }
}
