package dev.kava.kernel.fork;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Sched;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.FdTable;
import dev.kava.fs.FsContext;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.NsProxy;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.SigHand;
import dev.kava.mm.Mmap;

/** clone and clone3 (kernel/fork.c: kernel_clone, copy_process); unshare is {@link Unshare}. */
public final class ForkSyscalls {
    private ForkSyscalls() {}

    /** struct kernel_clone_args, as read from clone or clone3. */
    record CloneArgs(long flags, int exitSignal, long stack, long stackSize, long parentTid, long childTid,
                     long tls, long pidfd, long setTid, long setTidSize) {}

    public static void register(SyscallTable t) {
        // riscv64 has CONFIG_CLONE_BACKWARDS: clone(flags, newsp, parent_tidptr, tls, child_tidptr).
        t.register(SyscallNr.CLONE, (task, a) -> clone(task, a[0], a[1], a[2], a[3], a[4]));
        t.register(SyscallNr.CLONE3, (task, a) -> clone3(task, a[0], a[1]));
        Unshare.register(t);
    }

    static long clone(Task t, long cloneFlags, long newsp, long parentTid, long tls, long childTid) {
        long lower = cloneFlags & 0xffffffffL;
        CloneArgs args = new CloneArgs(lower & ~Sched.CSIGNAL, (int) (lower & Sched.CSIGNAL), newsp, 0,
                parentTid, childTid, tls, parentTid, 0, 0);
        return kernelClone(t, args);
    }

    /** clone3: copy_clone_args_from_user, clone3_args_valid, then kernel_clone. */
    static long clone3(Task t, long uargs, long size) {
        if (Long.compareUnsigned(size, 4096) > 0) return -Errno.E2BIG;
        if (size < Sched.CLONE_ARGS_SIZE_VER0) return -Errno.EINVAL;
        int usize = (int) size;
        byte[] b = t.mem.read(uargs, usize);
        // copy_struct_from_user: bytes past the struct we know must be zero.
        for (int i = Sched.CLONE_ARGS_SIZE_VER2; i < usize; i++) if (b[i] != 0) return -Errno.E2BIG;
        byte[] k = new byte[Sched.CLONE_ARGS_SIZE_VER2];
        System.arraycopy(b, 0, k, 0, Math.min(usize, k.length));
        long flags = Uaccess.getLong(k, 0), pidfd = Uaccess.getLong(k, 8), childTid = Uaccess.getLong(k, 16),
                parentTid = Uaccess.getLong(k, 24), exitSignal = Uaccess.getLong(k, 32), stack = Uaccess.getLong(k, 40),
                stackSize = Uaccess.getLong(k, 48), tls = Uaccess.getLong(k, 56), setTid = Uaccess.getLong(k, 64),
                setTidSize = Uaccess.getLong(k, 72), cgroup = Uaccess.getLong(k, 80);
        if (Long.compareUnsigned(setTidSize, Sched.MAX_PID_NS_LEVEL) > 0) return -Errno.EINVAL;
        if (setTid == 0 && setTidSize > 0) return -Errno.EINVAL;
        if (setTid != 0 && setTidSize == 0) return -Errno.EINVAL;
        if ((exitSignal & ~Sched.CSIGNAL) != 0 || exitSignal > Signal.NSIG) return -Errno.EINVAL;
        if ((flags & Sched.CLONE_INTO_CGROUP) != 0
                && (Long.compareUnsigned(cgroup, Integer.MAX_VALUE) > 0 || usize < Sched.CLONE_ARGS_SIZE_VER2)) {
            return -Errno.EINVAL;
        }
        if (setTid != 0) t.mem.read(setTid, (int) setTidSize * 4);
        // clone3_args_valid
        if ((flags & ~(Sched.CLONE_LEGACY_FLAGS | Sched.CLONE_CLEAR_SIGHAND | Sched.CLONE_INTO_CGROUP)) != 0) return -Errno.EINVAL;
        if ((flags & Sched.CLONE_CLEAR_SIGHAND) != 0 && (flags & Sched.CLONE_SIGHAND) != 0) return -Errno.EINVAL;
        if ((flags & (Sched.CLONE_THREAD | Sched.CLONE_PARENT)) != 0 && exitSignal != 0) return -Errno.EINVAL;
        // clone3_stack_valid
        if (stack != 0) {
            if (stackSize == 0) return -Errno.EINVAL;
            if (Long.compareUnsigned(stack + stackSize, Mmap.TASK_SIZE) > 0 || Long.compareUnsigned(stack + stackSize, stack) < 0) {
                return -Errno.EINVAL;
            }
        } else if (stackSize != 0) {
            return -Errno.EINVAL;
        }
        return kernelClone(t, new CloneArgs(flags, (int) exitSignal, stack, stackSize, parentTid, childTid, tls, pidfd,
                setTid, setTidSize));
    }

