package dev.kava.mm;

import dev.kava.abi.Fcntl;
import dev.kava.fs.Dentry;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Mount;
import dev.kava.fs.tmpfs.ShmemInode;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;

/**
 * Shared anonymous memory (shmem_zero_setup in mm/shmem.c): a MAP_SHARED|MAP_ANONYMOUS mapping,
 * or a MAP_SHARED mapping of /dev/zero, is a mapping of an unlinked file of the kernel's tmpfs
 * (shm_mnt) named "dev/zero", as long as the mapping. Its pages are that file's page cache,
 * created at their first touch; every mapping of it (a forked child's included) maps the same
 * frames, so fork copies nothing, and /proc/PID/maps shows "/dev/zero (deleted)".
 */
final class ShmemZero {
    private ShmemZero() {}

    /**
     * shmem_kernel_file_setup("dev/zero", size): the file, owned by the caller's fsuid and fsgid,
     * held by the one address space about to map it.
     */
    static Mmap.FileBacking setup(Mount shmMnt, long size, Cred owner) {
        ShmemInode inode = ShmemInode.memfd((Tmpfs) shmMnt.sb, owner, false, false);
        Dentry d = Dentry.tmpfile(shmMnt.root, inode, "dev/zero");
        File f = inode.open(null, new FsPath(shmMnt, d), Fcntl.O_RDWR | Fcntl.O_LARGEFILE);
        inode.truncate(size);
        return Mmap.FileBacking.owning((ExecFile) f);
    }
}
