package dev.kava.arch.riscv;

import dev.kava.abi.Elf;
import dev.kava.abi.SyscallNr;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The riscv64 vDSO (arch/riscv/kernel/vdso/): a one-page ELF shared object the kernel maps
 * into every process and names in AT_SYSINFO_EHDR. It exports, at version LINUX_4.15 as
 * vdso.lds.S does, __vdso_rt_sigreturn (the return path of every signal handler: the kernel
 * puts its address in ra) and the time, getcpu, flush_icache and hwprobe entry points, which
 * here enter the kernel with the corresponding system call. The image is generated, linked at
 * address 0, like the kernel's vdso.so: glibc adds the mapped base to every address in it.
 *
 * <p>__vdso_clock_gettime and __vdso_gettimeofday read the time without entering the kernel,
 * as lib/vdso/gettimeofday.c does: the kernel maps a read-only data page, [vvar], just below
 * the vDSO (as arch/riscv/kernel/vdso.c does), holding the clock mode, the clocks computed
 * here, the time CSR's mult and each clock's time at time-CSR value 0; the code reads rdtime
 * and computes the time. Clocks the page does not cover, and any clock while the page
 * says VDSO_CLOCKMODE_NONE, fall back to the system call.
 */
public final class Vdso {
    private Vdso() {}

    public static final int SIZE = 4096;
    public static final String SONAME = "linux-vdso.so.1";
    public static final String VERSION = "LINUX_4.15";

    /** The vvar area mapped right below the vDSO text (one page here). */
    public static final int VVAR_SIZE = 4096;

    // The vvar page (after include/vdso/datapage.h's struct vdso_time_data, reduced to what the
    // code below reads). Little-endian. As in Linux, the kernel has one such page, mapped
    // read-only into every process, and changes it when the clock is set (update_vsyscall):
    // each clock is a base plus the time CSR scaled, and a base moves when CLOCK_REALTIME is
    // stepped. The writer makes the sequence count odd, writes, and makes it even again
    // (vdso_write_begin / vdso_write_end); the code reads between vdso_read_begin and
    // vdso_read_retry, so it never uses a half-written page.
    /** u32: VDSO_CLOCKMODE_* (include/vdso/clocksource.h). */
    public static final int VVAR_CLOCK_MODE = 0;
    /** u32: bit n set when clock id n is computed in the vDSO; 0 in VDSO_CLOCKMODE_NONE. */
    public static final int VVAR_CLOCK_MASK = 4;
    /** u32: nanoseconds per time-CSR tick (the clocksource's mult, shift 0). */
    public static final int VVAR_MULT = 8;
    /** u32: the sequence count (vdso_clock.seq): odd while the kernel is writing the page. */
    public static final int VVAR_SEQ = 12;
    /** u64[VVAR_NCLOCKS]: per clock id, nanoseconds when the time CSR read 0. */
    public static final int VVAR_BASE = 16;
    /** Clock ids 0..CLOCK_TAI have a slot (include/uapi/linux/time.h). */
    public static final int VVAR_NCLOCKS = 12;

    /** include/vdso/clocksource.h: no fast path, always the system call. */
    public static final int VDSO_CLOCKMODE_NONE = 0;
    /** arch/riscv/include/asm/vdso/clocksource.h: the time CSR (VDSO_CLOCKMODE_ARCHTIMER). */
    public static final int VDSO_CLOCKMODE_ARCHTIMER = 1;

    /** Exported functions and the system call each makes (-1: rt_sigreturn, which does not return). */
    private static final Map<String, Integer> FUNCTIONS = new LinkedHashMap<>();
    static {
        FUNCTIONS.put("__vdso_rt_sigreturn", SyscallNr.RT_SIGRETURN);
        FUNCTIONS.put("__vdso_gettimeofday", SyscallNr.GETTIMEOFDAY);
        FUNCTIONS.put("__vdso_clock_gettime", SyscallNr.CLOCK_GETTIME);
        FUNCTIONS.put("__vdso_clock_getres", SyscallNr.CLOCK_GETRES);
        FUNCTIONS.put("__vdso_getcpu", SyscallNr.GETCPU);
        FUNCTIONS.put("__vdso_flush_icache", SyscallNr.RISCV_FLUSH_ICACHE);
        FUNCTIONS.put("__vdso_riscv_hwprobe", SyscallNr.RISCV_HWPROBE);
    }

