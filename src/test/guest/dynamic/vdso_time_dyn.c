// vdso_time.c linked dynamically: glibc finds __vdso_clock_gettime through ld.so.
#include "../vdso_time.c"
