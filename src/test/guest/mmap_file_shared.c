/* Shared and private mappings of a tmpfs file: a shared mapping's stores reach the file and
   every other mapping (also across fork); a private mapping's do not; a shared writable
   mapping needs a file open for writing; a page past the end of the file is SIGBUS. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf jb;
static void on_bus(int sig) { siglongjmp(jb, sig); }

int main(void) {
    const char *path = "tmp/mmap_file_shared";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror("open"); return 1; }
    char page[4096];
    memset(page, 'a', sizeof page);
    write(fd, page, sizeof page);
    memset(page, 'b', sizeof page);
    write(fd, page, sizeof page);

    char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (s == MAP_FAILED || p == MAP_FAILED) { perror("mmap"); return 1; }
    printf("initial: %c %c / %c %c\n", s[0], s[4096], p[0], p[4096]);

    s[1] = 'S';
    char c;
    pread(fd, &c, 1, 1);
    printf("shared store seen by read: %c\n", c);
    p[4097] = 'P';
    pread(fd, &c, 1, 4097);
    printf("private store not in file: %c, private sees %c\n", c, p[4097]);
    lseek(fd, 2, SEEK_SET);
    write(fd, "W", 1);
    printf("write() seen by shared map: %c\n", s[2]);

    pid_t pid = fork();
    if (pid == 0) {
        s[3] = 'C';
        p[3] = 'X';
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child's shared store: %c, child's private store: %c\n", s[3], p[3]);

    int ro = open(path, O_RDONLY);
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("shared writable map of O_RDONLY fd: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
    printf("shared read-only map of O_RDONLY fd: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    printf("mprotect to write: %s\n", mprotect(m, 4096, PROT_READ | PROT_WRITE) ? strerror(errno) : "ok");
    printf("it sees the shared store: %c\n", ((char *)m)[1]);

    char *big = mmap(NULL, 16384, PROT_READ, MAP_SHARED, fd, 0);
    signal(SIGBUS, on_bus);
    int sig = sigsetjmp(jb, 1);
    if (sig == 0) {
        volatile char x = big[12288];
        printf("read past EOF: no signal (%d)\n", x);
    } else {
        printf("read past EOF: signal %d\n", sig);
    }
    munmap(s, 8192);
    munmap(p, 8192);
    close(ro);
    close(fd);
    unlink(path);
    return 0;
}
