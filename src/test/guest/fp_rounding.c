/* Floating point under every rounding mode, with the accrued exception flags after each operation. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>

#pragma STDC FENV_ACCESS ON

static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
static const char *mode_names[] = {"nearest", "down", "up", "zero"};

static void flags(void) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf(" [%s%s%s%s%s]\n", f & FE_INVALID ? "I" : "", f & FE_DIVBYZERO ? "Z" : "", f & FE_OVERFLOW ? "O" : "",
           f & FE_UNDERFLOW ? "U" : "", f & FE_INEXACT ? "X" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

/* volatile operands: the operations happen at run time, under the current rounding mode. */
static volatile double d1 = 1.0, d3 = 3.0, dtiny = 0x1p-1070, dbig = 0x1.fffffffffffffp1023, dneg = -2.5;
static volatile double dzero = 0.0, dhalf = 0.5, d15 = 1.5, d25 = 2.5, dm05 = -0.5;
static volatile float f1 = 1.0f, f3 = 3.0f, fbig = 0x1.fffffep127f, ftiny = 0x1p-140f;

int main(void) {
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        printf("mode %s (fegetround ok: %d)\n", mode_names[m], fegetround() == modes[m]);
        double r;
        r = d1 / d3; printf("1/3 %a", r); flags();
        r = -d1 / d3; printf("-1/3 %a", r); flags();
        r = d1 + 0x1p-60; printf("1+2^-60 %a", r); flags();
        r = dbig * 2; printf("max*2 %a", r); flags();
        r = dtiny / 4; printf("tiny/4 %a", r); flags();
        r = d1 / dzero; printf("1/0 %a", r); flags();
        r = dzero / dzero; printf("0/0 %s", isnan(r) ? "nan" : "?"); flags();
        r = sqrt(d3); printf("sqrt3 %a", r); flags();
        r = sqrt(dneg); printf("sqrt-2.5 %s", isnan(r) ? "nan" : "?"); flags();
        r = fma(d1 / d3, d3, -d1); printf("fma %a", r); flags();
        printf("rint %g %g %g %g %g", rint(dhalf), rint(d15), rint(d25), rint(dm05), rint(dneg)); flags();
        printf("nearbyint %g %g", nearbyint(d15), nearbyint(dneg)); flags();
        printf("lrint %ld %ld %ld", lrint(d15), lrint(d25), lrint(dneg)); flags();
        printf("cvt %d %d %lld %u", (int)dneg, (int)d25, (long long)(dbig / 0x1p960), (unsigned)d25); flags();
        printf("cvt-inval %d", (int)(dbig)); flags();
        float f = f1 / f3; printf("f1/3 %a", (double)f); flags();
        f = fbig * f3; printf("fmax*3 %a", (double)f); flags();
        f = ftiny * ftiny; printf("ftiny^2 %a", (double)f); flags();
        f = (float)(d1 / d3); printf("narrow %a", (double)f); flags();
        f = fmaf(f1 / f3, f3, -f1); printf("fmaf %a", (double)f); flags();
        printf("minmax %g %g", fmin(dneg, d3), fmax(dzero / dzero, d1)); flags();
        double big = 0x1p53 + 1; /* integer conversions round too */
        volatile long long ll = 9007199254740993LL;
        printf("ll->d %a", (double)ll); flags();
        (void)big;
    }
    fesetround(FE_TONEAREST);
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    printf("raised"); flags();
    fenv_t env;
    fegetenv(&env);
    fesetround(FE_UPWARD);
    fesetenv(&env);
    printf("restored %d\n", fegetround() == FE_TONEAREST);
    return 0;
}
