/* printf and strtod of doubles (and long doubles): every conversion, precisions, corner values. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double vals[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, 0.125, 1e-5, 123456.789, 1e15, 1e16, 1e21, 1e22, 1e23,
    9007199254740993.0, 0.30000000000000004, 2.675, 1.005, 5e-324, 2.2250738585072014e-308,
    2.2250738585072009e-308, DBL_MAX, DBL_MIN, DBL_EPSILON, M_PI, M_E, -123.456e-200, 4.35, 0.015,
    INFINITY, -INFINITY, NAN,
};

int main(void) {
    const char *fmts[] = {"%f", "%.0f", "%.1f", "%.3f", "%.20f", "%e", "%.0e", "%.3e", "%.16e", "%g", "%.0g",
                          "%.3g", "%.17g", "%a", "%.0a", "%.3a", "%+f", "% e", "%#g", "%#.0f", "%-12.4g|",
                          "%012.3f", "%#a", "%G", "%E", "%A"};
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        for (unsigned j = 0; j < sizeof fmts / sizeof fmts[0]; j++) {
            printf(fmts[j], vals[i]);
            putchar(j + 1 < sizeof fmts / sizeof fmts[0] ? ' ' : '\n');
        }
    }
    printf("%.400f\n", 5e-324);
    printf("%.0f\n", DBL_MAX);
    printf("%f %Lf %Le %La\n", 1.0 / 3, 1.0L / 3, 2.0L / 3, 1.0L / 7);
    printf("%.30Lg %Lg\n", 12345678901234567890.123456789L, LDBL_MAX);

    const char *inputs[] = {"0.1", "1e400", "-1e-400", "0x1.8p3", "inf", "-nan", "2.2250738585072011e-308",
                            "123456789012345678901234567890", "4.9406564584124654e-324", "1.7976931348623158e308",
                            "   42.5xyz", "1e", ".5e-3", "0x.8p-1"};
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        double d = strtod(inputs[i], &end);
        printf("strtod(\"%s\") = %a rest \"%s\"\n", inputs[i], d, end);
        float f = strtof(inputs[i], &end);
        printf("strtof(\"%s\") = %a\n", inputs[i], (double)f);
    }
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.*f|%*d|%-*s|", 3, 2.0 / 3, 6, -42, 5, "ab");
    printf("%d %s\n", n, buf);
    n = snprintf(buf, 8, "%s", "truncated output");
    printf("%d %s\n", n, buf);
    return 0;
}
