/* Memory syscalls: mmap (anonymous, fixed, file-backed), munmap, mprotect, madvise, brk, and the
   errors Linux gives for bad arguments. Addresses are never printed. Cases where qemu-user's own
   mmap emulation departs from Linux (MAP_FIXED_NOREPLACE, mprotect of length 0, madvise with bad
   advice or on unmapped memory, mremap to length 0) are left to kava's unit tests. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-34s -> %s%s\n", label, r_ == -1 ? "-1 " : "ok", r_ == -1 ? strerrorname_np(errno) : ""); } while (0)
#define PG 4096

static long mm(void *a, size_t l, int p, int f, int fd, long off) {
    void *r = mmap(a, l, p, f, fd, off);
    return r == MAP_FAILED ? -1 : 0;
}

int main(void) {
    char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap anon ok %d aligned %d zero %d\n", p != MAP_FAILED, ((uintptr_t)p & (PG - 1)) == 0, p[0] == 0 && p[4 * PG - 1] == 0);
    for (int i = 0; i < 4 * PG; i++) p[i] = (char)i;
    TRY("munmap middle page", munmap(p + PG, PG));
    printf("neighbours intact %d %d\n", p[PG - 1] == (char)(PG - 1), p[2 * PG] == (char)(2 * PG));
    TRY("mmap fixed into hole", mm(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    printf("hole is zero %d\n", p[PG] == 0 && p[2 * PG - 1] == 0);
    TRY("mprotect read-only", mprotect(p, 2 * PG, PROT_READ));
    printf("still readable %d\n", p[5] == 5);
    TRY("mprotect back", mprotect(p, 4 * PG, PROT_READ | PROT_WRITE));
    p[0] = 42;
    TRY("mprotect unaligned", mprotect(p + 1, PG, PROT_READ));
    TRY("mprotect bad prot", mprotect(p, PG, 0x100));
    TRY("madvise dontneed", madvise(p + 3 * PG, PG, MADV_DONTNEED));
    printf("dontneed zeroed %d, others kept %d\n", p[3 * PG + 7] == 0, p[0] == 42);
    TRY("madvise unaligned", madvise(p + 1, PG, MADV_NORMAL));
    TRY("munmap all", munmap(p, 4 * PG));
    TRY("mprotect unmapped", mprotect(p, PG, PROT_READ));
    TRY("munmap unmapped again", munmap(p, 4 * PG));
    TRY("munmap len 0", munmap(p, 0));
    TRY("munmap unaligned", munmap(p + 1, PG));

    TRY("mmap len 0", mm(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    TRY("mmap no type", mm(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0));
    TRY("mmap unaligned offset", mm(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100));
    TRY("mmap bad fd", mm(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0));
    TRY("mmap fixed unaligned", mm((void *)0x10000001, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    TRY("mmap huge", mm(NULL, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

    /* A hint that is free is honoured. */
    char *hint = (char *)0x200000000;
    char *h = mmap(hint, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("hint honoured %d\n", h == hint);
    char *h2 = mmap(hint, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("busy hint moved %d\n", h2 != MAP_FAILED && h2 != hint);
    munmap(h, PG);
    munmap(h2, PG);

    /* Shared anonymous memory and a large mapping touched sparsely. */
    char *s = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("shared ok %d\n", s != MAP_FAILED);
    s[63 * PG] = 9;
    printf("shared write %d\n", s[63 * PG]);
    munmap(s, 64 * PG);
    char *big = mmap(NULL, (size_t)1 << 32, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("4 GiB reserve ok %d\n", big != MAP_FAILED);
    big[0] = 1; big[((size_t)1 << 32) - 1] = 2; big[(size_t)1 << 31] = 3;
    printf("sparse touch %d\n", big[0] + big[((size_t)1 << 32) - 1] + big[(size_t)1 << 31]);
    munmap(big, (size_t)1 << 32);

    /* A private file mapping reads the file; writes stay private. */
    int fd = open("data/hello.txt", O_RDONLY);
    char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("file map: %.11s, tail zero %d\n", f, f[100] == 0);
    f[0] = 'J';
    char buf[16];
    pread(fd, buf, 5, 0);
    printf("private write not in file: %.5s vs %.5s\n", f, buf);
    munmap(f, PG);
    TRY("mmap file offset past end", mm(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 16 * PG));
    close(fd);

    /* mremap: grow in place, move, shrink, fixed; contents follow the pages. */
    char *r = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 2 * PG; i++) r[i] = (char)(i * 7);
    munmap(r + 2 * PG, 8 * PG); /* make room after it, in case something was mapped there */
    char *r2 = mremap(r, 2 * PG, 6 * PG, 0);
    printf("grow in place %d\n", r2 == r);
    if (r2 == MAP_FAILED) r2 = r;
    r2[6 * PG - 1] = 5;
    char *blocker = mmap(r2 + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    TRY("grow blocked, no MAYMOVE", (long)mremap(r2, 6 * PG, 8 * PG, 0) == -1 ? -1 : 0);
    char *r3 = mremap(r2, 6 * PG, 8 * PG, MREMAP_MAYMOVE);
    int same = 1;
    for (int i = 0; i < 2 * PG; i++) if (r3[i] != (char)(i * 7)) same = 0;
    printf("moved %d contents kept %d tail %d new zero %d\n", r3 != r2, same, r3[6 * PG - 1], r3[8 * PG - 1]);
    char *r4 = mremap(r3, 8 * PG, 3 * PG, 0);
    printf("shrink in place %d kept %d\n", r4 == r3, r4[PG] == (char)(PG * 7));
    char *target = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *r5 = mremap(r4, 3 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    printf("fixed move %d kept %d\n", r5 == target, r5[2] == 14);
    TRY("mremap bad flags", (long)mremap(r5, PG, PG, 8) == -1 ? -1 : 0);
    TRY("mremap fixed without maymove", (long)mremap(r5, PG, PG, MREMAP_FIXED, target) == -1 ? -1 : 0);
    TRY("mremap unaligned", (long)mremap(r5 + 1, PG, PG, 0) == -1 ? -1 : 0);
    TRY("mremap unmapped", (long)mremap(r4, PG, 2 * PG, MREMAP_MAYMOVE) == -1 ? -1 : 0);
    TRY("mremap across end", (long)mremap(r5, 8 * PG, 9 * PG, MREMAP_MAYMOVE) == -1 ? -1 : 0);
    TRY("mremap overlapping fixed", (long)mremap(r5, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, r5 + PG) == -1 ? -1 : 0);
    munmap(r5, 4 * PG);
    munmap(blocker, PG);

    /* brk */
    void *b0 = sbrk(0);
    TRY("sbrk grow", (long)sbrk(10 * PG) == -1 ? -1 : 0);
    char *b = b0;
    b[0] = 1; b[10 * PG - 1] = 2;
    printf("brk memory ok %d\n", b[0] + b[10 * PG - 1]);
    TRY("sbrk shrink", (long)sbrk(-5 * PG) == -1 ? -1 : 0);
    printf("brk now %ld pages above start\n", ((char *)sbrk(0) - (char *)b0) / PG);
    long cur = syscall(SYS_brk, 0);
    printf("brk below start refused %d\n", syscall(SYS_brk, 4096) == cur);
    return 0;
}
