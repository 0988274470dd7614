package dev.kava.ipc;

import dev.kava.abi.Mqueue;
import dev.kava.abi.Msg;
import dev.kava.abi.Sem;
import dev.kava.abi.Shm;
import dev.kava.kernel.Kernel;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * struct ipc_namespace (include/linux/ipc_namespace.h): the three System V ID tables, their
 * limits (the kernel.shm*, kernel.sem and kernel.msg* sysctls) and the POSIX message queue
 * limits (fs.mqueue.*). kava has one IPC namespace per kernel, the initial one; everything
 * reaches it through {@link #of}, so a per-task namespace needs only that lookup changed.
 */
public final class IpcNamespace {
    private static final Map<Kernel, IpcNamespace> BY_KERNEL = new WeakHashMap<>();

    public final Kernel kernel;
    public final IpcIds<ShmSegment> shmIds = new IpcIds<>();
    public final IpcIds<SemArray> semIds = new IpcIds<>();
    public final IpcIds<MsgQueue> msgIds = new IpcIds<>();

    /** kernel.shmmax (bytes), kernel.shmall (pages), kernel.shmmni. */
    public volatile long shmCtlMax = Shm.SHMMAX;
    public volatile long shmCtlAll = Shm.SHMALL;
    public volatile int shmCtlMni = Shm.SHMMNI;
    /** Pages of all segments (shm_tot), guarded by shmIds. */
    long shmTot;
    /** Pages of segments SHM_LOCK locked, by the uid charged (its UCOUNT_RLIMIT_MEMLOCK share); guarded by itself. */
    final Map<Integer, Long> lockedShmPages = new java.util.HashMap<>();

    /** kernel.sem: semmsl, semmns, semopm, semmni (sem_ctls). */
    public volatile int semMsl = Sem.SEMMSL, semMns = Sem.SEMMNS, semOpm = Sem.SEMOPM, semMni = Sem.SEMMNI;
    /** Semaphores in all sets (used_sems), guarded by semIds. */
    int usedSems;

    /** kernel.msgmax, kernel.msgmnb, kernel.msgmni. */
    public volatile int msgCtlMax = Msg.MSGMAX, msgCtlMnb = Msg.MSGMNB, msgCtlMni = Msg.MSGMNI;
    /** Bytes and messages in all queues (percpu_msg_bytes, percpu_msg_hdrs). */
    final java.util.concurrent.atomic.AtomicLong msgBytes = new java.util.concurrent.atomic.AtomicLong(),
            msgHdrs = new java.util.concurrent.atomic.AtomicLong();

    /** fs.mqueue: queues_max, msg_max, msgsize_max, msg_default, msgsize_default. */
    public volatile int mqQueuesMax = Mqueue.DFLT_QUEUESMAX, mqMsgMax = Mqueue.DFLT_MSGMAX,
            mqMsgsizeMax = Mqueue.DFLT_MSGSIZEMAX, mqMsgDefault = Mqueue.DFLT_MSG, mqMsgsizeDefault = Mqueue.DFLT_MSGSIZE;

    private IpcNamespace(Kernel k) {
        this.kernel = k;
    }

    /** The IPC namespace of the kernel's tasks. */
    public static IpcNamespace of(Kernel k) {
        synchronized (BY_KERNEL) {
            return BY_KERNEL.computeIfAbsent(k, IpcNamespace::new);
        }
    }

    /** kernel.sem as it reads: "semmsl\tsemmns\tsemopm\tsemmni". */
    public String semSysctl() {
        return semMsl + "\t" + semMns + "\t" + semOpm + "\t" + semMni;
    }
}
