/*
 * Checks for what qemu-user is no oracle for (it emulates rseq and hwprobe itself, lacks
 * futex_waitv, futex_wake/futex_wait/futex_requeue and the robust-list calls, and does not
 * apply RLIMIT_AS to the guest), plus requeue-PI, which needs threads and checks of the PI
 * word's owner. The expected values come from the Linux source
 * (kernel/futex/syscalls.c, requeue.c, pi.c, kernel/rseq.c,
 * arch/riscv/kernel/sys_hwprobe.c, mm/mmap.c). Prints "FAIL ..." for each mismatch and
 * "done N failures" at the end; run under kava by FutexSelfCheckTest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct waitv { uint64_t val, uaddr; uint32_t flags, reserved; };
#define FUTEX2_SIZE_U8 0x00
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_SIZE_U64 0x03
#define FUTEX2_NUMA 0x04
#define FUTEX2_PRIVATE 128
#define NR_futex_wake 454
#define NR_futex_wait 455
#define NR_futex_requeue 456
struct hwprobe { int64_t key; uint64_t value; };
struct rseq_abi { uint32_t cpu_id_start, cpu_id; uint64_t rseq_cs; uint32_t flags, node_id, mm_cid, slice; } __attribute__((aligned(32)));

static int failures;
static void expect(const char *what, long got, long want) {
    if (got != want) { printf("FAIL %s: got %ld want %ld\n", what, got, want); failures++; }
    else printf("ok %s\n", what);
}
static long sc(long r) { return r < 0 ? -errno : r; }

static uint32_t fa, fb, cond, pimu;
static long thread_ret;
static uint32_t thread_pival, thread_tid;
static struct timespec deadline_in(long ns) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += ns;
    while (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    return ts;
}
static void *futex2_waiter(void *arg) {
    (void)arg;
    thread_ret = sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, NULL, 0));
    return NULL;
}
static void *futex1_waiter(void *arg) {
    (void)arg;
    thread_ret = sc(syscall(SYS_futex, &fa, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    return NULL;
}
static void *requeue_pi_waiter(void *arg) {
    (void)arg;
    thread_tid = gettid();
    struct timespec ts = deadline_in(300000000);
    thread_ret = sc(syscall(SYS_futex, &cond, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, arg ? &ts : NULL, &pimu, 0));
    thread_pival = __atomic_load_n(&pimu, __ATOMIC_SEQ_CST);
    if (thread_ret == 0) syscall(SYS_futex, &pimu, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}
/* Waits until a waiter sits on f: a wake with op returns want (1 wakes it, -EINVAL for requeue-PI waiters). */
static long poke_until(uint32_t *f, int op, long want) {
    long r = 0;
    for (int i = 0; i < 2000; i++) {
        r = sc(syscall(SYS_futex, f, op, 1, NULL, NULL, 0));
        if (r == want) return r;
        usleep(1000);
    }
    return r;
}
static long requeue_until(uint32_t *from, uint32_t *to, int nr_requeue, long want) {
    long r = 0;
    for (int i = 0; i < 2000; i++) {
        r = sc(syscall(SYS_futex, from, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)(long)nr_requeue, to, 0));
        if (r == want) return r;
        usleep(1000);
    }
    return r;
}

