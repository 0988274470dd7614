package dev.kava.fs.proc;

import dev.kava.arch.riscv.Isa;
import dev.kava.kernel.Kernel;
import dev.kava.mm.Page;
import dev.kava.kernel.sched.LoadAvg;
import dev.kava.kernel.sys.SysSyscalls;

/**
 * The fixed entries of /proc: self and thread-self (fs/proc/self.c, thread_self.c), the
 * system-wide files of proc_misc (meminfo.c, stat.c, uptime.c, loadavg.c, version.c,
 * cmdline.c, filesystems, cpuinfo from arch/riscv/kernel/cpu.c) and /proc/sys (sysctl).
 */
final class ProcRootEntries {
    private ProcRootEntries() {}

    /**
     * The filesystem types kava has, as /proc/filesystems lists them ("nodev" when no block
     * device backs them). nullfs is internal and not listed. When the filesystem-type registry
     * (dev.kava.fs.FileSystems) exists, this list should come from it.
     */
    static final String[][] FILESYSTEMS = {
        {"nodev", "sysfs"}, {"nodev", "tmpfs"}, {"nodev", "proc"}, {"nodev", "devtmpfs"}, {"nodev", "devpts"},
        {"nodev", "hostfs"}, {"nodev", "mqueue"},
    };

    static void populate(ProcFs fs, ProcDir root) {
        Kernel k = fs.kernel();
        root.add("self", new ProcLink(fs, 0xF0000000L, null, t -> t == null ? null : Integer.toString(t.group.tgid)));
        root.add("thread-self", new ProcLink(fs, 0xF0000001L, null,
                t -> t == null ? null : t.group.tgid + "/task/" + t.tid));
        root.add("mounts", ProcLink.fixed(fs, "self/mounts"));
        root.add("net", ProcLink.fixed(fs, "self/net"));
        root.add("meminfo", ProcFile.text(fs, 0444, t -> meminfo(k)));
        root.add("cpuinfo", ProcFile.text(fs, 0444, t -> cpuinfo(k)));
        root.add("stat", ProcFile.text(fs, 0444, t -> stat(k)));
        root.add("uptime", ProcFile.text(fs, 0444, t -> uptime(k)));
        root.add("loadavg", ProcFile.text(fs, 0444, t -> loadavg(k)));
        root.add("version", ProcFile.text(fs, 0444, t -> SeqFile.bytes(version())));
        root.add("cmdline", ProcFile.text(fs, 0444, t -> SeqFile.bytes(cmdline(k))));
        root.add("filesystems", ProcFile.text(fs, 0444, t -> filesystems()));
        root.add("swaps", ProcFile.text(fs, 0444, t -> SeqFile.bytes("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n")));
        ProcSys.populate(fs, root.dir("sys"));
        ProcDir sysvipc = root.dir("sysvipc"); // ipc/util.c's ipc_init_proc_interface
        sysvipc.add("shm", ProcFile.text(fs, 0444, t -> SeqFile.bytes(dev.kava.ipc.Shm.procShow(k))));
        sysvipc.add("sem", ProcFile.text(fs, 0444, t -> SeqFile.bytes(dev.kava.ipc.Sem.procShow(k))));
        sysvipc.add("msg", ProcFile.text(fs, 0444, t -> SeqFile.bytes(dev.kava.ipc.Msg.procShow(k))));
    }

    /** The kernel's memory in kB: total, free. */
    private static long kb(long bytes) {
        return bytes >> 10;
    }

