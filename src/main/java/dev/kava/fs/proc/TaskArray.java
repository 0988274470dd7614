package dev.kava.fs.proc;

import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.signal.SigHand;
import dev.kava.mm.Mmap;

import java.util.List;

/**
 * /proc/PID/stat, status and statm (fs/proc/array.c). CPU time is what kava measures: user
 * time is the guest instructions a task retired at one nanosecond each (the unit of
 * TaskGroup.cpuNanos), and time spent in the kernel is not counted, so stime is 0. Page faults,
 * peak sizes and swap are not tracked and show as 0 or as the current size.
 */
final class TaskArray {
    private TaskArray() {}

    /** PF_EXITING and PF_FORKNOEXEC (include/linux/sched.h), the task flags kava can tell. */
    static final int PF_EXITING = 0x00000004, PF_FORKNOEXEC = 0x00000040;
    /** CAP_LAST_CAP (include/uapi/linux/capability.h): CAP_CHECKPOINT_RESTORE. */
    static final int CAP_LAST_CAP = 40;
    static final long CAP_FULL = (1L << (CAP_LAST_CAP + 1)) - 1;

    /** get_task_state: the letter and word of a task's state. */
    static String state(TaskGroup g, Task t) {
        if (g.zombie || t == null || g.threadsSnapshot().isEmpty()) return "Z (zombie)";
        if (g.signals.stopped) return "T (stopped)";
        if (t.se.isRunnable()) return "R (running)";
        return "S (sleeping)";
    }

    /** The thread a process-level file describes: the leader, which a zombie has lost (null). */
    private static Task leaderOrNull(PidDir p) {
        if (p.thread != null) return p.thread;
        for (Task t : p.g.threadsSnapshot()) if (t.tid == p.pid) return t;
        return null;
    }

    /** The ignored and caught signals (collect_sigign_sigcatch). */
    static long[] ignCatch(TaskGroup g) {
        long ign = 0, cgt = 0;
        SigHand sh = g.sighand;
        for (int sig = 1; sig <= Signal.NSIG; sig++) {
            long h = sh.get(sig).handler();
            if (h == Signal.SIG_IGN) ign |= 1L << (sig - 1);
            else if (h != Signal.SIG_DFL) cgt |= 1L << (sig - 1);
        }
        return new long[]{ign, cgt};
    }

    /** do_task_stat: 52 fields. */
    static byte[] stat(PidDir p, Task reader) {
        TaskGroup g = p.g;
        Task t = leaderOrNull(p);
        boolean whole = p.thread == null;
        boolean permitted = ProcAccess.mayAccess(reader, g);
        Mmap mm = TaskMmu.mm(g);
        List<Task> threads = g.threadsSnapshot();
        String comm = t != null ? t.comm : g.comm;
        char state = state(g, t).charAt(0);
        int flags = 0;
        if (!g.didExec) flags |= PF_FORKNOEXEC;
        if (g.exiting() || t == null) flags |= PF_EXITING;
        long utime = whole ? g.cpuNanos() : t == null ? 0 : t.instructionsRetired();
        long cutime = g.childrenCpuNanos();
        int nice = t != null ? t.nice : 0;
        // start_time of the thread shown; a process whose leader is gone shows its oldest thread's.
        long start = 0;
        if (t != null) start = t.startTimeNanos;
        else for (Task x : threads) start = start == 0 ? x.startTimeNanos : Math.min(start, x.startTimeNanos);
        long vsize = 0, rss = 0;
        Mmap.Layout l = Mmap.Layout.NONE;
        if (mm != null) {
            TaskMmu.Mem m = TaskMmu.mem(mm);
            vsize = m.totalVm() << 12;
            rss = m.rss();
            l = mm.layout();
        }
        long[] ic = ignCatch(g);
        long pending = t == null ? 0 : t.pending.mask();
        long blocked = t == null ? 0 : t.blocked;
        int exitSignal = p.thread != null && p.thread.tid != g.tgid ? -1 : g.exitSignal;
        ExitStatus es = p.exited() ? g.exitStatus() : null;
        int exitCode = es == null ? 0 : es.waitStatus();

        StringBuilder sb = new StringBuilder(256);
        sb.append(p.pid).append(" (").append(comm).append(") ").append(state);
        sb.append(' ').append(g.ppid()).append(' ').append(g.pgid).append(' ').append(g.sid);
        sb.append(" 0 -1"); // tty_nr, tpgid: kava has no controlling terminals yet
        sb.append(' ').append(Integer.toUnsignedString(flags));
        sb.append(" 0 0 0 0"); // minflt cminflt majflt cmajflt
        sb.append(' ').append(ProcText.clockT(utime)).append(" 0");
        sb.append(' ').append(ProcText.clockT(cutime)).append(" 0");
        sb.append(' ').append(20 + nice).append(' ').append(nice); // task_prio: prio - MAX_RT_PRIO = 20 + nice
        sb.append(' ').append(Math.max(threads.size(), g.zombie ? 1 : 0));
        sb.append(" 0"); // itrealvalue
        sb.append(' ').append(ProcText.clockT(start));
        sb.append(' ').append(vsize).append(' ').append(rss);
        sb.append(' ').append(Long.toUnsignedString(g.rlimits.cur(Resource.RLIMIT_RSS)));
        sb.append(' ').append(mm == null ? 0 : permitted ? l.startCode() : 1);
        sb.append(' ').append(mm == null ? 0 : permitted ? l.endCode() : 1);
        sb.append(' ').append(mm != null && permitted ? l.startStack() : 0);
        sb.append(" 0 0"); // kstkesp, kstkeip: only while dumping core
        sb.append(' ').append(pending & 0x7fffffffL).append(' ').append(blocked & 0x7fffffffL);
        sb.append(' ').append(ic[0] & 0x7fffffffL).append(' ').append(ic[1] & 0x7fffffffL);
        boolean sleeping = t != null && !t.se.isRunnable();
        sb.append(' ').append(permitted && (!whole || threads.size() < 2) && sleeping ? 1 : 0); // wchan
        sb.append(" 0 0"); // nswap cnswap
        sb.append(' ').append(exitSignal);
        sb.append(' ').append(t == null ? 0 : t.se.lastCpu());
        sb.append(" 0 ").append(t == null ? 0 : t.schedPolicy); // rt_priority, policy
        sb.append(" 0 0 0"); // delayacct_blkio_ticks, guest_time, cguest_time
        if (mm != null && permitted) {
            sb.append(' ').append(l.startData()).append(' ').append(l.endData()).append(' ').append(mm.startBrk());
            sb.append(' ').append(l.argStart()).append(' ').append(l.argEnd());
            sb.append(' ').append(l.envStart()).append(' ').append(l.envEnd());
        } else {
            sb.append(" 0 0 0 0 0 0 0");
        }
        sb.append(' ').append(permitted ? exitCode : 0).append('\n');
        return SeqFile.bytes(sb);
    }

