/* An illegal instruction (unimp): the process dies by SIGILL (status 132). */
#include <stdio.h>

int main(void) {
    printf("executing unimp\n");
    fflush(stdout);
    __asm__ volatile("unimp");
    printf("not reached\n");
    return 0;
}
