/* The socket syscalls with bad arguments: errors in Linux's order (descriptor, then memory
 * and lengths, then the socket), bad address lengths and families, NULL and wild pointers,
 * descriptors that are not sockets, absurd option lengths; and sendmmsg/recvmmsg. Cases
 * qemu-user answers itself (it copies addresses and message headers before the descriptor
 * is checked, refuses a negative optlen, has no recvmmsg timeout) are in kava-only/unix_kava.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static void *volatile wild = (void *)0x10;
static void *volatile kernelptr = (void *)0xffffffff80000000UL;

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int pf[2];
    pipe(pf);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, "tmp/bad");
    socklen_t al = offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1;
    char buf[64];
    socklen_t l;
    int v;

    printf("-- socket\n");
    CHECK("socket family 100", socket(100, SOCK_STREAM, 0));
    CHECK("socket unix type 0", socket(AF_UNIX, 0, 0));
    CHECK("socket unix type 15", socket(AF_UNIX, 15, 0));
    CHECK("socket unix dccp", socket(AF_UNIX, SOCK_DCCP, 0));
    CHECK("socket unix packet", socket(AF_UNIX, SOCK_PACKET, 0));
    CHECK("socket unix protocol 7", socket(AF_UNIX, SOCK_DGRAM, 7));
    CHECK("socket ax25", socket(AF_AX25, SOCK_STREAM, 0));

    printf("-- descriptors\n");
    CHECK("bind ebadf", bind(99, (struct sockaddr *)&a, al));
    CHECK("bind pipe", bind(pf[0], (struct sockaddr *)&a, al));
    CHECK("listen pipe", listen(pf[0], 1));
    CHECK("accept pipe", accept(pf[0], NULL, NULL));
    CHECK("accept ebadf", accept(-1, NULL, NULL));
    CHECK("connect pipe", connect(pf[0], (struct sockaddr *)&a, al));
    CHECK("connect pipe bad addr", connect(pf[0], wild, al));
    CHECK("getsockname pipe", getsockname(pf[0], (struct sockaddr *)&a, &l));
    CHECK("getpeername ebadf", getpeername(99, (struct sockaddr *)&a, &l));
    CHECK("send pipe", send(pf[1], "x", 1, 0));
    CHECK("recv pipe", recv(pf[0], buf, 1, MSG_DONTWAIT));
    CHECK("sendto ebadf wild buf", sendto(99, kernelptr, 1, 0, NULL, 0));
    CHECK("recvfrom ebadf wild buf", recvfrom(99, kernelptr, 1, 0, NULL, NULL));
    CHECK("setsockopt pipe", setsockopt(pf[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    CHECK("getsockopt pipe", getsockopt(pf[0], SOL_SOCKET, SO_TYPE, &v, &l));
    CHECK("shutdown pipe", shutdown(pf[0], SHUT_RD));
    CHECK("shutdown ebadf", shutdown(99, SHUT_RD));
    int opath = open("tmp", O_PATH);
    CHECK("bind O_PATH", bind(opath, (struct sockaddr *)&a, al));
    close(opath);

    printf("-- addresses\n");
    CHECK("bind len 0", bind(s, (struct sockaddr *)&a, 0));
    CHECK("bind len 1", bind(s, (struct sockaddr *)&a, 1));
    CHECK("bind len -1", bind(s, (struct sockaddr *)&a, -1));
    CHECK("bind len 129", bind(s, (struct sockaddr *)&a, 129));
    a.sun_family = AF_INET;
    CHECK("bind wrong family", bind(s, (struct sockaddr *)&a, al));
    CHECK("connect wrong family", connect(s, (struct sockaddr *)&a, al));
    CHECK("connect dgram wrong family", connect(d, (struct sockaddr *)&a, al));
    CHECK("sendto wrong family", sendto(d, "x", 1, 0, (struct sockaddr *)&a, al));
    a.sun_family = AF_UNIX;
    CHECK("bind NULL", bind(s, NULL, al));
    CHECK("bind wild", bind(s, wild, al));
    CHECK("connect NULL", connect(s, NULL, al));
    CHECK("connect len 0", connect(s, (struct sockaddr *)&a, 0));
    CHECK("connect len 2", connect(s, (struct sockaddr *)&a, 2));
    CHECK("connect dgram len 0", connect(d, (struct sockaddr *)&a, 0));
    CHECK("connect missing", connect(s, (struct sockaddr *)&a, al));
    CHECK("sendto missing", sendto(d, "x", 1, 0, (struct sockaddr *)&a, al));
    CHECK("sendto NULL addr len 5", sendto(d, "x", 1, 0, NULL, 5));
    CHECK("sendto addr len -1", sendto(d, "x", 1, 0, (struct sockaddr *)&a, -1));
    CHECK("sendto wild addr", sendto(d, "x", 1, 0, wild, al));
    CHECK("getsockname NULL len", getsockname(s, (struct sockaddr *)&a, NULL));
    l = sizeof a;
    CHECK("getsockname NULL addr", getsockname(s, NULL, &l));
    l = 0;
    CHECK("getsockname len 0", getsockname(s, NULL, &l)); printf("len %u\n", l);
    l = -1;
    CHECK("getsockname len -1", getsockname(s, (struct sockaddr *)&a, &l)); printf("len %d\n", (int)l);
    l = 1;
    memset(&a, 0x55, sizeof a);
    CHECK("getsockname len 1", getsockname(s, (struct sockaddr *)&a, &l)); printf("len %u byte %d next %#x\n", l, ((unsigned char *)&a)[0], ((unsigned char *)&a)[1]);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, "tmp/bad");

    printf("-- data\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    CHECK("send NULL len 5", send(sv[0], NULL, 5, 0));
    CHECK("send wild len 5", send(sv[0], wild, 5, MSG_NOSIGNAL));
    CHECK("send kernel pointer", send(sv[0], kernelptr, 5, 0));
    CHECK("send NULL len 0", send(sv[0], NULL, 0, 0));
    CHECK("send huge len", send(sv[0], buf, (size_t)-1, MSG_DONTWAIT));
    CHECK("write with unread data", write(sv[0], "abc", 3));
    CHECK("recv NULL len 3", recv(sv[1], NULL, 3, 0));
    CHECK("recv after fault", recv(sv[1], buf, 3, MSG_DONTWAIT));
    CHECK("send to stream with address", sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, al));
    CHECK("dgram send MSG_OOB", send(d, "x", 1, MSG_OOB));
    CHECK("dgram recv MSG_OOB", recv(d, buf, 1, MSG_OOB));
    CHECK("listen on connected", listen(sv[0], 1));
    CHECK("accept on connected", accept(sv[0], NULL, NULL));
    CHECK("listen dgram", listen(d, 1));
    CHECK("accept dgram", accept(d, NULL, NULL));
    CHECK("shutdown -1", shutdown(sv[0], -1));

    printf("-- msghdr\n");
    struct iovec iov = { buf, 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    CHECK("sendmsg NULL msghdr", sendmsg(sv[0], NULL, 0));
    CHECK("sendmsg wild msghdr", sendmsg(sv[0], wild, 0));
    m.msg_iovlen = 1025;
    CHECK("sendmsg iovlen 1025", sendmsg(sv[0], &m, 0));
    m.msg_iovlen = 1;
    m.msg_iov = wild;
    CHECK("sendmsg wild iov", sendmsg(sv[0], &m, 0));
    struct iovec neg = { buf, (size_t)-1 };
    m.msg_iov = &neg;
    CHECK("sendmsg negative iov_len", sendmsg(sv[0], &m, 0));
    m.msg_iov = &iov;
    m.msg_name = &a; m.msg_namelen = -1;
    CHECK("sendmsg namelen -1", sendmsg(d, &m, 0));
    m.msg_namelen = 200;
    CHECK("sendmsg namelen 200", sendmsg(d, &m, 0));
    m.msg_name = NULL;
    CHECK("sendmsg name NULL namelen 200", sendmsg(sv[0], &m, 0));
    CHECK("recvmsg name NULL namelen 200", recvmsg(sv[1], &m, 0));
    m.msg_name = &a; m.msg_namelen = -1;
    CHECK("recvmsg namelen -1", recvmsg(sv[1], &m, MSG_DONTWAIT));
    m.msg_namelen = 0;
    m.msg_control = wild; m.msg_controllen = 64;
    CHECK("sendmsg wild control", sendmsg(sv[0], &m, 0));
    m.msg_control = NULL; m.msg_controllen = 0;
    m.msg_flags = -1;
    CHECK("sendmsg with msg_flags set", sendmsg(sv[0], &m, 0));
    CHECK("recvmsg", recvmsg(sv[1], &m, 0)); printf("flags %#x\n", m.msg_flags);

    printf("-- options\n");
    l = sizeof v;
    CHECK("setsockopt optlen 0", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 0));
    CHECK("setsockopt optlen 3", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 3));
    CHECK("setsockopt optlen huge", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 0x7fffffff));
    CHECK("setsockopt NULL", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, NULL, sizeof v));
    CHECK("setsockopt linger short", setsockopt(s, SOL_SOCKET, SO_LINGER, &v, sizeof v));
    CHECK("getsockopt NULL optlen", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, NULL));
    l = -1;
    CHECK("getsockopt optlen -1", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l));
    l = 0;
    CHECK("getsockopt optlen 0", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l)); printf("len %u\n", l);
    l = 100;
    CHECK("getsockopt optlen 100", getsockopt(s, SOL_SOCKET, SO_TYPE, buf, &l)); printf("len %u\n", l);
    l = sizeof v;
    CHECK("getsockopt NULL optval", getsockopt(s, SOL_SOCKET, SO_TYPE, NULL, &l));
    l = 4;
    CHECK("getsockopt peercred short", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, buf, &l)); printf("len %u\n", l);
    l = 100;
    CHECK("getsockopt peercred long", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, buf, &l)); printf("len %u\n", l);
    v = -5;
    CHECK("setsockopt rcvlowat negative", setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v));
    getsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, &l); printf("rcvlowat %d\n", v);
    v = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v);
    getsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, &l); printf("rcvlowat %d\n", v);
    struct timeval tv = { -1, 0 };
    CHECK("rcvtimeo negative", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    l = sizeof tv;
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &l); printf("rcvtimeo %ld %ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = 0; tv.tv_usec = -1;
    CHECK("rcvtimeo negative usec", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));

    printf("-- mmsg\n");
    struct mmsghdr mm[3];
    struct iovec iovs[3] = { { "one", 3 }, { "two", 3 }, { "three", 5 } };
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 3; i++) { mm[i].msg_hdr.msg_iov = &iovs[i]; mm[i].msg_hdr.msg_iovlen = 1; }
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    CHECK("sendmmsg", sendmmsg(dv[0], mm, 3, 0));
    printf("lens %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    CHECK("sendmmsg 0", sendmmsg(dv[0], mm, 0, 0));
    CHECK("sendmmsg NULL", sendmmsg(dv[0], NULL, 1, 0));
    mm[1].msg_hdr.msg_iov = wild;
    CHECK("sendmmsg second bad", sendmmsg(dv[0], mm, 3, 0));
    mm[1].msg_hdr.msg_iov = &iovs[1];
    char rb[4][16];
    struct iovec riov[4];
    struct mmsghdr rm[4];
    memset(rm, 0, sizeof rm);
    for (int i = 0; i < 4; i++) { riov[i].iov_base = rb[i]; riov[i].iov_len = 16; rm[i].msg_hdr.msg_iov = &riov[i]; rm[i].msg_hdr.msg_iovlen = 1; }
    CHECK("recvmmsg dontwait", recvmmsg(dv[1], rm, 4, MSG_DONTWAIT, NULL));
    printf("%.*s %.*s %.*s %.*s\n", rm[0].msg_len, rb[0], rm[1].msg_len, rb[1], rm[2].msg_len, rb[2], rm[3].msg_len, rb[3]);
    CHECK("recvmmsg empty dontwait", recvmmsg(dv[1], rm, 4, MSG_DONTWAIT, NULL));
    sendmmsg(dv[0], mm, 2, 0);
    CHECK("recvmmsg waitforone", recvmmsg(dv[1], rm, 4, MSG_WAITFORONE, NULL));
    CHECK("recvmmsg compat flag", syscall(SYS_recvmmsg, dv[1], rm, 1, 0x80000000, NULL));
    CHECK("sendmmsg compat flag", syscall(SYS_sendmmsg, dv[0], mm, 1, 0x80000000));
    close(dv[0]); close(dv[1]);
    return 0;
}
