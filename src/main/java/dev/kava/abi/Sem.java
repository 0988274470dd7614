package dev.kava.abi;

/**
 * System V semaphore ABI (include/uapi/linux/sem.h; include/uapi/asm-generic/sembuf.h for the
 * 64-bit struct semid64_ds).
 */
public final class Sem {
    private Sem() {}

    /** semop flag. */
    public static final int SEM_UNDO = 0x1000;

    /** semctl commands. */
    public static final int GETPID = 11;
    public static final int GETVAL = 12;
    public static final int GETALL = 13;
    public static final int GETNCNT = 14;
    public static final int GETZCNT = 15;
    public static final int SETVAL = 16;
    public static final int SETALL = 17;
    public static final int SEM_STAT = 18;
    public static final int SEM_INFO = 19;
    public static final int SEM_STAT_ANY = 20;

    /** Default limits. */
    public static final int SEMMNI = 32000;
    public static final int SEMMSL = 32000;
    public static final int SEMMNS = SEMMNI * SEMMSL;
    public static final int SEMOPM = 500;
    public static final int SEMVMX = 32767;
    public static final int SEMAEM = SEMVMX;
    public static final int SEMUME = SEMOPM;
    public static final int SEMMNU = SEMMNS;
    public static final int SEMMAP = SEMMNS;
    public static final int SEMUSZ = 20;

    /** struct sembuf: sem_num (u16) 0, sem_op (s16) 2, sem_flg (s16) 4; 6 bytes. */
    public static final int SEMBUF_SIZE = 6;

    /**
     * struct semid64_ds (64-bit): sem_perm 0, sem_otime 48, sem_ctime 56, sem_nsems 64, two
     * unused longs; 88 bytes.
     */
    public static final int SEMID64_DS_SIZE = 88;
    public static final int SEM_OTIME = 48, SEM_CTIME = 56, SEM_NSEMS = 64;

    /** struct seminfo: ten ints (semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem). */
    public static final int SEMINFO_SIZE = 40;
}
