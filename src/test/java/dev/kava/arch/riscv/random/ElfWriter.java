package dev.kava.arch.riscv.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a minimal static riscv64 ELF64 executable: ELF header, one program header, no
 * sections. The single PT_LOAD segment maps the whole file (headers included, from file
 * offset 0) read-write-execute at {@code loadAddr}.
 */
final class ElfWriter {
    private ElfWriter() {}

    static final int EHDR_SIZE = 64;
    static final int PHDR_SIZE = 56;
    /** Bytes at the start of the image that {@link #write} overwrites with the headers. */
    static final int HEADERS_SIZE = EHDR_SIZE + PHDR_SIZE;

    static final int EM_RISCV = 243;
    static final int EF_RISCV_RVC = 0x1;
    static final int EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;
    static final int PT_LOAD = 1;
    static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /**
     * Returns the file: a copy of {@code image} whose first {@link #HEADERS_SIZE} bytes (which
     * the caller leaves unused) hold the ELF and program headers.
     */
    static byte[] write(long loadAddr, byte[] image, long entry) {
        if (image.length < HEADERS_SIZE) throw new IllegalArgumentException("image too small");
        if ((loadAddr & 0xfff) != 0) throw new IllegalArgumentException("load address not page-aligned");
        byte[] out = image.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        // e_ident
        b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
        b.put(4, (byte) 2);   // ELFCLASS64
        b.put(5, (byte) 1);   // ELFDATA2LSB
        b.put(6, (byte) 1);   // EV_CURRENT
        b.put(7, (byte) 0);   // ELFOSABI_SYSV
        for (int i = 8; i < 16; i++) b.put(i, (byte) 0);
        b.putShort(16, (short) 2);          // e_type = ET_EXEC
        b.putShort(18, (short) EM_RISCV);   // e_machine
        b.putInt(20, 1);                    // e_version
        b.putLong(24, entry);               // e_entry
        b.putLong(32, EHDR_SIZE);           // e_phoff
        b.putLong(40, 0);                   // e_shoff
        b.putInt(48, EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE); // e_flags = 0x5
        b.putShort(52, (short) EHDR_SIZE);  // e_ehsize
        b.putShort(54, (short) PHDR_SIZE);  // e_phentsize
        b.putShort(56, (short) 1);          // e_phnum
        b.putShort(58, (short) 64);         // e_shentsize
        b.putShort(60, (short) 0);          // e_shnum
        b.putShort(62, (short) 0);          // e_shstrndx
        int p = EHDR_SIZE;
        b.putInt(p, PT_LOAD);               // p_type
        b.putInt(p + 4, PF_R | PF_W | PF_X); // p_flags
        b.putLong(p + 8, 0);                // p_offset
        b.putLong(p + 16, loadAddr);        // p_vaddr
        b.putLong(p + 24, loadAddr);        // p_paddr
        b.putLong(p + 32, out.length);      // p_filesz
        b.putLong(p + 40, out.length);      // p_memsz
        b.putLong(p + 48, 0x1000);          // p_align
        return out;
    }
}
