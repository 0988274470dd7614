/* Walks the tree under "." (the root when run from an EROFS image under kava, a host
   directory under qemu) and prints what a program sees of every file: type, mode, owner,
   size, links, mtime, a checksum of the content read with read(), pread() and mmap(),
   symlink targets; entries sorted by name. Directory sizes, inode numbers and block counts
   differ between filesystems and are left out. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h) {
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void file(const char *path, const struct stat *st) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("  open: %s\n", strerrorname_np(errno)); return; }
    static unsigned char buf[65536];
    uint64_t h = 14695981039346656037ULL;
    ssize_t n; long long total = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) { h = fnv(buf, n, h); total += n; }
    printf("  read %lld bytes fnv %016llx\n", total, (unsigned long long)h);
    if (st->st_size > 10) {
        n = pread(fd, buf, 7, st->st_size / 2);
        printf("  pread mid %zd fnv %016llx\n", n, (unsigned long long)fnv(buf, n > 0 ? n : 0, 0));
    }
    if (st->st_size > 0 && st->st_size < (64 << 20)) {
        void *m = mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) printf("  mmap: %s\n", strerrorname_np(errno));
        else {
            printf("  mmap fnv %016llx\n", (unsigned long long)fnv(m, st->st_size, 14695981039346656037ULL));
            munmap(m, st->st_size);
        }
    }
    printf("  write: %s\n", write(fd, "x", 1) < 0 ? strerrorname_np(errno) : "ok");
    close(fd);
}

static void walk(const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerrorname_np(errno)); return; }
    char *names[2048]; int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) && count < 2048) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        /* The kernel's own mount points differ between the two runs (devtmpfs, tmpfs, ...). */
        if (depth == 0 && (!strcmp(e->d_name, "dev") || !strcmp(e->d_name, "tmp") || !strcmp(e->d_name, "proc")
                           || !strcmp(e->d_name, "sys") || !strcmp(e->d_name, "run"))) continue;
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, cmp);
    for (int i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) < 0) { printf("%s: lstat %s\n", path, strerrorname_np(errno)); continue; }
        printf("%s mode %o uid %u gid %u", path, st.st_mode, st.st_uid, st.st_gid);
        if (!S_ISDIR(st.st_mode)) printf(" size %lld nlink %lu mtime %lld.%09ld", (long long)st.st_size,
                                        (unsigned long)st.st_nlink, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        printf("\n");
        if (S_ISLNK(st.st_mode)) {
            char t[4096]; ssize_t n = readlink(path, t, sizeof t);
            printf("  -> %.*s\n", (int)(n > 0 ? n : 0), t);
        } else if (S_ISREG(st.st_mode)) {
            file(path, &st);
        } else if (S_ISDIR(st.st_mode) && depth < 40) {
            walk(path, depth + 1);
        }
        free(names[i]);
    }
}

int main(void) {
    walk(".", 0);
    struct stat st;
    printf("stat missing: %s\n", stat("./no/such/file", &st) < 0 ? strerrorname_np(errno) : "ok");
    printf("mkdir: %s\n", mkdir("./newdir", 0755) < 0 ? "fails" : "ok");
    return 0;
}
