package dev.kava.fs.binfmt;

import dev.kava.abi.Auxv;
import dev.kava.abi.Elf;
import dev.kava.abi.Errno;
import dev.kava.fs.ExecFile;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ELF loader on hand-made files: a good one loads exactly; broken ones fail with an errno, never an exception. */
class ElfLoaderTest {
    /** An executable held in memory. */
    record Bytes(byte[] data) implements ExecFile {
        public long size() { return data.length; }

        public int readAt(byte[] dst, int off, int len, long offset) {
            if (offset < 0 || offset >= data.length) return 0;
            int n = (int) Math.min(len, data.length - offset);
            System.arraycopy(data, (int) offset, dst, off, n);
            return n;
        }

        public String guestPath() { return "/test"; }
    }

    static final long TEXT = 0x10000, DATA = 0x11100, ENTRY = 0x100b0;

    /** A static ET_EXEC: a text segment holding the headers, and a data segment with 0x20 file bytes and bss. */
    static byte[] goodElf() {
        byte[] f = new byte[0x200];
        Arrays.fill(f, 0x120, 0x200, (byte) 0xAA); // beyond the data segment's filesz: must not show in memory
        System.arraycopy(Elf.ELFMAG, 0, f, 0, 4);
        f[Elf.EI_CLASS] = Elf.ELFCLASS64;
        f[Elf.EI_DATA] = Elf.ELFDATA2LSB;
        f[Elf.EI_VERSION] = Elf.EV_CURRENT;
        Uaccess.putShort(f, Elf.E_TYPE, Elf.ET_EXEC);
        Uaccess.putShort(f, Elf.E_MACHINE, Elf.EM_RISCV);
        Uaccess.putInt(f, Elf.E_VERSION, 1);
        Uaccess.putLong(f, Elf.E_ENTRY, ENTRY);
        Uaccess.putLong(f, Elf.E_PHOFF, 64);
        Uaccess.putShort(f, Elf.E_EHSIZE, 64);
        Uaccess.putShort(f, Elf.E_PHENTSIZE, Elf.PHDR64_SIZE);
        Uaccess.putShort(f, Elf.E_PHNUM, 2);
        phdr(f, 0, Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, 0, TEXT, 0x100, 0x100);
        phdr(f, 1, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x100, DATA, 0x20, 0x2000);
        for (int i = 0x100; i < 0x120; i++) f[i] = (byte) i;
        return f;
    }

    static void phdr(byte[] f, int i, int type, int flags, long off, long vaddr, long filesz, long memsz) {
        int o = 64 + i * Elf.PHDR64_SIZE;
        Uaccess.putInt(f, o + Elf.P_TYPE, type);
        Uaccess.putInt(f, o + Elf.P_FLAGS, flags);
        Uaccess.putLong(f, o + Elf.P_OFFSET, off);
        Uaccess.putLong(f, o + Elf.P_VADDR, vaddr);
        Uaccess.putLong(f, o + Elf.P_PADDR, vaddr);
        Uaccess.putLong(f, o + Elf.P_FILESZ, filesz);
        Uaccess.putLong(f, o + Elf.P_MEMSZ, memsz);
        Uaccess.putLong(f, o + Elf.P_ALIGN, 0x1000);
    }

    static final byte[] RANDOM = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static ElfLoader.Loaded load(byte[] elf, Mmap mm) {
        ElfLoader.Prepared p = ElfLoader.prepare(new Bytes(elf), path -> { throw ErrnoException.of(Errno.ENOENT); });
        return p.load(mm, new ElfLoader.StackInfo(List.of("/test", "arg1"), List.of("A=1", "B=two"), "/test",
                1, 2, 3, 4, false, RANDOM, 0x112d));
    }

    static int errnoOf(byte[] elf) {
        ErrnoException e = assertThrows(ErrnoException.class, () -> load(elf, new Mmap(new AddressSpace())));
        return e.errno;
    }

