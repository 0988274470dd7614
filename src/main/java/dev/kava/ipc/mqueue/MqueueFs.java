package dev.kava.ipc.mqueue;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.FileSystems;
import dev.kava.fs.Inode;
import dev.kava.fs.Mount;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.SuperBlock;
import dev.kava.ipc.IpcNamespace;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The mqueue filesystem (ipc/mqueue.c): one superblock per IPC namespace, whose root holds
 * the queues by name. The kernel keeps an internal mount of it (mq_mnt) for mq_open and
 * mq_unlink; mount -t mqueue shows the same superblock (get_tree_keyed).
 */
public final class MqueueFs extends SuperBlock {
    private static final Map<Kernel, Mount> MQ_MNT = new WeakHashMap<>();

    final IpcNamespace ns;

    private MqueueFs(IpcNamespace ns) {
        super("mqueue", ns.kernel.clock()::realtimeNanos, false);
        this.ns = ns;
        setRoot(new Root(this));
    }

    /** mq_mnt of the kernel's IPC namespace. */
    public static Mount internalMount(Kernel k) {
        synchronized (MQ_MNT) {
            return MQ_MNT.computeIfAbsent(k, kk -> {
                MqueueFs fs = new MqueueFs(IpcNamespace.of(kk));
                return MountNamespace.newMount(fs, fs.root(), 0);
            });
        }
    }

    /** mqueue_get_tree: the namespace's superblock; mqueue takes no options. */
    public static SuperBlock create(Kernel kernel, String source, int sbFlags, List<FileSystems.Param> params) {
        if (!params.isEmpty()) throw ErrnoException.of(Errno.EINVAL);
        return internalMount(kernel).sb;
    }

    @Override
    public long magic() {
        return dev.kava.abi.Mqueue.MQUEUE_MAGIC;
    }

    @Override
    public String source() {
        return "mqueue";
    }

    /** The root directory: S_IFDIR | S_ISVTX | S_IRWXUGO; only queues live in it. */
    static final class Root extends Inode {
        private final Map<String, MqueueInode> queues = new LinkedHashMap<>();

        Root(MqueueFs fs) {
            super(fs, fs.nextIno(), Stat.S_IFDIR | 01777);
            nlink = 2;
        }

        MqueueFs fs() {
            return (MqueueFs) sb;
        }

        @Override
        public synchronized Inode lookup(String name) {
            return queues.get(name);
        }

        @Override
        public synchronized List<Directory.Entry> list() {
            List<Directory.Entry> out = new ArrayList<>();
            for (var e : queues.entrySet()) out.add(new Directory.Entry(e.getValue().ino, Stat.DT_REG, e.getKey()));
            return out;
        }

        /** mqueue_create: a queue with the default attributes (open(O_CREAT) on a mounted mqueue). */
        @Override
        public Inode create(String name, int mode, Cred c) {
            return create(name, mode, c, null, null);
        }

        /** mqueue_create_attr: queues_max (CAP_SYS_RESOURCE is exempt), then the queue itself. */
        MqueueInode create(String name, int mode, Cred c, long[] attr, dev.kava.kernel.Task t) {
            IpcNamespace ns = fs().ns;
            MqueueInode q;
            synchronized (this) {
                if (fs().queueCount >= ns.mqQueuesMax && c.euid() != 0) throw ErrnoException.of(Errno.ENOSPC);
                q = MqueueInode.make(fs(), Stat.S_IFREG | (mode & 07777), c, attr, t);
                fs().queueCount++;
                queues.put(name, q);
                size += MqueueInode.DIRENT_SIZE;
            }
            q.initOwner(c, this);
            touchMtime();
            return q;
        }

        @Override
        public void unlink(String name, Inode victim) {
            MqueueInode q;
            synchronized (this) {
                q = queues.remove(name);
                if (q != null) size -= MqueueInode.DIRENT_SIZE;
            }
            if (q == null) throw ErrnoException.of(Errno.ENOENT);
            touchMtime();
            q.dropLink();
        }

        @Override
        public Inode mkdir(String name, int mode, Cred c) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    /** Queues in the namespace (mq_queues_count). Guarded by the root. */
    int queueCount;
}
