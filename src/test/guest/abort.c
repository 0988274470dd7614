/* abort(): the process dies by SIGABRT (exit status 134 in a shell). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("about to abort\n");
    fflush(stdout); /* abort() does not flush stdio */
    abort();
    printf("not reached\n");
    return 0;
}