    /** kernel_clone and copy_process: the checks in Linux's order, then the new task. */
    static long kernelClone(Task t, CloneArgs a) {
        long f = a.flags;
        if ((f & Sched.CLONE_PIDFD) != 0 && (f & Sched.CLONE_PARENT_SETTID) != 0 && a.pidfd == a.parentTid) return -Errno.EINVAL;
        // copy_process
        if ((f & (Sched.CLONE_NEWNS | Sched.CLONE_FS)) == (Sched.CLONE_NEWNS | Sched.CLONE_FS)) return -Errno.EINVAL;
        if ((f & (Sched.CLONE_NEWUSER | Sched.CLONE_FS)) == (Sched.CLONE_NEWUSER | Sched.CLONE_FS)) return -Errno.EINVAL;
        if ((f & Sched.CLONE_THREAD) != 0 && (f & Sched.CLONE_SIGHAND) == 0) return -Errno.EINVAL;
        if ((f & Sched.CLONE_SIGHAND) != 0 && (f & Sched.CLONE_VM) == 0) return -Errno.EINVAL;
        // init is SIGNAL_UNKILLABLE: it may not create siblings.
        if ((f & Sched.CLONE_PARENT) != 0 && t.group == t.kernel.init()) return -Errno.EINVAL;
        if ((f & Sched.CLONE_THREAD) != 0 && (f & (Sched.CLONE_NEWUSER | Sched.CLONE_NEWPID)) != 0) return -Errno.EINVAL;
        if ((f & Sched.CLONE_PIDFD) != 0 && (f & Sched.CLONE_DETACHED) != 0) return -Errno.EINVAL;
        // What kava does not have yet: namespaces other than UTS, cgroups, chosen pids.
        if ((f & NsProxy.UNSUPPORTED) != 0 || (f & Sched.CLONE_INTO_CGROUP) != 0 || a.setTid != 0) {
            t.kernel.log().once("clone-unsupported", t.describe() + ": clone flags 0x" + Long.toHexString(f)
                    + " (namespaces other than UTS, cgroup or set_tid) are not implemented: -ENOSYS");
            return -Errno.ENOSYS;
        }
        if (t.exiting()) return -Errno.ERESTARTNOINTR;
        Kernel k = t.kernel;
        // RLIMIT_NPROC: root (CAP_SYS_RESOURCE) is exempt, as in Linux; max_threads binds everyone.
        if (t.group.cred.uid() != 0 && k.nrThreads() >= t.group.rlimits.cur(Resource.RLIMIT_NPROC)) return -Errno.EAGAIN;
        if (k.nrThreads() >= k.maxThreads()) return -Errno.EAGAIN;
        // copy_namespaces: a new namespace needs CAP_SYS_ADMIN.
        if ((f & NsProxy.NEW_NAMESPACES) != 0 && !NsProxy.capableSysAdmin(t)) return -Errno.EPERM;

        boolean thread = (f & Sched.CLONE_THREAD) != 0;
        boolean shareVm = (f & Sched.CLONE_VM) != 0;
        TaskGroup pg = t.group;
        Mmap mm;
        if (shareVm) {
            mm = pg.mm;
        } else {
            mm = pg.mm.fork();
            if (mm == null) return -Errno.ENOMEM;
        }
        Hart h = k.newHart(mm.as);
        h.copyStateFrom(t.hart);
        int tid = k.allocPid();
        TaskGroup g;
        TaskGroup parent;
        if (thread) {
            g = pg;
            parent = pg.parent;
        } else {
            FdTable files = (f & Sched.CLONE_FILES) != 0 ? pg.files.share() : pg.files.copy();
            FsContext fs = (f & Sched.CLONE_FS) != 0 ? pg.fs.share() : pg.fs.copy();
            Rlimits rl = pg.rlimits.copy(); // copy_signal: signal->rlim
            parent = (f & Sched.CLONE_PARENT) != 0 ? pg.parent : pg;
            g = new TaskGroup(k, tid, parent, mm, files, fs, rl);
            g.exitSignal = (f & Sched.CLONE_PARENT) != 0 ? pg.exitSignal : a.exitSignal;
            g.pgid = pg.pgid;
            g.sid = pg.sid;
            g.tty = pg.tty; // copy_process: the controlling terminal is inherited
            g.cred = pg.cred;
            g.groups = pg.groups;
            g.comm = t.comm; // the child's leader is a copy of the calling thread
            g.exePath = pg.exePath;
            g.exeFile = pg.exeFile;
            g.dumpable = pg.dumpable;
            g.noNewPrivs = pg.noNewPrivs;
            if ((f & Sched.CLONE_SIGHAND) != 0) {
                // copy_sighand: CLONE_SIGHAND shares the parent's table (clone rejects it with
                // CLONE_CLEAR_SIGHAND, and without CLONE_VM, before this point).
                g.sighand = pg.sighand.share();
            } else {
                SigHand sh = pg.sighand.copy();
                if ((f & Sched.CLONE_CLEAR_SIGHAND) != 0) {
                    for (int s = 1; s <= Signal.NSIG; s++) {
                        if (sh.get(s).handler() != Signal.SIG_IGN) sh.set(s, SigHand.Action.DEFAULT);
                    }
                }
                g.sighand = sh;
            }
        }
        Task c = new Task(k, g, tid, h);
        c.comm = t.comm; // dup_task_struct: a new thread or process starts with its creator's name
        c.blocked = t.blocked;
        dev.kava.kernel.sched.SchedSyscalls.fork(t, c); // sched_fork: policy and nice value
        c.affinity = t.affinity;
        c.ioContext = dev.kava.block.IoContext.forClone(t.ioContext, f); // copy_io
        c.semUndo = dev.kava.ipc.SemUndoList.forClone(t, (f & Sched.CLONE_SYSVSEM) != 0); // copy_semundo
        c.personality = t.personality; // dup_task_struct
        c.nsproxy = t.nsproxy.copy(k, f); // copy_namespaces: the creator's, or new ones for CLONE_NEWUTS
        // copy_process: the signal stack (sas_ss_*) and rseq registration (rseq_fork).
        c.signals.copyForFork(t.signals, shareVm && (f & Sched.CLONE_VFORK) == 0);
        dev.kava.kernel.rseq.Rseq.fork(t, c, shareVm);
        // The child returns 0 from clone, on its own stack and with its own TLS when asked.
        h.x[10] = 0;
        if (a.stack != 0) h.x[2] = a.stack + a.stackSize;
        if ((f & Sched.CLONE_SETTLS) != 0) h.x[4] = a.tls;
        if ((f & Sched.CLONE_CHILD_CLEARTID) != 0) c.clearChildTid = a.childTid;
        if ((f & Sched.CLONE_CHILD_SETTID) != 0) {
            try {
                c.mem.write32(a.childTid, tid);
            } catch (ErrnoException ignored) {
                // schedule_tail ignores a fault
            }
        }
        // CLONE_PIDFD: a pidfd for the child (a thread pidfd for CLONE_THREAD), close-on-exec,
        // its number stored at args->pidfd before the child runs; a fault there fails the clone.
        int pidfd = -1;
        int err = 0;
        if ((f & Sched.CLONE_PIDFD) != 0) {
            dev.kava.fs.PidFd pf = new dev.kava.fs.PidFd(g, thread ? c : null, thread ? dev.kava.abi.Pidfd.PIDFD_THREAD : 0);
            try {
                pidfd = pg.files.install(pf, true, 0, pg.rlimits.cur(Resource.RLIMIT_NOFILE));
                t.mem.write32(a.pidfd, pidfd);
            } catch (ErrnoException e) {
                err = e.errno;
            }
        }
        if (err == 0 && !k.startTask(c)) err = Errno.EAGAIN;
        if (err != 0) {
            if (pidfd >= 0) pg.files.remove(pidfd);
            h.release();
            if (!shareVm) mm.exitMmap();
            if (!thread) {
                Kernel.dropFiles(g.files);
                g.fs.put();
            }
            return -err;
        }
        k.attach(c, parent, !thread, shareVm);
        if ((f & Sched.CLONE_PARENT_SETTID) != 0) {
            try {
                t.mem.write32(a.parentTid, tid);
            } catch (ErrnoException ignored) {
                // kernel_clone ignores a fault
            }
        }
        boolean vfork = (f & Sched.CLONE_VFORK) != 0;
        if (vfork) c.vforkParentOf(t);
        k.scheduler().wake(c);
        if (vfork) {
            // wait_for_vfork_done: killable only.
            t.waitEvent(vforkQueue(t), c::vforkDone, Long.MAX_VALUE, false);
        }
        return tid;
    }

    private static dev.kava.kernel.sched.WaitQueue vforkQueue(Task t) {
        return t.vforkWaitQueue();
    }
}
