/* A jump to an unmapped address with no handler: SIGSEGV, exit status 139. */
#include <stdio.h>

int main(void) {
    printf("jumping\n");
    fflush(stdout);
    void (*volatile f)(void) = (void (*)(void))0x7e0000000000UL;
    f();
    printf("not reached\n");
    return 0;
}
