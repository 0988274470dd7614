/* AF_UNIX control messages: SCM_RIGHTS (a pipe passed and used, many descriptors,
 * SCM_MAX_FD, MSG_CTRUNC, MSG_CMSG_CLOEXEC, MSG_PEEK, files kept open while in flight and
 * released with a discarded message or a collected cycle) and SCM_CREDENTIALS (SO_PASSCRED,
 * explicit credentials, EPERM for someone else's, ETOOMANYREFS). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static ssize_t send_fds(int s, const int *fds, int n, const char *data, size_t len) {
    char ctl[CMSG_SPACE(sizeof(int) * 300)];
    struct iovec iov = { (void *)data, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (n > 0) {
        memset(ctl, 0, sizeof ctl);
        m.msg_control = ctl;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    }
    return sendmsg(s, &m, 0);
}

/* Receives into a control buffer with room for room descriptors; returns the count of
 * descriptors received in *got (stored in fds) and prints the flags. */
static ssize_t recv_fds(int s, int *fds, int room, int *got, char *data, size_t len, int flags) {
    char ctl[CMSG_SPACE(sizeof(int) * 300)];
    struct iovec iov = { data, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = room ? CMSG_SPACE(sizeof(int) * room) : 0 };
    if (room < 0) m.msg_controllen = -room;
    memset(ctl, 0, sizeof ctl);
    ssize_t r = recvmsg(s, &m, flags);
    *got = 0;
    if (r < 0) return r;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds + *got, CMSG_DATA(c), n * sizeof(int));
            *got += n;
        }
    }
    printf("  recvmsg %zd flags %#x controllen %zu fds %d\n", r, m.msg_flags, (size_t)m.msg_controllen, *got);
    return r;
}

static int readable_eof(int fd) {
    struct pollfd p = { fd, POLLIN, 0 };
    poll(&p, 1, 0);
    return (p.revents & POLLHUP) != 0;
}