/* futex_wake, futex_wait, futex_requeue (Linux 6.7+, kernel/futex/syscalls.c). */
static void check_futex2(void) {
    const unsigned P32 = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
    pthread_t th;
    fa = 0; fb = 0;
    expect("futex_wake u8", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, FUTEX2_SIZE_U8)), -EINVAL);
    expect("futex_wake u64", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, FUTEX2_SIZE_U64)), -EINVAL);
    expect("futex_wake numa", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, P32 | FUTEX2_NUMA)), -EINVAL);
    expect("futex_wake bad flag", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, P32 | 0x1000)), -EINVAL);
    expect("futex_wake wide mask", sc(syscall(NR_futex_wake, &fa, 1UL << 32, 1, P32)), -EINVAL);
    expect("futex_wake zero mask", sc(syscall(NR_futex_wake, &fa, 0UL, 1, P32)), -EINVAL);
    expect("futex_wake misaligned", sc(syscall(NR_futex_wake, (char *)&fa + 1, 0xffffffffUL, 1, P32)), -EINVAL);
    expect("futex_wake none", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, P32)), 0);
    expect("futex_wake nr 0", sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 0, P32)), 0);
    expect("futex_wait mismatch", sc(syscall(NR_futex_wait, &fa, 1, 0xffffffffUL, P32, NULL, 0)), -EAGAIN);
    expect("futex_wait u8", sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, FUTEX2_SIZE_U8, NULL, 0)), -EINVAL);
    expect("futex_wait wide val", sc(syscall(NR_futex_wait, &fa, 1UL << 32, 0xffffffffUL, P32, NULL, 0)), -EINVAL);
    expect("futex_wait zero mask", sc(syscall(NR_futex_wait, &fa, 0, 0UL, P32, NULL, 0)), -EINVAL);
    struct timespec ts = deadline_in(2000000);
    expect("futex_wait bad clock", sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, P32, &ts, CLOCK_BOOTTIME)), -EINVAL);
    expect("futex_wait timeout", sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, P32, &ts, CLOCK_MONOTONIC)), -ETIMEDOUT);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    expect("futex_wait realtime timeout", sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, P32, &rt, CLOCK_REALTIME)), -ETIMEDOUT);
    struct timespec bad = {0, 1000000000};
    expect("futex_wait bad nsec", sc(syscall(NR_futex_wait, &fa, 0, 0xffffffffUL, P32, &bad, CLOCK_MONOTONIC)), -EINVAL);

    /* futex_wait woken by futex(2) FUTEX_WAKE, and futex(2) FUTEX_WAIT woken by futex_wake. */
    thread_ret = 99;
    pthread_create(&th, NULL, futex2_waiter, NULL);
    expect("FUTEX_WAKE wakes futex_wait", poke_until(&fa, FUTEX_WAKE_PRIVATE, 1), 1);
    pthread_join(th, NULL);
    expect("futex_wait woken", thread_ret, 0);
    thread_ret = 99;
    pthread_create(&th, NULL, futex1_waiter, NULL);
    long r = 0;
    for (int i = 0; i < 2000 && r != 1; i++) {
        r = sc(syscall(NR_futex_wake, &fa, 0xffffffffUL, 1, P32));
        if (r != 1) usleep(1000);
    }
    expect("futex_wake wakes FUTEX_WAIT", r, 1);
    pthread_join(th, NULL);
    expect("FUTEX_WAIT woken", thread_ret, 0);

    /* futex_requeue */
    struct waitv rq[2] = {{0, (uintptr_t)&fa, P32, 0}, {0, (uintptr_t)&fb, P32, 0}};
    expect("futex_requeue flags", sc(syscall(NR_futex_requeue, rq, 1, 0, 1)), -EINVAL);
    expect("futex_requeue null", sc(syscall(NR_futex_requeue, NULL, 0, 0, 1)), -EINVAL);
    rq[1].flags = FUTEX2_SIZE_U8;
    expect("futex_requeue u8", sc(syscall(NR_futex_requeue, rq, 0, 0, 1)), -EINVAL);
    rq[1].flags = P32;
    expect("futex_requeue negative", sc(syscall(NR_futex_requeue, rq, 0, -1, 1)), -EINVAL);
    rq[0].val = 3;
    expect("futex_requeue mismatch", sc(syscall(NR_futex_requeue, rq, 0, 0, 1)), -EAGAIN);
    rq[0].val = 0;
    expect("futex_requeue none", sc(syscall(NR_futex_requeue, rq, 0, 0, 1)), 0);
    thread_ret = 99;
    pthread_create(&th, NULL, futex2_waiter, NULL);
    r = 0;
    for (int i = 0; i < 2000 && r != 1; i++) {
        r = sc(syscall(NR_futex_requeue, rq, 0, 0, 1));
        if (r != 1) usleep(1000);
    }
    expect("futex_requeue moves", r, 1);
    expect("FUTEX_WAKE on requeue target", sc(syscall(SYS_futex, &fb, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)), 1);
    pthread_join(th, NULL);
    expect("requeued futex_wait woken", thread_ret, 0);
}

