package dev.kava.abi;

/**
 * System V shared memory ABI (include/uapi/linux/shm.h, include/linux/shm.h for the kernel-set
 * mode bits, include/uapi/asm-generic/shmbuf.h for the 64-bit struct shmid64_ds, shminfo64).
 */
public final class Shm {
    private Shm() {}

    /** Default limits of a new IPC namespace (include/uapi/linux/shm.h, 64-bit). */
    public static final long SHMMAX = -1L - (1L << 24); // ULONG_MAX - (1UL << 24)
    public static final long SHMALL = -1L - (1L << 24);
    public static final int SHMMIN = 1;
    public static final int SHMMNI = 4096;
    public static final int SHMSEG = SHMMNI;

    /** shmat flags. */
    public static final int SHM_RDONLY = 010000;
    public static final int SHM_RND = 020000;
    public static final int SHM_REMAP = 040000;
    public static final int SHM_EXEC = 0100000;

    /** Bits the kernel keeps in shm_perm.mode (include/linux/shm.h). */
    public static final int SHM_DEST = 01000;
    public static final int SHM_LOCKED = 02000;

    /** shmctl commands. */
    public static final int SHM_LOCK = 11;
    public static final int SHM_UNLOCK = 12;
    public static final int SHM_STAT = 13;
    public static final int SHM_INFO = 14;
    public static final int SHM_STAT_ANY = 15;

    /** SHMLBA: riscv64 uses asm-generic/shmparam.h, one page. */
    public static final long SHMLBA = 4096;

    /**
     * struct shmid64_ds (64-bit): shm_perm 0, shm_segsz 48, shm_atime 56, shm_dtime 64,
     * shm_ctime 72, shm_cpid 80, shm_lpid 84, shm_nattch 88, two unused longs; 112 bytes.
     */
    public static final int SHMID64_DS_SIZE = 112;
    public static final int SHM_SEGSZ = 48, SHM_ATIME = 56, SHM_DTIME = 64, SHM_CTIME = 72, SHM_CPID = 80,
            SHM_LPID = 84, SHM_NATTCH = 88;

    /** struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall, four unused longs; 72 bytes. */
    public static final int SHMINFO64_SIZE = 72;

    /**
     * struct shm_info: used_ids (int, then 4 bytes of padding), shm_tot 8, shm_rss 16,
     * shm_swp 24, swap_attempts 32, swap_successes 40; 48 bytes.
     */
    public static final int SHM_INFO_SIZE = 48;
}
