package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ipc;
import dev.kava.abi.Mman;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.Dentry;
import dev.kava.fs.FsPath;
import dev.kava.fs.Mount;
import dev.kava.fs.tmpfs.ShmemFile;
import dev.kava.fs.tmpfs.ShmemInode;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.Memfd;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System V shared memory (ipc/shm.c): shmget, shmat, shmdt and shmctl. A segment's pages are
 * a file of the kernel's internal tmpfs (shm_mnt), named "SYSV%08x" after its key, which
 * shmat maps shared; a segment removed while attached (SHM_DEST) lives until its last area
 * goes, at shmdt, at exit or exec ({@link #exitMmap}), or, for an area simply munmap'ed, at the
 * next IPC call that looks at it.
 */
public final class Shm {
    private Shm() {}

    /** SHM_HUGETLB and SHM_NORESERVE (include/linux/shm.h): shmget flags beyond the permission bits. */
    static final int SHM_HUGETLB = 04000;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SHMGET, (task, a) -> shmget(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.SHMAT, (task, a) -> shmat(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.SHMDT, (task, a) -> shmdt(task, a[0]));
        t.register(SyscallNr.SHMCTL, (task, a) -> shmctl(task, (int) a[0], (int) a[1], a[2]));
    }

    // ---- shmget ----

    static long shmget(Task t, int key, long size, int shmflg) {
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        reap(ns);
        return IpcUtil.ipcget(t, ns.shmIds, key, shmflg, new IpcUtil.Ops<>() {
            @Override
            public int newObject(Task task, int k, int flg) {
                return newseg(task, ns, k, size, flg);
            }

            @Override
            public void moreChecks(ShmSegment seg) {
                // shm_more_checks: an existing segment smaller than asked for.
                if (Long.compareUnsigned(seg.segsz, size) < 0) throw ErrnoException.of(Errno.EINVAL);
            }
        });
    }

    /** newseg: the limits, the tmpfs file, then the table. Caller holds the table's lock. */
    private static int newseg(Task t, IpcNamespace ns, int key, long size, int shmflg) {
        long numpages = Long.divideUnsigned(size + Page.MASK, Page.SIZE);
        if (Long.compareUnsigned(size, 1) < 0 || Long.compareUnsigned(size, ns.shmCtlMax) > 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (Long.compareUnsigned(numpages << Page.SHIFT, size) < 0) throw ErrnoException.of(Errno.ENOSPC);
        if (Long.compareUnsigned(ns.shmTot + numpages, ns.shmTot) < 0
                || Long.compareUnsigned(ns.shmTot + numpages, ns.shmCtlAll) > 0) {
            throw ErrnoException.of(Errno.ENOSPC);
        }
        // No huge pages are reserved (vm.nr_hugepages = 0): hugetlb_file_setup cannot make one.
        if ((shmflg & SHM_HUGETLB) != 0) throw ErrnoException.of(Errno.ENOMEM);
        if (ns.shmIds.inUse() >= Math.min(ns.shmCtlMni, Ipc.IPCMNI)) throw ErrnoException.of(Errno.ENOSPC);
        // shmem_kernel_file_setup: an unnamed file of shm_mnt, i_size = size.
        Mount shm = Memfd.shmMount(t.kernel);
        ShmemInode inode = ShmemInode.memfd((Tmpfs) shm.sb, t.group.cred, false, false);
        Dentry d = Dentry.tmpfile(shm.root, inode, String.format("SYSV%08x", key));
        ShmemFile file = (ShmemFile) inode.open(t, new FsPath(shm, d), Fcntl.O_RDWR | Fcntl.O_LARGEFILE);
        inode.truncate(size);
        ShmSegment seg = new ShmSegment(ns, key, shmflg & IpcUtil.S_IRWXUGO, file, size);
        IpcUtil.setOwner(t, seg);
        seg.cprid = t.group.tgid;
        seg.ctime = IpcUtil.now(t);
        int id;
        try {
            id = ns.shmIds.add(seg, ns.shmCtlMni);
        } catch (ErrnoException e) {
            file.fput();
            throw e;
        }
        ns.shmTot += numpages;
        return id;
    }

    // ---- shmat and shmdt ----

    /** do_shmat: the address checks, the permission to the access asked for, then a shared mapping. */
    static long shmat(Task t, int shmid, long addr, int shmflg) {
        if (shmid < 0) return -Errno.EINVAL;
        int flags = Mman.MAP_SHARED;
        if (addr != 0) {
            if ((addr & (dev.kava.abi.Shm.SHMLBA - 1)) != 0) {
                if ((shmflg & dev.kava.abi.Shm.SHM_RND) != 0) {
                    addr &= ~(dev.kava.abi.Shm.SHMLBA - 1);
                    // A round-down to 0 cannot be remapped.
                    if (addr == 0 && (shmflg & dev.kava.abi.Shm.SHM_REMAP) != 0) return -Errno.EINVAL;
                } else if ((addr & Page.MASK) != 0) {
                    return -Errno.EINVAL;
                }
            }
            flags |= Mman.MAP_FIXED;
        } else if ((shmflg & dev.kava.abi.Shm.SHM_REMAP) != 0) {
            return -Errno.EINVAL;
        }
        int prot, accMode;
        boolean rdonly = (shmflg & dev.kava.abi.Shm.SHM_RDONLY) != 0;
        if (rdonly) {
            prot = Mman.PROT_READ;
            accMode = IpcUtil.S_IRUGO;
        } else {
            prot = Mman.PROT_READ | Mman.PROT_WRITE;
            accMode = IpcUtil.S_IRUGO | IpcUtil.S_IWUGO;
        }
        if ((shmflg & dev.kava.abi.Shm.SHM_EXEC) != 0) {
            prot |= Mman.PROT_EXEC;
            accMode |= IpcUtil.S_IXUGO;
        }
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        ShmSegment seg = ns.shmIds.check(shmid);
        synchronized (seg) {
            if (!IpcUtil.ipcperms(t.group, seg, accMode)) return -Errno.EACCES;
            if (seg.deleted) return -Errno.EIDRM;
        }
        long size = seg.segsz;
        Mmap mm = t.group.mm;
        long r;
        if (addr != 0 && (shmflg & dev.kava.abi.Shm.SHM_REMAP) == 0) {
            if (addr + size < addr) return -Errno.EINVAL;
            Mmap.Vma v = mm.findVma(addr);
            if (v != null && Long.compareUnsigned(v.start(), addr + size) < 0) return -Errno.EINVAL;
        }
        // A backing of its own per attach: its areas are this attach's (shm_file_data).
        Mmap.FileBacking backing = new Mmap.FileBacking(seg.file, true, !rdonly);
        r = mm.mmap(addr, size, prot, flags, backing, 0);
        if (r >= 0) {
            synchronized (seg) {
                // shm_open via shm_mmap: the attach time and the last operator.
                seg.atime = IpcUtil.now(t);
                seg.lprid = t.group.tgid;
            }
        }
        mayDestroy(seg);
        return r;
    }

    /**
     * ksys_shmdt: finds the first area at or above addr that maps a segment from its start
     * (its page offset equals its distance from addr), unmaps it, then every later area of the
     * same attach within the segment's size. EINVAL when there is none.
     */
    static long shmdt(Task t, long addr) {
        if ((addr & Page.MASK) != 0) return -Errno.EINVAL;
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        Map<ShmemFile, ShmSegment> segs = segmentsByFile(ns);
        Mmap mm = t.group.mm;
        List<Mmap.Vma> vmas = mm.vmas();
        Mmap.Backing attach = null;
        ShmSegment seg = null;
        long size = 0;
        int i = 0;
        for (; i < vmas.size(); i++) {
            Mmap.Vma v = vmas.get(i);
            if (Long.compareUnsigned(v.end(), addr) <= 0) continue;
            ShmSegment s = segmentOf(segs, v);
            if (s != null && startsAttach(v, addr)) {
                attach = v.file();
                seg = s;
                size = s.segsz;
                mm.munmap(v.start(), v.end() - v.start());
                i++;
                break;
            }
        }
        if (seg == null) return -Errno.EINVAL;
        size = Mmap.pageAlign(size);
        for (; i < vmas.size(); i++) {
            Mmap.Vma v = vmas.get(i);
            if (Long.compareUnsigned(v.end() - addr, size) > 0) break;
            if (v.file() == attach && startsAttach(v, addr)) mm.munmap(v.start(), v.end() - v.start());
        }
        closed(t, seg);
        return 0;
    }

    /** (vm_start - addr) / PAGE_SIZE == vm_pgoff, in unsigned arithmetic. */
    private static boolean startsAttach(Mmap.Vma v, long addr) {
        return Long.divideUnsigned(v.start() - addr, Page.SIZE) == v.fileOffset() >>> Page.SHIFT;
    }

    private static ShmSegment segmentOf(Map<ShmemFile, ShmSegment> segs, Mmap.Vma v) {
        return v.file() instanceof Mmap.FileBacking fb && fb.file() instanceof ShmemFile f ? segs.get(f) : null;
    }

    private static Map<ShmemFile, ShmSegment> segmentsByFile(IpcNamespace ns) {
        Map<ShmemFile, ShmSegment> m = new HashMap<>();
        for (ShmSegment s : ns.shmIds.all()) m.put(s.file, s);
        return m;
    }

    /** shm_close: an area of seg went; the detach time, the last operator, and maybe the end of a removed segment. */
    private static void closed(Task t, ShmSegment seg) {
        synchronized (seg) {
            seg.lprid = t.group.tgid;
            seg.dtime = IpcUtil.now(t);
        }
        mayDestroy(seg);
    }

    /**
     * exit_mmap and exec's mmput of the last user of an address space: the areas vmas held
     * were all closed by the task of process tgid (shm_close for each).
     */
    public static void exitMmap(Kernel k, List<Mmap.Vma> vmas, int tgid) {
        IpcNamespace ns = IpcNamespace.of(k);
        if (ns.shmIds.inUse() == 0) return;
        Map<ShmemFile, ShmSegment> segs = segmentsByFile(ns);
        Set<ShmSegment> touched = new LinkedHashSet<>();
        for (Mmap.Vma v : vmas) {
            ShmSegment s = segmentOf(segs, v);
            if (s != null) touched.add(s);
        }
        long now = Math.floorDiv(k.clock().realtimeNanos(), 1_000_000_000L);
        for (ShmSegment s : touched) {
            synchronized (s) {
                if (tgid != 0) s.lprid = tgid;
                s.dtime = now;
            }
            mayDestroy(s);
        }
    }

    /** shm_may_destroy: a removed segment (SHM_DEST) with no areas left ends now. */
    private static void mayDestroy(ShmSegment seg) {
        IpcNamespace ns = seg.ns;
        synchronized (ns.shmIds) {
            boolean dest;
            synchronized (seg) {
                dest = !seg.deleted && (seg.mode & dev.kava.abi.Shm.SHM_DEST) != 0;
            }
            if (dest && seg.nattch() == 0) destroy(ns, seg);
        }
    }

    /** Ends removed segments whose last area was simply munmap'ed (no hook tells this class of it). */
    static void reap(IpcNamespace ns) {
        for (ShmSegment s : ns.shmIds.all()) {
            if ((s.mode() & dev.kava.abi.Shm.SHM_DEST) != 0) mayDestroy(s);
        }
    }

    /** shm_destroy: out of the table, out of shm_tot, unlocked, and its pages freed. Caller holds the table's lock. */
    private static void destroy(IpcNamespace ns, ShmSegment seg) {
        ns.shmIds.remove(seg);
        ns.shmTot -= seg.pages();
        unlockPages(ns, seg);
        // No area maps the file any more: its pages go back now rather than when the
        // backings of past attaches are collected.
        seg.file.shmemInode().truncate(0);
        seg.file.fput();
    }

    // ---- shmctl ----

    static long shmctl(Task t, int shmid, int cmd, long buf) {
        if (cmd < 0 || shmid < 0) return -Errno.EINVAL;
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        reap(ns);
        switch (cmd) {
            case Ipc.IPC_INFO -> {
                byte[] b = new byte[dev.kava.abi.Shm.SHMINFO64_SIZE];
                Uaccess.putLong(b, 0, ns.shmCtlMax);
                Uaccess.putLong(b, 8, dev.kava.abi.Shm.SHMMIN);
                Uaccess.putLong(b, 16, ns.shmCtlMni);
                Uaccess.putLong(b, 24, ns.shmCtlMni); // shmseg
                Uaccess.putLong(b, 32, ns.shmCtlAll);
                int r = Math.max(ns.shmIds.maxIndex(), 0);
                t.mem.write(buf, b);
                return r;
            }
            case dev.kava.abi.Shm.SHM_INFO -> {
                byte[] b = new byte[dev.kava.abi.Shm.SHM_INFO_SIZE];
                long tot, rss = 0;
                synchronized (ns.shmIds) {
                    Uaccess.putInt(b, 0, ns.shmIds.inUse());
                    tot = ns.shmTot;
                    for (ShmSegment s : ns.shmIds.all()) rss += s.rssPages();
                }
                Uaccess.putLong(b, 8, tot);
                Uaccess.putLong(b, 16, rss);
                int r = Math.max(ns.shmIds.maxIndex(), 0);
                t.mem.write(buf, b);
                return r;
            }
            case dev.kava.abi.Shm.SHM_STAT, dev.kava.abi.Shm.SHM_STAT_ANY, Ipc.IPC_STAT -> {
                return stat(t, ns, shmid, cmd, buf);
            }
            case Ipc.IPC_SET -> {
                byte[] b = t.mem.read(buf, dev.kava.abi.Shm.SHMID64_DS_SIZE);
                return down(t, ns, shmid, cmd, IpcUtil.PermSet.read(b, 0));
            }
            case Ipc.IPC_RMID -> {
                return down(t, ns, shmid, cmd, null);
            }
            case dev.kava.abi.Shm.SHM_LOCK, dev.kava.abi.Shm.SHM_UNLOCK -> {
                return lock(t, ns, shmid, cmd);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** shmctl_stat: IPC_STAT by id, SHM_STAT and SHM_STAT_ANY by index (returning the id). */
    private static long stat(Task t, IpcNamespace ns, int shmid, int cmd, long buf) {
        ShmSegment seg = cmd == Ipc.IPC_STAT ? ns.shmIds.check(shmid) : ns.shmIds.byIndex(shmid);
        byte[] b = new byte[dev.kava.abi.Shm.SHMID64_DS_SIZE];
        long nattch = seg.nattch();
        synchronized (seg) {
            // SHM_STAT_ANY is /proc/sysvipc's view: no read permission needed.
            if (cmd != dev.kava.abi.Shm.SHM_STAT_ANY && !IpcUtil.ipcperms(t.group, seg, IpcUtil.S_IRUGO)) {
                return -Errno.EACCES;
            }
            if (seg.deleted) return -Errno.EIDRM;
            seg.toIpc64Perm(b, 0);
            Uaccess.putLong(b, dev.kava.abi.Shm.SHM_SEGSZ, seg.segsz);
            Uaccess.putLong(b, dev.kava.abi.Shm.SHM_ATIME, seg.atime);
            Uaccess.putLong(b, dev.kava.abi.Shm.SHM_DTIME, seg.dtime);
            Uaccess.putLong(b, dev.kava.abi.Shm.SHM_CTIME, seg.ctime);
            Uaccess.putInt(b, dev.kava.abi.Shm.SHM_CPID, seg.cprid);
            Uaccess.putInt(b, dev.kava.abi.Shm.SHM_LPID, seg.lprid);
            Uaccess.putLong(b, dev.kava.abi.Shm.SHM_NATTCH, nattch);
        }
        t.mem.write(buf, b);
        return cmd == Ipc.IPC_STAT ? 0 : seg.id;
    }

    /** shmctl_down: IPC_SET and IPC_RMID, for the segment's owner, creator or CAP_SYS_ADMIN. */
    private static long down(Task t, IpcNamespace ns, int shmid, int cmd, IpcUtil.PermSet set) {
        synchronized (ns.shmIds) {
            ShmSegment seg = ns.shmIds.check(shmid);
            synchronized (seg) {
                IpcUtil.checkOwner(t, seg);
                if (cmd == Ipc.IPC_SET) {
                    IpcUtil.updatePerm(set, seg);
                    seg.ctime = IpcUtil.now(t);
                    return 0;
                }
            }
            // do_shm_rmid: an attached segment only loses its key, and ends at its last detach.
            if (seg.nattch() > 0) {
                synchronized (seg) {
                    seg.mode |= dev.kava.abi.Shm.SHM_DEST;
                }
                ns.shmIds.setKeyPrivate(seg);
            } else {
                destroy(ns, seg);
            }
            return 0;
        }
    }

    /** shmctl_do_lock: SHM_LOCK and SHM_UNLOCK, charged to RLIMIT_MEMLOCK unless CAP_IPC_LOCK. */
    private static long lock(Task t, IpcNamespace ns, int shmid, int cmd) {
        ShmSegment seg = ns.shmIds.check(shmid);
        synchronized (seg) {
            if (seg.deleted) return -Errno.EIDRM;
            boolean cap = IpcUtil.capable(t.group);
            int euid = t.group.cred.euid();
            if (!cap) {
                if (euid != seg.uid && euid != seg.cuid) return -Errno.EPERM;
                if (cmd == dev.kava.abi.Shm.SHM_LOCK && t.group.rlimits.cur(Resource.RLIMIT_MEMLOCK) == 0) return -Errno.EPERM;
            }
            if (cmd == dev.kava.abi.Shm.SHM_LOCK) {
                if ((seg.mode & dev.kava.abi.Shm.SHM_LOCKED) != 0) return 0;
                // user_shm_lock: the segment's pages against the caller's RLIMIT_MEMLOCK.
                long limit = t.group.rlimits.cur(Resource.RLIMIT_MEMLOCK);
                synchronized (ns.lockedShmPages) {
                    long now = ns.lockedShmPages.getOrDefault(euid, 0L) + seg.pages();
                    if (!cap && limit != Resource.RLIM_INFINITY && now > (limit >>> Page.SHIFT)) return -Errno.ENOMEM;
                    ns.lockedShmPages.put(euid, now);
                }
                seg.lockedBy = euid;
                seg.mode |= dev.kava.abi.Shm.SHM_LOCKED;
                return 0;
            }
            if ((seg.mode & dev.kava.abi.Shm.SHM_LOCKED) == 0) return 0;
            unlockPages(ns, seg);
            seg.mode &= ~dev.kava.abi.Shm.SHM_LOCKED;
            return 0;
        }
    }

    /** user_shm_unlock: the pages SHM_LOCK charged go back to the uid that locked them. */
    private static void unlockPages(IpcNamespace ns, ShmSegment seg) {
        synchronized (seg) {
            if (seg.lockedBy < 0) return;
            synchronized (ns.lockedShmPages) {
                ns.lockedShmPages.merge(seg.lockedBy, -seg.pages(), Long::sum);
            }
            seg.lockedBy = -1;
        }
    }

    // ---- /proc/sysvipc/shm ----

    /** The header and one line per segment, as sysvipc_shm_proc_show prints them (64-bit). */
    public static String procShow(Kernel k) {
        IpcNamespace ns = IpcNamespace.of(k);
        reap(ns);
        StringBuilder sb = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
                + "  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
        for (ShmSegment s : ns.shmIds.all()) {
            long nattch = s.nattch();
            long rss = s.rssPages() << Page.SHIFT;
            synchronized (s) {
                sb.append(String.format("%10d %10d  %4o %21s %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21s %21s\n",
                        s.key, s.id, s.mode, Long.toUnsignedString(s.segsz), s.cprid, s.lprid, nattch,
                        Integer.toUnsignedLong(s.uid), Integer.toUnsignedLong(s.gid), Integer.toUnsignedLong(s.cuid),
                        Integer.toUnsignedLong(s.cgid), s.atime, s.dtime, s.ctime, Long.toString(rss), "0"));
            }
        }
        return sb.toString();
    }
}
