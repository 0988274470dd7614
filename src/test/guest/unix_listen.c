/* AF_UNIX names: bind, listen, accept, connect on a filesystem path and an abstract name;
 * autobind; getsockname/getpeername lengths; ECONNREFUSED, EADDRINUSE, EPROTOTYPE, EISCONN;
 * nonblocking connect against a full backlog; accept readiness through epoll; datagrams
 * between named sockets with sendto/recvfrom; SO_PEERCRED. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static socklen_t mkaddr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static socklen_t mkabstract(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path + 1, name, strlen(name));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void show_name(const char *what, int fd, int peer) {
    struct sockaddr_un a;
    memset(&a, 0x7f, sizeof a);
    socklen_t l = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &l) : getsockname(fd, (struct sockaddr *)&a, &l);
    if (r < 0) { printf("%s: -1 %s\n", what, en(errno)); return; }
    printf("%s: len %u family %d", what, l, a.sun_family);
    if (l > 2) {
        if (a.sun_path[0]) printf(" path %s", a.sun_path);
        else printf(" abstract @%.*s", (int)(l - 3), a.sun_path + 1);
    }
    printf("\n");
}

static void path_names(void) {
    struct sockaddr_un a, b;
    socklen_t al = mkaddr(&a, "tmp/srv");
    printf("-- path\n");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    show_name("unbound name", s, 0);
    show_name("unbound peer", s, 1);
    CHECK("listen unbound", listen(s, 5));
    umask(022);
    CHECK("bind", bind(s, (struct sockaddr *)&a, al));
    struct stat st;
    CHECK("stat", stat("tmp/srv", &st));
    printf("sock %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    CHECK("open socket node", open("tmp/srv", O_RDWR));
    show_name("bound name", s, 0);
    CHECK("bind again", bind(s, (struct sockaddr *)&a, al));
    socklen_t bl = mkaddr(&b, "tmp/other");
    CHECK("bind bound to new", bind(s, (struct sockaddr *)&b, bl));
    CHECK("new name left", access("tmp/other", F_OK));
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("bind in use", bind(s2, (struct sockaddr *)&a, al));
    CHECK("connect not listening", connect(s2, (struct sockaddr *)&a, al));
    CHECK("listen", listen(s, 5));
    int v; socklen_t vl = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl); printf("acceptconn %d\n", v);
    CHECK("listen again", listen(s, 10));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("connect dgram to stream", connect(d, (struct sockaddr *)&a, al));
    close(d);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("connect", connect(c, (struct sockaddr *)&a, al));
    CHECK("connect again", connect(c, (struct sockaddr *)&a, al));
    show_name("client name", c, 0);
    show_name("client peer", c, 1);
    struct sockaddr_un pa; socklen_t pl = sizeof pa;
    int x = accept(s, (struct sockaddr *)&pa, &pl);
    printf("accept %d peer len %u\n", x >= 0, pl);
    show_name("accepted name", x, 0);
    show_name("accepted peer", x, 1);
    struct ucred uc; socklen_t ul = sizeof uc;
    CHECK("peercred client", getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    printf("pid self %d uid %d gid %d len %u\n", uc.pid == getpid(), uc.uid == geteuid(), uc.gid == getegid(), ul);
    ul = sizeof uc;
    CHECK("peercred accepted", getsockopt(x, SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    printf("pid self %d\n", uc.pid == getpid());
    ul = sizeof uc;
    CHECK("peercred listener", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    CHECK("peercred unconnected", getsockopt(s2, SOL_SOCKET, SO_PEERCRED, &uc, &ul));
    printf("pid %d uid %d gid %d\n", uc.pid, uc.uid, uc.gid);
    CHECK("write", write(c, "ping", 4));
    char buf[16];
    CHECK("read", read(x, buf, sizeof buf));
    /* a client bound to a name of its own */
    int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    socklen_t cl = mkaddr(&b, "tmp/cli");
    CHECK("bind client", bind(c2, (struct sockaddr *)&b, cl));
    CHECK("connect bound client", connect(c2, (struct sockaddr *)&a, al));
    pl = sizeof pa;
    int x2 = accept4(s, (struct sockaddr *)&pa, &pl, SOCK_CLOEXEC | SOCK_NONBLOCK);
    printf("accept4 %d len %u path %s fl %#x fd %d\n", x2 >= 0, pl, pa.sun_path, fcntl(x2, F_GETFL), fcntl(x2, F_GETFD));
    int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(c3, (struct sockaddr *)&b, mkaddr(&b, "tmp/cli3"));
    CHECK("connect c3", connect(c3, (struct sockaddr *)&a, al));
    pl = 4;
    memset(&pa, 0, sizeof pa);
    int x3 = accept(s, (struct sockaddr *)&pa, &pl);
    printf("accept short %d len %u %.2s|\n", x3 >= 0, pl, pa.sun_path);
    close(x3); close(c3); unlink("tmp/cli3");
    /* (a negative address length: in kava-only/unix_kava.c, qemu-user refuses it before Linux sees it) */
    CHECK("accept4 flags", accept4(s, NULL, NULL, 0x100));
    close(c2); close(x2);
    /* the name outlives the socket; connecting after close is refused */
    close(s);
    CHECK("connect after close", connect(s2, (struct sockaddr *)&a, al));
    CHECK("unlink", unlink("tmp/srv"));
    CHECK("connect after unlink", connect(s2, (struct sockaddr *)&a, al));
    CHECK("bind after unlink", bind(s2, (struct sockaddr *)&a, al));
    CHECK("listen", listen(s2, 1));
    /* permissions: connecting needs write permission on the socket; binding, on the directory */
    CHECK("mkdir", mkdir("tmp/dir", 0755));
    pid_t kid = fork();
    if (kid == 0) {
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        int u = socket(AF_UNIX, SOCK_STREAM, 0);
        errno = 0;
        printf("unprivileged connect to a 0755 socket: %d %s\n", connect(u, (struct sockaddr *)&a, al), en(errno));
        struct sockaddr_un ua;
        socklen_t ul = mkaddr(&ua, "tmp/dir/x");
        errno = 0;
        printf("unprivileged bind in a 0755 directory: %d %s\n", bind(u, (struct sockaddr *)&ua, ul), en(errno));
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    CHECK("chmod", chmod("tmp/srv", 0777));
    kid = fork();
    if (kid == 0) {
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
        int u = socket(AF_UNIX, SOCK_STREAM, 0);
        errno = 0;
        printf("unprivileged connect to a 0777 socket: %d %s\n", connect(u, (struct sockaddr *)&a, al), en(errno));
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    rmdir("tmp/dir");
    CHECK("connect to regular file", (close(open("tmp/file", O_CREAT | O_WRONLY, 0600)),
          connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)(mkaddr(&b, "tmp/file"), &b), sizeof b)));
    CHECK("connect missing dir", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&b, mkaddr(&b, "tmp/no/such")));
    CHECK("bind missing dir", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&b, mkaddr(&b, "tmp/no/such")));
    /* a name without a NUL in the length: the whole sun_path */
    memset(&b, 0, sizeof b);
    b.sun_family = AF_UNIX;
    memcpy(b.sun_path, "tmp/nnnn", 8);
    int s3 = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("bind unterminated", bind(s3, (struct sockaddr *)&b, offsetof(struct sockaddr_un, sun_path) + 8));
    show_name("unterminated name", s3, 0);
    unlink("tmp/nnnn");
    close(s3);
    close(c); close(x); close(s2);
    unlink("tmp/srv"); unlink("tmp/cli"); unlink("tmp/file");
}