static void rights(void) {
    int sv[2], pf[2], fds[300], got;
    char buf[64];
    printf("-- rights\n");
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pf);
    write(pf[1], "through the pipe", 16);
    CHECK("send pipe read end", send_fds(sv[0], &pf[0], 1, "x", 1));
    struct stat a, b;
    fstat(pf[0], &a);
    close(pf[0]);
    recv_fds(sv[1], fds, 1, &got, buf, sizeof buf, 0);
    fstat(fds[0], &b);
    printf("same pipe %d cloexec %d\n", a.st_ino == b.st_ino, fcntl(fds[0], F_GETFD));
    CHECK("read passed pipe", read(fds[0], buf, sizeof buf));
    close(fds[0]);
    close(pf[1]);

    /* many descriptors; the most one message takes */
    pipe(pf);
    int many[254];
    for (int i = 0; i < 254; i++) many[i] = pf[1];
    CHECK("send 253", send_fds(sv[0], many, 253, "m", 1));
    CHECK("send 254", send_fds(sv[0], many, 254, "m", 1));
    recv_fds(sv[1], fds, 253, &got, buf, sizeof buf, MSG_CMSG_CLOEXEC);
    int same = 1;
    struct stat w; fstat(pf[1], &w);
    for (int i = 0; i < got; i++) { struct stat s; fstat(fds[i], &s); same &= s.st_ino == w.st_ino; }
    printf("all the write end %d cloexec %d\n", same, fcntl(fds[0], F_GETFD));
    for (int i = 0; i < got; i++) close(fds[i]);

    /* (a control buffer too small for the descriptors: in kava-only/unix_kava.c; qemu-user
     * receives into a bigger buffer of its own, so Linux installs them all there) */
    close(pf[1]);
    close(pf[0]);
    /* no control buffer at all */
    pipe(pf);
    send_fds(sv[0], &pf[1], 1, "v", 1);
    close(pf[1]);
    CHECK("plain recv", recv(sv[1], buf, sizeof buf, 0));
    printf("eof %d\n", readable_eof(pf[0]));
    close(pf[0]);

    /* in flight: the write end stays open until the message is received or discarded */
    pipe(pf);
    send_fds(sv[0], &pf[1], 1, "w", 1);
    close(pf[1]);
    printf("eof while in flight %d\n", readable_eof(pf[0]));
    CHECK("peek", recv_fds(sv[1], fds, 1, &got, buf, sizeof buf, MSG_PEEK));
    close(fds[0]);
    printf("eof after closing the peeked copy %d\n", readable_eof(pf[0]));
    close(sv[1]); /* the receiver goes away with the message unread */
    printf("eof after the receiver closed %d\n", readable_eof(pf[0]));
    close(pf[0]);
    close(sv[0]);

    /* stream: the descriptors ride with the first bytes, and a read stops before them */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(pf);
    write(sv[0], "before", 6);
    send_fds(sv[0], &pf[0], 1, "with", 4);
    write(sv[0], "after", 5);
    recv_fds(sv[1], fds, 1, &got, buf, sizeof buf, 0);
    recv_fds(sv[1], fds, 1, &got, buf, sizeof buf, 0);
    if (got) close(fds[0]);
    recv_fds(sv[1], fds, 1, &got, buf, sizeof buf, MSG_DONTWAIT);
    close(pf[0]); close(pf[1]);

    /* bad control messages */
    char ctl[64];
    struct iovec iov = { "x", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl };
    struct cmsghdr *c = (struct cmsghdr *)ctl;
    int bad = 999;
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof bad);
    memcpy(CMSG_DATA(c), &bad, sizeof bad);
    m.msg_controllen = CMSG_SPACE(sizeof bad);
    CHECK("bad fd", sendmsg(sv[0], &m, 0));
    /* (a cmsg_len shorter than the header or longer than the buffer, and a control buffer
     * beyond optmem_max: in kava-only/unix_kava.c, qemu-user rewrites control messages) */
    c->cmsg_len = CMSG_LEN(0); c->cmsg_type = 77;
    CHECK("unknown type", sendmsg(sv[0], &m, 0));
    c->cmsg_level = 99;
    CHECK("other level", sendmsg(sv[0], &m, 0));
    m.msg_controllen = 10;
    CHECK("control shorter than a header", sendmsg(sv[0], &m, 0));
    m.msg_control = (void *)16; m.msg_controllen = 32;
    CHECK("control efault", sendmsg(sv[0], &m, 0));
    while (recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) > 0) { }
    close(sv[0]); close(sv[1]);

    /* a cycle: each socket in flight in the other's queue, holding a pipe's write end */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pf);
    int pair[2] = { sv[0], pf[1] };
    send_fds(sv[1], pair, 2, "a", 1);
    pair[0] = sv[1];
    send_fds(sv[0], pair, 2, "b", 1);
    close(pf[1]);
    close(sv[0]); close(sv[1]);
    printf("cycle alone is not collected %d\n", readable_eof(pf[0]));
    close(socket(AF_UNIX, SOCK_DGRAM, 0)); /* releasing a socket runs the collector */
    usleep(200000);
    printf("cycle collected %d\n", readable_eof(pf[0]));
    close(pf[0]);
}

