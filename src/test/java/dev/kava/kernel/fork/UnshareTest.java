package dev.kava.kernel.fork;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Sched;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.FdTable;
import dev.kava.fs.FsContext;
import dev.kava.fs.FsPath;
import dev.kava.fs.NsFs;
import dev.kava.fs.PidFd;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.NsProxy;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Setns;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.UtsNamespace;
import dev.kava.kernel.sys.SysSyscalls;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * unshare(2), setns(2), clone's namespace flags and sethostname's errors on tasks made directly (no guest
 * code): what a differential test cannot show, because kava differs from Linux there by design
 * (namespaces other than UTS are ENOSYS; per-thread descriptor tables do not exist), and the
 * errno paths in Linux's order. The guest program kava-only/uts.c covers what matches Linux.
 */
class UnshareTest {
    private static final AtomicInteger nextTid = new AtomicInteger(30_000);
    private static Kernel kernel;

    @BeforeAll
    static void kernel() throws Exception {
        kernel = new Kernel(new Kernel.Config().root(Path.of(".")).hostname("unshare-test"));
    }

    /** A single-threaded process of its own, root unless cred says otherwise; nothing is mapped. */
    private static Task process(Cred cred) {
        int tid = nextTid.getAndIncrement();
        FsContext fs = new FsContext(kernel.mountNamespace().rootPath(), kernel.mountNamespace().rootPath());
        TaskGroup g = new TaskGroup(kernel, tid, null, null, new FdTable(), fs, new Rlimits(kernel.maxThreads()));
        g.cred = cred;
        Task t = new Task(kernel, g, tid, new Hart(new AddressSpace()));
        kernel.attach(t, null, true, false);
        return t;
    }

    /** Another thread of t's process. */
    private static Task thread(Task t) {
        int tid = nextTid.getAndIncrement();
        Task c = new Task(kernel, t.group, tid, new Hart(new AddressSpace()));
        kernel.attach(c, null, false, true);
        return c;
    }

    private static final Cred NOBODY = new Cred(65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534);

    @Test
    void namespacesOtherThanUtsAreEnosysAndChangeNothing() {
        Task t = process(Cred.ROOT);
        NsProxy before = t.nsproxy;
        for (long f : new long[]{Sched.CLONE_NEWNS, Sched.CLONE_NEWIPC, Sched.CLONE_NEWNET, Sched.CLONE_NEWPID,
                Sched.CLONE_NEWUSER, Sched.CLONE_NEWCGROUP, Sched.CLONE_NEWTIME}) {
            assertEquals(-Errno.ENOSYS, Unshare.unshare(t, f), "unshare 0x" + Long.toHexString(f));
            assertEquals(-Errno.ENOSYS, Unshare.unshare(t, f | Sched.CLONE_NEWUTS), "with CLONE_NEWUTS: 0x" + Long.toHexString(f));
            assertSame(before, t.nsproxy);
            if ((f & Sched.CLONE_NEWTIME) != 0) continue; // 0x80 is in CSIGNAL for clone: an exit signal there
            assertEquals(-Errno.ENOSYS, ForkSyscalls.clone(t, f | Signal.SIGCHLD, 0, 0, 0, 0), "clone 0x" + Long.toHexString(f));
        }
    }

