/* udp_echo PORT: answers each datagram on 127.0.0.1:PORT with "echo " + the datagram and prints it
 * with its sender's address, until a datagram "stop". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(s, (struct sockaddr *) &me, sizeof me) < 0) {
        perror("bind");
        return 1;
    }
    for (;;) {
        char buf[2048], out[2100];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *) &from, &fl);
        if (n < 0) {
            perror("recvfrom");
            return 1;
        }
        buf[n] = 0;
        int m = snprintf(out, sizeof out, "echo %s", buf);
        sendto(s, out, m, 0, (struct sockaddr *) &from, fl);
        char a[INET_ADDRSTRLEN];
        printf("%s from %s\n", buf, inet_ntop(AF_INET, &from.sin_addr, a, sizeof a));
        if (strcmp(buf, "stop") == 0) break;
    }
    return 0;
}
