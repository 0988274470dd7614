/* read(2) and write(2) of zero bytes reach the file: each kind answers its own way
   (0, EINVAL for eventfd and inotify, ENOSPC for /dev/full, EISDIR for a directory). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%-24s %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
    char b[8];
    int p[2];
    pipe(p);
    show("pipe read 0", read(p[0], b, 0));
    show("pipe write 0", write(p[1], b, 0));
    int e = eventfd(1, 0);
    show("eventfd read 0", read(e, b, 0));
    show("eventfd write 0", write(e, b, 0));
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, "tmp", IN_CREATE);
    close(open("tmp/rw_zero", O_CREAT | O_WRONLY, 0600));
    show("inotify read 0", read(in, b, 0));
    int full = open("/dev/full", O_WRONLY);
    show("/dev/full write 0", write(full, b, 0));
    int null = open("/dev/null", O_RDWR);
    show("/dev/null read 0", read(null, b, 0));
    show("/dev/null write 0", write(null, b, 0));
    int f = open("tmp/rw_zero", O_RDWR);
    show("file read 0", read(f, b, 0));
    show("file write 0", write(f, b, 0));
    int d = open("tmp", O_RDONLY | O_DIRECTORY);
    show("dir read 0", read(d, b, 0));
    show("pread 0 on a pipe", pread(p[0], b, 0, 0));
    unlink("tmp/rw_zero");
    return 0;
}
