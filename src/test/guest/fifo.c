/* Named pipes (fifo_open in fs/pipe.c) in tmp/: a reader waits for a writer and a writer for a
   reader; O_NONBLOCK readers do not wait and O_NONBLOCK writers without a reader get ENXIO;
   O_RDWR never waits. The loop opens both ends from two processes many times, the writer
   writing and closing as soon as its open returns: the reader's open must return too (it once
   missed the writer that had come and gone and waited forever). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FIFO "tmp/fifo"

static void nap(long us) {
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
}

int main(void) {
    umask(022);
    unlink(FIFO);
    if (mkfifo(FIFO, 0644) != 0) { perror("mkfifo"); return 1; }
    struct stat s;
    lstat(FIFO, &s);
    printf("fifo: %d mode %o size %ld\n", S_ISFIFO(s.st_mode), s.st_mode & 07777, (long)s.st_size);

    errno = 0;
    int w = open(FIFO, O_WRONLY | O_NONBLOCK);
    printf("nonblocking writer alone: %d %s\n", w, w < 0 ? strerrorname_np(errno) : "");
    int r = open(FIFO, O_RDONLY | O_NONBLOCK);
    printf("nonblocking reader alone: %s\n", r >= 0 ? "ok" : strerrorname_np(errno));
    char buf[64];
    printf("read with no writer: %zd\n", read(r, buf, sizeof buf));
    w = open(FIFO, O_WRONLY | O_NONBLOCK);
    printf("nonblocking writer with a reader: %s\n", w >= 0 ? "ok" : strerrorname_np(errno));
    printf("write: %zd\n", write(w, "abc", 3));
    ssize_t n = read(r, buf, sizeof buf);
    printf("read: %zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    close(w);
    printf("read after the writer closed: %zd\n", read(r, buf, sizeof buf));
    close(r);
    int rw = open(FIFO, O_RDWR);
    printf("O_RDWR alone: %s\n", rw >= 0 ? "ok" : strerrorname_np(errno));
    close(rw);

    int rounds = 200, good = 0;
    for (int i = 0; i < rounds; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            if (i % 2) nap(200); /* half the rounds the reader opens first */
            int fd = open(FIFO, O_WRONLY);
            if (fd < 0) _exit(1);
            char msg[32];
            int len = snprintf(msg, sizeof msg, "round %d\n", i);
            if (write(fd, msg, len) != len) _exit(2);
            close(fd);
            _exit(0);
        }
        if (i % 2 == 0) nap(200); /* the other half the writer does */
        int fd = open(FIFO, O_RDONLY);
        char got[64] = "";
        size_t have = 0;
        for (;;) {
            ssize_t k = read(fd, got + have, sizeof got - 1 - have);
            if (k <= 0) break;
            have += k;
        }
        close(fd);
        got[have] = 0;
        char want[32];
        snprintf(want, sizeof want, "round %d\n", i);
        int status;
        waitpid(pid, &status, 0);
        if (strcmp(got, want) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) good++;
        else printf("round %d: read [%s] status %#x\n", i, got, status);
    }
    printf("%d of %d rounds passed the data\n", good, rounds);
    unlink(FIFO);
    return 0;
}
