package dev.kava.arch.riscv;

import dev.kava.mm.AddressSpace;
import dev.kava.mm.Page;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A hart's view of guest memory: loads, stores, atomics and instruction fetch through a small
 * software TLB in front of the {@link AddressSpace} page table. The TLB keeps separate read and
 * write entries; a frame that holds decoded code is never entered for writing, so every store
 * to code takes the slow path and drops the stale decode (self-modifying code, fence.i).
 */
public final class Mmu implements AddressSpace.TlbHolder {
    // Guest memory is little-endian. The unaligned layouts serve plain accesses (RISC-V Linux
    // lets user code make misaligned ones); the aligned var handles serve atomics.
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LE64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private static final int TLB_BITS = 8, TLB_SIZE = 1 << TLB_BITS, TLB_MASK = TLB_SIZE - 1;
    private static final int OFF_MASK = Page.SIZE - 1;
    /** Whether a frame's words hold guest (little-endian) byte order: true on every little-endian host. */
    static final boolean WORDS = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    final AddressSpace as;
    // Package-private for BlockCompiler, whose code repeats the fast paths below (rWords/wWords hold Page.words).
    static final int TLB_SHIFT = Page.SHIFT;
    static final int TLB_ENTRIES = TLB_SIZE;
    final long[] rTag = new long[TLB_SIZE], wTag = new long[TLB_SIZE];
    private final MemorySegment[] rData = new MemorySegment[TLB_SIZE], wData = new MemorySegment[TLB_SIZE];
    /** The long[] behind rData/wData's segments: translated code reads and writes whole words in it. */
    final long[][] rWords = new long[TLB_SIZE][], wWords = new long[TLB_SIZE][];
    private final MemoryFault fault = new MemoryFault();

    // The instruction TLB: recently executed pages' decoded code, so that calls between pages
    // (into the vDSO or a shared library, and back) skip the page-table walk. An entry holds only
    // while its page still holds that CodePage (stores to code drop page.icache).
    private static final int ITLB_SIZE = 256, ITLB_MASK = ITLB_SIZE - 1;
    private final long[] xTag = new long[ITLB_SIZE];
    private final Page[] xPage = new Page[ITLB_SIZE];
    private final CodePage[] xData = new CodePage[ITLB_SIZE];

    /** buildBlock's scratch: a block has at most one instruction per 2-byte parcel of its page. */
    private final Insn[] blockInsns = new Insn[CodePage.SLOTS];
    private final int[] blockOffs = new int[CodePage.SLOTS];

    /** Set by a store that hit a frame holding decoded code: the executor must refetch. */
    boolean codeModified;

    /** Set from any thread when the address space's mappings changed; checked by the owning hart. */
    private volatile boolean flushPending;
    private final Hart hart;

    Mmu(AddressSpace as, Hart hart) {
        this.as = as;
        this.hart = hart;
        flushNow();
        as.addTlbHolder(this);
    }

    @Override
    public void flushTlb() {
        flushPending = true;
        hart.requestAttention();
    }

    /** Called by the owning hart at a safe point. */
    void flushIfPending() {
        if (flushPending) {
            flushPending = false;
            flushNow();
        }
    }

    void flushNow() {
        java.util.Arrays.fill(rTag, -1L);
        java.util.Arrays.fill(wTag, -1L);
        java.util.Arrays.fill(rData, null);
        java.util.Arrays.fill(wData, null);
        java.util.Arrays.fill(rWords, null);
        java.util.Arrays.fill(wWords, null);
        java.util.Arrays.fill(xTag, -1L);
        java.util.Arrays.fill(xPage, null);
        java.util.Arrays.fill(xData, null);
    }

    /** Detaches this TLB from its address space (the hart is going away or switching mm). */
    void detach() {
        as.removeTlbHolder(this);
    }

    // ---- loads ----

    // The fast paths read a naturally aligned access out of the frame's words (Page.words)
    // rather than through its segment: one array load instead of the segment's base, bounds and
    // session checks, which profiles of python3 showed as half of all interpreter time.