    @Test
    void loadsSegmentsAndBuildsTheStack() {
        AddressSpace as = new AddressSpace();
        Mmap mm = new Mmap(as);
        byte[] elf = goodElf();
        ElfLoader.Loaded l = load(elf, mm);
        assertEquals(ENTRY, l.entry());
        assertEquals(TEXT + 64, l.phdrAddr());
        assertEquals(0x14000, l.startBrk()); // page-aligned end of bss
        assertEquals(0x14000, mm.brk());

        byte[] text = new byte[0x100];
        assertTrue(as.copyFromUser(TEXT, text, 0, text.length));
        assertArrayEquals(Arrays.copyOf(elf, 0x100), text);
        byte[] data = new byte[0x40];
        assertTrue(as.copyFromUser(DATA, data, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(elf, 0x100, 0x120), Arrays.copyOf(data, 0x20));
        assertArrayEquals(new byte[0x20], Arrays.copyOfRange(data, 0x20, 0x40), "bss in the file's last page is zeroed");
        assertTrue(as.isMapped(0x13fff), "bss pages are mapped");
        assertEquals(-1, as.protAt(0x14000));
        assertEquals(5, as.protAt(TEXT)); // r-x

        long sp = l.sp();
        assertEquals(0, sp % 16);
        assertTrue(sp < Mmap.STACK_TOP && sp > Mmap.STACK_TOP - Mmap.STACK_SIZE);
        Uaccess u = new Uaccess(as);
        assertEquals(2, u.read64(sp));
        assertEquals("/test", u.readCString(u.read64(sp + 8), 100));
        assertEquals("arg1", u.readCString(u.read64(sp + 16), 100));
        assertEquals(0, u.read64(sp + 24));
        assertEquals("A=1", u.readCString(u.read64(sp + 32), 100));
        assertEquals("B=two", u.readCString(u.read64(sp + 40), 100));
        assertEquals(0, u.read64(sp + 48));
        Map<Long, Long> auxv = new HashMap<>();
        for (long a = sp + 56; ; a += 16) {
            long type = u.read64(a);
            if (type == Auxv.AT_NULL) break;
            auxv.put(type, u.read64(a + 8));
        }
        assertEquals(TEXT + 64, auxv.get((long) Auxv.AT_PHDR));
        assertEquals(56L, auxv.get((long) Auxv.AT_PHENT));
        assertEquals(2L, auxv.get((long) Auxv.AT_PHNUM));
        assertEquals(4096L, auxv.get((long) Auxv.AT_PAGESZ));
        assertEquals(0L, auxv.get((long) Auxv.AT_BASE));
        assertEquals(ENTRY, auxv.get((long) Auxv.AT_ENTRY));
        assertEquals(1L, auxv.get((long) Auxv.AT_UID));
        assertEquals(2L, auxv.get((long) Auxv.AT_EUID));
        assertEquals(3L, auxv.get((long) Auxv.AT_GID));
        assertEquals(4L, auxv.get((long) Auxv.AT_EGID));
        assertEquals(0L, auxv.get((long) Auxv.AT_SECURE));
        assertEquals(100L, auxv.get((long) Auxv.AT_CLKTCK));
        assertEquals(0x112dL, auxv.get((long) Auxv.AT_HWCAP));
        assertEquals(32L, auxv.get((long) Auxv.AT_RSEQ_FEATURE_SIZE));
        assertEquals(32L, auxv.get((long) Auxv.AT_RSEQ_ALIGN));
        assertEquals(1088L, auxv.get((long) Auxv.AT_MINSIGSTKSZ));
        assertEquals("/test", u.readCString(auxv.get((long) Auxv.AT_EXECFN), 100));
        assertArrayEquals(RANDOM, u.read(auxv.get((long) Auxv.AT_RANDOM), 16));
        // The strings sit at the very top: the file name last, just below the top pointer slot.
        assertEquals(Mmap.STACK_TOP - 8 - 6, auxv.get((long) Auxv.AT_EXECFN));
    }

    @Test
    void rejectsFilesThatAreNotRiscv64Elf() {
        assertEquals(Errno.ENOEXEC, errnoOf(new byte[0]));
        assertEquals(Errno.ENOEXEC, errnoOf("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Errno.ENOEXEC, errnoOf(Arrays.copyOf(goodElf(), 4)));
        assertEquals(Errno.ENOEXEC, errnoOf(Arrays.copyOf(goodElf(), 100))); // header, but phdrs cut off

        byte[] x86 = goodElf();
        Uaccess.putShort(x86, Elf.E_MACHINE, Elf.EM_X86_64);
        assertEquals(Errno.ENOEXEC, errnoOf(x86));
        byte[] elf32 = goodElf();
        elf32[Elf.EI_CLASS] = Elf.ELFCLASS32;
        assertEquals(Errno.ENOEXEC, errnoOf(elf32));
        byte[] rel = goodElf();
        Uaccess.putShort(rel, Elf.E_TYPE, Elf.ET_REL);
        assertEquals(Errno.ENOEXEC, errnoOf(rel));
        byte[] phent = goodElf();
        Uaccess.putShort(phent, Elf.E_PHENTSIZE, 32);
        assertEquals(Errno.ENOEXEC, errnoOf(phent));
        byte[] nophdr = goodElf();
        Uaccess.putShort(nophdr, Elf.E_PHNUM, 0);
        assertEquals(Errno.ENOEXEC, errnoOf(nophdr));
        byte[] farPhdr = goodElf();
        Uaccess.putLong(farPhdr, Elf.E_PHOFF, -8);
        assertEquals(Errno.ENOEXEC, errnoOf(farPhdr));
    }

    @Test
    void checksTheInterpreterName() {
        byte[] longName = goodElf();
        phdr(longName, 1, Elf.PT_INTERP, Elf.PF_R, 0x100, 0, 5000, 5000);
        assertEquals(Errno.ENOEXEC, errnoOf(longName));
        byte[] unterminated = goodElf();
        phdr(unterminated, 1, Elf.PT_INTERP, Elf.PF_R, 0x100, 0, 0x10, 0x10);
        assertEquals(Errno.ENOEXEC, errnoOf(unterminated));
        byte[] outside = goodElf();
        phdr(outside, 1, Elf.PT_INTERP, Elf.PF_R, 0x1000, 0, 0x10, 0x10);
        assertEquals(Errno.EIO, errnoOf(outside));
        byte[] missing = goodElf();
        byte[] name = "/lib/ld.so\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, missing, 0x100, name.length);
        phdr(missing, 1, Elf.PT_INTERP, Elf.PF_R, 0x100, 0, name.length, name.length);
        assertEquals(Errno.ENOENT, errnoOf(missing));
    }

    @Test
    void rejectsImpossibleSegments() {
        byte[] fileszOverMemsz = goodElf();
        phdr(fileszOverMemsz, 1, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x100, DATA, 0x20, 0x10);
        assertEquals(Errno.EINVAL, errnoOf(fileszOverMemsz));
        byte[] aboveTaskSize = goodElf();
        phdr(aboveTaskSize, 1, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x100, Mmap.TASK_SIZE + 0x100, 0x20, 0x20);
        assertTrue(errnoOf(aboveTaskSize) > 0);
        byte[] misaligned = goodElf();
        phdr(misaligned, 1, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x104, DATA, 0x20, 0x20); // offset out of step with vaddr
        assertEquals(Errno.EINVAL, errnoOf(misaligned));
        byte[] overlap = goodElf();
        phdr(overlap, 1, Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x100, TEXT + 0x100, 0x20, 0x20);
        load(overlap, new Mmap(new AddressSpace())); // a later segment may overlap an earlier one (MAP_FIXED)
    }

    /** Random corruption of the headers must end in a load or an errno, never in another exception. */
    @Test
    void corruptHeadersNeverThrowAnythingButAnErrno() {
        Random r = new Random(42);
        byte[] good = goodElf();
        for (int round = 0; round < 600; round++) {
            byte[] f = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) f[r.nextInt(64 + 2 * Elf.PHDR64_SIZE)] = (byte) r.nextInt(256);
            if (hugeSegment(f)) continue; // mapping hundreds of GiB page by page is slow, not interesting
            try {
                load(f, new Mmap(new AddressSpace()));
            } catch (ErrnoException expected) {
                assertTrue(expected.errno > 0 && expected.errno < 4096);
            }
        }
    }

    private static boolean hugeSegment(byte[] f) {
        for (int i = 0; i < 2; i++) {
            long memsz = Uaccess.getLong(f, 64 + i * Elf.PHDR64_SIZE + Elf.P_MEMSZ);
            if (Long.compareUnsigned(memsz, 4L << 20) > 0) return true;
        }
        return false;
    }
}
