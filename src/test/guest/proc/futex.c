/* Raw futex(2): WAIT/WAKE, value mismatch EAGAIN, relative and absolute timeouts ETIMEDOUT,
   REQUEUE/CMP_REQUEUE, WAKE_OP (every op and comparison), WAIT_BITSET/WAKE_BITSET, and errors.
   Waiters are given 200 ms to block before they are woken; counts are then exact on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static long futex(void *uaddr, int op, uint32_t val, const void *timeout_or_val2, void *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static _Atomic uint32_t f1, f2, word;
static atomic_int started, finished;

struct waiter { _Atomic uint32_t *addr; int op; uint32_t bitset; long result; int err; };

static void *wait_thread(void *arg) {
    struct waiter *w = arg;
    atomic_fetch_add(&started, 1);
    w->result = futex(w->addr, w->op, 0, NULL, NULL, w->bitset);
    w->err = w->result == -1 ? errno : 0;
    atomic_fetch_add(&finished, 1);
    return NULL;
}

static void spawn(pthread_t *t, struct waiter *w, int n, _Atomic uint32_t *addr, int op, uint32_t bitset) {
    for (int i = 0; i < n; i++) {
        w[i] = (struct waiter){addr, op, bitset, 0, 0};
        pthread_create(&t[i], NULL, wait_thread, &w[i]);
    }
    while (atomic_load(&started) < n) msleep(1);
    msleep(200);
}

static void join_all(pthread_t *t, struct waiter *w, int n, const char *label) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        if (w[i].result == 0) ok++;
    }
    printf("%s: %d of %d returned 0\n", label, ok, n);
    atomic_store(&started, 0);
    atomic_store(&finished, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t t[8];
    struct waiter w[8];
    long r;

    /* No waiters, value mismatch, timeouts. */
    r = futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0);
    printf("WAKE with no waiters: %ld\n", r);
    word = 5;
    r = futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0);
    printf("WAIT with a different value: %s\n", ERR(r));
    r = futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
    printf("WAIT_PRIVATE with a different value: %s\n", ERR(r));
    struct timespec rel = {0, 50 * 1000000L};
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    r = futex(&word, FUTEX_WAIT, 5, &rel, NULL, 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long waited = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    printf("WAIT 50 ms relative: %s, waited >= 50 ms %s\n", ERR(r), waited >= 50 ? "yes" : "no");
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    r = futex(&word, FUTEX_WAIT_BITSET, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    clock_gettime(CLOCK_MONOTONIC, &after);
    int late = after.tv_sec > abs.tv_sec || (after.tv_sec == abs.tv_sec && after.tv_nsec >= abs.tv_nsec);
    printf("WAIT_BITSET absolute monotonic: %s, woke after deadline %s\n", ERR(r), late ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 30 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    r = futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    printf("WAIT_BITSET absolute realtime: %s\n", ERR(r));
    struct timespec past = {0, 0};
    r = futex(&word, FUTEX_WAIT_BITSET, 5, &past, NULL, FUTEX_BITSET_MATCH_ANY);
    printf("WAIT_BITSET deadline in the past: %s\n", ERR(r));
    struct timespec bad = {0, 1000000000L};
    r = futex(&word, FUTEX_WAIT, 5, &bad, NULL, 0);
    printf("WAIT tv_nsec = 1e9: %s\n", ERR(r));
    struct timespec neg = {-1, 0};
    r = futex(&word, FUTEX_WAIT, 5, &neg, NULL, 0);
    printf("WAIT negative timeout: %s\n", ERR(r));

    /* Errors. */
    r = futex((char *)&word + 1, FUTEX_WAIT, 5, NULL, NULL, 0);
    printf("WAIT misaligned: %s\n", ERR(r));
    r = futex(&word, 99, 0, NULL, NULL, 0);
    printf("unknown op: %s\n", ERR(r));
    r = futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0);
    printf("WAIT_BITSET with bitset 0: %s\n", ERR(r));
    r = futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0);
    printf("WAKE_BITSET with bitset 0: %s\n", ERR(r));
    r = futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1L, &f2, 4);
    printf("CMP_REQUEUE with a different value: %s\n", ERR(r));
    r = futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)-1L, &f2, 5);
    printf("CMP_REQUEUE negative count: %s\n", ERR(r));
    r = futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1L, &word, 5);
    printf("CMP_REQUEUE onto itself: %s\n", ERR(r));

    /* WAKE: wakes at most n, in any order; the rest stay until woken. */
    spawn(t, w, 4, &f1, FUTEX_WAIT_PRIVATE, 0);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    printf("WAKE 1 of 4 blocked: %ld\n", r);
    msleep(100);
    printf("finished after WAKE 1: %d\n", atomic_load(&finished));
    r = futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    printf("WAKE all: %ld\n", r);
    join_all(t, w, 4, "WAKE waiters");

    /* A private waiter is not woken by a shared (non-private) wake of the same word: different keys. */
    spawn(t, w, 1, &f1, FUTEX_WAIT_PRIVATE, 0);
    r = futex(&f1, FUTEX_WAKE, 1, NULL, NULL, 0);
    printf("shared WAKE of a private waiter: %ld\n", r);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    printf("private WAKE of it: %ld\n", r);
    join_all(t, w, 1, "private waiter");

    /* REQUEUE and CMP_REQUEUE: wake 1, move the rest to f2. */
    spawn(t, w, 4, &f1, FUTEX_WAIT_PRIVATE, 0);
    r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)10L, &f2, 0);
    printf("CMP_REQUEUE wake 1 requeue 10: %ld\n", r);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    printf("WAKE on f1 after requeue: %ld\n", r);
    r = futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    printf("WAKE on f2: %ld\n", r);
    join_all(t, w, 4, "requeued waiters");
    spawn(t, w, 3, &f1, FUTEX_WAIT_PRIVATE, 0);
    r = futex(&f1, FUTEX_REQUEUE_PRIVATE, 0, (void *)2L, &f2, 0);
    printf("REQUEUE wake 0 requeue 2: %ld\n", r);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    printf("WAKE on f1: %ld\n", r);
    r = futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    printf("WAKE on f2: %ld\n", r);
    join_all(t, w, 3, "REQUEUE waiters");

    /* WAKE_OP without waiters: the op is applied to *uaddr2 all the same. */
    struct { int op, cmp; uint32_t oparg, cmparg; const char *name; } ops[] = {
        {FUTEX_OP_SET, FUTEX_OP_CMP_EQ, 9, 6, "SET 9, old == 6"},
        {FUTEX_OP_ADD, FUTEX_OP_CMP_NE, 3, 6, "ADD 3, old != 6"},
        {FUTEX_OP_OR, FUTEX_OP_CMP_LT, 0x30, 100, "OR 0x30, old < 100"},
        {FUTEX_OP_ANDN, FUTEX_OP_CMP_LE, 0x1, 5, "ANDN 1, old <= 5"},
        {FUTEX_OP_XOR, FUTEX_OP_CMP_GT, 0xff, 5, "XOR 0xff, old > 5"},
        {FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT, FUTEX_OP_CMP_GE, 4, 5, "ADD 1<<4, old >= 5"},
    };
    f2 = 6;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uint32_t before_v = f2;
        r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
                  FUTEX_OP(ops[i].op, ops[i].oparg, ops[i].cmp, ops[i].cmparg));
        printf("WAKE_OP %-20s: %ld, %u -> %u\n", ops[i].name, r, before_v, (uint32_t)f2);
    }
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2, FUTEX_OP(7, 0, FUTEX_OP_CMP_EQ, 0));
    printf("WAKE_OP bad op: %s\n", ERR(r));
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2, FUTEX_OP(FUTEX_OP_SET, 0, 9, 0));
    printf("WAKE_OP bad cmp: %s, value %u\n", ERR(r), (uint32_t)f2);

    /* WAKE_OP with waiters: one on f1 woken always, one on f2 only when the comparison holds. */
    f2 = 0;
    spawn(t, w, 1, &f1, FUTEX_WAIT_PRIVATE, 0);
    spawn(t + 1, w + 1, 1, &f2, FUTEX_WAIT_PRIVATE, 0);
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 1));
    printf("WAKE_OP, comparison false: woke %ld\n", r);
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0));
    printf("WAKE_OP, comparison true: woke %ld\n", r);
    join_all(t, w, 2, "WAKE_OP waiters");

    /* Bitsets: a waiter with bitset 0x1 ignores a wake for 0x2. */
    spawn(t, w, 1, &f1, FUTEX_WAIT_BITSET_PRIVATE, 0x1);
    r = futex(&f1, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 0x2);
    printf("WAKE_BITSET 0x2 to a 0x1 waiter: %ld\n", r);
    r = futex(&f1, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 0x3);
    printf("WAKE_BITSET 0x3: %ld\n", r);
    join_all(t, w, 1, "bitset waiter");
    spawn(t, w, 1, &f1, FUTEX_WAIT_BITSET_PRIVATE, 0x4);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    printf("plain WAKE to a bitset waiter: %ld\n", r);
    join_all(t, w, 1, "bitset waiter");
    return 0;
}