    long load8(long a) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        if (rTag[i] == vpn) {
            if (WORDS) return (byte) (rWords[i][(int) (a & OFF_MASK) >>> 3] >>> ((a & 7) << 3));
            return rData[i].get(U8, a & OFF_MASK);
        }
        return slowLoad(a, 1);
    }

    long load16(long a) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (rTag[i] == vpn) {
            if (WORDS && (a & 1) == 0) return (short) (rWords[i][off >>> 3] >>> ((a & 6) << 3));
            if (off <= Page.SIZE - 2) return rData[i].get(U16, off);
        }
        return slowLoad(a, 2);
    }

    long load32(long a) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (rTag[i] == vpn) {
            if (WORDS && (a & 3) == 0) return (int) (rWords[i][off >>> 3] >>> ((a & 4) << 3));
            if (off <= Page.SIZE - 4) return rData[i].get(U32, off);
        }
        return slowLoad(a, 4);
    }

    long load64(long a) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (rTag[i] == vpn) {
            if (WORDS && (a & 7) == 0) return rWords[i][off >>> 3];
            if (off <= Page.SIZE - 8) return rData[i].get(U64, off);
        }
        return slowLoad(a, 8);
    }

    /** Sign-extended load of 1, 2, 4 or 8 bytes that missed the TLB or crosses a page. */
    private long slowLoad(long a, int size) {
        int off = (int) a & OFF_MASK;
        if (off + size <= Page.SIZE) {
            MemorySegment d = readFrame(a);
            return switch (size) {
                case 1 -> d.get(U8, off);
                case 2 -> d.get(U16, off);
                case 4 -> d.get(U32, off);
                default -> d.get(U64, off);
            };
        }
        // Misaligned across a page boundary: both pages must be readable (Linux emulates
        // misaligned accesses for user space, so they succeed rather than trap).
        MemorySegment lo = readFrame(a), hi = readFrame(a + size);
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            int o = off + k;
            v = (v << 8) | ((o < Page.SIZE ? lo.get(U8, o) : hi.get(U8, o - Page.SIZE)) & 0xff);
        }
        return (v << (64 - 8 * size)) >> (64 - 8 * size);
    }

    private MemorySegment readFrame(long a) {
        Page p = as.translate(a, AddressSpace.ACCESS_READ);
        if (p == null) throw fault.set(Trap.LOAD_PAGE_FAULT, a);
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        rTag[i] = vpn;
        rData[i] = p.mem;
        rWords[i] = p.words;
        return p.mem;
    }

    // ---- stores ----

    void store8(long a, long v) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        if (wTag[i] == vpn) { wData[i].set(U8, a & OFF_MASK, (byte) v); return; }
        slowStore(a, v, 1);
    }

    void store16(long a, long v) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (wTag[i] == vpn && off <= Page.SIZE - 2) { wData[i].set(U16, off, (short) v); return; }
        slowStore(a, v, 2);
    }

    void store32(long a, long v) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (wTag[i] == vpn && off <= Page.SIZE - 4) { wData[i].set(U32, off, (int) v); return; }
        slowStore(a, v, 4);
    }

    void store64(long a, long v) {
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        int off = (int) a & OFF_MASK;
        if (wTag[i] == vpn) {
            // Only whole words: a narrower store through a word would rewrite its neighbours,
            // racing other harts' stores to them.
            if (WORDS && (a & 7) == 0) { wWords[i][off >>> 3] = v; return; }
            if (off <= Page.SIZE - 8) { wData[i].set(U64, off, v); return; }
        }
        slowStore(a, v, 8);
    }

    private void slowStore(long a, long v, int size) {
        int off = (int) a & OFF_MASK;
        if (off + size <= Page.SIZE) {
            MemorySegment d = writeFrame(a);
            switch (size) {
                case 1 -> d.set(U8, off, (byte) v);
                case 2 -> d.set(U16, off, (short) v);
                case 4 -> d.set(U32, off, (int) v);
                default -> d.set(U64, off, v);
            }
            return;
        }
        MemorySegment lo = writeFrame(a), hi = writeFrame(a + size);
        for (int k = 0; k < size; k++) {
            int o = off + k;
            byte b = (byte) (v >>> (8 * k));
            if (o < Page.SIZE) lo.set(U8, o, b); else hi.set(U8, o - Page.SIZE, b);
        }
    }

    /** The frame for a store at a, resolving COW/demand-zero; drops decoded code in it. */
    private MemorySegment writeFrame(long a) {
        Page p = as.translate(a, AddressSpace.ACCESS_WRITE);
        if (p == null) throw fault.set(Trap.STORE_PAGE_FAULT, a);
        if (p.icache != null) {
            p.icache = null;
            codeModified = true;
        }
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        wTag[i] = vpn;
        wData[i] = p.mem;
        wWords[i] = p.words;
        // A write translation implies a read one.
        rTag[i] = vpn;
        rData[i] = p.mem;
        rWords[i] = wWords[i];
        return p.mem;
    }

    // ---- atomics (A extension): naturally aligned, atomic across host threads ----

    /** The frame and offset for an atomic access, or a trap: misaligned -> store/AMO misaligned. */
    private MemorySegment atomicFrame(long a, int size, boolean loadOnly) {
        if ((a & (size - 1)) != 0) throw fault.set(loadOnly ? Trap.LOAD_MISALIGNED : Trap.STORE_MISALIGNED, a);
        if (loadOnly) {
            long vpn = a >>> Page.SHIFT;
            int i = (int) vpn & TLB_MASK;
            return rTag[i] == vpn ? rData[i] : readFrame(a);
        }
        long vpn = a >>> Page.SHIFT;
        int i = (int) vpn & TLB_MASK;
        return wTag[i] == vpn ? wData[i] : writeFrame(a);
    }

    long loadReserved32(long a) {
        return (int) LE32.getVolatile(atomicFrame(a, 4, true), a & OFF_MASK);
    }

    long loadReserved64(long a) {
        return (long) LE64.getVolatile(atomicFrame(a, 8, true), a & OFF_MASK);
    }

    /** Store-conditional as compare-and-set against the value the LR read. */
    boolean storeConditional32(long a, int expected, int v) {
        return LE32.compareAndSet(atomicFrame(a, 4, false), a & OFF_MASK, expected, v);
    }

    boolean storeConditional64(long a, long expected, long v) {
        return LE64.compareAndSet(atomicFrame(a, 8, false), a & OFF_MASK, expected, v);
    }

    /** Checks that an SC to a would be allowed (alignment, permission) without writing. */
    void probeStore(long a, int size) {
        atomicFrame(a, size, false);
    }

    long amo32(int op, long a, long src) {
        MemorySegment d = atomicFrame(a, 4, false);
        long off = a & OFF_MASK;
        int v = (int) src;
        switch (op) {
            case Op.AMOSWAP_W: return (int) LE32.getAndSet(d, off, v);
            case Op.AMOADD_W: return (int) LE32.getAndAdd(d, off, v);
            case Op.AMOXOR_W: return (int) LE32.getAndBitwiseXor(d, off, v);
            case Op.AMOAND_W: return (int) LE32.getAndBitwiseAnd(d, off, v);
            case Op.AMOOR_W: return (int) LE32.getAndBitwiseOr(d, off, v);
            default:
                while (true) {
                    int old = (int) LE32.getVolatile(d, off);
                    int nv = switch (op) {
                        case Op.AMOMIN_W -> Math.min(old, v);
                        case Op.AMOMAX_W -> Math.max(old, v);
                        case Op.AMOMINU_W -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (LE32.compareAndSet(d, off, old, nv)) return old;
                }
        }
    }

    long amo64(int op, long a, long v) {
        MemorySegment d = atomicFrame(a, 8, false);
        long off = a & OFF_MASK;
        switch (op) {
            case Op.AMOSWAP_D: return (long) LE64.getAndSet(d, off, v);
            case Op.AMOADD_D: return (long) LE64.getAndAdd(d, off, v);
            case Op.AMOXOR_D: return (long) LE64.getAndBitwiseXor(d, off, v);
            case Op.AMOAND_D: return (long) LE64.getAndBitwiseAnd(d, off, v);
            case Op.AMOOR_D: return (long) LE64.getAndBitwiseOr(d, off, v);
            default:
                while (true) {
                    long old = (long) LE64.getVolatile(d, off);
                    long nv = switch (op) {
                        case Op.AMOMIN_D -> Math.min(old, v);
                        case Op.AMOMAX_D -> Math.max(old, v);
                        case Op.AMOMINU_D -> Long.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Long.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (LE64.compareAndSet(d, off, old, nv)) return old;
                }
        }
    }

    // ---- instruction fetch ----

    /**
     * The decoded code of the page holding pc (needs execute permission). Creating it makes the
     * frame a code frame: this hart's write entries for it are dropped and every other hart of
     * the address space is told to flush, so that stores to it reach the slow path.
     */
    CodePage codePage(long pc) {
        long vpn = pc >>> Page.SHIFT;
        int x = (int) vpn & ITLB_MASK;
        if (xTag[x] == vpn && xPage[x].icache == xData[x]) return xData[x];
        Page p = as.translate(pc, AddressSpace.ACCESS_EXEC);
        if (p == null) throw fault.set(Trap.INSN_PAGE_FAULT, pc);
        Object ic = p.icache;
        if (ic instanceof CodePage cp) {
            xTag[x] = vpn;
            xPage[x] = p;
            xData[x] = cp;
            return cp;
        }
        CodePage cp = new CodePage();
        p.icache = cp;
        for (int i = 0; i < TLB_SIZE; i++) {
            if (wData[i] == p.mem) { wTag[i] = -1; wData[i] = null; wWords[i] = null; }
        }
        as.flushTlbsExcept(this);
        return cp;
    }

    /**
     * Builds the block starting at pc in its code page. A block made of one instruction that
     * straddles into the next page is returned but not cached, since that page may change on
     * its own.
     */
    CodePage.Block buildBlock(CodePage cp, long pc) {
        Page p = as.translate(pc, AddressSpace.ACCESS_EXEC);
        if (p == null) throw fault.set(Trap.INSN_PAGE_FAULT, pc);
        int start = (int) pc & OFF_MASK;
        Insn[] insns = blockInsns;
        int[] offs = blockOffs;
        int n = 0;
        int off = start;
        while (off < Page.SIZE) {
            Insn in = cp.slots[off >>> 1];
            if (in == null) {
                int lo = p.mem.get(U16, off) & 0xffff;
                if (Decoder.length(lo) == 4 && off > Page.SIZE - 4) {
                    if (n > 0) break;
                    return new CodePage.Block(new Insn[]{straddling(p, pc, lo)}, new int[]{off}, off + 4);
                }
                in = cp.slots[off >>> 1] = Decoder.decode(Decoder.length(lo) == 2 ? lo : p.mem.get(U32, off));
            }
            insns[n] = in;
            offs[n++] = off;
            off += in.len;
            if (CodePage.endsBlock(in)) break;
        }
        CodePage.Block b = new CodePage.Block(java.util.Arrays.copyOf(insns, n), java.util.Arrays.copyOf(offs, n), off);
        cp.blocks[start >>> 1] = b;
        return b;
    }

    /** Decodes a 32-bit instruction whose upper parcel lives on the next page (which needs execute permission too). */
    private Insn straddling(Page p, long pc, int lo) {
        Page next = as.translate(pc + 2, AddressSpace.ACCESS_EXEC);
        if (next == null) throw fault.set(Trap.INSN_PAGE_FAULT, pc + 2);
        int hi = next.mem.get(U16, 0) & 0xffff;
        return Decoder.decode(lo | (hi << 16));
    }

    /** Reads the raw instruction parcel(s) at pc for diagnostics; -1 if not readable. */
    public long peekInsn(long pc) {
        try {
            long lo = load16(pc) & 0xffff;
            return Decoder.length((int) lo) == 2 ? lo : lo | ((load16(pc + 2) & 0xffff) << 16);
        } catch (MemoryFault f) {
            return -1;
        }
    }
}
