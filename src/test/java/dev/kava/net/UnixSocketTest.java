package dev.kava.net;

import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import dev.kava.abi.Poll;
import dev.kava.abi.Resource;
import dev.kava.abi.Socket;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.PipeFile;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.AddressSpace;
import dev.kava.net.unix.UnixProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AF_UNIX from the kernel side: files in flight stay open exactly as long as a message holds
 * them, cycles of sockets in flight are collected, and socket creation is bounded by
 * RLIMIT_NOFILE without leaking sockets. Runs syscalls as a task of a kernel that never
 * schedules guest code; the task's user memory is a plain mapping.
 */
class UnixSocketTest {
    static Kernel kernel;
    static final AtomicInteger NEXT_TID = new AtomicInteger(7000);
    static final long MEM = 0x10000;

    @BeforeAll
    static void kernel() throws Exception {
        kernel = new Kernel(new Kernel.Config().root(Path.of(".")));
        SocketSyscalls.register(new dev.kava.kernel.SyscallTable()); // af_unix_init
    }

    static Task task() {
        int tid = NEXT_TID.getAndIncrement();
        TaskGroup g = new TaskGroup(kernel, tid, null, null, new FdTable(), null, new Rlimits(100));
        g.cred = Cred.ROOT;
        AddressSpace as = new AddressSpace();
        as.map(MEM, 0x10000, Mman.PROT_READ | Mman.PROT_WRITE);
        return new Task(kernel, g, tid, new Hart(as));
    }

    static int[] socketpair(Task t, int type) {
        assertEquals(0, SocketSyscalls.socketpair(t, Socket.AF_UNIX, type, 0, MEM));
        return new int[]{t.mem.read32(MEM), t.mem.read32(MEM + 4)};
    }

    /** close(2): the descriptor goes; the file is released when nothing refers to it any more. */
    static void close(Task t, int fd) {
        File f = t.group.files.remove(fd);
        if (!t.group.files.refersTo(f)) f.fput();
    }

    /** sendmsg of one byte with an SCM_RIGHTS message carrying fds. */
    static long sendFds(Task t, int sock, int... fds) {
        long iov = MEM + 0x100, ctl = MEM + 0x200, msg = MEM + 0x800, data = MEM + 0x40;
        t.mem.write(data, new byte[]{'x'});
        t.mem.write64(iov, data);
        t.mem.write64(iov + 8, 1);
        int len = (int) Socket.cmsgLen(4L * fds.length);
        byte[] c = new byte[(int) Socket.cmsgSpace(4L * fds.length)];
        Uaccess.putLong(c, 0, len);
        Uaccess.putInt(c, 8, Socket.SOL_SOCKET);
        Uaccess.putInt(c, 12, Socket.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) Uaccess.putInt(c, 16 + 4 * i, fds[i]);
        t.mem.write(ctl, c);
        byte[] m = new byte[Socket.MSGHDR_SIZE];
        Uaccess.putLong(m, Socket.MSG_IOV, iov);
        Uaccess.putLong(m, Socket.MSG_IOVLEN, 1);
        Uaccess.putLong(m, Socket.MSG_CONTROL, ctl);
        Uaccess.putLong(m, Socket.MSG_CONTROLLEN, c.length);
        t.mem.write(msg, m);
        return SocketSyscalls.sendmsg(t, sock, msg, 0);
    }

    /** recvmsg with room for n descriptors; returns the descriptors received. */
    static int[] recvFds(Task t, int sock, int n) {
        long iov = MEM + 0x1100, ctl = MEM + 0x1200, msg = MEM + 0x1800, data = MEM + 0x1040;
        t.mem.write64(iov, data);
        t.mem.write64(iov + 8, 16);
        byte[] m = new byte[Socket.MSGHDR_SIZE];
        Uaccess.putLong(m, Socket.MSG_IOV, iov);
        Uaccess.putLong(m, Socket.MSG_IOVLEN, 1);
        Uaccess.putLong(m, Socket.MSG_CONTROL, ctl);
        Uaccess.putLong(m, Socket.MSG_CONTROLLEN, Socket.cmsgSpace(4L * n));
        t.mem.write(msg, m);
        assertEquals(1, SocketSyscalls.recvmsg(t, sock, msg, Socket.MSG_DONTWAIT));
        long got = t.mem.read64(msg + Socket.MSG_CONTROLLEN);
        if (got == 0) return new int[0];
        int count = (int) ((t.mem.read64(ctl) - Socket.CMSGHDR_SIZE) / 4);
        int[] fds = new int[count];
        for (int i = 0; i < count; i++) fds[i] = t.mem.read32(ctl + 16 + 4L * i);
        return fds;
    }

    static boolean hup(Task t, File readEnd) {
        return (readEnd.poll(t) & Poll.POLLHUP) != 0;
    }

