/* udp_ask ADDR PORT MESSAGE: sends MESSAGE in one UDP datagram, prints the answer (or the error). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &to.sin_addr);
    struct timeval tv = {.tv_sec = 20};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (sendto(s, argv[3], strlen(argv[3]), 0, (struct sockaddr *) &to, sizeof to) < 0) {
        printf("sendto: %s\n", strerror(errno));
        return 1;
    }
    char buf[2048];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *) &from, &fl);
    if (n < 0) {
        printf("recvfrom: %s\n", strerror(errno));
        return 1;
    }
    buf[n] = 0;
    char a[INET_ADDRSTRLEN];
    printf("%s from %s:%d\n", buf, inet_ntop(AF_INET, &from.sin_addr, a, sizeof a), ntohs(from.sin_port));
    return 0;
}
