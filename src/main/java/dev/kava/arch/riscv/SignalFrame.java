package dev.kava.arch.riscv;

import dev.kava.abi.Signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The riscv64 signal frame, struct rt_sigframe (arch/riscv/kernel/signal.c): the bytes
 * setup_rt_frame writes below the stack pointer and rt_sigreturn reads back. Offsets are in
 * {@link Signal} (FRAME_UC, UC_*, SC_*, FP_*), from arch/riscv/include/uapi/asm/ucontext.h
 * and sigcontext.h. The machine has the D extension and no V: the FP state is the
 * __riscv_d_ext_state of union __riscv_fp_state, and q.reserved stays zero.
 */
public final class SignalFrame {
    private SignalFrame() {}

    public static final int SIZE = Signal.RT_SIGFRAME_SIZE;
    private static final int MC = Signal.FRAME_UC + Signal.UC_MCONTEXT;
    private static final int REGS = MC + Signal.SC_REGS;
    private static final int FP = MC + Signal.SC_FPREGS;

    /** The siginfo, ucontext and register state of setup_rt_frame, as one block. */
    public static byte[] build(Hart h, byte[] siginfo, long savedMask, long ssSp, int ssFlags, long ssSize) {
        byte[] b = new byte[SIZE];
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(siginfo, 0, b, 0, Signal.SIGINFO_SIZE);
        int uc = Signal.FRAME_UC;
        w.putLong(uc + Signal.UC_FLAGS, 0);
        w.putLong(uc + Signal.UC_LINK, 0);
        w.putLong(uc + Signal.UC_STACK + Signal.SS_SP, ssSp);
        w.putInt(uc + Signal.UC_STACK + Signal.SS_FLAGS, ssFlags);
        w.putLong(uc + Signal.UC_STACK + Signal.SS_SIZE, ssSize);
        w.putLong(uc + Signal.UC_SIGMASK, savedMask);
        // sc_regs is user_regs_struct: pc, then x1..x31 in register order.
        w.putLong(REGS, h.pc);
        for (int i = 1; i < 32; i++) w.putLong(REGS + 8 * i, h.x[i]);
        for (int i = 0; i < 32; i++) w.putLong(FP + 8 * i, h.f[i]);
        w.putInt(FP + Signal.FP_D_FCSR, h.fcsr());
        return b;
    }

    /** The signal mask saved in a frame. */
    public static long savedMask(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getLong(Signal.FRAME_UC + Signal.UC_SIGMASK);
    }

    /** uc_stack: ss_sp, ss_flags, ss_size. */
    public static long[] savedStack(byte[] frame) {
        ByteBuffer r = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int s = Signal.FRAME_UC + Signal.UC_STACK;
        return new long[]{r.getLong(s + Signal.SS_SP), r.getInt(s + Signal.SS_FLAGS), r.getLong(s + Signal.SS_SIZE)};
    }

    /**
     * restore_sigcontext: pc, x1..x31, f0..f31 and fcsr come back from the frame. Returns false
     * (a bad frame) when the reserved words of the FP union are not zero, as restore_fp_state
     * does; the registers are restored before that check, as in Linux.
     */
    public static boolean restore(Hart h, byte[] frame) {
        ByteBuffer r = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        h.pc = r.getLong(REGS);
        for (int i = 1; i < 32; i++) h.x[i] = r.getLong(REGS + 8 * i);
        for (int i = 0; i < 32; i++) h.f[i] = r.getLong(FP + 8 * i);
        h.setFcsr(r.getInt(FP + Signal.FP_D_FCSR));
        for (int i = 0; i < 3; i++) if (r.getInt(FP + Signal.FP_Q_RESERVED + 4 * i) != 0) return false;
        return true;
    }
}
