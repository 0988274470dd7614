/* Synchronous faults delivered to handlers: SIGSEGV si_code (SEGV_MAPERR / SEGV_ACCERR) and
   si_addr, recovered with siglongjmp; SIGBUS BUS_ADRALN for a misaligned AMO; SIGILL ILL_ILLOPC
   with si_addr == pc, resumed by editing the ucontext's pc; SIGTRAP for ebreak; a stack overflow
   caught on an alternate stack. Addresses are compared inside the program, never printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;
static volatile uintptr_t got_pc;

static void on_fault(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(env, 1);
}

static const char *code_name(int sig, int code) {
    if (sig == SIGSEGV) return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_?";
    if (sig == SIGBUS) return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" : "BUS_?";
    if (sig == SIGILL) return code == ILL_ILLOPC ? "ILL_ILLOPC" : "ILL_?";
    if (sig == SIGTRAP) return code == TRAP_BRKPT ? "TRAP_BRKPT" : "TRAP_?";
    return "?";
}

static void report(const char *what, void *expect_addr) {
    printf("%s: %s %s addr ok %s\n", what, strsignal(got_sig), code_name(got_sig, got_code),
           got_addr == expect_addr ? "yes" : "no");
}

#define FAULT(what, addr, stmt) do { got_sig = 0; \
    if (sigsetjmp(env, 1) == 0) { stmt; printf("%s: no fault\n", what); } else report(what, (void *)(addr)); } while (0)

static volatile char sink;

/* Jump targets: a call through a function pointer to memory that is not code. */
typedef void (*fn)(void);

static int depth;
static int recurse(volatile char *prev) {
    volatile char buf[1024];
    buf[0] = prev ? prev[0] + 1 : 0;
    depth++;
    return recurse(buf) + buf[0];
}

extern char ill_insn[], brk_insn[];
static __attribute__((noinline)) void do_illegal(void) {
    __asm__ volatile(".globl ill_insn\nill_insn: .4byte 0\n" ::: "memory");
}
static __attribute__((noinline)) void do_ebreak(void) {
    __asm__ volatile(".option push\n.option norvc\n.globl brk_insn\nbrk_insn: ebreak\n.option pop\n" ::: "memory");
}

static volatile int skipped;
static void on_skip(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += 4; /* both instructions are 4 bytes */
    skipped++;
}

int main(int argc, char **argv) {
    const char *self = argc > 0 ? argv[0] : "/proc/self/exe";
    setvbuf(stdout, NULL, _IOLBF, 0);
    long pg = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    FAULT("read of address 16", 16, sink = *(volatile char *)16);
    FAULT("write of address 4096+8", 4104, *(volatile int *)4104 = 1);

    char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + pg, pg);
    FAULT("read of an unmapped hole", p + pg + 77, sink = p[pg + 77]);
    mprotect(p, pg, PROT_READ);
    FAULT("write to a PROT_READ page", p + 123, p[123] = 1);
    printf("PROT_READ page still readable: %d\n", p[123] == 0);
    mprotect(p + 2 * pg, pg, PROT_NONE);
    FAULT("read of a PROT_NONE page", p + 2 * pg + 5, sink = p[2 * pg + 5]);
    static const char rodata[64] = "constant";
    FAULT("write to .rodata", rodata + 3, *(volatile char *)(rodata + 3) = 'x');

    /* Executing data: a PROT_READ|PROT_WRITE page, and an unmapped address. The fault's pc is the target. */
    char *data = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(data, 0, pg);
    FAULT("jump to a non-executable page", data, ((fn)data)());
    printf("  pc == target: %s\n", got_pc == (uintptr_t)data ? "yes" : "no");
    /* A hole made now: Linux's top-down allocator gave the earlier hole at p + pg to data above
       (qemu-user's allocator does not reuse it), so that one is not unmapped any more. */
    char *hole = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + pg, pg);
    FAULT("jump to an unmapped address", hole + pg, ((fn)(hole + pg))());
    printf("  pc == target: %s\n", got_pc == (uintptr_t)(hole + pg) ? "yes" : "no");

    /* A file mapping longer than its file: the tail of the last file page reads as zeros, a page
       wholly past EOF raises SIGBUS BUS_ADRERR (filemap_fault's VM_FAULT_SIGBUS). */
    int fd = open(self, O_RDONLY);
    off_t size = lseek(fd, 0, SEEK_END);
    long filepages = (size + pg - 1) / pg;
    char *fm = mmap(NULL, (filepages + 2) * pg, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("file mapping: %s\n", fm == MAP_FAILED ? "failed" : "ok");
    printf("  first bytes ELF: %d, tail of the last page zero: %d\n", memcmp(fm + 1, "ELF", 3) == 0,
           size % pg == 0 || fm[filepages * pg - 1] == 0);
    FAULT("read of a file page past EOF", fm + filepages * pg + 9, sink = fm[filepages * pg + 9]);
    FAULT("read of the next page past EOF", fm + (filepages + 1) * pg, sink = fm[(filepages + 1) * pg]);
    char *fs = mmap(NULL, (filepages + 1) * pg, PROT_READ, MAP_SHARED, fd, 0);
    FAULT("read of a shared file page past EOF", fs + filepages * pg, sink = fs[filepages * pg]);
    close(fd);

    /* A misaligned AMO: Linux does not emulate those. */
    static uint64_t words[4];
    volatile uint32_t *odd = (volatile uint32_t *)((char *)words + 2);
    FAULT("amoadd.w on a misaligned address", odd, {
        uint32_t old;
        __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(odd), "r"(1) : "memory");
    });
    /* A misaligned lr.d too. */
    FAULT("lr.d on a misaligned address", (char *)words + 4, {
        uint64_t v;
        __asm__ volatile("lr.d %0, (%1)" : "=r"(v) : "r"((char *)words + 4) : "memory");
    });

    /* SIGILL and SIGTRAP, resumed after the instruction by editing the saved pc. */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_skip;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    skipped = 0;
    do_illegal();
    printf("illegal instruction: %s %s addr == pc %s, pc == insn %s, resumed %d\n", strsignal(got_sig),
           code_name(got_sig, got_code), (uintptr_t)got_addr == got_pc ? "yes" : "no",
           got_pc == (uintptr_t)ill_insn ? "yes" : "no", skipped);
    do_ebreak();
    printf("ebreak: %s %s pc == insn %s, resumed %d\n", strsignal(got_sig), code_name(got_sig, got_code),
           got_pc == (uintptr_t)brk_insn ? "yes" : "no", skipped);

    /* Stack overflow caught on an alternate stack. */
    stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    got_sig = 0;
    if (sigsetjmp(env, 1) == 0) {
        recurse(NULL);
        printf("stack overflow: no fault\n");
    } else {
        /* si_code is not printed: Linux says SEGV_MAPERR (the guard gap is unmapped), qemu-user SEGV_ACCERR (its guard page is PROT_NONE). */
        printf("stack overflow: %s, deep %s\n", strsignal(got_sig), depth > 100 ? "yes" : "no");
    }

    /* After siglongjmp the mask was restored: SIGSEGV is not blocked, and a second fault is caught too. */
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));
    FAULT("again: read of address 16", 16, sink = *(volatile char *)16);

    /* A fault while SIGSEGV is blocked is fatal: default action, exit status 139. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    printf("faulting with SIGSEGV blocked\n");
    sink = *(volatile char *)16;
    printf("not reached\n");
    return 0;
}