    /**
     * meminfo_proc_show. kava's memory is its page frames: every one in use is anonymous or tmpfs
     * memory. Tmpfs pages are Shmem, which Linux counts in Cached and on the anon LRU lists but
     * not in AnonPages.
     */
    static byte[] meminfo(Kernel k) {
        long total = kb(k.memoryBytes());
        long used = kb(k.usedMemoryBytes());
        long shmem = Math.min(used, k.pages().shmemPages() * (Page.SIZE >> 10));
        long free = Math.max(0, total - used);
        StringBuilder sb = new StringBuilder(1500);
        val(sb, "MemTotal:       ", total);
        val(sb, "MemFree:        ", free);
        val(sb, "MemAvailable:   ", free);
        val(sb, "Buffers:        ", 0);
        val(sb, "Cached:         ", shmem);
        val(sb, "SwapCached:     ", 0);
        val(sb, "Active:         ", used);
        val(sb, "Inactive:       ", 0);
        val(sb, "Active(anon):   ", used);
        val(sb, "Inactive(anon): ", 0);
        val(sb, "Active(file):   ", 0);
        val(sb, "Inactive(file): ", 0);
        val(sb, "Unevictable:    ", 0);
        val(sb, "Mlocked:        ", 0);
        val(sb, "SwapTotal:      ", 0);
        val(sb, "SwapFree:       ", 0);
        val(sb, "Zswap:          ", 0);
        val(sb, "Zswapped:       ", 0);
        val(sb, "Dirty:          ", 0);
        val(sb, "Writeback:      ", 0);
        val(sb, "AnonPages:      ", used - shmem);
        val(sb, "Mapped:         ", 0);
        val(sb, "Shmem:          ", shmem);
        val(sb, "KReclaimable:   ", 0);
        val(sb, "Slab:           ", 0);
        val(sb, "SReclaimable:   ", 0);
        val(sb, "SUnreclaim:     ", 0);
        val(sb, "KernelStack:    ", 0);
        val(sb, "PageTables:     ", 0);
        val(sb, "SecPageTables:  ", 0);
        val(sb, "NFS_Unstable:   ", 0);
        val(sb, "Bounce:         ", 0);
        val(sb, "WritebackTmp:   ", 0);
        val(sb, "CommitLimit:    ", total / 2); // overcommit_ratio 50, no swap
        val(sb, "Committed_AS:   ", used);
        // VMALLOC_TOTAL of riscv64 Sv48 (arch/riscv/include/asm/pgtable.h): half the 128 TiB kernel space.
        val(sb, "VmallocTotal:   ", 1L << 36);
        val(sb, "VmallocUsed:    ", 0);
        val(sb, "VmallocChunk:   ", 0);
        val(sb, "Percpu:         ", 0);
        val(sb, "AnonHugePages:  ", 0);
        val(sb, "ShmemHugePages: ", 0);
        val(sb, "ShmemPmdMapped: ", 0);
        val(sb, "FileHugePages:  ", 0);
        val(sb, "FilePmdMapped:  ", 0);
        sb.append(String.format("HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\nHugePages_Surp:    %5d\n", 0, 0, 0, 0));
        sb.append(String.format("Hugepagesize:   %8d kB\n", 2048));
        sb.append(String.format("Hugetlb:        %8d kB\n", 0));
        return SeqFile.bytes(sb);
    }

    /** show_val_kb: the label (16 columns) and the value in kB in 8. */
    private static void val(StringBuilder sb, String label, long kb) {
        sb.append(label).append(String.format("%8d", kb)).append(" kB\n");
    }

    /**
     * c_show of arch/riscv/kernel/cpu.c for every vCPU. There is no "uarch" line: Linux prints
     * one only for a device-tree compatible other than plain "riscv", and kava's harts are that.
     */
    static byte[] cpuinfo(Kernel k) {
        StringBuilder sb = new StringBuilder();
        String isa = Isa.isaString();
        for (int cpu = 0; cpu < k.cpus(); cpu++) {
            sb.append("processor\t: ").append(cpu).append('\n');
            sb.append("hart\t\t: ").append(cpu).append('\n');
            sb.append("isa\t\t: ").append(isa).append('\n');
            // kava's user address space is Sv39's (TASK_SIZE 2^38).
            sb.append("mmu\t\t: sv39\n");
            sb.append("mvendorid\t: 0x0\n");
            sb.append("marchid\t\t: 0x0\n");
            sb.append("mimpid\t\t: 0x0\n");
            sb.append("hart isa\t: ").append(isa).append('\n');
            sb.append('\n');
        }
        return SeqFile.bytes(sb);
    }