    private static final byte[] IMAGE;
    private static final Map<String, Long> SYMBOLS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZES = new LinkedHashMap<>();
    private static String listing;
    static {
        IMAGE = build();
    }

    /** The page's bytes (a copy). */
    public static byte[] image() {
        return IMAGE.clone();
    }

    /** The offset of an exported symbol in the image (VDSO_SYMBOL). */
    public static long symbol(String name) {
        Long v = SYMBOLS.get(name);
        if (v == null) throw new IllegalArgumentException("no vDSO symbol " + name);
        return v;
    }

    /** The text's assembly listing (GNU as syntax), for tests and readers. */
    static String listing() {
        return listing;
    }

    /** Offset of __vdso_rt_sigreturn. */
    public static long rtSigreturnOffset() {
        return symbol("__vdso_rt_sigreturn");
    }

    /** The SysV ELF hash (elf_hash in glibc's dl-hash.h). */
    static long elfHash(String s) {
        long h = 0;
        for (byte c : s.getBytes(StandardCharsets.US_ASCII)) {
            h = (h << 4) + (c & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) h ^= g >>> 24;
            h &= ~g;
        }
        return h & 0xffffffffL;
    }

    private static int align(int x, int a) {
        return (x + a - 1) & -a;
    }

    private static byte[] build() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int nsyms = FUNCTIONS.size() + 1;
        int phnum = 3;

        // String table: "", soname, version, then the symbol names.
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        Map<String, Integer> strOff = new LinkedHashMap<>();
        for (String s : concat(SONAME, VERSION)) {
            strOff.put(s, strtab.size());
            strtab.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            strtab.write(0);
        }
        for (String s : FUNCTIONS.keySet()) {
            strOff.put(s, strtab.size());
            strtab.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            strtab.write(0);
        }
        byte[] str = strtab.toByteArray();

        int phoff = Elf.EHDR64_SIZE;
        int symOff = align(phoff + phnum * Elf.PHDR64_SIZE, 8);
        int strOffset = symOff + nsyms * Elf.SYM64_SIZE;
        int hashOff = align(strOffset + str.length, 8);
        int nbucket = nsyms;
        int versymOff = hashOff + 4 * (2 + nbucket + nsyms);
        int verdefOff = align(versymOff + 2 * nsyms, 8);
        int verdefLen = 2 * (Elf.VERDEF_SIZE + Elf.VERDAUX_SIZE);
        int dynOff = align(verdefOff + verdefLen, 16);
        int ndyn = 10;
        int textOff = align(dynOff + ndyn * Elf.DYN64_SIZE, 16);
        MiniAsm asm = text(textOff);
        byte[] code = asm.bytes();
        int end = textOff + code.length;
        if (end > SIZE) throw new AssertionError("vDSO image too large");

        // ELF header.
        b.put(0, Elf.ELFMAG);
        b.put(Elf.EI_CLASS, (byte) Elf.ELFCLASS64);
        b.put(Elf.EI_DATA, (byte) Elf.ELFDATA2LSB);
        b.put(Elf.EI_VERSION, (byte) Elf.EV_CURRENT);
        b.putShort(Elf.E_TYPE, (short) Elf.ET_DYN);
        b.putShort(Elf.E_MACHINE, (short) Elf.EM_RISCV);
        b.putInt(Elf.E_VERSION, Elf.EV_CURRENT);
        b.putLong(Elf.E_ENTRY, textOff);
        b.putLong(Elf.E_PHOFF, phoff);
        b.putLong(Elf.E_SHOFF, 0);
        b.putInt(Elf.E_FLAGS, Elf.EF_RISCV_RVC | Elf.EF_RISCV_FLOAT_ABI_DOUBLE);
        b.putShort(Elf.E_EHSIZE, (short) Elf.EHDR64_SIZE);
        b.putShort(Elf.E_PHENTSIZE, (short) Elf.PHDR64_SIZE);
        b.putShort(Elf.E_PHNUM, (short) phnum);
        // e_shentsize 64, e_shnum 0, e_shstrndx 0: no section headers.
        b.putShort(58, (short) 64);

