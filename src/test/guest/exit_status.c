/* Exits with a non-zero status after writing through both stdio and write(2). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void bye(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
    atexit(bye);
    printf("argc %d, argv[0] ends in exit_status: %d\n", argc, argv[0][0] != 0);
    fflush(stdout);
    write(1, "raw write\n", 10);
    printf("buffered line before exit\n");
    exit(42);
}
