/* libm over a spread of arguments, printed exactly (%a) and in decimal (%.17g). */
#include <math.h>
#include <stdio.h>

static const double args[] = {
    0.0, -0.0, 1e-310, 1e-300, 1e-8, 0.1, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.141592653589793, 4.0, 10.0,
    22.5, 100.0, 700.0, 710.0, 1e22, 1e300, -0.1, -1.0, -2.5, -3.5, -50.0, -745.0, INFINITY, -INFINITY, NAN,
};
#define N (sizeof args / sizeof args[0])

typedef double (*fn1)(double);
static const struct { const char *name; fn1 f; } fns[] = {
    {"sin", sin}, {"cos", cos}, {"tan", tan}, {"asin", asin}, {"acos", acos}, {"atan", atan},
    {"sinh", sinh}, {"cosh", cosh}, {"tanh", tanh}, {"asinh", asinh}, {"acosh", acosh}, {"atanh", atanh},
    {"exp", exp}, {"exp2", exp2}, {"expm1", expm1}, {"log", log}, {"log2", log2}, {"log10", log10},
    {"log1p", log1p}, {"sqrt", sqrt}, {"cbrt", cbrt}, {"erf", erf}, {"erfc", erfc}, {"lgamma", lgamma},
    {"tgamma", tgamma}, {"floor", floor}, {"ceil", ceil}, {"round", round}, {"trunc", trunc},
    {"j0", j0}, {"y0", y0},
};

static void show(const char *name, double x, double r) {
    printf("%s(%a) = %a %.17g\n", name, x, r, r);
}

int main(void) {
    for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++)
        for (unsigned j = 0; j < N; j++) show(fns[i].name, args[j], fns[i].f(args[j]));
    for (unsigned i = 0; i < N; i += 3)
        for (unsigned j = 0; j < N; j += 4) {
            printf("pow(%a,%a) = %a\n", args[i], args[j], pow(args[i], args[j]));
            printf("atan2(%a,%a) = %a\n", args[i], args[j], atan2(args[i], args[j]));
            printf("hypot(%a,%a) = %a\n", args[i], args[j], hypot(args[i], args[j]));
            printf("fmod(%a,%a) = %a\n", args[i], args[j], fmod(args[i], args[j]));
            printf("fma(%a,%a,1) = %a\n", args[i], args[j], fma(args[i], args[j], 1.0));
        }
    int e;
    double m = frexp(1234.5678, &e);
    printf("frexp %a %d ldexp %a\n", m, e, ldexp(m, e));
    int sign;
    double lg = lgamma_r(-2.5, &sign);
    printf("lgamma_r(-2.5) %a sign %d\n", lg, sign);
    printf("sinf %a cosf %a expf %a logf %a powf %a\n", (double)sinf(1.0f), (double)cosf(2.0f),
           (double)expf(3.5f), (double)logf(7.0f), (double)powf(1.5f, 20.25f));
    return 0;
}
