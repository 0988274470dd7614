package dev.kava.fs.binfmt;

import dev.kava.abi.Auxv;
import dev.kava.abi.Elf;
import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import dev.kava.arch.riscv.Vdso;
import dev.kava.fs.ExecFile;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ELF64 loader for riscv64 (fs/binfmt_elf.c). Loading happens in two steps, as in Linux:
 * {@link #prepare} reads and checks the program and its interpreter and may fail with an errno
 * (the old image is untouched); {@link Prepared#load} maps the segments and builds the initial
 * stack, and is past the point of no return: a failure there kills the process.
 */
public final class ElfLoader {
    private ElfLoader() {}

    /** BINPRM_BUF_SIZE: how much of the file exec looks at to recognise its format. */
    public static final int BINPRM_BUF_SIZE = 256;
    private static final int PATH_MAX = 4096;
    /** AT_MINSIGSTKSZ on riscv64 without the V extension: sizeof(struct rt_sigframe) = siginfo (128) + ucontext (960). */
    public static final long MINSIGSTKSZ = 1088;
    /** offsetof(struct rseq, end) and __alignof__(struct rseq) (include/uapi/linux/rseq.h, with slice_ctrl). */
    public static final long RSEQ_FEATURE_SIZE = 32, RSEQ_ALIGN = 32;
    /** CLOCKS_PER_SEC as AT_CLKTCK reports it (USER_HZ). */
    public static final long CLKTCK = 100;

    /** One program header (Elf64_Phdr). */
    public record Phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {}

    /** A checked ELF file: header fields and program headers. */
    public record ElfFile(ExecFile file, int type, long entry, long phoff, int phnum, List<Phdr> phdrs) {}

    /** Opens the interpreter named by PT_INTERP (open_exec). */
    public interface InterpreterOpener {
        ExecFile open(String path);
    }

    /** What create_elf_tables puts on the stack besides the ELF information. */
    public record StackInfo(List<String> argv, List<String> envp, String execfn, int uid, int euid, int gid, int egid,
                            boolean secure, byte[] random16, long hwcap) {}

    /** The loaded image: where to start and what the mm needs to know. */
    public record Loaded(long entry, long sp, long phdrAddr, long loadBias, long interpBase, long startBrk,
                         long startCode, long endCode, long startData, long endData) {}

    /** A program checked and ready to load. */
    public record Prepared(ElfFile exe, ElfFile interp) {
        /** Loads with a vvar page that sends every vDSO time call to the kernel. */
        public Loaded load(Mmap mm, StackInfo info) {
            return ElfLoader.load(this, mm, info, NO_VVAR);
        }

        /** Loads, mapping vvar (the kernel's {@link #vvarBacking}) below the vDSO. */
        public Loaded load(Mmap mm, StackInfo info, Mmap.Backing vvar) {
            return ElfLoader.load(this, mm, info, vvar);
        }
    }

    /** Everything of load_elf_binary before the point of no return. */
    public static Prepared prepare(ExecFile file, InterpreterOpener opener) {
        byte[] buf = new byte[BINPRM_BUF_SIZE];
        file.readAt(buf, 0, buf.length, 0); // what is missing stays zero, as in bprm->buf
        ElfFile exe = parse(file, buf, Errno.ENOEXEC);
        if (exe.type != Elf.ET_EXEC && exe.type != Elf.ET_DYN) throw ErrnoException.of(Errno.ENOEXEC);
        ElfFile interp = null;
        for (Phdr p : exe.phdrs) {
            if (p.type != Elf.PT_INTERP) continue;
            if (Long.compareUnsigned(p.filesz, PATH_MAX) > 0 || p.filesz < 2) throw ErrnoException.of(Errno.ENOEXEC);
            byte[] name = readFully(file, p.offset, (int) p.filesz);
            if (name == null) throw ErrnoException.of(Errno.EIO);
            if (name[name.length - 1] != 0) throw ErrnoException.of(Errno.ENOEXEC);
            int nul = 0;
            while (name[nul] != 0) nul++;
            ExecFile ifile = opener.open(new String(name, 0, nul, StandardCharsets.ISO_8859_1));
            byte[] ibuf = readFully(ifile, 0, Elf.EHDR64_SIZE);
            if (ibuf == null) throw ErrnoException.of(Errno.EIO);
            interp = parse(ifile, ibuf, Errno.ELIBBAD);
            break;
        }
        return new Prepared(exe, interp);
    }

    /** The header checks of load_elf_binary / load_elf_interp, then load_elf_phdrs. */
    private static ElfFile parse(ExecFile file, byte[] h, int errno) {
        for (int i = 0; i < 4; i++) if (h[i] != Elf.ELFMAG[i]) throw ErrnoException.of(errno);
        int type = u16(h, Elf.E_TYPE);
        // elf_check_arch: EM_RISCV and ELFCLASS64. An x86-64, aarch64 or 32-bit file ends here.
        if (u16(h, Elf.E_MACHINE) != Elf.EM_RISCV || h[Elf.EI_CLASS] != Elf.ELFCLASS64) throw ErrnoException.of(errno);
        int phentsize = u16(h, Elf.E_PHENTSIZE), phnum = u16(h, Elf.E_PHNUM);
        long phoff = Uaccess.getLong(h, Elf.E_PHOFF);
        if (phentsize != Elf.PHDR64_SIZE) throw ErrnoException.of(errno);
        int size = phnum * Elf.PHDR64_SIZE;
        if (size == 0 || size > 65536) throw ErrnoException.of(errno);
        byte[] ph = readFully(file, phoff, size);
        if (ph == null) throw ErrnoException.of(errno);
        List<Phdr> phdrs = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int o = i * Elf.PHDR64_SIZE;
            phdrs.add(new Phdr(Uaccess.getInt(ph, o + Elf.P_TYPE), Uaccess.getInt(ph, o + Elf.P_FLAGS),
                    Uaccess.getLong(ph, o + Elf.P_OFFSET), Uaccess.getLong(ph, o + Elf.P_VADDR),
                    Uaccess.getLong(ph, o + Elf.P_FILESZ), Uaccess.getLong(ph, o + Elf.P_MEMSZ),
                    Uaccess.getLong(ph, o + Elf.P_ALIGN)));
        }
        return new ElfFile(file, type, Uaccess.getLong(h, Elf.E_ENTRY), phoff, phnum, List.copyOf(phdrs));
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    /** elf_read: exactly len bytes at offset, or null. */
    private static byte[] readFully(ExecFile f, long offset, int len) {
        if (offset < 0 || len < 0 || offset > f.size() - len) return null;
        byte[] b = new byte[len];
        return f.readAt(b, 0, len, offset) == len ? b : null;
    }

    private static boolean badAddr(long x) {
        return Long.compareUnsigned(x, Mmap.TASK_SIZE) >= 0;
    }

    private static long pageStart(long x) {
        return x & ~Page.MASK;
    }

    private static long pageOffset(long x) {
        return x & Page.MASK;
    }

    private static int makeProt(int pflags) {
        int prot = 0;
        if ((pflags & Elf.PF_R) != 0) prot |= Mman.PROT_READ;
        if ((pflags & Elf.PF_W) != 0) prot |= Mman.PROT_WRITE;
        if ((pflags & Elf.PF_X) != 0) prot |= Mman.PROT_EXEC;
        return prot;
    }

    /** total_mapping_size: from the lowest PT_LOAD page to the end of the highest. */
    private static long totalMappingSize(List<Phdr> phdrs) {
        long min = -1, max = 0;
        boolean any = false;
        for (Phdr p : phdrs) {
            if (p.type != Elf.PT_LOAD) continue;
            if (Long.compareUnsigned(pageStart(p.vaddr), min) < 0) min = pageStart(p.vaddr);
            if (Long.compareUnsigned(p.vaddr + p.memsz, max) > 0) max = p.vaddr + p.memsz;
            any = true;
        }
        return any ? max - min : 0;
    }

    /** maximum_alignment: the largest power-of-two p_align of the PT_LOADs, at least a page. */
    private static long maximumAlignment(List<Phdr> phdrs) {
        long a = 0;
        for (Phdr p : phdrs) {
            if (p.type != Elf.PT_LOAD) continue;
            if (p.align != 0 && (p.align & (p.align - 1)) == 0 && Long.compareUnsigned(p.align, a) > 0) a = p.align;
        }
        return Mmap.pageAlign(a);
    }

    private static Loaded load(Prepared prep, Mmap mm, StackInfo info, Mmap.Backing vvar) {
        ElfFile exe = prep.exe;
        mm.setupStack();
        long loadBias = 0, totalSize = 0;
        boolean first = true;
        long phdrAddr = 0, startCode = -1, endCode = 0, startData = 0, endData = 0, elfBrk = 0;
        Mmap.FileBacking backing = new Mmap.FileBacking(exe.file, true);
        for (Phdr p : exe.phdrs) {
            if (p.type != Elf.PT_LOAD) continue;
            int prot = makeProt(p.flags);
            int flags = Mman.MAP_PRIVATE;
            if (!first) {
                flags |= Mman.MAP_FIXED;
            } else if (exe.type == Elf.ET_EXEC) {
                flags |= Mman.MAP_FIXED_NOREPLACE;
            } else {
                // ET_DYN: with an interpreter at ELF_ET_DYN_BASE; a static PIE where mmap puts it.
                if (prep.interp != null) {
                    loadBias = Mmap.ELF_ET_DYN_BASE;
                    long align = maximumAlignment(exe.phdrs);
                    if (align != 0) loadBias &= ~(align - 1);
                    flags |= Mman.MAP_FIXED_NOREPLACE;
                }
                loadBias = pageStart(loadBias - p.vaddr);
                totalSize = totalMappingSize(exe.phdrs);
                if (totalSize == 0) throw ErrnoException.of(Errno.EINVAL);
            }
            long mapped = elfLoad(mm, backing, loadBias + p.vaddr, p, prot, flags, totalSize);
            if (badAddr(mapped)) throw ErrnoException.of(Errno.isError(mapped) ? (int) -mapped : Errno.EINVAL);
            if (first) {
                first = false;
                if (exe.type == Elf.ET_DYN) loadBias += mapped - pageStart(loadBias + p.vaddr);
            }
            if (Long.compareUnsigned(p.offset, exe.phoff) <= 0
                    && Long.compareUnsigned(exe.phoff, p.offset + p.filesz) < 0) {
                phdrAddr = exe.phoff - p.offset + p.vaddr;
            }
            long k = p.vaddr;
            if ((p.flags & Elf.PF_X) != 0 && Long.compareUnsigned(k, startCode) < 0) startCode = k;
            if (Long.compareUnsigned(startData, k) < 0) startData = k;
            // The segment must fit below TASK_SIZE, and p_filesz may not exceed p_memsz.
            if (badAddr(k) || Long.compareUnsigned(p.filesz, p.memsz) > 0 || Long.compareUnsigned(p.memsz, Mmap.TASK_SIZE) > 0
                    || Long.compareUnsigned(Mmap.TASK_SIZE - p.memsz, k) < 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            k = p.vaddr + p.filesz;
            if ((p.flags & Elf.PF_X) != 0 && Long.compareUnsigned(endCode, k) < 0) endCode = k;
            if (Long.compareUnsigned(endData, k) < 0) endData = k;
            k = p.vaddr + p.memsz;
            if (Long.compareUnsigned(k, elfBrk) > 0) elfBrk = k;
        }
        long eEntry = exe.entry + loadBias;
        phdrAddr += loadBias;
        elfBrk += loadBias;
        startCode += loadBias;
        endCode += loadBias;
        startData += loadBias;
        endData += loadBias;

        long entry, interpBase = 0;
        if (prep.interp != null) {
            long base = loadInterp(mm, prep.interp, loadBias);
            if (Errno.isError(base)) throw ErrnoException.of((int) -base);
            interpBase = base;
            entry = base + prep.interp.entry;
            if (badAddr(entry)) throw ErrnoException.of(Errno.EINVAL);
        } else {
            entry = eEntry;
            if (badAddr(entry)) throw ErrnoException.of(Errno.EINVAL);
        }
        long vdso = mapVdso(mm, vvar);
        long[] strings = new long[4];
        long sp = createElfTables(mm, exe, info, interpBase, eEntry, phdrAddr, vdso, strings);
        mm.setLayout(new Mmap.Layout(startCode, endCode, startData, endData, sp, strings[0], strings[1], strings[2], strings[3]));
        // A static PIE (ET_DYN run directly) gets its brk out of the mmap area, at ELF_ET_DYN_BASE.
        if (exe.type == Elf.ET_DYN && prep.interp == null) elfBrk = Mmap.ELF_ET_DYN_BASE;
        long startBrk = Mmap.pageAlign(elfBrk);
        mm.setBrkStart(startBrk);
        return new Loaded(entry, sp, phdrAddr, loadBias, interpBase, startBrk, startCode, endCode, startData, endData);
    }

    /** load_elf_interp: the interpreter goes wherever mmap puts its first segment. Returns its base or -errno. */
    private static long loadInterp(Mmap mm, ElfFile interp, long noBase) {
        if (interp.type != Elf.ET_EXEC && interp.type != Elf.ET_DYN) return -Errno.EINVAL;
        long totalSize = totalMappingSize(interp.phdrs);
        if (totalSize == 0) return -Errno.EINVAL;
        long loadAddr = 0;
        boolean loadAddrSet = false;
        Mmap.FileBacking backing = new Mmap.FileBacking(interp.file, true);
        for (Phdr p : interp.phdrs) {
            if (p.type != Elf.PT_LOAD) continue;
            int flags = Mman.MAP_PRIVATE;
            if (interp.type == Elf.ET_EXEC || loadAddrSet) flags |= Mman.MAP_FIXED;
            else if (noBase != 0 && interp.type == Elf.ET_DYN) loadAddr = -p.vaddr;
            long mapped = elfLoad(mm, backing, loadAddr + p.vaddr, p, makeProt(p.flags), flags, totalSize);
            totalSize = 0;
            if (badAddr(mapped)) return Errno.isError(mapped) ? mapped : -Errno.EINVAL;
            if (!loadAddrSet && interp.type == Elf.ET_DYN) {
                loadAddr = mapped - pageStart(p.vaddr);
                loadAddrSet = true;
            }
            long k = loadAddr + p.vaddr;
            if (badAddr(k) || Long.compareUnsigned(p.filesz, p.memsz) > 0 || Long.compareUnsigned(p.memsz, Mmap.TASK_SIZE) > 0
                    || Long.compareUnsigned(Mmap.TASK_SIZE - p.memsz, k) < 0) {
                return -Errno.ENOMEM;
            }
        }
        return loadAddr;
    }

    /** The name of the vDSO's area in /proc/PID/maps, and how the kernel finds it again. */
    public static final String VDSO_NAME = "[vdso]";

    /** The vDSO image as a mapping's contents. */
    private static final Mmap.Backing VDSO_BACKING = new Mmap.Backing() {
        private final byte[] image = Vdso.image();

        @Override
        public int readAt(byte[] dst, int off, int len, long offset) {
            if (offset >= image.length) return 0;
            int n = (int) Math.min(len, image.length - offset);
            System.arraycopy(image, (int) offset, dst, off, n);
            return n;
        }

        @Override
        public String name() {
            return VDSO_NAME;
        }
    };

    /** The name of the vDSO's data area in /proc/PID/maps. */
    public static final String VVAR_NAME = "[vvar]";

    /**
     * The vvar frame as a mapping's contents: every process maps this one frame (as Linux maps
     * its one vdso_time_data page), so a change the kernel makes to it is seen at once by all.
     * The mapping is private and read-only; a write after mprotect gets a private copy.
     */
    public static Mmap.Backing vvarBacking(Page frame) {
        return new Mmap.Backing() {
            @Override
            public int readAt(byte[] dst, int off, int len, long offset) {
                if (offset >= Page.SIZE) return 0;
                int n = (int) Math.min(len, Page.SIZE - offset);
                frame.read((int) offset, dst, off, n);
                return n;
            }

            @Override
            public long size() {
                return Vdso.VVAR_SIZE;
            }

            @Override
            public boolean hasPageCache() {
                return true;
            }

            @Override
            public Page pageCacheFrame(long index) {
                return index == 0 ? frame : null;
            }

            @Override
            public String name() {
                return VVAR_NAME;
            }
        };
    }

    private static Page frameOf(byte[] page) {
        Page p = Page.newFrame();
        p.write(0, page, 0, page.length);
        return p;
    }

    /** A vvar page in VDSO_CLOCKMODE_NONE: the vDSO's time calls all make the system call. */
    private static final Mmap.Backing NO_VVAR = vvarBacking(frameOf(Vdso.vvarPage(false, 0, 0, null)));

    /**
     * __setup_additional_pages (arch/riscv/kernel/vdso.c): the read-only vvar page and, right
     * above it, the vDSO, read and execute, where mmap puts the pair. Returns the vDSO's base.
     */
    private static long mapVdso(Mmap mm, Mmap.Backing vvar) {
        long addr = mm.mmap(0, Vdso.VVAR_SIZE + Vdso.SIZE, Mman.PROT_READ, Mman.MAP_PRIVATE, vvar, 0);
        if (Errno.isError(addr)) throw ErrnoException.of((int) -addr);
        long text = mm.mmap(addr + Vdso.VVAR_SIZE, Vdso.SIZE, Mman.PROT_READ | Mman.PROT_EXEC,
                Mman.MAP_PRIVATE | Mman.MAP_FIXED, VDSO_BACKING, 0);
        if (Errno.isError(text)) throw ErrnoException.of((int) -text);
        return text;
    }

    /** Where the vDSO is mapped in mm, or 0 (the area named [vdso]; mm->context.vdso). */
    public static long vdsoBase(Mmap mm) {
        for (Mmap.Vma v : mm.vmas()) {
            if (VDSO_NAME.equals(v.name()) && v.fileOffset() == 0) return v.start();
        }
        return 0;
    }

    /** elf_load: map the file part, zero the rest of its last page, map anonymous pages for the bss. */
    private static long elfLoad(Mmap mm, Mmap.Backing file, long addr, Phdr p, int prot, int flags, long totalSize) {
        long mapAddr, zeroStart, zeroEnd;
        if (p.filesz != 0) {
            mapAddr = elfMap(mm, file, addr, p, prot, flags, totalSize);
            if (badAddr(mapAddr)) return mapAddr;
            if (Long.compareUnsigned(p.memsz, p.filesz) > 0) {
                zeroStart = mapAddr + pageOffset(p.vaddr) + p.filesz;
                zeroEnd = mapAddr + pageOffset(p.vaddr) + p.memsz;
                // padzero honours protection: a read-only segment keeps the file's bytes (and the error is ignored).
                if (!padzero(mm, zeroStart) && (prot & Mman.PROT_WRITE) != 0) return -Errno.EFAULT;
            } else {
                zeroStart = zeroEnd = 0;
            }
        } else {
            mapAddr = zeroStart = pageStart(addr);
            zeroEnd = zeroStart + pageOffset(p.vaddr) + p.memsz;
        }
        if (Long.compareUnsigned(p.memsz, p.filesz) > 0) {
            zeroStart = Mmap.pageAlign(zeroStart);
            zeroEnd = Mmap.pageAlign(zeroEnd);
            if (zeroEnd != zeroStart) {
                // vm_brk_flags: anonymous read-write memory (executable if the segment is).
                int bssProt = Mman.PROT_READ | Mman.PROT_WRITE | (prot & Mman.PROT_EXEC);
                long r = mm.mmap(zeroStart, zeroEnd - zeroStart, bssProt,
                        Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED, null, 0);
                if (Errno.isError(r)) mapAddr = r;
            }
        }
        return mapAddr;
    }

    /** elf_map: the file-backed part, reserving total_size for the first segment of a relocatable image. */
    private static long elfMap(Mmap mm, Mmap.Backing file, long addr, Phdr p, int prot, int flags, long totalSize) {
        long size = Mmap.pageAlign(p.filesz + pageOffset(p.vaddr));
        long off = p.offset - pageOffset(p.vaddr);
        addr = pageStart(addr);
        if (size == 0) return addr;
        if ((off & Page.MASK) != 0) return -Errno.EINVAL; // vm_mmap rejects an offset not in step with the address
        if (totalSize != 0) {
            totalSize = Mmap.pageAlign(totalSize);
            long mapped = mm.mmap(addr, totalSize, prot, flags, file, off >>> Page.SHIFT);
            if (!badAddr(mapped)) mm.munmap(mapped + size, totalSize - size);
            return mapped;
        }
        return mm.mmap(addr, size, prot, flags, file, off >>> Page.SHIFT);
    }

    /** Zeroes from addr to the end of its page, honouring protection (clear_user). */
    private static boolean padzero(Mmap mm, long addr) {
        int n = (int) pageOffset(addr);
        if (n == 0) return true;
        return mm.as.copyToUser(addr, new byte[Page.SIZE - n], 0, Page.SIZE - n);
    }

    /**
     * Builds the initial stack (the string copies of execve, then create_elf_tables): from the
     * top, the file name, the environment and argument strings, 16 random bytes, and below
     * them argc, argv[], NULL, envp[], NULL and the auxiliary vector, sp 16-byte aligned.
     */
    private static long createElfTables(Mmap mm, ElfFile exe, StackInfo info, long interpBase, long eEntry, long phdrAddr,
                                        long vdso, long[] strings) {
        StackWriter w = new StackWriter(mm, Mmap.STACK_TOP - 8); // bprm->p starts one pointer below the top
        long execfn = w.pushString(info.execfn());
        long[] envAddr = new long[info.envp().size()];
        for (int i = envAddr.length - 1; i >= 0; i--) envAddr[i] = w.pushString(info.envp().get(i));
        long envStart = w.p;
        long[] argAddr = new long[info.argv().size()];
        for (int i = argAddr.length - 1; i >= 0; i--) argAddr[i] = w.pushString(info.argv().get(i));
        // mm->arg_start .. arg_end and env_start .. env_end (create_elf_tables walks the strings the same way).
        strings[0] = w.p;
        strings[1] = envStart;
        strings[2] = envStart;
        strings[3] = execfn;

        long p = w.p & ~15L; // arch_align_stack, without randomization
        p -= 16;
        w.write(p, info.random16());
        long random = p;

        List<long[]> auxv = new ArrayList<>();
        // ARCH_DLINFO (arch/riscv/include/asm/elf.h): the vDSO, then the cache geometry, unknown
        // and reported as 0 like a machine whose device tree has none.
        auxv.add(new long[]{Auxv.AT_SYSINFO_EHDR, vdso});
        for (int t = Auxv.AT_L1I_CACHESIZE; t <= Auxv.AT_L3_CACHEGEOMETRY; t++) auxv.add(new long[]{t, 0});
        auxv.add(new long[]{Auxv.AT_MINSIGSTKSZ, MINSIGSTKSZ});
        auxv.add(new long[]{Auxv.AT_HWCAP, info.hwcap()});
        auxv.add(new long[]{Auxv.AT_PAGESZ, Page.SIZE});
        auxv.add(new long[]{Auxv.AT_CLKTCK, CLKTCK});
        auxv.add(new long[]{Auxv.AT_PHDR, phdrAddr});
        auxv.add(new long[]{Auxv.AT_PHENT, Elf.PHDR64_SIZE});
        auxv.add(new long[]{Auxv.AT_PHNUM, exe.phnum});
        auxv.add(new long[]{Auxv.AT_BASE, interpBase});
        auxv.add(new long[]{Auxv.AT_FLAGS, 0});
        auxv.add(new long[]{Auxv.AT_ENTRY, eEntry});
        auxv.add(new long[]{Auxv.AT_UID, info.uid()});
        auxv.add(new long[]{Auxv.AT_EUID, info.euid()});
        auxv.add(new long[]{Auxv.AT_GID, info.gid()});
        auxv.add(new long[]{Auxv.AT_EGID, info.egid()});
        auxv.add(new long[]{Auxv.AT_SECURE, info.secure() ? 1 : 0});
        auxv.add(new long[]{Auxv.AT_RANDOM, random});
        auxv.add(new long[]{Auxv.AT_EXECFN, execfn});
        auxv.add(new long[]{Auxv.AT_RSEQ_FEATURE_SIZE, RSEQ_FEATURE_SIZE});
        auxv.add(new long[]{Auxv.AT_RSEQ_ALIGN, RSEQ_ALIGN});
        auxv.add(new long[]{Auxv.AT_NULL, 0});

        int argc = argAddr.length, envc = envAddr.length;
        long items = (argc + 1) + (envc + 1) + 1;
        long sp = p - auxv.size() * 16L;
        sp = (sp - items * 8) & ~15L; // STACK_ROUND
        if (sp < Mmap.STACK_TOP - Mmap.STACK_SIZE) throw ErrnoException.of(Errno.E2BIG);

        byte[] table = new byte[(int) (items * 8 + auxv.size() * 16L)];
        int o = 0;
        Uaccess.putLong(table, o, argc);
        o += 8;
        for (long a : argAddr) { Uaccess.putLong(table, o, a); o += 8; }
        o += 8; // argv NULL
        for (long a : envAddr) { Uaccess.putLong(table, o, a); o += 8; }
        o += 8; // envp NULL
        for (long[] e : auxv) {
            Uaccess.putLong(table, o, e[0]);
            Uaccess.putLong(table, o + 8, e[1]);
            o += 16;
        }
        w.write(sp, table);
        return sp;
    }

    /** Writes downward from the top of the new stack. */
    private static final class StackWriter {
        final Mmap mm;
        long p;

        StackWriter(Mmap mm, long p) {
            this.mm = mm;
            this.p = p;
        }

        long pushString(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
            p -= z.length;
            if (p < Mmap.STACK_TOP - Mmap.STACK_SIZE) throw ErrnoException.of(Errno.E2BIG);
            write(p, z);
            return p;
        }

        void write(long addr, byte[] b) {
            if (!mm.as.copyToUser(addr, b, 0, b.length)) throw ErrnoException.of(Errno.EFAULT);
        }
    }
}