    @Test
    void aFileInFlightLivesUntilTheMessageIsReceivedOrDiscarded() {
        Task t = task();
        int[] sv = socketpair(t, Socket.SOCK_DGRAM);
        PipeFile[] ends = PipeFile.createPair(0);
        int r = t.group.files.install(ends[0], false, 0, 1024);
        int w = t.group.files.install(ends[1], false, 0, 1024);

        // Sent, then the sender's descriptor closed: only the message holds the write end.
        assertEquals(1, sendFds(t, sv[0], w));
        close(t, w);
        assertEquals(1, FdTable.refCount(ends[1]));
        assertTrue(!hup(t, ends[0]), "the write end was released while in flight");

        // Received: it has a descriptor again, and closing that releases it.
        int[] got = recvFds(t, sv[1], 1);
        assertEquals(1, got.length);
        assertTrue(t.group.files.get(got[0]) == ends[1]);
        assertEquals(1, FdTable.refCount(ends[1]));
        close(t, got[0]);
        assertEquals(0, FdTable.refCount(ends[1]));
        assertTrue(hup(t, ends[0]), "the write end outlived its last reference");

        // Another in flight; this time the receiving socket closes with the message unread.
        PipeFile[] ends2 = PipeFile.createPair(0);
        int w2 = t.group.files.install(ends2[1], false, 0, 1024);
        assertEquals(1, sendFds(t, sv[0], w2, w2, w2));
        close(t, w2);
        assertEquals(3, FdTable.refCount(ends2[1]));
        assertTrue(!hup(t, ends2[0]));
        close(t, sv[1]);
        assertEquals(0, FdTable.refCount(ends2[1]));
        assertTrue(hup(t, ends2[0]), "discarding the message did not release the file");
        close(t, sv[0]);
        close(t, r);
    }

    @Test
    void aCycleOfSocketsInFlightIsCollected() {
        Task t = task();
        int before = UnixProto.liveSockets(kernel);
        int[] sv = socketpair(t, Socket.SOCK_STREAM);
        PipeFile[] ends = PipeFile.createPair(0);
        int w = t.group.files.install(ends[1], false, 0, 1024);
        File a = t.group.files.get(sv[0]), b = t.group.files.get(sv[1]);
        // Each end travels in its peer's queue (a's message sits in b's queue and the other way round).
        assertEquals(1, sendFds(t, sv[0], sv[0], w));
        assertEquals(1, sendFds(t, sv[1], sv[1]));
        assertEquals(1, UnixProto.inflight(a));
        close(t, w);
        close(t, sv[0]);
        close(t, sv[1]);
        // Nothing but the cycle refers to them now; releasing any socket runs the collector.
        assertEquals(1, FdTable.refCount(a));
        assertTrue(!hup(t, ends[0]));
        int[] other = socketpair(t, Socket.SOCK_DGRAM);
        close(t, other[0]);
        close(t, other[1]);
        assertEquals(0, FdTable.refCount(a));
        assertEquals(0, FdTable.refCount(b));
        assertTrue(hup(t, ends[0]), "the pipe in the cycle was not released");
        assertEquals(before, UnixProto.liveSockets(kernel));
    }

    @Test
    void aSocketReachableFromADescriptorIsNotCollected() {
        Task t = task();
        int[] sv = socketpair(t, Socket.SOCK_DGRAM);
        int[] carrier = socketpair(t, Socket.SOCK_DGRAM);
        File a = t.group.files.get(sv[0]);
        // a travels to carrier[1], which still has a descriptor: a stays.
        assertEquals(1, sendFds(t, carrier[0], sv[0]));
        close(t, sv[0]);
        int[] other = socketpair(t, Socket.SOCK_DGRAM);
        close(t, other[0]);
        close(t, other[1]);
        assertEquals(1, FdTable.refCount(a));
        int[] got = recvFds(t, carrier[1], 1);
        assertTrue(t.group.files.get(got[0]) == a);
        for (int fd : new int[]{got[0], sv[1], carrier[0], carrier[1]}) close(t, fd);
        assertEquals(0, FdTable.refCount(a));
    }

    @Test
    void tenThousandSocketsAgainstRlimitNofile() {
        Task t = task();
        t.group.rlimits.set(Resource.RLIMIT_NOFILE, 256, 256);
        int before = UnixProto.liveSockets(kernel);
        List<Integer> fds = new ArrayList<>();
        int emfile = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                fds.add((int) SocketSyscalls.socket(t, Socket.AF_UNIX, Socket.SOCK_STREAM, 0));
            } catch (ErrnoException e) {
                assertEquals(Errno.EMFILE, e.errno);
                emfile++;
            }
        }
        assertEquals(256, fds.size());
        assertEquals(10_000 - 256, emfile);
        assertEquals(before + 256, UnixProto.liveSockets(kernel), "a socket that found no descriptor was kept");
        // socketpair and accept need descriptors too.
        ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class,
                () -> SocketSyscalls.socketpair(t, Socket.AF_UNIX, Socket.SOCK_STREAM, 0, MEM));
        assertEquals(Errno.EMFILE, e.errno);
        assertEquals(before + 256, UnixProto.liveSockets(kernel));
        for (int fd : fds) close(t, fd);
        assertEquals(before, UnixProto.liveSockets(kernel), "closing every descriptor left sockets behind");

        // Creating and closing pairs over and over leaks nothing either.
        for (int i = 0; i < 5_000; i++) {
            int[] sv = socketpair(t, Socket.SOCK_SEQPACKET);
            close(t, sv[0]);
            close(t, sv[1]);
        }
        assertEquals(before, UnixProto.liveSockets(kernel));
        assertNotEquals(0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }
}
