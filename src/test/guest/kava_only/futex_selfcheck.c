/*
 * Checks for what qemu-user is no oracle for (it emulates rseq and hwprobe itself, lacks
 * futex_waitv and the robust-list calls, and does not apply RLIMIT_AS to the guest). The
 * expected values come from the Linux source (kernel/futex/syscalls.c, kernel/rseq.c,
 * arch/riscv/kernel/sys_hwprobe.c, mm/mmap.c). Prints "FAIL ..." for each mismatch and
 * "done N failures" at the end; run under kava by FutexSelfCheckTest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct waitv { uint64_t val, uaddr; uint32_t flags, reserved; };
#define FUTEX2_SIZE_U8 0x00
#define FUTEX2_SIZE_U32 0x02
struct hwprobe { int64_t key; uint64_t value; };
struct rseq_abi { uint32_t cpu_id_start, cpu_id; uint64_t rseq_cs; uint32_t flags, node_id, mm_cid, slice; } __attribute__((aligned(32)));

static int failures;
static void expect(const char *what, long got, long want) {
    if (got != want) { printf("FAIL %s: got %ld want %ld\n", what, got, want); failures++; }
    else printf("ok %s\n", what);
}
static long sc(long r) { return r < 0 ? -errno : r; }

int main(void) {
    static uint32_t w[4] __attribute__((aligned(16)));
    struct timespec now;

    /* futex_waitv */
    w[0] = 5; w[3] = 7;
    struct waitv v[2] = {{5, (uintptr_t)&w[0], FUTEX2_SIZE_U32 | FUTEX_PRIVATE_FLAG, 0},
                         {6, (uintptr_t)&w[3], FUTEX2_SIZE_U32 | FUTEX_PRIVATE_FLAG, 0}};
    expect("waitv mismatch", sc(syscall(449, v, 2, 0, NULL, CLOCK_MONOTONIC)), -EAGAIN);
    w[3] = 6;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 2000000; if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    expect("waitv timeout", sc(syscall(449, v, 2, 0, &now, CLOCK_MONOTONIC)), -ETIMEDOUT);
    expect("waitv flags", sc(syscall(449, v, 2, 1, NULL, CLOCK_MONOTONIC)), -EINVAL);
    expect("waitv zero", sc(syscall(449, v, 0, 0, NULL, CLOCK_MONOTONIC)), -EINVAL);
    expect("waitv too many", sc(syscall(449, v, 129, 0, NULL, CLOCK_MONOTONIC)), -EINVAL);
    expect("waitv bad clock", sc(syscall(449, v, 2, 0, &now, CLOCK_BOOTTIME)), -EINVAL);
    v[1].flags = FUTEX2_SIZE_U8;
    expect("waitv u8", sc(syscall(449, v, 2, 0, NULL, CLOCK_MONOTONIC)), -EINVAL);
    v[1].flags = FUTEX2_SIZE_U32; v[1].reserved = 1;
    expect("waitv reserved", sc(syscall(449, v, 2, 0, NULL, CLOCK_MONOTONIC)), -EINVAL);
    v[1].reserved = 0; v[1].val = 1ULL << 32;
    expect("waitv wide val", sc(syscall(449, v, 2, 0, NULL, CLOCK_MONOTONIC)), -EINVAL);

    /* robust list */
    struct { void *next; long off; void *pending; } head = {&head, 0, NULL};
    expect("set_robust_list bad len", sc(syscall(SYS_set_robust_list, &head, 23)), -EINVAL);
    expect("set_robust_list", sc(syscall(SYS_set_robust_list, &head, sizeof head)), 0);
    void *hp = 0; size_t len = 0;
    expect("get_robust_list", sc(syscall(SYS_get_robust_list, 0, &hp, &len)), 0);
    expect("get_robust_list head", hp == &head, 1);
    expect("get_robust_list len", len, 24);
    expect("get_robust_list esrch", sc(syscall(SYS_get_robust_list, 999999, &hp, &len)), -ESRCH);

    /* rseq: glibc registered one already; a second registration elsewhere is EINVAL, the same one EBUSY. */
    static struct rseq_abi rs;
    long r = sc(syscall(SYS_rseq, &rs, 32, 0, 0x53053053));
    if (r == -EINVAL || r == -EBUSY) {
        printf("ok rseq already registered by libc\n");
    } else {
        expect("rseq register", r, 0);
        expect("rseq cpu_id set", rs.cpu_id != (uint32_t)-1, 1);
        expect("rseq again", sc(syscall(SYS_rseq, &rs, 32, 0, 0x53053053)), -EBUSY);
        expect("rseq again other sig", sc(syscall(SYS_rseq, &rs, 32, 0, 1)), -EPERM);
        expect("rseq unregister bad sig", sc(syscall(SYS_rseq, &rs, 32, 1, 1)), -EPERM);
        expect("rseq unregister", sc(syscall(SYS_rseq, &rs, 32, 1, 0x53053053)), 0);
        expect("rseq cpu_id reset", (int)rs.cpu_id, -1);
        expect("rseq short", sc(syscall(SYS_rseq, &rs, 16, 0, 0)), -EINVAL);
        expect("rseq misaligned", sc(syscall(SYS_rseq, (char *)&rs + 4, 32, 0, 0)), -EINVAL);
        expect("rseq bad flags", sc(syscall(SYS_rseq, &rs, 32, 4, 0)), -EINVAL);
        expect("rseq unregister none", sc(syscall(SYS_rseq, &rs, 32, 1, 0)), -EINVAL);
    }
    expect("rseq_slice_yield", sc(syscall(471)), 0);

    /* hwprobe */
    struct hwprobe p[4] = {{3, 0}, {4, 0}, {8, 0}, {1000, 7}};
    expect("hwprobe", sc(syscall(258, p, 4, 0, NULL, 0)), 0);
    expect("hwprobe base ima", p[0].value, 1);
    expect("hwprobe fd|c|zba|zbb|zbs", (p[1].value & 0x3b) == 0x3b, 1);
    expect("hwprobe no v", (p[1].value >> 2) & 1, 0);
    expect("hwprobe zicntr", (p[1].value >> 50) & 1, 1);
    expect("hwprobe time freq", p[2].value, 10000000);
    expect("hwprobe unknown key", p[3].key, -1);
    expect("hwprobe unknown value", p[3].value, 0);
    expect("hwprobe flags", sc(syscall(258, p, 1, 0, NULL, 2)), -EINVAL);
    unsigned long cpus = 0;
    expect("hwprobe empty set", sc(syscall(258, p, 1, sizeof cpus, &cpus, 0)), -EINVAL);
    struct hwprobe q = {4, 1 << 3};
    cpus = 0;
    expect("which_cpus", sc(syscall(258, &q, 1, sizeof cpus, &cpus, 1)), 0);
    expect("which_cpus cpu0", cpus & 1, 1);
    q.value = 1 << 2; /* V: nobody has it */
    cpus = 1;
    expect("which_cpus v", sc(syscall(258, &q, 1, sizeof cpus, &cpus, 1)), 0);
    expect("which_cpus none", cpus, 0);

    /* RLIMIT_AS */
    struct rlimit as = {64 << 20, RLIM_INFINITY};
    expect("setrlimit as", sc(setrlimit(RLIMIT_AS, &as)), 0);
    void *big = mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap beyond as", big == MAP_FAILED ? -errno : 0, -ENOMEM);
    void *brk0 = sbrk(0);
    expect("sbrk beyond as", sbrk(128 << 20) == (void *)-1 ? -errno : 0, -ENOMEM);
    expect("brk unchanged", sbrk(0) == brk0, 1);
    void *ok = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap within as", ok == MAP_FAILED ? -errno : 0, 0);

    printf("done %d failures\n", failures);
    return failures != 0;
}
