/* AF_UNIX stream out-of-band data (CONFIG_AF_UNIX_OOB): send with MSG_OOB, recv with
 * MSG_OOB, the mark (SIOCATMARK), reads stopping at it, an unread byte skipped, SO_OOBINLINE,
 * POLLPRI, and SIGURG to the owner (FIOSETOWN). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static volatile int urgs;
static void on_urg(int s) { (void)s; urgs++; }

static int atmark(int fd) { int m = -1; ioctl(fd, SIOCATMARK, &m); return m; }
static int inq(int fd) { int n = -1; ioctl(fd, FIONREAD, &n); return n; }

static void show(const char *what, int fd, int flags) {
    char buf[32];
    errno = 0;
    ssize_t r = recv(fd, buf, sizeof buf, flags | MSG_DONTWAIT);
    printf("%s: %zd %s %.*s\n", what, r, r < 0 ? en(errno) : "", r > 0 ? (int)r : 0, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGURG, on_urg);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int me = getpid();
    CHECK("fiosetown", ioctl(sv[1], FIOSETOWN, &me));
    int own = 0;
    ioctl(sv[1], FIOGETOWN, &own);
    printf("owner self %d\n", own == me);
    CHECK("recv oob none", recv(sv[1], (char[4]){0}, 4, MSG_OOB));
    CHECK("send oob empty", send(sv[0], "", 0, MSG_OOB));
    CHECK("send abc oob", send(sv[0], "abc", 3, MSG_OOB));
    printf("sigurg %d\n", urgs);
    struct pollfd p = { sv[1], POLLIN | POLLPRI, 0 };
    poll(&p, 1, 0); printf("revents %#x\n", p.revents);
    printf("atmark %d inq %d\n", atmark(sv[1]), inq(sv[1]));
    show("read stops at the mark", sv[1], 0);
    printf("atmark %d inq %d\n", atmark(sv[1]), inq(sv[1]));
    show("peek oob", sv[1], MSG_OOB | MSG_PEEK);
    show("recv oob", sv[1], MSG_OOB);
    show("recv oob again", sv[1], MSG_OOB);
    printf("atmark %d inq %d\n", atmark(sv[1]), inq(sv[1]));
    poll(&p, 1, 0); printf("revents %#x\n", p.revents);
    show("read after", sv[1], 0);
    /* an unread out-of-band byte is skipped by a read that starts at it */
    send(sv[0], "xy", 2, MSG_OOB);
    send(sv[0], "z", 1, 0);
    show("read before mark", sv[1], 0);
    show("read skips the byte", sv[1], 0);
    show("recv oob gone", sv[1], MSG_OOB);
    /* a second byte replaces the first as the mark */
    send(sv[0], "1", 1, MSG_OOB);
    send(sv[0], "2", 1, MSG_OOB);
    show("recv oob", sv[1], MSG_OOB);
    show("read", sv[1], 0);
    show("read", sv[1], 0);
    /* SO_OOBINLINE: the byte stays in the stream */
    int on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_OOBINLINE, &on, sizeof on);
    send(sv[0], "ab", 2, MSG_OOB);
    send(sv[0], "cd", 2, 0);
    show("recv oob inline", sv[1], MSG_OOB);
    printf("atmark %d\n", atmark(sv[1]));
    show("read", sv[1], 0);
    printf("atmark %d\n", atmark(sv[1]));
    show("read", sv[1], 0);
    /* datagrams have no out-of-band data */
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    CHECK("dgram send oob", send(dv[0], "x", 1, MSG_OOB));
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, dv);
    CHECK("seqpacket send oob", send(dv[0], "x", 1, MSG_OOB));
    /* the peer closes after an out-of-band byte was read: no ECONNRESET for the empty buffer */
    int s2[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s2);
    send(s2[0], "q", 1, MSG_OOB);
    char c;
    recv(s2[1], &c, 1, MSG_OOB);
    close(s2[0]);
    show("read after oob and close", s2[1], 0);
    printf("sigurg %d\n", urgs);
    return 0;
}