        // Program headers: the whole page r-x, the dynamic section, a non-executable stack.
        phdr(b, phoff, Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, 0, SIZE, 0x1000);
        phdr(b, phoff + Elf.PHDR64_SIZE, Elf.PT_DYNAMIC, Elf.PF_R, dynOff, ndyn * Elf.DYN64_SIZE, 8);
        phdr(b, phoff + 2 * Elf.PHDR64_SIZE, Elf.PT_GNU_STACK, Elf.PF_R | Elf.PF_W, 0, 0, 16);

        // Code and symbols.
        b.put(textOff, code);
        int i = 1;
        long[] hashes = new long[nsyms];
        for (String name : FUNCTIONS.keySet()) {
            long at = SYMBOLS.get(name);
            int s = symOff + i * Elf.SYM64_SIZE;
            b.putInt(s, strOff.get(name));
            b.put(s + 4, (byte) (Elf.STB_GLOBAL << 4 | Elf.STT_FUNC));
            b.put(s + 5, (byte) 0);
            b.putShort(s + 6, (short) 1); // defined (not SHN_UNDEF, not SHN_ABS)
            b.putLong(s + 8, at);
            b.putLong(s + 16, SIZES.get(name));
            hashes[i] = elfHash(name);
            i++;
        }
        b.put(strOffset, str);

        // DT_HASH: nbucket, nchain, buckets, chains.
        b.putInt(hashOff, nbucket);
        b.putInt(hashOff + 4, nsyms);
        int[] bucket = new int[nbucket];
        int[] chain = new int[nsyms];
        for (int k = nsyms - 1; k >= 1; k--) {
            int h = (int) (hashes[k] % nbucket);
            chain[k] = bucket[h];
            bucket[h] = k;
        }
        for (int k = 0; k < nbucket; k++) b.putInt(hashOff + 8 + 4 * k, bucket[k]);
        for (int k = 0; k < nsyms; k++) b.putInt(hashOff + 8 + 4 * nbucket + 4 * k, chain[k]);

        // DT_VERSYM: symbol 0 local (0), the rest version index 2 (LINUX_4.15).
        for (int k = 1; k < nsyms; k++) b.putShort(versymOff + 2 * k, (short) 2);

        // DT_VERDEF: index 1 the base (the soname), index 2 LINUX_4.15.
        int vd = verdefOff;
        verdef(b, vd, Elf.VER_FLG_BASE, 1, elfHash(SONAME), Elf.VERDEF_SIZE + Elf.VERDAUX_SIZE);
        b.putInt(vd + Elf.VERDEF_SIZE, strOff.get(SONAME));
        vd += Elf.VERDEF_SIZE + Elf.VERDAUX_SIZE;
        verdef(b, vd, 0, 2, elfHash(VERSION), 0);
        b.putInt(vd + Elf.VERDEF_SIZE, strOff.get(VERSION));

