package dev.kava.ipc;

import dev.kava.fs.tmpfs.ShmemFile;
import dev.kava.kernel.TaskGroup;
import dev.kava.mm.Mmap;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * struct shmid_kernel (ipc/shm.c): a System V shared memory segment, whose pages are a file
 * of the kernel's internal tmpfs (shm_file). Every shmat maps that file shared through a
 * backing of its own (Linux's per-attach struct shm_file_data), so the areas of one attach
 * are told apart from another's, and shm_nattch is the number of areas, in every address
 * space, that map the segment: it is counted from the address spaces rather than kept by
 * open/close hooks, so fork, exit, exec and munmap keep it right without telling this class.
 */
final class ShmSegment extends KernIpcPerm {
    final IpcNamespace ns;
    final ShmemFile file;
    final long segsz;
    long atime, dtime, ctime;
    int cprid, lprid;
    /** The uid whose RLIMIT_MEMLOCK SHM_LOCK charged (mlock_ucounts), or -1. */
    int lockedBy = -1;

    ShmSegment(IpcNamespace ns, int key, int mode, ShmemFile file, long segsz) {
        super(key, mode);
        this.ns = ns;
        this.file = file;
        this.segsz = segsz;
    }

    /** The segment's size in pages (numpages). */
    long pages() {
        return (segsz + dev.kava.mm.Page.MASK) >>> dev.kava.mm.Page.SHIFT;
    }

    /** Whether an area maps this segment (vma->vm_ops == &shm_vm_ops for this segment's file). */
    boolean maps(Mmap.Vma v) {
        return v.file() instanceof Mmap.FileBacking fb && fb.file() == file;
    }

    /** shm_nattch: the areas of every address space that map this segment. */
    long nattch() {
        Map<Mmap, Boolean> seen = new IdentityHashMap<>();
        long n = 0;
        for (TaskGroup g : ns.kernel.allGroups()) {
            Mmap mm = g.mm;
            if (mm == null || seen.put(mm, Boolean.TRUE) != null) continue;
            for (Mmap.Vma v : mm.vmas()) if (maps(v)) n++;
        }
        return n;
    }

    /** Pages of the segment in memory (shm_get_stat's rss). */
    long rssPages() {
        return file.shmemInode().getattr().blocks() / 8;
    }
}
