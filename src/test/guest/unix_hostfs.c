/* AF_UNIX sockets bound in a host directory (kava run -v DIR:/unix_hostfs.d:rw; under qemu the
 * same host directory): the socket node is made on the host, found again by connect through a
 * different name (a hard link) and after a rename, refused once unbound. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)

static socklen_t mkaddr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sockaddr_un a, b;
    socklen_t al = mkaddr(&a, "unix_hostfs.d/s");
    umask(022);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("bind", bind(s, (struct sockaddr *)&a, al));
    struct stat st;
    CHECK("stat", stat("unix_hostfs.d/s", &st));
    printf("sock %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    CHECK("bind exists", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&a, al));
    int c = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("sendto", sendto(c, "one", 3, 0, (struct sockaddr *)&a, al));
    CHECK("link", link("unix_hostfs.d/s", "unix_hostfs.d/t"));
    socklen_t bl = mkaddr(&b, "unix_hostfs.d/t");
    CHECK("sendto via link", sendto(c, "two", 3, 0, (struct sockaddr *)&b, bl));
    CHECK("rename", rename("unix_hostfs.d/s", "unix_hostfs.d/r"));
    socklen_t rl = mkaddr(&b, "unix_hostfs.d/r");
    CHECK("sendto renamed", sendto(c, "three", 5, 0, (struct sockaddr *)&b, rl));
    char buf[16];
    for (int i = 0; i < 3; i++) {
        ssize_t n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
        printf("recv %zd %.*s\n", n, n > 0 ? (int)n : 0, buf);
    }
    close(s);
    CHECK("sendto after close", sendto(c, "x", 1, 0, (struct sockaddr *)&b, rl));
    CHECK("unlink", unlink("unix_hostfs.d/r"));
    CHECK("unlink link", unlink("unix_hostfs.d/t"));
    return 0;
}