        // The dynamic section.
        int d = dynOff;
        d = dyn(b, d, Elf.DT_SONAME, strOff.get(SONAME));
        d = dyn(b, d, Elf.DT_HASH, hashOff);
        d = dyn(b, d, Elf.DT_STRTAB, strOffset);
        d = dyn(b, d, Elf.DT_SYMTAB, symOff);
        d = dyn(b, d, Elf.DT_STRSZ, str.length);
        d = dyn(b, d, Elf.DT_SYMENT, Elf.SYM64_SIZE);
        d = dyn(b, d, Elf.DT_VERSYM, versymOff);
        d = dyn(b, d, Elf.DT_VERDEF, verdefOff);
        d = dyn(b, d, Elf.DT_VERDEFNUM, 2);
        dyn(b, d, Elf.DT_NULL, 0);
        return b.array();
    }

    /**
     * The code, at image offset textOff. The vvar page starts VVAR_SIZE bytes before the image;
     * the code finds it pc-relatively (auipc), as Linux's vDSO finds its vvar symbol.
     */
    private static MiniAsm text(int textOff) {
        MiniAsm a = new MiniAsm(textOff);
        for (Map.Entry<String, Integer> e : FUNCTIONS.entrySet()) {
            String name = e.getKey();
            a.label(name);
            long start = a.pc();
            switch (name) {
                case "__vdso_rt_sigreturn" -> {
                    a.li(MiniAsm.A7, SyscallNr.RT_SIGRETURN);
                    a.ecall();
                    a.ecall(); // rt_sigreturn never returns; a second ecall repeats it
                }
                case "__vdso_clock_gettime" -> clockGettime(a);
                case "__vdso_gettimeofday" -> gettimeofday(a);
                default -> {
                    a.li(MiniAsm.A7, e.getValue());
                    a.ecall();
                    a.ret();
                }
            }
            SYMBOLS.put(name, start);
            SIZES.put(name, a.pc() - start);
        }
        listing = a.listing();
        return a;
    }

    /**
     * t5 = nanoseconds of the clock whose base is at 0(t2), t6 = the vvar page: base + rdtime *
     * mult, read inside the page's sequence count (do_hres: vdso_read_begin, read,
     * vdso_read_retry). Clobbers t3, t4. The callers check the clock's bit in VVAR_CLOCK_MASK
     * first, which the kernel clears in VDSO_CLOCKMODE_NONE and never changes while it runs.
     */
    private static void readClock(MiniAsm a, String p) {
        int t2 = MiniAsm.T2, t3 = MiniAsm.T3, t4 = MiniAsm.T4, t5 = MiniAsm.T5, t6 = MiniAsm.T6;
        a.label(p + "retry");
        a.lwu(t3, VVAR_SEQ, t6);
        a.andi(t4, t3, 1);
        a.bne(t4, MiniAsm.ZERO, p + "retry"); // the kernel is writing the page
        a.fenceRR();
        a.rdtime(t5);
        a.lwu(t4, VVAR_MULT, t6);
        a.mul(t5, t5, t4);
        a.ld(t4, 0, t2);
        a.add(t5, t5, t4);
        a.fenceRR();
        a.lwu(t4, VVAR_SEQ, t6);
        a.bne(t4, t3, p + "retry"); // the page changed meanwhile
    }

    /** int __vdso_clock_gettime(clockid_t clk (a0), struct __kernel_timespec *ts (a1)). */
    private static void clockGettime(MiniAsm a) {
        int t0 = MiniAsm.T0, t1 = MiniAsm.T1, t2 = MiniAsm.T2, t5 = MiniAsm.T5, t6 = MiniAsm.T6;
        String p = "cgt_";
        a.sltiu(t0, MiniAsm.A0, VVAR_NCLOCKS); // negative ids (CPU clocks) are huge unsigned
        a.la(t6, -VVAR_SIZE);
        a.lwu(t1, VVAR_CLOCK_MASK, t6);
        a.srl(t1, t1, MiniAsm.A0);
        a.and(t1, t1, t0);
        a.beq(t1, MiniAsm.ZERO, p + "fallback"); // not a clock computed here (or clock mode NONE)
        a.slli(t2, MiniAsm.A0, 3);
        a.add(t2, t2, t6);
        a.addi(t2, t2, VVAR_BASE);
        readClock(a, p);
        a.li(t0, 1_000_000_000L); // NSEC_PER_SEC
        a.divu(t1, t5, t0);
        a.remu(t2, t5, t0);
        a.sd(t1, 0, MiniAsm.A1); // tv_sec
        a.sd(t2, 8, MiniAsm.A1); // tv_nsec
        a.li(MiniAsm.A0, 0);
        a.ret();
        a.label(p + "fallback");
        a.li(MiniAsm.A7, SyscallNr.CLOCK_GETTIME);
        a.ecall();
        a.ret();
    }

    /** int __vdso_gettimeofday(struct __kernel_old_timeval *tv (a0), struct timezone *tz (a1)). */
    private static void gettimeofday(MiniAsm a) {
        int t0 = MiniAsm.T0, t1 = MiniAsm.T1, t2 = MiniAsm.T2, t5 = MiniAsm.T5, t6 = MiniAsm.T6;
        String p = "gtod_";
        a.bne(MiniAsm.A1, MiniAsm.ZERO, p + "fallback"); // the timezone comes from the kernel
        a.beq(MiniAsm.A0, MiniAsm.ZERO, p + "fallback");
        a.la(t6, -VVAR_SIZE);
        a.lwu(t1, VVAR_CLOCK_MASK, t6);
        a.andi(t1, t1, 1 << dev.kava.abi.Time.CLOCK_REALTIME);
        a.beq(t1, MiniAsm.ZERO, p + "fallback");
        a.addi(t2, t6, VVAR_BASE + 8 * dev.kava.abi.Time.CLOCK_REALTIME);
        readClock(a, p);
        a.li(t0, 1_000_000_000L); // NSEC_PER_SEC
        a.divu(t1, t5, t0);
        a.remu(t2, t5, t0);
        a.li(t0, 1000); // NSEC_PER_USEC
        a.divu(t2, t2, t0);
        a.sd(t1, 0, MiniAsm.A0); // tv_sec
        a.sd(t2, 8, MiniAsm.A0); // tv_usec
        a.li(MiniAsm.A0, 0);
        a.ret();
        a.label(p + "fallback");
        a.li(MiniAsm.A7, SyscallNr.GETTIMEOFDAY);
        a.ecall();
        a.ret();
    }

    /**
     * A vvar page. fast: VDSO_CLOCKMODE_ARCHTIMER (else NONE: every call makes the system
     * call); clockMask: the clock ids computed here; base: nanoseconds per clock id when the
     * time CSR read 0; a clock reads base + ticks * mult.
     */
    public static byte[] vvarPage(boolean fast, int clockMask, int mult, long[] base) {
        ByteBuffer b = ByteBuffer.allocate(VVAR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VVAR_CLOCK_MODE, fast ? VDSO_CLOCKMODE_ARCHTIMER : VDSO_CLOCKMODE_NONE);
        b.putInt(VVAR_CLOCK_MASK, fast ? clockMask & ((1 << VVAR_NCLOCKS) - 1) : 0); // the code reads only this
        b.putInt(VVAR_MULT, mult);
        for (int k = 0; k < VVAR_NCLOCKS && base != null && k < base.length; k++) b.putLong(VVAR_BASE + 8 * k, base[k]);
        return b.array();
    }

    private static final VarHandle U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /**
     * update_vsyscall after the clock was stepped: writes each clock's base into the live vvar
     * page between vdso_write_begin and vdso_write_end (the sequence count odd, then even
     * again), so that the code in every process either sees the old bases or the new ones.
     * Callers serialize writers (the timekeeper lock).
     */
    public static void writeBases(MemorySegment page, long[] base) {
        int seq = (int) U32.getVolatile(page, (long) VVAR_SEQ);
        U32.setVolatile(page, (long) VVAR_SEQ, seq + 1);
        for (int k = 0; k < VVAR_NCLOCKS && k < base.length; k++) U64.setVolatile(page, (long) VVAR_BASE + 8L * k, base[k]);
        U32.setVolatile(page, (long) VVAR_SEQ, seq + 2);
    }

    private static String[] concat(String... s) {
        return s;
    }

    private static void phdr(ByteBuffer b, int o, int type, int flags, long off, long size, long align) {
        b.putInt(o + Elf.P_TYPE, type);
        b.putInt(o + Elf.P_FLAGS, flags);
        b.putLong(o + Elf.P_OFFSET, off);
        b.putLong(o + Elf.P_VADDR, off);
        b.putLong(o + Elf.P_PADDR, off);
        b.putLong(o + Elf.P_FILESZ, size);
        b.putLong(o + Elf.P_MEMSZ, size);
        b.putLong(o + Elf.P_ALIGN, align);
    }

    private static void verdef(ByteBuffer b, int o, int flags, int ndx, long hash, int next) {
        b.putShort(o, (short) Elf.VER_DEF_CURRENT);
        b.putShort(o + 2, (short) flags);
        b.putShort(o + 4, (short) ndx);
        b.putShort(o + 6, (short) 1); // vd_cnt
        b.putInt(o + 8, (int) hash);
        b.putInt(o + 12, Elf.VERDEF_SIZE); // vd_aux
        b.putInt(o + 16, next);
    }

    private static int dyn(ByteBuffer b, int o, long tag, long val) {
        b.putLong(o, tag);
        b.putLong(o + 8, val);
        return o + Elf.DYN64_SIZE;
    }
}