    @Test
    void unknownFlagsAreEinvalBeforeAnythingElse() {
        Task t = process(NOBODY);
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, 0x1));
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, Sched.CLONE_NEWNET | Sched.CLONE_PARENT), "EINVAL before ENOSYS");
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, Sched.CLONE_NEWUTS | Sched.CLONE_VFORK), "EINVAL before EPERM");
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, 1L << 32), "unshare's flags are an unsigned long");
        assertEquals(0, Unshare.unshare(t, 0));
    }

    @Test
    void newUtsNamespaceNeedsRootAndStartsAsACopy() {
        Task nobody = process(NOBODY);
        assertEquals(-Errno.EPERM, Unshare.unshare(nobody, Sched.CLONE_NEWUTS));
        assertEquals(-Errno.EPERM, ForkSyscalls.clone(nobody, Sched.CLONE_NEWUTS | Signal.SIGCHLD, 0, 0, 0, 0));
        assertSame(kernel.initNsProxy(), nobody.nsproxy);

        Task t = process(Cred.ROOT);
        assertSame(kernel.initNsProxy(), t.nsproxy, "a task starts in init_nsproxy");
        assertEquals(0, Unshare.unshare(t, Sched.CLONE_NEWUTS));
        UtsNamespace uts = t.nsproxy.uts();
        assertNotSame(kernel.initNsProxy().uts(), uts);
        assertTrue(uts.inum >= UtsNamespace.PROC_DYNAMIC_FIRST, "a dynamic inode number: " + uts.inum);
        assertEquals("unshare-test", UtsNamespace.cString(uts.nodename()));
        assertEquals(0, SysSyscalls.sethostname(t, 8, 0), "len 0 reads nothing");
        assertEquals("", UtsNamespace.cString(uts.nodename()));
        assertEquals("unshare-test", UtsNamespace.cString(kernel.initNsProxy().uts().nodename()), "the initial namespace is untouched");
    }

    /** kernel/sys.c: EPERM, then EINVAL for len outside 0..64, then EFAULT. */
    @Test
    void sethostnameChecksInLinuxOrder() {
        Task nobody = process(NOBODY);
        assertEquals(-Errno.EPERM, SysSyscalls.sethostname(nobody, 8, 65));
        assertEquals(-Errno.EPERM, SysSyscalls.setdomainname(nobody, 8, 5));
        Task t = process(Cred.ROOT);
        assertEquals(0, Unshare.unshare(t, Sched.CLONE_NEWUTS));
        assertEquals(-Errno.EINVAL, SysSyscalls.sethostname(t, 8, 65));
        assertEquals(-Errno.EINVAL, SysSyscalls.sethostname(t, 8, -1));
        assertEquals(-Errno.EINVAL, SysSyscalls.setdomainname(t, 8, 65));
        ErrnoException e = assertThrows(ErrnoException.class, () -> SysSyscalls.sethostname(t, 8, 5));
        assertEquals(Errno.EFAULT, e.errno);
        assertEquals("unshare-test", UtsNamespace.cString(t.nsproxy.uts().nodename()), "a fault changes nothing");
    }

    /**
     * In a threaded process only the calling thread gets the new namespace; CLONE_THREAD is
     * EINVAL; a private descriptor table or fs_struct for one thread is ENOSYS (kava keeps them per process).
     */
    @Test
    void threadedProcess() {
        Task t = process(Cred.ROOT);
        Task other = thread(t);
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, Sched.CLONE_THREAD));
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, Sched.CLONE_VM));
        assertEquals(-Errno.EINVAL, Unshare.unshare(t, Sched.CLONE_NEWUSER), "NEWUSER implies CLONE_THREAD");
        FdTable files = t.group.files;
        FsContext fs = t.group.fs;
        assertEquals(-Errno.ENOSYS, Unshare.unshare(t, Sched.CLONE_FILES));
        assertEquals(-Errno.ENOSYS, Unshare.unshare(t, Sched.CLONE_FS));
        assertSame(files, t.group.files);
        assertSame(fs, t.group.fs);
        assertEquals(0, Unshare.unshare(t, Sched.CLONE_NEWUTS));
        assertNotSame(t.nsproxy, other.nsproxy);
        assertSame(kernel.initNsProxy(), other.nsproxy);
    }

    /**
     * setns into one of the kernel's single namespaces (a /proc/PID/ns file of another kind, or
     * a pidfd with other flags) is ENOSYS; a UTS namespace file works, as the guest test shows.
     */
    @Test
    void setnsJoinsUtsNamespacesOnly() {
        Task t = process(Cred.ROOT);
        long nofile = 1024;
        NsFs.Ns ipc = new NsFs.Ns("ipc", Sched.CLONE_NEWIPC, 0xEFFFFFFFL, null);
        FsPath ipcPath = NsFs.path(t, ipc);
        int ipcFd = t.group.files.install(ipcPath.inode().open(t, ipcPath, Fcntl.O_RDONLY), false, 0, nofile);
        assertEquals(-Errno.EINVAL, Setns.setns(t, ipcFd, (int) Sched.CLONE_NEWUTS), "the type must match");
        assertEquals(-Errno.ENOSYS, Setns.setns(t, ipcFd, 0));
        assertEquals(-Errno.ENOSYS, Setns.setns(t, ipcFd, (int) Sched.CLONE_NEWIPC));

        Task other = process(Cred.ROOT);
        assertEquals(0, Unshare.unshare(other, Sched.CLONE_NEWUTS));
        int pidfd = t.group.files.install(new PidFd(other.group, null, 0), false, 0, nofile);
        assertEquals(-Errno.ENOSYS, Setns.setns(t, pidfd, (int) (Sched.CLONE_NEWUTS | Sched.CLONE_NEWNET)));
        assertSame(kernel.initNsProxy(), t.nsproxy, "nothing joined");
        assertEquals(0, Setns.setns(t, pidfd, (int) Sched.CLONE_NEWUTS));
        assertSame(other.nsproxy.uts(), t.nsproxy.uts());

        NsFs.Ns uts = new NsFs.Ns("uts", Sched.CLONE_NEWUTS, kernel.initNsProxy().uts().inum, kernel.initNsProxy().uts());
        FsPath utsPath = NsFs.path(t, uts);
        assertSame(utsPath.inode(), NsFs.path(t, uts).inode(), "one inode per namespace (ns->stashed)");
        assertEquals(UtsNamespace.PROC_UTS_INIT_INO, utsPath.inode().ino);
        int utsFd = t.group.files.install(utsPath.inode().open(t, utsPath, Fcntl.O_RDONLY), false, 0, nofile);
        assertEquals(0, Setns.setns(t, utsFd, 0));
        assertSame(kernel.initNsProxy().uts(), t.nsproxy.uts());
        assertEquals("uts:[4026531838]", NsFs.name(uts));
    }

    /** A single-threaded process sharing its table and fs_struct with another gets copies of its own. */
    @Test
    void sharedFilesAndFsAreCopied() {
        Task t = process(Cred.ROOT);
        FdTable files = t.group.files.share();
        FsContext fs = t.group.fs.share();
        assertEquals(0, Unshare.unshare(t, Sched.CLONE_FILES | Sched.CLONE_FS));
        assertNotSame(files, t.group.files);
        assertNotSame(fs, t.group.fs);
        assertFalse(files.isShared(), "the old table lost a user");
        assertFalse(fs.isShared());
        FdTable mine = t.group.files;
        assertEquals(0, Unshare.unshare(t, Sched.CLONE_FILES), "nothing shared: nothing to do");
        assertSame(mine, t.group.files);
    }
}
