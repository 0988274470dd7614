/* UDP over loopback, kava's packet path end to end: one process sends N datagrams of SIZE bytes
   to its own socket on 127.0.0.1 and receives each before sending the next, and prints the rate.
   Not a test: it prints figures. Run the same binary under kava and under qemu-riscv64-static:
     riscv64-linux-gnu-gcc -static -O2 -o ROOT/udp_bench src/test/guest/bench/udp_bench.c
     ./kava run --root ROOT -- /udp_bench 20000 100;  qemu-riscv64-static ROOT/udp_bench 20000 100
   (ROOT: any directory; arguments N and SIZE, defaults 20000 and 1000). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20000, size = argc > 2 ? atoi(argv[2]) : 1000;
    int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bind(r, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(r, (struct sockaddr *)&a, &l);
    static char buf[65536];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long bytes = 0;
    for (int i = 0; i < n; i++) {
        sendto(s, buf, size, 0, (struct sockaddr *)&a, sizeof a);
        bytes += recv(r, buf, sizeof buf, 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%d datagrams of %d bytes: %.3f s, %.0f datagrams/s, %.1f MB/s\n", n, size, sec, n / sec, bytes / sec / 1e6);
    return 0;
}
