package dev.kava.arch.riscv;

import dev.kava.abi.Elf;
import dev.kava.abi.SyscallNr;

import java.io.ByteArrayOutputStream;
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
 */
public final class Vdso {
    private Vdso() {}

    public static final int SIZE = 4096;
    public static final String SONAME = "linux-vdso.so.1";
    public static final String VERSION = "LINUX_4.15";

    private static final int ADDI_A7_ZERO = 0x00000893; // addi a7, zero, imm (imm << 20)
    private static final int ECALL = 0x00000073;
    private static final int RET = 0x00008067; // jalr zero, 0(ra)

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
        int textLen = FUNCTIONS.size() * 16;
        int end = textOff + textLen;
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
        int i = 1;
        int pc = textOff;
        long[] hashes = new long[nsyms];
        for (Map.Entry<String, Integer> e : FUNCTIONS.entrySet()) {
            boolean sigreturn = e.getValue() == SyscallNr.RT_SIGRETURN;
            b.putInt(pc, ADDI_A7_ZERO | e.getValue() << 20);
            b.putInt(pc + 4, ECALL);
            b.putInt(pc + 8, sigreturn ? ECALL : RET); // rt_sigreturn never returns; a second ecall repeats it
            SYMBOLS.put(e.getKey(), (long) pc);
            int s = symOff + i * Elf.SYM64_SIZE;
            b.putInt(s, strOff.get(e.getKey()));
            b.put(s + 4, (byte) (Elf.STB_GLOBAL << 4 | Elf.STT_FUNC));
            b.put(s + 5, (byte) 0);
            b.putShort(s + 6, (short) 1); // defined (not SHN_UNDEF, not SHN_ABS)
            b.putLong(s + 8, pc);
            b.putLong(s + 16, sigreturn ? 8 : 12);
            hashes[i] = elfHash(e.getKey());
            pc += 16;
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
