package dev.kava.abi;

/**
 * ELF file format constants and the ELF64 header layouts the loader reads.
 * From include/uapi/linux/elf.h and include/uapi/linux/elf-em.h; EF_RISCV_* from the RISC-V ELF psABI.
 */
public final class Elf {
    private Elf() {}

    // e_ident
    public static final int EI_NIDENT = 16;
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int EI_OSABI = 7;
    public static final byte[] ELFMAG = {0x7f, 'E', 'L', 'F'};
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    public static final int EV_CURRENT = 1;

    // e_type
    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    // e_machine (include/uapi/linux/elf-em.h)
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;

    // p_type
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_SHLIB = 5;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_LOOS = 0x60000000;
    public static final int PT_GNU_EH_FRAME = PT_LOOS + 0x474e550;
    public static final int PT_GNU_STACK = PT_LOOS + 0x474e551;
    public static final int PT_GNU_RELRO = PT_LOOS + 0x474e552;
    public static final int PT_GNU_PROPERTY = PT_LOOS + 0x474e553;
    public static final int PT_LOPROC = 0x70000000;
    public static final int PT_RISCV_ATTRIBUTES = PT_LOPROC + 3;

    // p_flags
    public static final int PF_X = 0x1;
    public static final int PF_W = 0x2;
    public static final int PF_R = 0x4;

    // e_flags (RISC-V ELF psABI)
    public static final int EF_RISCV_RVC = 0x0001;
    public static final int EF_RISCV_FLOAT_ABI = 0x0006;
    public static final int EF_RISCV_FLOAT_ABI_SOFT = 0x0000;
    public static final int EF_RISCV_FLOAT_ABI_SINGLE = 0x0002;
    public static final int EF_RISCV_FLOAT_ABI_DOUBLE = 0x0004;
    public static final int EF_RISCV_FLOAT_ABI_QUAD = 0x0006;
    public static final int EF_RISCV_RVE = 0x0008;

    /** sizeof(Elf64_Ehdr) */
    public static final int EHDR64_SIZE = 64;
    /** sizeof(Elf64_Phdr) */
    public static final int PHDR64_SIZE = 56;

    // Elf64_Ehdr field offsets
    public static final int E_TYPE = 16, E_MACHINE = 18, E_VERSION = 20, E_ENTRY = 24, E_PHOFF = 32,
            E_SHOFF = 40, E_FLAGS = 48, E_EHSIZE = 52, E_PHENTSIZE = 54, E_PHNUM = 56;

    // Elf64_Phdr field offsets
    public static final int P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_PADDR = 24,
            P_FILESZ = 32, P_MEMSZ = 40, P_ALIGN = 48;

    // Dynamic section tags, symbols and symbol versions (include/uapi/linux/elf.h; DT_VERSYM,
    // DT_VERDEF, DT_VERDEFNUM and VER_* from the GNU extensions in glibc's elf.h).
    public static final int DT_NULL = 0, DT_HASH = 4, DT_STRTAB = 5, DT_SYMTAB = 6, DT_STRSZ = 10, DT_SYMENT = 11,
            DT_SONAME = 14;
    public static final int DT_VERSYM = 0x6ffffff0, DT_VERDEF = 0x6ffffffc, DT_VERDEFNUM = 0x6ffffffd;
    public static final int VER_DEF_CURRENT = 1, VER_FLG_BASE = 1;
    public static final int STB_GLOBAL = 1, STT_FUNC = 2, STT_NOTYPE = 0;
    /** sizeof(Elf64_Sym), sizeof(Elf64_Dyn), sizeof(Elf64_Verdef), sizeof(Elf64_Verdaux). */
    public static final int SYM64_SIZE = 24, DYN64_SIZE = 16, VERDEF_SIZE = 20, VERDAUX_SIZE = 8;
}
