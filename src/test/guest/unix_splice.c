/* Sockets with splice and sendfile: a file sent to a stream and a datagram socket, a socket
 * spliced into a pipe and a pipe into a socket. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>
static const char *en(int e) { return e ? strerrorname_np(e) : "0"; }
#define CHECK(what, expr) do { errno = 0; long _r = (long)(expr); printf("%s: %ld %s\n", what, _r, _r < 0 ? en(errno) : ""); } while (0)
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2], pf[2];
    char buf[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int f = open("tmp/file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "file contents here", 18);
    lseek(f, 0, SEEK_SET);
    CHECK("sendfile file->sock", sendfile(sv[0], f, NULL, 18));
    CHECK("read", read(sv[1], buf, sizeof buf)); printf("%.18s\n", buf);
    pipe(pf);
    write(sv[0], "to the pipe", 11);
    CHECK("splice sock->pipe", splice(sv[1], NULL, pf[1], NULL, 64, 0));
    CHECK("read pipe", read(pf[0], buf, sizeof buf)); printf("%.11s\n", buf);
    write(pf[1], "from the pipe", 13);
    CHECK("splice pipe->sock", splice(pf[0], NULL, sv[0], NULL, 64, 0));
    CHECK("read", read(sv[1], buf, sizeof buf)); printf("%.13s\n", buf);
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    CHECK("sendfile file->dgram", sendfile(dv[0], f, (off_t[]){0}, 18));
    CHECK("recv", recv(dv[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK("sendfile sock->file", sendfile(f, sv[1], NULL, 4));
    return 0;
}
