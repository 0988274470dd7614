/* TCP connections on 127.0.0.1 whose client sends, closes and exits (its socket becomes an
 * orphan, then a timewait socket) around the time the server reads and closes: the server's
 * FIN moves the timewait socket to TIME_WAIT and both closes return at once. The timewait
 * socket must not answer bare ACKs (tcp_timewait_state_process): kava's did, and with the
 * server's socket answering back, the two closes ACKed each other forever (CPython's
 * test_multiprocessing TestTimeouts.test_timeout hung). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(l, (struct sockaddr *) &a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *) &a, &al)) {
        perror("listen");
        return 1;
    }
    for (int round = 0; round < 3; round++) {
        pid_t c = fork();
        if (c == 0) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(s, (struct sockaddr *) &a, sizeof a)) _exit(2);
            if (write(s, "hello", 5) != 5) _exit(3);
            close(s);
            _exit(0);
        }
        int st;
        waitpid(c, &st, 0);
        int s = accept(l, NULL, NULL);
        char buf[16];
        ssize_t n = read(s, buf, sizeof buf);
        ssize_t eof = read(s, buf + 5, sizeof buf - 5);
        printf("round %d: child exit %d, read %zd \"%.5s\", then %zd\n", round, WEXITSTATUS(st), n, buf, eof);
        printf("close: %d\n", close(s));
        /* The server side is gone at once (LAST_ACK, then its ACK): a second connection works. */
    }
    /* The same with the server closing before the client has read anything back. */
    pid_t c = fork();
    if (c == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *) &a, sizeof a)) _exit(2);
        if (write(s, "bye", 3) != 3) _exit(3);
        close(s);
        _exit(0);
    }
    int s = accept(l, NULL, NULL);
    char buf[8];
    ssize_t n = read(s, buf, 3);
    int st;
    waitpid(c, &st, 0);
    printf("last: read %zd, close %d, child %d\n", n, close(s), WEXITSTATUS(st));
    /* Both ends close at about the same time, the client as soon as the server has read. */
    for (int round = 0; round < 10; round++) {
        int p[2];
        if (pipe(p)) return 1;
        pid_t c = fork();
        if (c == 0) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(s, (struct sockaddr *) &a, sizeof a)) _exit(2);
            if (write(s, "hello", 5) != 5) _exit(3);
            char x;
            if (read(p[0], &x, 1) != 1) _exit(4);
            close(s);
            _exit(0);
        }
        int s = accept(l, NULL, NULL);
        ssize_t n = read(s, buf, 5);
        if (write(p[1], "x", 1) != 1) return 1;
        int r = close(s);
        waitpid(c, &st, 0);
        close(p[0]);
        close(p[1]);
        printf("simultaneous %d: read %zd, close %d, child %d\n", round, n, r, WEXITSTATUS(st));
    }
    close(l);
    return 0;
}