static void credentials(void) {
    int sv[2];
    char buf[64];
    printf("-- credentials\n");
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int on = 1;
    CHECK("passcred", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    socklen_t l = sizeof on;
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, &l); printf("passcred %d\n", on);
    send(sv[0], "c", 1, 0);
    char ctl[CMSG_SPACE(sizeof(struct ucred)) + 64];
    struct iovec iov = { buf, sizeof buf };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
    CHECK("recvmsg", recvmsg(sv[1], &m, 0));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    struct ucred uc;
    memcpy(&uc, CMSG_DATA(c), sizeof uc);
    printf("level %d type %d len %zu pid self %d uid %d gid %d controllen %zu\n", c->cmsg_level, c->cmsg_type,
           (size_t)c->cmsg_len, uc.pid == getpid(), uc.uid == getuid(), uc.gid == getgid(), (size_t)m.msg_controllen);
    /* (too small for the credentials: in kava-only/unix_kava.c) */
    send(sv[0], "c", 1, 0);
    m.msg_control = NULL; m.msg_controllen = 0;
    CHECK("recvmsg no control", recvmsg(sv[1], &m, 0));
    printf("flags %#x\n", m.msg_flags);
    /* credentials from a child */
    pid_t pid = fork();
    if (pid == 0) {
        send(sv[0], "k", 1, 0);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    m.msg_control = ctl; m.msg_controllen = sizeof ctl;
    recvmsg(sv[1], &m, 0);
    memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
    printf("child pid %d\n", uc.pid == pid);
    /* explicit credentials */
    struct msghdr sm = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof uc) };
    iov.iov_len = 1;
    c = CMSG_FIRSTHDR(&sm);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_CREDENTIALS; c->cmsg_len = CMSG_LEN(sizeof uc);
    uc.pid = getpid(); uc.uid = getuid(); uc.gid = getgid();
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    CHECK("send own creds", sendmsg(sv[0], &sm, 0));
    uc.pid = 999999;
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    CHECK("send no such pid", sendmsg(sv[0], &sm, 0));
    uc.pid = getpid(); uc.uid = -1;
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    CHECK("send invalid uid", sendmsg(sv[0], &sm, 0));
    c->cmsg_len = CMSG_LEN(sizeof uc) - 1;
    CHECK("send short creds", sendmsg(sv[0], &sm, 0));
    c->cmsg_len = CMSG_LEN(sizeof uc);
    uc.uid = 4242; uc.gid = 4343;
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    CHECK("root sends others' ids", sendmsg(sv[0], &sm, 0));
    m.msg_control = ctl; m.msg_controllen = sizeof ctl; iov.iov_len = sizeof buf;
    recvmsg(sv[1], &m, 0);
    m.msg_control = ctl; m.msg_controllen = sizeof ctl;
    recvmsg(sv[1], &m, 0);
    memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
    printf("received uid %d gid %d pid self %d\n", uc.uid, uc.gid, uc.pid == getpid());
    pid = fork();
    if (pid == 0) {
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        iov.iov_len = 1;
        c = CMSG_FIRSTHDR(&sm);
        uc.pid = getpid(); uc.uid = 0; uc.gid = 1000;
        memcpy(CMSG_DATA(c), &uc, sizeof uc);
        errno = 0;
        printf("unprivileged sends uid 0: %zd %s\n", sendmsg(sv[0], &sm, 0), en(errno));
        uc.uid = 1000; uc.pid = getppid();
        memcpy(CMSG_DATA(c), &uc, sizeof uc);
        errno = 0;
        printf("unprivileged sends parent's pid: %zd %s\n", sendmsg(sv[0], &sm, 0), en(errno));
        uc.pid = getpid();
        memcpy(CMSG_DATA(c), &uc, sizeof uc);
        errno = 0;
        printf("unprivileged sends its own: %zd %s\n", sendmsg(sv[0], &sm, 0), en(errno));
        /* ETOOMANYREFS: more files in flight than RLIMIT_NOFILE */
        struct rlimit rl = { 20, 20 };
        setrlimit(RLIMIT_NOFILE, &rl);
        int pf[2]; pipe(pf);
        int ten[10];
        for (int i = 0; i < 10; i++) ten[i] = pf[0];
        int sent = 0;
        errno = 0;
        while (send_fds(sv[0], ten, 10, "r", 1) == 1 && sent < 10) sent++;
        printf("in flight before ETOOMANYREFS %d: %s\n", sent * 10, en(errno));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    m.msg_control = ctl; m.msg_controllen = sizeof ctl;
    recvmsg(sv[1], &m, 0);
    memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
    printf("from the unprivileged child uid %d gid %d pid %d\n", uc.uid, uc.gid, uc.pid == pid);
    while (recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) > 0) { }
    /* SO_PASSCRED turned on after the message was queued: nobody's credentials */
    on = 0;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    send(sv[0], "late", 4, 0);
    on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    m.msg_control = ctl; m.msg_controllen = sizeof ctl;
    CHECK("recvmsg late", recvmsg(sv[1], &m, 0));
    memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
    printf("late pid %d uid %d gid %d\n", uc.pid, uc.uid, uc.gid);
    close(sv[0]); close(sv[1]);

    /* stream: writes from two writers are not glued together when credentials are passed */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    write(sv[0], "parent", 6);
    pid = fork();
    if (pid == 0) { write(sv[0], "child", 5); _exit(0); }
    waitpid(pid, NULL, 0);
    write(sv[0], "again", 5);
    for (int i = 0; i < 3; i++) {
        m.msg_control = ctl; m.msg_controllen = sizeof ctl;
        ssize_t r = recvmsg(sv[1], &m, 0);
        memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
        printf("stream read %zd %.*s from child %d\n", r, (int)r, buf, uc.pid == pid);
    }
    /* EOF with SO_PASSCRED: a zeroed cookie */
    shutdown(sv[0], SHUT_WR);
    m.msg_control = ctl; m.msg_controllen = sizeof ctl;
    CHECK("recvmsg eof", recvmsg(sv[1], &m, 0));
    memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof uc);
    printf("eof pid %d uid %d gid %d controllen %zu\n", uc.pid, uc.uid, uc.gid, (size_t)m.msg_controllen);
    close(sv[0]); close(sv[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    rights();
    credentials();
    return 0;
}