    /** proc_pid_statm: size resident shared text lib data dt, in pages. */
    static byte[] statm(PidDir p, Task reader) {
        Mmap mm = TaskMmu.mm(p.g);
        if (mm == null) return SeqFile.bytes("0 0 0 0 0 0 0\n");
        TaskMmu.Mem m = TaskMmu.mem(mm);
        long text = m.textBytes() >>> 12;
        long data = m.dataVm() + m.stackVm();
        return SeqFile.bytes(m.totalVm() + " " + m.rss() + " " + (m.rssFile() + m.rssShmem()) + " " + text + " 0 " + data
                + " 0\n");
    }

    /** proc_pid_status. */
    static byte[] status(PidDir p, Task reader) {
        TaskGroup g = p.g;
        Task t = leaderOrNull(p);
        List<Task> threads = g.threadsSnapshot();
        Cred c = g.cred;
        StringBuilder sb = new StringBuilder(1024);
        String comm = t != null ? t.comm : g.comm;
        sb.append("Name:\t").append(comm.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        if (!p.exited()) sb.append("Umask:\t").append(String.format("%04o", g.fs.umask())).append('\n');
        sb.append("State:\t").append(state(g, t)).append('\n');
        sb.append("Tgid:\t").append(g.tgid).append('\n');
        sb.append("Ngid:\t0\n");
        sb.append("Pid:\t").append(p.pid).append('\n');
        sb.append("PPid:\t").append(g.ppid()).append('\n');
        sb.append("TracerPid:\t0\n");
        sb.append("Uid:\t").append(c.uid()).append('\t').append(c.euid()).append('\t').append(c.suid()).append('\t')
                .append(c.fsuid()).append('\n');
        sb.append("Gid:\t").append(c.gid()).append('\t').append(c.egid()).append('\t').append(c.sgid()).append('\t')
                .append(c.fsgid()).append('\n');
        sb.append("FDSize:\t").append(p.exited() ? 0 : g.files.maxFds()).append('\n');
        sb.append("Groups:\t");
        int[] groups = g.groups;
        for (int i = 0; i < groups.length; i++) sb.append(i == 0 ? "" : " ").append(groups[i]);
        sb.append(" \n");
        sb.append("NStgid:\t").append(g.tgid).append('\n');
        sb.append("NSpid:\t").append(p.pid).append('\n');
        sb.append("NSpgid:\t").append(g.pgid).append('\n');
        sb.append("NSsid:\t").append(g.sid).append('\n');
        sb.append("Kthread:\t0\n");
        Mmap mm = TaskMmu.mm(g);
        if (mm != null) {
            TaskMmu.Mem m = TaskMmu.mem(mm);
            // kava keeps no high-water marks: the peaks are the current sizes.
            kb(sb, "VmPeak", m.totalVm() << 2);
            kb(sb, "VmSize", m.totalVm() << 2);
            kb(sb, "VmLck", mm.lockedBytes() >> 10);
            kb(sb, "VmPin", 0);
            kb(sb, "VmHWM", m.rss() << 2);
            kb(sb, "VmRSS", m.rss() << 2);
            kb(sb, "RssAnon", m.rssAnon() << 2);
            kb(sb, "RssFile", m.rssFile() << 2);
            kb(sb, "RssShmem", m.rssShmem() << 2);
            kb(sb, "VmData", m.dataVm() << 2);
            kb(sb, "VmStk", m.stackVm() << 2);
            kb(sb, "VmExe", m.textBytes() >> 10);
            kb(sb, "VmLib", Math.max(0, (m.execVm() << 2) - (m.textBytes() >> 10)));
            kb(sb, "VmPTE", m.pteBytes() >> 10);
            kb(sb, "VmSwap", 0);
            sb.append("HugetlbPages:\t").append(pad8(0)).append(" kB\n");
        }
        sb.append("CoreDumping:\t0\n");
        sb.append("THP_enabled:\t1\n");
        sb.append("Threads:\t").append(threads.size()).append('\n');
        long shared = g.sharedPending.mask();
        long queued = Long.bitCount(shared);
        for (Task x : threads) queued += Long.bitCount(x.pending.mask());
        sb.append("SigQ:\t").append(queued).append('/').append(Long.toUnsignedString(g.rlimits.cur(Resource.RLIMIT_SIGPENDING)))
                .append('\n');
        long[] ic = ignCatch(g);
        sb.append("SigPnd:\t").append(ProcText.sigset(t == null ? 0 : t.pending.mask())).append('\n');
        sb.append("ShdPnd:\t").append(ProcText.sigset(shared)).append('\n');
        sb.append("SigBlk:\t").append(ProcText.sigset(t == null ? 0 : t.blocked)).append('\n');
        sb.append("SigIgn:\t").append(ProcText.sigset(ic[0])).append('\n');
        sb.append("SigCgt:\t").append(ProcText.sigset(ic[1])).append('\n');
        // Capabilities as root has them in the initial user namespace (CapSyscalls, what capget answers).
        long prm = dev.kava.kernel.sys.CapSyscalls.permitted(c), eff = dev.kava.kernel.sys.CapSyscalls.effective(c);
        sb.append("CapInh:\t").append(ProcText.sigset(0)).append('\n');
        sb.append("CapPrm:\t").append(ProcText.sigset(prm)).append('\n');
        sb.append("CapEff:\t").append(ProcText.sigset(eff)).append('\n');
        sb.append("CapBnd:\t").append(ProcText.sigset(CAP_FULL)).append('\n');
        sb.append("CapAmb:\t").append(ProcText.sigset(0)).append('\n');
        sb.append("NoNewPrivs:\t").append(g.noNewPrivs ? 1 : 0).append('\n');
        sb.append("Seccomp:\t0\n");
        sb.append("Seccomp_filters:\t0\n");
        // riscv has no speculation controls to report (arch_prctl_spec_ctrl_get: -EINVAL).
        sb.append("Speculation_Store_Bypass:\tunknown\n");
        sb.append("SpeculationIndirectBranch:\tunknown\n");
        int ncpus = p.fs.kernel().cpus();
        long allowed = (t != null ? t.affinity : p.fs.kernel().cpuMask()) & p.fs.kernel().cpuMask();
        sb.append("Cpus_allowed:\t").append(ProcText.bitmap(allowed, ncpus)).append('\n');
        sb.append("Cpus_allowed_list:\t").append(ProcText.bitmapList(allowed, ncpus)).append('\n');
        sb.append("Mems_allowed:\t1\n");
        sb.append("Mems_allowed_list:\t0\n");
        // kava counts the times a task was given a vCPU; it does not tell voluntary switches from preemptions.
        sb.append("voluntary_ctxt_switches:\t").append(t == null ? 0 : t.se.switchesIn()).append('\n');
        sb.append("nonvoluntary_ctxt_switches:\t0\n");
        return SeqFile.bytes(sb);
    }

    private static void kb(StringBuilder sb, String name, long kb) {
        sb.append(name).append(":\t").append(pad8(kb)).append(" kB\n");
    }

    private static String pad8(long v) {
        String s = Long.toString(v);
        return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
    }
}