    /**
     * show_stat. Per-CPU time: a vCPU is busy while a task holds it (counted as user time,
     * kernel work included) and idle otherwise; kava has no interrupts to count.
     */
    static byte[] stat(Kernel k) {
        long now = k.clock().monotonicNanos();
        long[] busy = k.scheduler().busyNanos();
        long[] user = new long[busy.length], idle = new long[busy.length];
        long su = 0, si = 0;
        for (int c = 0; c < busy.length; c++) {
            user[c] = ProcText.clockT(busy[c]);
            idle[c] = ProcText.clockT(Math.max(0, now - busy[c]));
            su += user[c];
            si += idle[c];
        }
        StringBuilder sb = new StringBuilder();
        sb.append("cpu  ").append(su).append(" 0 0 ").append(si).append(" 0 0 0 0 0 0\n");
        for (int c = 0; c < busy.length; c++) {
            sb.append("cpu").append(c).append(' ').append(user[c]).append(" 0 0 ").append(idle[c]).append(" 0 0 0 0 0 0\n");
        }
        sb.append("intr 0\n");
        sb.append("ctxt ").append(k.scheduler().contextSwitches()).append('\n');
        sb.append("btime ").append(bootTime(k)).append('\n');
        sb.append("processes ").append(k.totalForks()).append('\n');
        sb.append("procs_running ").append(k.scheduler().nrRunning()).append('\n');
        sb.append("procs_blocked 0\n");
        sb.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
        return SeqFile.bytes(sb);
    }

    /** The wall time of boot, in seconds since the epoch (btime). */
    static long bootTime(Kernel k) {
        return Math.floorDiv(k.clock().realtimeNanos() - k.clock().monotonicNanos(), 1_000_000_000L);
    }

    /** uptime_proc_show: seconds since boot and the CPUs' summed idle seconds, to hundredths. */
    static byte[] uptime(Kernel k) {
        long now = k.clock().monotonicNanos();
        long idle = 0;
        for (long b : k.scheduler().busyNanos()) idle += Math.max(0, now - b);
        return SeqFile.bytes(hundredths(now) + " " + hundredths(idle) + "\n");
    }

    private static String hundredths(long nanos) {
        long cs = nanos / 10_000_000L;
        long frac = cs % 100;
        return cs / 100 + "." + (frac < 10 ? "0" : "") + frac;
    }

    /** loadavg_proc_show: the three averages, running/threads, and the last pid. */
    static byte[] loadavg(Kernel k) {
        long[] a = k.scheduler().loadAvg().get(LoadAvg.FIXED_1 / 200);
        return SeqFile.bytes(LoadAvg.format(a[0]) + " " + LoadAvg.format(a[1]) + " " + LoadAvg.format(a[2]) + " "
                + k.scheduler().nrRunning() + "/" + k.nrThreads() + " " + k.lastPid() + "\n");
    }

    /** linux_proc_banner: "Linux version release (user@host) (compiler) version". */
    static String version() {
        return "Linux version " + SysSyscalls.RELEASE + " (kava@kava) (kava on Java " + Runtime.version().feature() + ") "
                + SysSyscalls.VERSION + "\n";
    }

    /**
     * The kernel command line, as Linux parameters describing how this kernel was started:
     * its memory, its CPUs and a read-only host directory as the root.
     */
    static String cmdline(Kernel k) {
        return "mem=" + (k.memoryBytes() >> 20) + "M nr_cpus=" + k.cpus() + " rootfstype=hostfs ro\n";
    }

    static byte[] filesystems() {
        StringBuilder sb = new StringBuilder();
        for (String[] fs : FILESYSTEMS) sb.append(fs[0]).append('\t').append(fs[1]).append('\n');
        return SeqFile.bytes(sb);
    }
}
