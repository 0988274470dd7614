package dev.kava.arch.riscv;

import java.util.List;

/**
 * The one list of what kava's hart implements. /proc/cpuinfo, AT_HWCAP and riscv_hwprobe
 * all report from here, so they can never claim an extension the executor lacks.
 */
public final class Isa {
    private Isa() {}

    /** Single-letter base extensions, in canonical order. */
    public static final String BASE = "imafdc";

    /** Multi-letter extensions, in the order Linux prints them in /proc/cpuinfo's "isa" line. */
    public static final List<String> EXTENSIONS = List.of("zicntr", "zicsr", "zifencei", "zba", "zbb", "zbs");

    /** The ISA string as Linux's /proc/cpuinfo shows it, e.g. rv64imafdc_zicntr_zicsr_... */
    public static String isaString() {
        return "rv64" + BASE + "_" + String.join("_", EXTENSIONS);
    }

    /** AT_HWCAP: one bit per single-letter extension, bit (letter - 'a') (arch/riscv/kernel/cpufeature.c). */
    public static long hwcap() {
        long h = 0;
        for (char c : BASE.toCharArray()) h |= 1L << (c - 'a');
        return h;
    }

    /** The timebase of the time CSR in Hz (the rate Linux reads from the device tree; qemu's virt uses 10 MHz). */
    public static final long TIMEBASE_HZ = 10_000_000L;
}
