/* __atomic and __sync builtins at every width, including CAS loops (LR/SC and AMO instructions). */
#include <stdint.h>
#include <stdio.h>

static volatile uint8_t b8[16];
static volatile uint16_t b16[16];
static volatile uint32_t w32[16];
static volatile uint64_t w64[16];

/* A lock-free stack push/pop with compare-and-swap loops. */
struct node { struct node *next; int value; };
static struct node *head;
static void push(struct node *n) {
    struct node *old = __atomic_load_n(&head, __ATOMIC_RELAXED);
    do n->next = old;
    while (!__atomic_compare_exchange_n(&head, &old, n, 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}
static struct node *pop(void) {
    struct node *old = __atomic_load_n(&head, __ATOMIC_ACQUIRE);
    while (old && !__atomic_compare_exchange_n(&head, &old, old->next, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {}
    return old;
}

static uint64_t __attribute__((noipa)) cas_max(volatile uint64_t *p, uint64_t v) {
    uint64_t cur = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    while (cur < v && !__atomic_compare_exchange_n(p, &cur, v, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
    return cur;
}

int main(void) {
    for (int i = 0; i < 16; i++) {
        __atomic_fetch_add(&b8[i], 200 + i, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&b8[i], 100, __ATOMIC_SEQ_CST);
        __atomic_fetch_xor(&b16[i], 0xABCD ^ i, __ATOMIC_RELAXED);
        __atomic_fetch_sub(&b16[i], 0x1000, __ATOMIC_ACQ_REL);
        __atomic_fetch_or(&w32[i], 1u << i, __ATOMIC_SEQ_CST);
        __atomic_fetch_and(&w32[i], ~(1u << (i / 2)), __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&w32[i], 0xFFFFFFF0u, __ATOMIC_SEQ_CST);
        __atomic_store_n(&w64[i], 0x0123456789ABCDEFull * (i + 1), __ATOMIC_RELEASE);
        uint64_t old = __atomic_exchange_n(&w64[i], ~(uint64_t)i, __ATOMIC_SEQ_CST);
        w64[i] ^= old;
        uint8_t e8 = b8[i];
        int ok8 = __atomic_compare_exchange_n(&b8[i], &e8, (uint8_t)(e8 * 3), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        uint16_t e16 = 1;
        int ok16 = __atomic_compare_exchange_n(&b16[i], &e16, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        printf("%2d: %3u %5u %08x %016llx cas8 %d cas16 %d (saw %u)\n", i, b8[i], b16[i], w32[i],
               (unsigned long long)w64[i], ok8, ok16, e16);
    }
    int32_t smin = 5, smax = -5;
    __atomic_fetch_add(&smin, -10, __ATOMIC_SEQ_CST);
    printf("signed %d %d\n", smin, __atomic_add_fetch(&smax, 3, __ATOMIC_SEQ_CST));
    printf("sync %u %u %d\n", __sync_fetch_and_add(&w32[0], 5), __sync_add_and_fetch(&w32[0], 5),
           __sync_bool_compare_and_swap(&w32[1], w32[1], 99));
    printf("sync val cas %llu\n", (unsigned long long)__sync_val_compare_and_swap(&w64[2], w64[2], 42));
    printf("test_and_set %d %d\n", __atomic_test_and_set(&b8[3], __ATOMIC_SEQ_CST), __atomic_test_and_set(&b8[3], __ATOMIC_SEQ_CST));

    static struct node nodes[1000];
    for (int i = 0; i < 1000; i++) { nodes[i].value = i * i; push(&nodes[i]); }
    long total = 0;
    int popped = 0;
    for (struct node *n; (n = pop());) { total += n->value; popped++; }
    printf("stack popped %d total %ld\n", popped, total);

    volatile uint64_t m = 0;
    for (uint64_t k = 0; k < 5000; k++) cas_max(&m, (k * 2654435761u) % 100003);
    printf("cas max %llu\n", (unsigned long long)m);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    printf("lock free: 1=%d 2=%d 4=%d 8=%d\n", __atomic_always_lock_free(1, 0), __atomic_always_lock_free(2, 0),
           __atomic_always_lock_free(4, 0), __atomic_always_lock_free(8, 0));
    return 0;
}
