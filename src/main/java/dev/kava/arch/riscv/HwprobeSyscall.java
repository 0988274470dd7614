package dev.kava.arch.riscv;

import dev.kava.abi.Errno;
import dev.kava.abi.Hwprobe;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.Mmap;

/**
 * riscv_hwprobe (arch/riscv/kernel/sys_hwprobe.c). Every answer comes from {@link Isa}, the one
 * list of what the hart implements. All vCPUs are the same hart type, so a value is the same for
 * any non-empty CPU set.
 */
public final class HwprobeSyscall {
    private HwprobeSyscall() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.RISCV_HWPROBE, (task, a) -> hwprobe(task, a[0], a[1], a[2], a[3], (int) a[4]));
    }

    /** How many vCPUs the kernel runs (cpu_online_mask); at least one. */
    static int onlineCpus(Task t) {
        try {
            return Math.max(1, t.kernel.scheduler().cpus());
        } catch (RuntimeException | LinkageError e) {
            return 1;
        }
    }

    /** The extension bits of RISCV_HWPROBE_KEY_IMA_EXT_0 (hwprobe_isa_ext0), from Isa. */
    public static long imaExt0() {
        long v = 0;
        boolean f = Isa.BASE.indexOf('f') >= 0, d = Isa.BASE.indexOf('d') >= 0;
        if (f && d) v |= Hwprobe.IMA_FD;
        if (Isa.BASE.indexOf('c') >= 0) {
            v |= Hwprobe.IMA_C;
            // cpufeature.c expands C into Zca, and with D into Zcd (Zcf is RV32 only).
            v |= Hwprobe.EXT_ZCA;
            if (d) v |= Hwprobe.EXT_ZCD;
        }
        if (Isa.BASE.indexOf('v') >= 0) v |= Hwprobe.IMA_V;
        // cpufeature.c expands A into Zaamo and Zalrsc.
        if (Isa.BASE.indexOf('a') >= 0) v |= Hwprobe.EXT_ZAAMO | Hwprobe.EXT_ZALRSC;
        for (String e : Isa.EXTENSIONS) {
            v |= switch (e) {
                case "zba" -> Hwprobe.EXT_ZBA;
                case "zbb" -> Hwprobe.EXT_ZBB;
                case "zbs" -> Hwprobe.EXT_ZBS;
                case "zbc" -> Hwprobe.EXT_ZBC;
                case "zicboz" -> Hwprobe.EXT_ZICBOZ;
                case "zicntr" -> Hwprobe.EXT_ZICNTR;
                case "zihpm" -> Hwprobe.EXT_ZIHPM;
                case "zcb" -> Hwprobe.EXT_ZCB;
                default -> 0L; // zicsr, zifencei: no hwprobe bit
            };
        }
        return v;
    }

    /** hwprobe_one_pair: the value for a key, or null for an unknown key. */
    public static Long value(long key) {
        if (key < 0 || key > Hwprobe.MAX_KEY) return null;
        return switch ((int) key) {
            case Hwprobe.KEY_MVENDORID, Hwprobe.KEY_MARCHID, Hwprobe.KEY_MIMPID -> 0L;
            case Hwprobe.KEY_BASE_BEHAVIOR -> Isa.BASE.startsWith("ima") ? Hwprobe.BASE_BEHAVIOR_IMA : 0L;
            case Hwprobe.KEY_IMA_EXT_0 -> imaExt0();
            // The interpreter does misaligned loads and stores in "hardware" at aligned speed.
            case Hwprobe.KEY_CPUPERF_0, Hwprobe.KEY_MISALIGNED_SCALAR_PERF -> Hwprobe.MISALIGNED_SCALAR_FAST;
            case Hwprobe.KEY_MISALIGNED_VECTOR_PERF ->
                    (imaExt0() & Hwprobe.IMA_V) != 0 ? Hwprobe.MISALIGNED_VECTOR_UNKNOWN : Hwprobe.MISALIGNED_VECTOR_UNSUPPORTED;
            case Hwprobe.KEY_ZICBOZ_BLOCK_SIZE, Hwprobe.KEY_ZICBOM_BLOCK_SIZE -> 0L; // Zicboz/Zicbom not implemented
            case Hwprobe.KEY_HIGHEST_VIRT_ADDRESS -> Mmap.TASK_SIZE - 1;
            case Hwprobe.KEY_TIME_CSR_FREQ -> Isa.TIMEBASE_HZ;
            case Hwprobe.KEY_VENDOR_EXT_THEAD_0, Hwprobe.KEY_VENDOR_EXT_SIFIVE_0 -> 0L;
            default -> null;
        };
    }

    /** do_riscv_hwprobe. */
    static long hwprobe(Task t, long pairs, long count, long cpusetsize, long cpusUser, int flags) {
        if ((flags & Hwprobe.WHICH_CPUS) != 0) return getCpus(t, pairs, count, cpusetsize, cpusUser, flags);
        if (flags != 0) return -Errno.EINVAL;
        int ncpu = onlineCpus(t);
        int maskBytes = maskSize(ncpu);
        if (!(cpusetsize == 0 && cpusUser == 0)) {
            int n = (int) Math.min(Long.compareUnsigned(cpusetsize, maskBytes) > 0 ? maskBytes : cpusetsize, maskBytes);
            byte[] mask = t.mem.read(cpusUser, n);
            if (!anyOnline(mask, ncpu)) return -Errno.EINVAL;
        }
        for (long i = 0; Long.compareUnsigned(i, count) < 0; i++) {
            long p = pairs + i * Hwprobe.PAIR_SIZE;
            long key = t.mem.read64(p);
            Long v = value(key);
            t.mem.write64(p, v == null ? -1 : key);
            t.mem.write64(p + 8, v == null ? 0 : v);
        }
        return 0;
    }

    /** hwprobe_get_cpus: narrows the CPU set to the CPUs matching every pair. */
    private static long getCpus(Task t, long pairs, long count, long cpusetsize, long cpusUser, int flags) {
        if (flags != Hwprobe.WHICH_CPUS) return -Errno.EINVAL;
        if (cpusetsize == 0 || cpusUser == 0) return -Errno.EINVAL;
        int ncpu = onlineCpus(t);
        int maskBytes = maskSize(ncpu);
        int n = Long.compareUnsigned(cpusetsize, maskBytes) > 0 ? maskBytes : (int) cpusetsize;
        byte[] mask = t.mem.read(cpusUser, n);
        boolean empty = true;
        for (byte b : mask) if (b != 0) { empty = false; break; }
        if (empty) for (int c = 0; c < ncpu && c / 8 < n; c++) mask[c / 8] |= (byte) (1 << (c % 8));
        for (int c = ncpu; c < n * 8; c++) mask[c / 8] &= (byte) ~(1 << (c % 8)); // & cpu_online_mask
        boolean clearAll = false;
        for (long i = 0; Long.compareUnsigned(i, count) < 0; i++) {
            long p = pairs + i * Hwprobe.PAIR_SIZE;
            byte[] pair = t.mem.read(p, Hwprobe.PAIR_SIZE);
            long key = Uaccess.getLong(pair, 0), want = Uaccess.getLong(pair, 8);
            Long v = value(key);
            if (v == null) {
                clearAll = true;
                byte[] bad = new byte[Hwprobe.PAIR_SIZE];
                Uaccess.putLong(bad, 0, -1);
                t.mem.write(p, bad);
            }
            if (clearAll) continue;
            if (!pairMatches(key, v, want)) java.util.Arrays.fill(mask, (byte) 0); // every CPU is the same
        }
        if (clearAll) java.util.Arrays.fill(mask, (byte) 0);
        t.mem.write(cpusUser, mask);
        return 0;
    }

    /** riscv_hwprobe_pair_cmp: bitmask keys match when every asked bit is present; others by equality. */
    private static boolean pairMatches(long key, long have, long want) {
        if (key == Hwprobe.KEY_BASE_BEHAVIOR || key == Hwprobe.KEY_IMA_EXT_0 || key == Hwprobe.KEY_CPUPERF_0
                || key == Hwprobe.KEY_VENDOR_EXT_THEAD_0 || key == Hwprobe.KEY_VENDOR_EXT_SIFIVE_0) {
            return (have & want) == want;
        }
        return have == want;
    }

    private static int maskSize(int ncpu) {
        // cpumask_size(): NR_CPUS bits rounded to longs; kava's mask covers its vCPUs.
        return Math.max(8, ((ncpu + 63) / 64) * 8);
    }

    private static boolean anyOnline(byte[] mask, int ncpu) {
        for (int c = 0; c < ncpu && c / 8 < mask.length; c++) if ((mask[c / 8] & (1 << (c % 8))) != 0) return true;
        return false;
    }
}
