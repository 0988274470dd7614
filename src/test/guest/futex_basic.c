/* futex(2), membarrier and rlimits from one thread, compared with Linux (qemu passes these to the host).
 * futex_waitv, robust lists, RLIMIT_AS, rseq and hwprobe, which qemu emulates itself or lacks, are in
 * kava-only/selfcheck/futex_selfcheck.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>


static long fx(void *u, int op, int val, void *t, void *u2, int val3) {
    long r = syscall(SYS_futex, u, op, val, t, u2, val3);
    return r < 0 ? -errno : r;
}
static void show(const char *what, long r) { printf("%-36s %ld\n", what, r); }

int main(void) {
    static uint32_t w[4] __attribute__((aligned(16)));
    struct timespec ts = {0, 1000000};
    pid_t tid = syscall(SYS_gettid);

    w[0] = 5;
    show("wait mismatch", fx(&w[0], FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    show("wait timeout", fx(&w[0], FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0));
    show("wait shared timeout", fx(&w[0], FUTEX_WAIT, 5, &ts, NULL, 0));
    struct timespec bad = {0, 1000000000};
    show("wait bad timespec", fx(&w[0], FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0));
    show("wait misaligned", fx((char *)&w[0] + 1, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0));
    show("wait efault", fx((void *)8, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0));
    show("wait clock_realtime", fx(&w[0], FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &ts, NULL, 0));
    show("wait_bitset 0", fx(&w[0], FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 2000000; if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    show("wait_bitset abs timeout", fx(&w[0], FUTEX_WAIT_BITSET_PRIVATE, 5, &now, NULL, -1));
    clock_gettime(CLOCK_REALTIME, &now);
    show("wait_bitset realtime past", fx(&w[0], FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &now, NULL, -1));
    show("wake none", fx(&w[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake unmapped private", fx((void *)8, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake unmapped shared", fx((void *)8, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("wake_bitset 0", fx(&w[0], FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
    show("requeue", fx(&w[0], FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &w[1], 0));
    show("requeue negative", fx(&w[0], FUTEX_REQUEUE_PRIVATE, -1, (void *)1, &w[1], 0));
    show("cmp_requeue mismatch", fx(&w[0], FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &w[1], 4));
    show("cmp_requeue match", fx(&w[0], FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &w[1], 5));
    show("unknown op", fx(&w[0], 99, 0, NULL, NULL, 0));

    /* WAKE_OP: every op and comparison, checking the new value of the second word. */
    int ops[] = {FUTEX_OP_SET, FUTEX_OP_ADD, FUTEX_OP_OR, FUTEX_OP_ANDN, FUTEX_OP_XOR};
    for (int op = 0; op < 5; op++) {
        for (int cmp = 0; cmp < 6; cmp++) {
            w[1] = 6;
            long r = fx(&w[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w[1], FUTEX_OP(ops[op], 3, cmp, 6));
            printf("wake_op op=%d cmp=%d -> %ld word=%u\n", op, cmp, r, w[1]);
        }
    }
    w[1] = 1;
    printf("wake_op shift -> %ld word=%u\n",
           fx(&w[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w[1], FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, 0, 0)), w[1]);
    w[1] = 1;
    printf("wake_op bad op -> %ld word=%u\n", fx(&w[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w[1], 7 << 28), w[1]);
    printf("wake_op bad cmp -> %ld word=%u\n", fx(&w[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w[1], 9 << 24), w[1]);
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("wake_op read-only", fx(&w[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, ro, 0));

    /* PI: lock, relock, unlock, foreign owner, trylock. */
    w[2] = 0;
    show("lock_pi free", fx(&w[2], FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("lock_pi word is tid %d\n", w[2] == (uint32_t)tid);
    show("lock_pi again", fx(&w[2], FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("trylock_pi own", fx(&w[2], FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("unlock_pi", fx(&w[2], FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("unlock_pi word %u\n", w[2]);
    show("unlock_pi not owner", fx(&w[2], FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    w[2] = FUTEX_OWNER_DIED;
    show("trylock_pi owner died", fx(&w[2], FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("word has owner_died %d tid %d\n", !!(w[2] & FUTEX_OWNER_DIED), (w[2] & FUTEX_TID_MASK) == (uint32_t)tid);
    show("unlock_pi owner died", fx(&w[2], FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("word %u\n", w[2]);

    long r;
    /* membarrier */
    r = syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    show("membarrier unregistered", r < 0 ? -errno : r);
    r = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
    show("membarrier register", r < 0 ? -errno : r);
    r = syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    show("membarrier private expedited", r < 0 ? -errno : r);
    r = syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 1, 0);
    show("membarrier flags", r < 0 ? -errno : r);
    r = syscall(SYS_membarrier, 1 << 20, 0, 0);
    show("membarrier bad cmd", r < 0 ? -errno : r);

    /* rlimits */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit small = {4, rl.rlim_max};
    show("setrlimit nofile 4", setrlimit(RLIMIT_NOFILE, &small) ? -errno : 0);
    int fd = open("/", O_RDONLY);
    show("open at limit", fd < 0 ? -errno : fd);
    show("dup at limit", dup(0) < 0 ? -errno : 0);
    small.rlim_cur = rl.rlim_cur;
    setrlimit(RLIMIT_NOFILE, &small);
    struct rlimit inv = {10, 5};
    show("setrlimit cur>max", setrlimit(RLIMIT_CORE, &inv) ? -errno : 0);
    show("getrlimit bad resource", getrlimit(99, &rl) ? -errno : 0);
    r = syscall(SYS_prlimit64, 999999, RLIMIT_CORE, NULL, &rl);
    show("prlimit esrch", r < 0 ? -errno : r);
    return 0;
}
