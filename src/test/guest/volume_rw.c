/* A host directory mounted read-write (kava run -v DIR:/volume_rw.d:rw; under qemu the same host
   directory as a relative path): creating, writing, appending, truncating and reading files,
   and their errors. The harness also compares the trees the two runs leave on the host. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-30s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void show(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("stat %s: %s\n", path, strerrorname_np(errno));
        return;
    }
    printf("stat %s: reg %d mode %o size %lld nlink %ld\n", path, S_ISREG(st.st_mode), st.st_mode & 07777,
           (long long)st.st_size, (long)st.st_nlink);
}

static void cat(const char *path) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    printf("cat %s: [%.*s]\n", path, (int)(n < 0 ? 0 : n), buf);
    close(fd);
}

struct linux_dirent64 { unsigned long long d_ino; long long d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };
static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void ls(const char *dir) {
    char buf[4096], *names[64];
    int count = 0, dfd = open(dir, O_RDONLY | O_DIRECTORY);
    long got;
    while ((got = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < got;) {
            struct linux_dirent64 *d = (void *)(buf + off);
            if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && count < 64) names[count++] = strdup(d->d_name);
            off += d->d_reclen;
        }
    }
    close(dfd);
    qsort(names, count, sizeof *names, cmpstr);
    printf("ls %s:", dir);
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");
}

int main(void) {
    umask(022);
    const char *v = "volume_rw.d";
    show(v);
    TRY("create a", open("volume_rw.d/a", O_CREAT | O_EXCL | O_WRONLY, 0640));
    TRY("write a", write(3, "hello ", 6));
    TRY("write a again", write(3, "world\n", 6));
    TRY("read wronly", read(3, (char[8]){0}, 8));
    close(3);
    show("volume_rw.d/a");
    cat("volume_rw.d/a");
    TRY("create a excl", open("volume_rw.d/a", O_CREAT | O_EXCL | O_WRONLY, 0600));
    TRY("create a again", open("volume_rw.d/a", O_CREAT | O_WRONLY, 0600));
    close(3);
    show("volume_rw.d/a");

    int fd = open("volume_rw.d/a", O_WRONLY | O_APPEND);
    TRY("append", write(fd, "more\n", 5));
    TRY("lseek cur after append", lseek(fd, 0, SEEK_CUR));
    TRY("lseek set 0", lseek(fd, 0, SEEK_SET));
    TRY("append after seek", write(fd, "end\n", 4));
    close(fd);
    cat("volume_rw.d/a");

    fd = open("volume_rw.d/a", O_RDWR);
    TRY("lseek 6", lseek(fd, 6, SEEK_SET));
    TRY("overwrite", write(fd, "WORLD", 5));
    TRY("pread", pread(fd, (char[4]){0}, 4, 0));
    char *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("mmap: %.11s\n", m == MAP_FAILED ? "failed" : m);
    TRY("lseek end", lseek(fd, 0, SEEK_END));
    TRY("lseek end+10", lseek(fd, 10, SEEK_END));
    TRY("write past end", write(fd, "X", 1));
    close(fd);
    show("volume_rw.d/a");
    fd = open("volume_rw.d/a", O_RDONLY);
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("hole bytes zero: %d %d %d, last %c, size %zd\n", buf[26], buf[30], buf[35], buf[n - 1], n);
    close(fd);

    TRY("truncate open", open("volume_rw.d/a", O_WRONLY | O_TRUNC));
    close(3);
    show("volume_rw.d/a");

    /* A bigger file, written in odd pieces and read back. */
    fd = open("volume_rw.d/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    static char big[200000], back[200000];
    for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)(i * 7 + i / 251);
    size_t done = 0;
    while (done < sizeof big) {
        size_t chunk = sizeof big - done < 12345 ? sizeof big - done : 12345;
        done += write(fd, big + done, chunk);
    }
    TRY("lseek big", lseek(fd, 0, SEEK_SET));
    done = 0;
    while ((n = read(fd, back + done, sizeof back - done)) > 0) done += n;
    printf("big read %zu same %d\n", done, memcmp(big, back, sizeof big) == 0);
    close(fd);
    show("volume_rw.d/big");

    TRY("create in missing dir", open("volume_rw.d/nope/x", O_CREAT | O_WRONLY, 0644));
    TRY("create on dir", open("volume_rw.d", O_CREAT | O_WRONLY, 0644));
    TRY("open dir wronly", open("volume_rw.d", O_WRONLY));
    TRY("file as dir", open("volume_rw.d/a/x", O_CREAT | O_WRONLY, 0644));
    TRY("create trailing slash", open("volume_rw.d/c/", O_CREAT | O_WRONLY, 0644));
    TRY("create mode 0", open("volume_rw.d/zero", O_CREAT | O_WRONLY, 0));
    close(3);
    show("volume_rw.d/zero");
    TRY("create .", open("volume_rw.d/.", O_CREAT | O_WRONLY, 0644));
    TRY("dot dot stays", open("volume_rw.d/../volume_rw.d/a", O_RDONLY) >= 0);
    ls(v);
    return 0;
}
