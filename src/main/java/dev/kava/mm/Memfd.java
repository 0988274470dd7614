package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.Dentry;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Mount;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.tmpfs.ShmemFile;
import dev.kava.fs.tmpfs.ShmemInode;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * memfd_create and file sealing (mm/memfd.c): a memfd is an unnamed tmpfs file of the kernel's
 * internal tmpfs mount (shm_mnt), named "memfd:NAME" in /proc/PID/fd; F_ADD_SEALS/F_GET_SEALS
 * work on every tmpfs file (which starts sealed against sealing, F_SEAL_SEAL).
 */
public final class Memfd {
    private Memfd() {}

    /** MFD_NAME_MAX_LEN: NAME_MAX less "memfd:". */
    static final int MFD_NAME_MAX_LEN = 255 - 6;
    private static final int MFD_ALL_FLAGS = Fcntl.MFD_CLOEXEC | Fcntl.MFD_ALLOW_SEALING | Fcntl.MFD_HUGETLB
            | Fcntl.MFD_NOEXEC_SEAL | Fcntl.MFD_EXEC;

    /** shm_mnt of each kernel: a tmpfs mounted nowhere (kern_mount). */
    private static final Map<Kernel, Mount> SHM_MNT = new WeakHashMap<>();

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MEMFD_CREATE, (task, a) -> memfdCreate(task, a[0], (int) a[1]));
    }

    /** shm_mnt: the kernel's internal tmpfs, where memfds and System V shared memory segments live. */
    public static Mount shmMount(Kernel k) {
        synchronized (SHM_MNT) {
            return SHM_MNT.computeIfAbsent(k, kk -> {
                Tmpfs fs = Tmpfs.kernMount(kk.clock()::realtimeNanos, kk.pages());
                return MountNamespace.newMount(fs, fs.root(), 0);
            });
        }
    }

    static long memfdCreate(Task t, long nameAddr, int flags) {
        if ((flags & Fcntl.MFD_HUGETLB) == 0) {
            if ((flags & ~MFD_ALL_FLAGS) != 0) return -Errno.EINVAL;
        } else {
            if ((flags & ~(MFD_ALL_FLAGS | (Fcntl.MFD_HUGE_MASK << Fcntl.MFD_HUGE_SHIFT))) != 0) return -Errno.EINVAL;
        }
        if ((flags & Fcntl.MFD_EXEC) != 0 && (flags & Fcntl.MFD_NOEXEC_SEAL) != 0) return -Errno.EINVAL;
        // vm.memfd_noexec = 0 (the default): neither flag means MFD_EXEC.
        if ((flags & (Fcntl.MFD_EXEC | Fcntl.MFD_NOEXEC_SEAL)) == 0) flags |= Fcntl.MFD_EXEC;
        String name = t.mem.readCString(nameAddr, MFD_NAME_MAX_LEN + 1);
        if (name == null) return -Errno.EINVAL; // longer than MFD_NAME_MAX_LEN
        long limit = t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
        if (t.group.files.lowestFree(limit) < 0) return -Errno.EMFILE;
        // No huge pages are reserved (vm.nr_hugepages = 0): hugetlb_file_setup cannot make one.
        if ((flags & Fcntl.MFD_HUGETLB) != 0) return -Errno.ENOMEM;
        Mount shm = shmMount(t.kernel);
        ShmemInode inode = ShmemInode.memfd((Tmpfs) shm.sb, t.group.cred, (flags & Fcntl.MFD_NOEXEC_SEAL) != 0,
                (flags & Fcntl.MFD_ALLOW_SEALING) != 0);
        Dentry d = Dentry.tmpfile(shm.root, inode, "memfd:" + name);
        File f = inode.open(t, new FsPath(shm, d), Fcntl.O_RDWR | Fcntl.O_LARGEFILE);
        try {
            return t.group.files.install(f, (flags & Fcntl.MFD_CLOEXEC) != 0, 0, limit);
        } catch (RuntimeException e) {
            f.fput();
            throw e;
        }
    }

    /** Whether any process maps inode shared and writable (i_mmap_writable > 0). */
    private static boolean mappedWritable(Kernel k, ShmemInode inode) {
        for (dev.kava.kernel.TaskGroup g : k.allGroups()) {
            Mmap mm = g.mm;
            if (mm == null) continue;
            for (Mmap.Vma v : mm.vmas()) {
                if (v.shared() && (v.prot() & dev.kava.abi.Mman.PROT_WRITE) != 0 && v.file() instanceof Mmap.FileBacking fb
                        && fb.file() instanceof ShmemFile sf && sf.shmemInode() == inode) return true;
            }
        }
        return false;
    }

    /** memfd_fcntl: F_ADD_SEALS and F_GET_SEALS; EINVAL for files that are not tmpfs files. */
    public static long fcntl(Task t, File f, int cmd, long arg) {
        if (cmd == Fcntl.F_GET_SEALS) return f instanceof ShmemFile sf ? sf.shmemInode().seals() : -Errno.EINVAL;
        if (Long.compareUnsigned(arg, 0xffffffffL) > 0) return -Errno.EINVAL; // no upper 32 bits
        int seals = (int) arg;
        if (!f.writable()) return -Errno.EPERM;
        if ((seals & ~Fcntl.F_ALL_SEALS) != 0) return -Errno.EINVAL;
        if (!(f instanceof ShmemFile sf)) return -Errno.EINVAL;
        ShmemInode inode = sf.shmemInode();
        synchronized (inode.lock) {
            int cur = inode.seals();
            if ((cur & Fcntl.F_SEAL_SEAL) != 0) return -Errno.EPERM;
            // SEAL_EXEC implies SEAL_WRITE for an executable memfd: W^X from then on.
            if ((seals & Fcntl.F_SEAL_EXEC) != 0 && (inode.mode() & 0111) != 0) {
                seals |= Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW | Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE;
            }
            // mapping_deny_writable: a shared writable mapping of the file anywhere makes F_SEAL_WRITE busy.
            if ((seals & Fcntl.F_SEAL_WRITE) != 0 && (cur & Fcntl.F_SEAL_WRITE) == 0 && mappedWritable(t.kernel, inode)) {
                return -Errno.EBUSY;
            }
            inode.setSeals(cur | seals);
        }
        return 0;
    }
}
