/* AF_UNIX behaviour qemu-user cannot be the oracle for: it rewrites control messages through
 * buffers of its own (so MSG_CTRUNC, short cmsg_len and optmem_max never reach Linux as the
 * program sent them), passes no SO_PEEK_OFF, drops unknown socket type flags and refuses a
 * negative accept length itself. unix_kava.expected is this program's output on Linux 6.18
 * (x86-64; nothing printed depends on the architecture). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static int readable_eof(int fd) {
    struct pollfd p = { fd, POLLIN, 0 };
    poll(&p, 1, 0);
    return (p.revents & POLLHUP) != 0;
}

static void send_fds(int s, const int *fds, int n) {
    char ctl[CMSG_SPACE(sizeof(int) * 16)];
    struct iovec iov = { "x", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    sendmsg(s, &m, 0);
}

static void peek_off(void) {
    int sv[2];
    char buf[16];
    int off;
    socklen_t ol = sizeof off;
    printf("-- SO_PEEK_OFF\n");
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    getsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); printf("default %d\n", off);
    off = 0;
    CHECK("set", setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off));
    write(sv[0], "abcdefgh", 8);
    CHECK("peek 3", recv(sv[1], buf, 3, MSG_PEEK)); printf("%.3s\n", buf);
    CHECK("peek 3", recv(sv[1], buf, 3, MSG_PEEK)); printf("%.3s\n", buf);
    getsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); printf("off %d\n", off);
    CHECK("read 4", read(sv[1], buf, 4)); printf("%.4s\n", buf);
    getsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); printf("off %d\n", off);
    CHECK("peek 8", recv(sv[1], buf, 8, MSG_PEEK)); printf("%.2s\n", buf);
    CHECK("read", read(sv[1], buf, 8)); printf("%.4s\n", buf);
    close(sv[0]); close(sv[1]);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    off = 0;
    setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off);
    send(sv[0], "one", 3, 0); send(sv[0], "", 0, 0); send(sv[0], "two", 3, 0);
    CHECK("peek", recv(sv[1], buf, 2, MSG_PEEK)); printf("%.2s\n", buf);
    CHECK("peek", recv(sv[1], buf, 8, MSG_PEEK)); printf("%.1s\n", buf);
    CHECK("peek", recv(sv[1], buf, 8, MSG_PEEK));
    CHECK("peek", recv(sv[1], buf, 8, MSG_PEEK)); printf("%.3s\n", buf);
    CHECK("peek", recv(sv[1], buf, 8, MSG_PEEK | MSG_DONTWAIT));
    getsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); printf("off %d\n", off);
    CHECK("recv", recv(sv[1], buf, 8, 0)); printf("%.3s\n", buf);
    getsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, &ol); printf("off %d\n", off);
    off = -1;
    setsockopt(sv[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof off);
    CHECK("peek off", recv(sv[1], buf, 8, MSG_PEEK));
    close(sv[0]); close(sv[1]);
}

static void ctrunc(void) {
    int sv[2], pf[2];
    char buf[8];
    printf("-- MSG_CTRUNC\n");
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pf);
    int five[5] = { pf[1], pf[1], pf[1], pf[1], pf[1] };
    send_fds(sv[0], five, 5);
    close(pf[1]);
    char ctl[CMSG_SPACE(sizeof(int) * 8)];
    struct iovec iov = { buf, sizeof buf };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int) * 2) };
    CHECK("recvmsg room for 2", recvmsg(sv[1], &m, 0));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    printf("flags %#x controllen %zu cmsg_len %zu\n", m.msg_flags, (size_t)m.msg_controllen, (size_t)c->cmsg_len);
    int got[2];
    memcpy(got, CMSG_DATA(c), sizeof got);
    printf("eof while two open %d\n", readable_eof(pf[0]));
    close(got[0]); close(got[1]);
    printf("eof after closing them %d\n", readable_eof(pf[0]));
    close(pf[0]);
    pipe(pf);
    send_fds(sv[0], &pf[1], 1);
    close(pf[1]);
    m.msg_controllen = sizeof(struct cmsghdr);
    CHECK("recvmsg room for none", recvmsg(sv[1], &m, 0));
    printf("flags %#x controllen %zu eof %d\n", m.msg_flags, (size_t)m.msg_controllen, readable_eof(pf[0]));
    close(pf[0]);
    /* credentials into too small a buffer: truncated */
    int on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    send(sv[0], "c", 1, 0);
    memset(ctl, 0, sizeof ctl);
    m.msg_controllen = sizeof(struct cmsghdr) + 4;
    CHECK("recvmsg creds small", recvmsg(sv[1], &m, 0));
    printf("flags %#x controllen %zu cmsg_len %zu\n", m.msg_flags, (size_t)m.msg_controllen, (size_t)c->cmsg_len);
    /* malformed control messages */
    struct msghdr sm = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int)) };
    iov.iov_len = 1;
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
    c->cmsg_len = 8;
    CHECK("cmsg_len short", sendmsg(sv[0], &sm, 0));
    c->cmsg_len = 1000;
    CHECK("cmsg_len long", sendmsg(sv[0], &sm, 0));
    c->cmsg_len = CMSG_LEN(sizeof(int));
    static char huge[1 << 20];
    memcpy(huge, ctl, CMSG_SPACE(sizeof(int)));
    sm.msg_control = huge;
    sm.msg_controllen = sizeof huge;
    CHECK("control beyond optmem_max", sendmsg(sv[0], &sm, 0));
    sm.msg_controllen = 100000;
    CHECK("control within optmem_max", sendmsg(sv[0], &sm, 0));
    CHECK("sendmsg MSG_CMSG_COMPAT", sendmsg(sv[0], &sm, 0x80000000));
    CHECK("recvmsg MSG_CMSG_COMPAT", recvmsg(sv[1], &m, 0x80000000));
    close(sv[0]); close(sv[1]);
}