static void abstract_names(void) {
    struct sockaddr_un a;
    printf("-- abstract\n");
    socklen_t al = mkabstract(&a, "kava-test-abstract");
    int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK("bind", bind(s, (struct sockaddr *)&a, al));
    show_name("name", s, 0);
    int s2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK("bind in use", bind(s2, (struct sockaddr *)&a, al));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("bind same name other type", bind(d, (struct sockaddr *)&a, al));
    CHECK("connect refused", connect(s2, (struct sockaddr *)&a, al));
    CHECK("listen", listen(s, 0));
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK("connect", connect(c, (struct sockaddr *)&a, al));
    show_name("peer", c, 1);
    CHECK("connect prefix", connect(s2, (struct sockaddr *)&a, al - 1));
    CHECK("send", send(c, "msg", 3, 0));
    int x = accept(s, NULL, NULL);
    char buf[8];
    CHECK("recv", recv(x, buf, sizeof buf, 0));
    CHECK("shutdown listener rd", shutdown(s, SHUT_RD));
    CHECK("connect after shutdown", connect(s2, (struct sockaddr *)&a, al));
    CHECK("accept after shutdown", accept(s, NULL, NULL));
    close(s);
    CHECK("rebind freed name", bind(s2, (struct sockaddr *)&a, al));
    close(c); close(x); close(s2); close(d);
    /* autobind: an empty address, or connecting/sending with SO_PASSCRED */
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un e = { .sun_family = AF_UNIX };
    CHECK("autobind", bind(u, (struct sockaddr *)&e, sizeof(sa_family_t)));
    struct sockaddr_un got; socklen_t gl = sizeof got;
    getsockname(u, (struct sockaddr *)&got, &gl);
    int hex = 1;
    for (int i = 1; i < 6; i++) hex &= !!strchr("0123456789abcdef", got.sun_path[i]);
    printf("autobound len %u abstract %d hex %d\n", gl, got.sun_path[0] == 0, hex);
    CHECK("autobind again", bind(u, (struct sockaddr *)&e, sizeof(sa_family_t)));
    int p = socket(AF_UNIX, SOCK_DGRAM, 0);
    int on = 1;
    setsockopt(p, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    CHECK("sendto autobound", sendto(p, "hi", 2, 0, (struct sockaddr *)&got, gl));
    gl = sizeof got;
    getsockname(p, (struct sockaddr *)&got, &gl);
    printf("passcred sender autobound len %u\n", gl);
    struct sockaddr_un from; socklen_t fl = sizeof from;
    CHECK("recvfrom", recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("from len %u same %d\n", fl, fl == gl && memcmp(&from, &got, gl) == 0);
    close(u); close(p);
}

static void datagrams(void) {
    struct sockaddr_un a, b;
    char buf[32];
    printf("-- dgram\n");
    socklen_t al = mkaddr(&a, "tmp/d1"), bl = mkaddr(&b, "tmp/d2");
    int s1 = socket(AF_UNIX, SOCK_DGRAM, 0), s2 = socket(AF_UNIX, SOCK_DGRAM, 0), s3 = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(s1, (struct sockaddr *)&a, al);
    bind(s2, (struct sockaddr *)&b, bl);
    CHECK("sendto", sendto(s2, "to-d1", 5, 0, (struct sockaddr *)&a, al));
    CHECK("sendto unbound", sendto(s3, "anon", 4, 0, (struct sockaddr *)&a, al));
    struct sockaddr_un from; socklen_t fl = sizeof from;
    CHECK("recvfrom", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("from %u %s\n", fl, from.sun_path);
    fl = sizeof from;
    CHECK("recvfrom unbound", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    printf("from len %u\n", fl);
    CHECK("send unconnected", send(s3, "x", 1, 0));
    CHECK("connect", connect(s3, (struct sockaddr *)&a, al));
    show_name("peer", s3, 1);
    CHECK("send connected", send(s3, "y", 1, 0));
    CHECK("connect s1 to s2", connect(s1, (struct sockaddr *)&b, bl));
    CHECK("sendto s1 from s3 (connected elsewhere)", sendto(s3, "z", 1, 0, (struct sockaddr *)&a, al));
    CHECK("recv", recv(s1, buf, sizeof buf, MSG_DONTWAIT));
    struct sockaddr_un un = { .sun_family = AF_UNSPEC };
    CHECK("disconnect", connect(s1, (struct sockaddr *)&un, sizeof un.sun_family));
    show_name("peer after disconnect", s1, 1);
    CHECK("connect short", connect(s1, (struct sockaddr *)&un, 1));
    /* a receiver whose queue is full */
    int n = 0;
    while (sendto(s2, "f", 1, MSG_DONTWAIT, (struct sockaddr *)&a, al) == 1 && n < 10000) n++;
    printf("queue filled %d errno %s\n", n > 0 && n < 10000, en(errno));
    struct pollfd p = { s2, POLLOUT, 0 };
    CHECK("poll unconnected sender", poll(&p, 1, 0)); printf("revents %#x\n", p.revents);
    CHECK("connect to full", connect(s2, (struct sockaddr *)&a, al));
    CHECK("poll connected sender", poll(&p, 1, 0)); printf("revents %#x\n", p.revents);
    CHECK("recv one", recv(s1, buf, sizeof buf, 0));
    CHECK("poll after recv", poll(&p, 1, 100)); printf("revents %#x\n", p.revents);
    /* the named peer goes away */
    close(s1);
    CHECK("send to closed peer", send(s2, "x", 1, 0));
    CHECK("send again", send(s2, "x", 1, 0));
    CHECK("sendto closed", sendto(s3, "x", 1, 0, (struct sockaddr *)&a, al));
    close(s2); close(s3);
    unlink("tmp/d1"); unlink("tmp/d2");
}

static void nonblocking(void) {
    struct sockaddr_un a;
    printf("-- nonblocking\n");
    socklen_t al = mkabstract(&a, "kava-nb");
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind(s, (struct sockaddr *)&a, al);
    listen(s, 1);
    CHECK("accept empty", accept(s, NULL, NULL));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
    CHECK("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
    CHECK("epoll_wait none", epoll_wait(ep, &ev, 1, 0));
    int c[4];
    for (int i = 0; i < 4; i++) {
        c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        errno = 0;
        int r = connect(c[i], (struct sockaddr *)&a, al);
        printf("connect %d: %d %s\n", i, r, r < 0 ? en(errno) : "");
    }
    memset(&ev, 0, sizeof ev);
    CHECK("epoll_wait ready", epoll_wait(ep, &ev, 1, 0)); printf("events %#x data %u\n", ev.events, ev.data.u32);
    int x = accept(s, NULL, NULL);
    printf("accepted %d\n", x >= 0);
    errno = 0;
    int r = connect(c[3], (struct sockaddr *)&a, al);
    printf("connect after accept: %d %s\n", r, r < 0 ? en(errno) : "");
    struct pollfd p = { c[0], POLLOUT, 0 };
    CHECK("poll connected", poll(&p, 1, 0)); printf("revents %#x\n", p.revents);
    /* a blocking connect waits for accept to make room */
    pid_t pid = fork();
    if (pid == 0) {
        int b = socket(AF_UNIX, SOCK_STREAM, 0);
        int rr = connect(b, (struct sockaddr *)&a, al);
        write(b, "child", 5);
        _exit(rr == 0 ? 0 : 1);
    }
    usleep(200000);
    int y;
    while ((y = accept(s, NULL, NULL)) < 0 && errno == EAGAIN) usleep(10000);
    int z;
    while ((z = accept(s, NULL, NULL)) < 0 && errno == EAGAIN) usleep(10000);
    int st;
    waitpid(pid, &st, 0);
    printf("child connected %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char buf[8];
    fcntl(y, F_SETFL, 0); fcntl(z, F_SETFL, 0);
    int got = 0;
    if (recv(y, buf, 5, MSG_DONTWAIT) == 5 && !memcmp(buf, "child", 5)) got++;
    if (recv(z, buf, 5, MSG_DONTWAIT) == 5 && !memcmp(buf, "child", 5)) got++;
    printf("child data on one %d\n", got);
    int w = accept(s, NULL, NULL);
    fcntl(w, F_SETFL, 0);
    CHECK("child data", recv(w, buf, sizeof buf, 0));
    CHECK("child gone", recv(w, buf, sizeof buf, 0));
    close(ep); close(s); close(x); close(y); close(z); close(w);
    for (int i = 0; i < 4; i++) close(c[i]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    path_names();
    abstract_names();
    datagrams();
    nonblocking();
    return 0;
}
