/* memfd_create and file seals: the name in /proc/self/fd, growth by write, shared mappings,
   F_ADD_SEALS/F_GET_SEALS with each seal's effect, MFD_NOEXEC_SEAL, and the flag checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* include/uapi/linux/memfd.h and fcntl.h of Linux 6.3+, newer than the cross compiler's headers. */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#endif

static void show(const char *what, long r) {
    printf("%-34s %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
    int fd = memfd_create("kava-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    show("memfd_create", fd >= 0 ? 0 : -1);
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n >= 0) target[n] = 0;
    printf("link: %s\n", n >= 0 ? target : "(no /proc)");
    printf("FD_CLOEXEC: %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    printf("regular %d, mode %o, nlink %ld, size %ld\n", S_ISREG(st.st_mode), st.st_mode & 0777, (long)st.st_nlink, (long)st.st_size);
    show("write", write(fd, "hello memfd", 11));
    show("ftruncate 8192", ftruncate(fd, 8192));
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m[4096] = 'X';
    char c;
    pread(fd, &c, 1, 4096);
    printf("mapped store seen by pread: %c, map sees %.5s\n", c, m);
    show("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    show("F_ADD_SEALS bad bit", fcntl(fd, F_ADD_SEALS, 0x100));
    show("F_ADD_SEALS SHRINK|GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    show("ftruncate smaller", ftruncate(fd, 4096));
    show("ftruncate larger", ftruncate(fd, 16384));
    show("pwrite past the end", pwrite(fd, "z", 1, 8192));
    show("pwrite inside", pwrite(fd, "z", 1, 100));
    show("F_ADD_SEALS WRITE with a map", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(m, 8192);
    show("F_ADD_SEALS WRITE", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    show("write after SEAL_WRITE", write(fd, "x", 1));
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    show("shared writable map", w == MAP_FAILED ? -1 : 0);
    void *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    show("shared read-only map", r == MAP_FAILED ? -1 : 0);
    show("mprotect it writable", mprotect(r, 4096, PROT_READ | PROT_WRITE));
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    show("private writable map", p == MAP_FAILED ? -1 : 0);
    show("F_ADD_SEALS SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    show("F_ADD_SEALS after SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    show("F_GET_SEALS", fcntl(fd, F_GET_SEALS));

    int ns = memfd_create("noexec", MFD_NOEXEC_SEAL);
    fstat(ns, &st);
    printf("noexec mode %o, seals %d\n", st.st_mode & 0777, fcntl(ns, F_GET_SEALS));
    show("chmod +x on a noexec memfd", fchmod(ns, 0755));
    int ex = memfd_create("plain", 0);
    show("F_GET_SEALS without sealing", fcntl(ex, F_GET_SEALS));
    show("F_ADD_SEALS without sealing", fcntl(ex, F_ADD_SEALS, F_SEAL_GROW));
    show("bad flags", memfd_create("x", 0x100));
    show("EXEC|NOEXEC_SEAL", memfd_create("x", MFD_EXEC | MFD_NOEXEC_SEAL));
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[299] = 0;
    show("name too long", memfd_create(longname, 0));
    show("bad name pointer", memfd_create((char *)16, 0));
    int pfd[2];
    pipe(pfd);
    show("F_GET_SEALS on a pipe", fcntl(pfd[0], F_GET_SEALS));
    return 0;
}
