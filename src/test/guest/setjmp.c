/* setjmp/longjmp: nested jumps, values, locals that survive, and sigsetjmp without signals. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer, inner;
static int depth_reached;

static void __attribute__((noinline)) recurse(int n) {
    volatile char pad[64];
    pad[0] = (char)n;
    if (n == 0) longjmp(inner, 7);
    depth_reached = n;
    recurse(n - 1);
    (void)pad[0];
}

static int __attribute__((noinline)) thrower(int v) {
    if (v > 3) longjmp(outer, v * 10);
    return v;
}

int main(void) {
    volatile int count = 0;
    int r = setjmp(outer);
    printf("outer setjmp returned %d (count %d)\n", r, count);
    if (r == 0) {
        for (int i = 0; i < 10; i++) {
            count++;
            printf("thrower(%d) = %d\n", i, thrower(i));
        }
    }
    int r2 = setjmp(inner);
    if (r2 == 0) {
        recurse(100);
    }
    printf("inner returned %d after depth %d\n", r2, depth_reached);

    volatile double d = 1.5;
    volatile long acc = 0;
    jmp_buf loop;
    int k = setjmp(loop);
    acc += k;
    d *= 2;
    if (k < 20) longjmp(loop, k + 1);
    printf("loop acc %ld d %g\n", (long)acc, (double)d);

    sigjmp_buf sj;
    int s = sigsetjmp(sj, 1);
    if (s < 3) siglongjmp(sj, s + 1);
    printf("sigsetjmp %d\n", s);
    int z = setjmp(inner);
    if (!z) longjmp(inner, 0); /* longjmp with 0 returns 1 */
    printf("longjmp 0 -> %d\n", z);
    return 0;
}
