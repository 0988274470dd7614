/* A store to an unmapped address: the process dies by SIGSEGV (status 139). */
#include <stdio.h>

int main(void) {
    printf("writing to address 16\n");
    fflush(stdout);
    *(volatile int *)16 = 1;
    printf("not reached\n");
    return 0;
}
