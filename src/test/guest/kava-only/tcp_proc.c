/* /proc/net/tcp and the net.ipv4.tcp_* sysctls (qemu-user shows the host's own, hence kava-only). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void sysctl(const char *name) {
    char path[128], buf[256];
    snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: missing\n", name); return; }
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    printf("%s = %s", name, buf);
}

/* Prints the lines of /proc/net/tcp for port (local or remote): state, addresses, queues. */
static void table(int port) {
    FILE *f = fopen("/proc/net/tcp", "r");
    char line[256];
    fgets(line, sizeof line, f);
    printf("header: %.40s... width %zu\n", line, strlen(line));
    /* Connections come in hash order; sorting the lines makes the output stable. */
    char out[16][128];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < 16) {
        unsigned la, lp, ra, rp, st, tx, rx;
        if (sscanf(line, "%*d: %x:%x %x:%x %x %x:%x", &la, &lp, &ra, &rp, &st, &tx, &rx) != 7) continue;
        if ((int)lp != port && (int)rp != port) continue;
        snprintf(out[n++], sizeof out[0], "  %08X:%s %08X:%s st %02X tx %u rx %u width %zu\n", la,
                 (int)lp == port ? "PORT" : "other", ra, (int)rp == port ? "PORT" : (rp ? "other" : "0"), st, tx, rx,
                 strlen(line));
    }
    fclose(f);
    qsort(out, n, sizeof out[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n; i++) fputs(out[i], stdout);
}

int main(void) {
    const char *names[] = {"tcp_ecn", "tcp_sack", "tcp_timestamps", "tcp_window_scaling", "tcp_congestion_control",
                           "tcp_available_congestion_control", "tcp_fin_timeout", "tcp_keepalive_time",
                           "tcp_keepalive_intvl", "tcp_keepalive_probes", "tcp_syn_retries", "tcp_retries2",
                           "tcp_rmem", "tcp_wmem"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) sysctl(names[i]);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 8);
    getsockname(l, (struct sockaddr *)&a, &al);
    int port = ntohs(a.sin_port);
    printf("listening:\n");
    table(port);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    write(c, "12345", 5);
    printf("connected, 5 bytes unread:\n");
    table(port);
    int s = accept(l, NULL, NULL);
    char buf[8];
    read(s, buf, 5);
    close(s);
    read(c, buf, sizeof buf);
    usleep(300000); /* the client's delayed ACK of the FIN (40 ms) has gone out */
    printf("server closed first:\n");
    table(port);
    close(c);
    close(l);
    printf("all closed:\n");
    table(port);
    return 0;
}
