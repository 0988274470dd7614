/* inotify on a host directory mounted read-write (kava run -v DIR:/inotify_hostfs.d:rw; under
   qemu the same host directory as a relative path): hostfs makes a new inode object per lookup,
   so a watch must follow the file, not the object: the same watch descriptor whatever path
   reaches it, events made through other names (hard links, "..", a renamed parent), the link
   count of a file with several names, and the end of a watched file or directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

#define D "inotify_hostfs.d"

static const char *const NAMES[32] = {
    "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO",
    "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", NULL, "UNMOUNT", "Q_OVERFLOW", "IGNORED",
    [30] = "ISDIR",
};

static unsigned prev_cookie;

static void drain(int fd, const char *label) {
    char buf[4096] __attribute__((aligned(8)));
    printf("%s:\n", label);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno != EAGAIN) printf("  read: %s\n", strerrorname_np(errno));
            return;
        }
        for (ssize_t off = 0; off < n;) {
            struct inotify_event *e = (void *)(buf + off);
            printf("  wd=%d ", e->wd);
            const char *sep = "";
            for (int b = 0; b < 32; b++) {
                if (!(e->mask & (1u << b))) continue;
                if (NAMES[b]) printf("%s%s", sep, NAMES[b]);
                else printf("%s0x%x", sep, 1u << b);
                sep = "|";
            }
            if (e->cookie) {
                printf(" cookie=%s", e->cookie == prev_cookie ? "same" : "new");
                prev_cookie = e->cookie;
            }
            if (e->len) printf(" name=%s", e->name);
            printf("\n");
            off += sizeof *e + e->len;
        }
    }
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (write(fd, text, strlen(text)) < 0) perror("write");
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir(D "/sub", 0755);
    put(D "/f", "one");
    TRY("watch the volume", inotify_add_watch(fd, D, IN_ALL_EVENTS));
    TRY("again through ./", inotify_add_watch(fd, "./" D "/.", IN_ALL_EVENTS));
    TRY("again through sub/..", inotify_add_watch(fd, D "/sub/..", IN_ALL_EVENTS));
    TRY("watch f", inotify_add_watch(fd, D "/f", IN_ALL_EVENTS));
    TRY("watch f through sub/../f", inotify_add_watch(fd, D "/sub/../f", IN_ALL_EVENTS));
    TRY("watch sub", inotify_add_watch(fd, D "/sub", IN_ALL_EVENTS));
    drain(fd, "nothing yet");

    put(D "/sub/../g", "two");
    drain(fd, "create g through sub/..");
    int f = open(D "/./f", O_WRONLY | O_APPEND);
    write(f, "more", 4);
    close(f);
    drain(fd, "append to f through ./f");
    link(D "/f", D "/sub/f2");
    drain(fd, "link f as sub/f2");
    f = open(D "/sub/f2", O_RDONLY);
    char buf[16];
    read(f, buf, sizeof buf);
    close(f);
    drain(fd, "read through sub/f2");
    unlink(D "/sub/f2");
    drain(fd, "unlink sub/f2 (f keeps its other name)");
    chmod(D "/f", 0600);
    drain(fd, "chmod f");

    rename(D "/sub", D "/moved");
    drain(fd, "rename sub to moved");
    put(D "/moved/h", "three");
    drain(fd, "create moved/h");
    rename(D "/moved/h", D "/h");
    drain(fd, "rename moved/h to h");
    rename(D "/g", D "/h");
    drain(fd, "rename g over h");

    f = open(D "/f", O_RDWR);
    unlink(D "/f");
    drain(fd, "unlink f while open");
    write(f, "x", 1);
    close(f);
    drain(fd, "write and close f");

    unlink(D "/h");
    rmdir(D "/moved");
    drain(fd, "unlink h, rmdir moved");
    TRY("watch a missing file", inotify_add_watch(fd, D "/f", IN_ALL_EVENTS));
    mkdir(D "/sub", 0755);
    TRY("watch a new sub (new wd)", inotify_add_watch(fd, D "/sub", IN_ALL_EVENTS));
    rmdir(D "/sub");
    drain(fd, "rmdir sub");
    close(fd);
    return 0;
}