/* FUTEX_WAIT_REQUEUE_PI / FUTEX_CMP_REQUEUE_PI (kernel/futex/requeue.c). */
static void check_requeue_pi(void) {
    pthread_t th;
    cond = 0; pimu = 0;
    expect("cmp_requeue_pi same", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &cond, 0)), -EINVAL);
    expect("cmp_requeue_pi nr_wake 2", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, (void *)1, &pimu, 0)), -EINVAL);
    expect("cmp_requeue_pi negative", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)-1, &pimu, 0)), -EINVAL);
    expect("cmp_requeue_pi mismatch", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &pimu, 5)), -EAGAIN);
    expect("cmp_requeue_pi none", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &pimu, 0)), 0);
    expect("wait_requeue_pi same", sc(syscall(SYS_futex, &cond, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &cond, 0)), -EINVAL);
    expect("wait_requeue_pi mismatch", sc(syscall(SYS_futex, &cond, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, &pimu, 0)), -EAGAIN);
    struct timespec ts = deadline_in(2000000);
    expect("wait_requeue_pi timeout", sc(syscall(SYS_futex, &cond, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &ts, &pimu, 0)), -ETIMEDOUT);
    expect("plain requeue onto pi", pimu, 0);

    /* Uncontended: the requeue takes pimu for the waiter and wakes it. */
    thread_ret = 99;
    pthread_create(&th, NULL, requeue_pi_waiter, NULL);
    expect("FUTEX_WAKE on requeue_pi waiter", poke_until(&cond, FUTEX_WAKE_PRIVATE, -EINVAL), -EINVAL);
    expect("cmp_requeue_pi acquires", requeue_until(&cond, &pimu, 0, 1), 1);
    pthread_join(th, NULL);
    expect("wait_requeue_pi owns", thread_ret, 0);
    expect("wait_requeue_pi word", thread_pival, thread_tid);
    expect("pi unlocked", pimu, 0);

    /* Contended: the waiter moves onto pimu and FUTEX_UNLOCK_PI hands it over. */
    uint32_t me = gettid();
    pimu = me;
    thread_ret = 99;
    pthread_create(&th, NULL, requeue_pi_waiter, NULL);
    expect("requeue_pi waiter queued", poke_until(&cond, FUTEX_WAKE_PRIVATE, -EINVAL), -EINVAL);
    expect("cmp_requeue_pi requeues", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &pimu, 0)), 1);
    expect("pi word has waiters", pimu, FUTEX_WAITERS | me);
    expect("wake on cond after requeue", sc(syscall(SYS_futex, &cond, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)), 0);
    expect("unlock_pi hands over", sc(syscall(SYS_futex, &pimu, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0)), 0);
    pthread_join(th, NULL);
    expect("requeued waiter owns", thread_ret, 0);
    expect("requeued waiter word", thread_pival, FUTEX_WAITERS | thread_tid);
    expect("pi unlocked again", pimu, 0);

    /* Requeued onto a held PI futex, then timed out: ETIMEDOUT, and the owner still unlocks it. */
    pimu = me;
    thread_ret = 99;
    pthread_create(&th, NULL, requeue_pi_waiter, (void *)1);
    expect("timed requeue_pi waiter queued", poke_until(&cond, FUTEX_WAKE_PRIVATE, -EINVAL), -EINVAL);
    expect("cmp_requeue_pi requeues timed", sc(syscall(SYS_futex, &cond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1, &pimu, 0)), 1);
    pthread_join(th, NULL);
    expect("requeued waiter times out", thread_ret, -ETIMEDOUT);
    expect("unlock_pi after timeout", sc(syscall(SYS_futex, &pimu, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0)), 0);
    expect("pi free after timeout", pimu, 0);
}

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

    check_futex2();
    check_requeue_pi();

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
