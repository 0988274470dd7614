/* Reads its standard input (the harness feeds stdin_echo.stdin) with read, readv and stdio. */
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    char a[5], b[7];
    struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    ssize_t n = 0, r;
    /* A pipe may deliver less than asked; gather the first 12 bytes however they come. */
    while (n < 12 && (r = read(0, n < 5 ? a + n : b + (n - 5), n < 5 ? 5 - n : 12 - n)) > 0) n += r;
    (void)iov;
    printf("first 12: %.5s|%.7s\n", a, b);
    n = readv(0, iov, 2);
    printf("readv %zd: %.5s|%.*s\n", n, a, (int)(n > 5 ? n - 5 : 0), b);
    char line[256];
    int lines = 0;
    unsigned sum = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        for (char *p = line; *p; p++) sum = sum * 31 + (unsigned char)*p;
        if (lines <= 3) printf("line: %s", line);
    }
    printf("lines %d sum %08x eof %d\n", lines, sum, feof(stdin));
    printf("read at eof %zd\n", read(0, a, 1));
    return 0;
}
