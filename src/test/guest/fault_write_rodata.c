/* A store to a read-only page (string literal in .rodata): SIGSEGV (status 139). */
#include <stdio.h>

static const char message[] = "constant";

int main(void) {
    printf("writing to .rodata\n");
    fflush(stdout);
    ((volatile char *)message)[0] = 'C';
    printf("not reached\n");
    return 0;
}