static void misc(void) {
    int sv[2];
    char buf[16];
    printf("-- misc\n");
    CHECK("socketpair type flags", socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, sv));
    CHECK("socket type flags", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char path[64], link[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n > 0) link[n] = 0;
    printf("link socket:[ %d ] %d\n", n > 0 && strncmp(link, "socket:[", 8) == 0, n > 0 && link[n - 1] == ']');
    CHECK("open /proc/self/fd", open(path, O_RDWR));
    /* FIONREAD after part of a write was read */
    write(sv[0], "0123456789", 10);
    read(sv[1], buf, 3);
    int q = -1;
    ioctl(sv[1], FIONREAD, &q);
    printf("fionread after partial read %d\n", q);
    close(sv[0]); close(sv[1]);
    /* accept with a negative length: the connection is taken, then EINVAL; it is lost */
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path + 1, "kava-only");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + 1 + strlen("kava-only");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&a, al);
    listen(s, 5);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, al);
    socklen_t bad = -1;
    CHECK("accept negative len", accept(s, (struct sockaddr *)&a, &bad));
    CHECK("read after the lost accept", recv(c, buf, 1, MSG_DONTWAIT));
    close(c); close(s);
}

static void *volatile wild = (void *)0x10;

/* What qemu-user checks itself before Linux sees the call. */
static void order(void) {
    int dv[2];
    int v = 1;
    printf("-- order\n");
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    CHECK("connect ebadf bad addr", connect(99, wild, 16));
    CHECK("sendmsg not a socket NULL msghdr", sendmsg(1, NULL, 0));
    CHECK("recvmsg ebadf NULL msghdr", recvmsg(99, NULL, 0));
    CHECK("setsockopt optlen -1", setsockopt(dv[0], SOL_SOCKET, SO_REUSEADDR, &v, -1));
    CHECK("setsockopt level 999", setsockopt(dv[0], 999, 1, &v, sizeof v));
    struct mmsghdr mm[3], rm[3];
    struct iovec iovs[3] = { { "one", 3 }, { "two", 3 }, { "three", 5 } };
    char rb[3][16];
    struct iovec riov[3];
    memset(mm, 0, sizeof mm);
    memset(rm, 0, sizeof rm);
    for (int i = 0; i < 3; i++) {
        mm[i].msg_hdr.msg_iov = &iovs[i]; mm[i].msg_hdr.msg_iovlen = 1;
        riov[i].iov_base = rb[i]; riov[i].iov_len = 16; rm[i].msg_hdr.msg_iov = &riov[i]; rm[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec ts = { 0, -1 };
    CHECK("recvmmsg bad timeout", recvmmsg(dv[1], rm, 3, 0, &ts));
    CHECK("recvmmsg wild timeout", recvmmsg(dv[1], rm, 3, 0, wild));
    CHECK("recvmmsg ebadf bad timeout", recvmmsg(99, rm, 3, 0, &ts));
    sendmmsg(dv[0], mm, 3, 0);
    ts.tv_sec = 5; ts.tv_nsec = 0;
    CHECK("recvmmsg timeout", recvmmsg(dv[1], rm, 3, 0, &ts));
    printf("timeout left ok %d\n", ts.tv_sec <= 5 && ts.tv_sec >= 3);
    sendmmsg(dv[0], mm, 1, 0);
    ts.tv_sec = 0; ts.tv_nsec = 0;
    CHECK("recvmmsg zero timeout", recvmmsg(dv[1], rm, 3, 0, &ts));
    printf("timeout %ld %ld\n", (long)ts.tv_sec, (long)ts.tv_nsec);
    close(dv[0]); close(dv[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    peek_off();
    ctrunc();
    misc();
    order();
    return 0;
}
